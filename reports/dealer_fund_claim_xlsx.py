# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerFundClaimXlsx(models.AbstractModel):
    """Market-expense claims, one row each, with their proof count and sales lift."""

    _name = "report.dealer_management.dealer_fund_claim_xlsx"
    _description = "Dealer Market-Expense Claims XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, claims):
        columns = [
            (_("Claim"), "text", 16),
            (_("Dealer"), "text", 30),
            (_("Request"), "text", 16),
            (_("Activity"), "text", 30),
            (_("Activity Kind"), "text", 16),
            (_("From"), "date", 12),
            (_("To"), "date", 12),
            (_("Share Approved"), "number", 14),
            (_("Actual Cost"), "number", 14),
            (_("Claimed"), "number", 14),
            (_("Reimbursable"), "number", 14),
            (_("Granted"), "number", 14),
            (_("Proof"), "number", 8),
            (_("Sell-Out During the Activity"), "number", 16),
            (_("Our Sales During the Activity"), "number", 16),
            (_("Same Days Last Year"), "number", 16),
            (_("Return (%)"), "number", 10),
            (_("Status"), "text", 12),
            (_("Reason"), "text", 30),
            (_("Settlement"), "text", 18),
        ]
        claims.fetch(["request_id", "partner_id", "proof_ids", "move_id"])
        rows = [
            [
                c.name,
                c.partner_id.name,
                c.request_id.name,
                c.request_id.title,
                self._label(c, "activity_kind"),
                c.date_start,
                c.date_end,
                c.approved_share,
                c.actual_cost,
                c.claimed_amount,
                c.reimbursable_amount,
                c.granted_amount,
                c.proof_count,
                c.sellout_amount,
                c.sales_during,
                c.sales_last_year,
                c.roi,
                self._label(c, "state"),
                c.decision_reason or False,
                c.move_name or False,
            ]
            for c in claims
        ]
        self._write_table(workbook, _("Market-Expense Claims"), columns, rows)
