# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models


class DealerListXlsx(models.AbstractModel):
    """The dealer list: file, tier, score, decision, this month's target,
    receivables."""

    _name = "report.dealer_management.dealer_list_xlsx"
    _description = "Dealer List XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, partners):
        dealers = partners._dealers()
        today = fields.Date.context_today(self)
        targets = self.env["dealer.sales.target"].search(
            [
                ("partner_id", "in", dealers.ids),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        )
        target_of = {target.partner_id.id: target for target in targets}
        # the receivables of the company the list is printed in (of the measurement
        # layer, as the aging shows them), not a sum over companies and currencies
        aging = self.env["dealer.receivable.aging"].search(
            [
                ("partner_id", "in", dealers.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        open_of, overdue_of = {}, {}
        for row in aging:
            open_of[row.partner_id.id] = open_of.get(row.partner_id.id, 0.0) + row.total
            overdue_of[row.partner_id.id] = overdue_of.get(row.partner_id.id, 0.0) + (
                row.total - row.not_due
            )
        columns = [
            (_("Code"), "text", 10),
            (_("Dealer"), "text", 32),
            (_("Level"), "text", 20),
            (_("Status"), "text", 12),
            (_("Province"), "text", 12),
            (_("Salesperson"), "text", 18),
            (_("Tier"), "text", 6),
            (_("Score"), "number", 8),
            (_("Grade"), "text", 6),
            (_("Decision"), "text", 12),
            (_("Target"), "number", 14),
            (_("Achieved"), "number", 14),
            (_("Achievement (%)"), "percent", 10),
            (_("Open Receivable"), "number", 14),
            (_("Overdue"), "number", 14),
        ]
        rows = []
        for dealer in dealers:
            target = target_of.get(dealer.id)
            rows.append(
                [
                    dealer.dealer_code,
                    dealer.name,
                    self._label(dealer, "dealer_level"),
                    self._label(dealer, "dealer_status"),
                    dealer.state_id.name,
                    dealer.user_id.name,
                    self._label(dealer, "dealer_tier"),
                    dealer.dealer_score if dealer.dealer_grade else False,
                    dealer.dealer_grade,
                    self._label(dealer, "dealer_decision"),
                    target.amount if target else False,
                    target.achieved_amount if target else False,
                    target.achievement if target else False,
                    open_of.get(dealer.id, 0.0),
                    overdue_of.get(dealer.id, 0.0),
                ]
            )
        self._write_table(workbook, _("Dealers"), columns, rows)
