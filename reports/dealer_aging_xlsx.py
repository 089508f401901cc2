# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerAgingXlsx(models.AbstractModel):
    """Receivables aging per dealer with its open receivable warnings."""

    _name = "report.dealer_management.dealer_aging_xlsx"
    _description = "Dealer Receivables Aging XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, rows_in):
        warnings = self.env["dealer.warning"].search(
            [
                ("partner_id", "in", rows_in.partner_id.ids),
                ("warning_type", "in", ("receivable_overdue", "credit_usage")),
                ("state", "in", ("open", "acknowledged")),
            ]
        )
        columns = [
            (_("Dealer"), "text", 30),
            (_("Salesperson"), "text", 18),
            (_("Not Due"), "number", 14),
            ("1-30", "number", 14),
            ("31-60", "number", 14),
            ("61-90", "number", 14),
            ("90+", "number", 14),
            (_("Total"), "number", 14),
            (_("Open Warnings"), "int", 8),
            (_("Warnings"), "text", 60),
        ]
        rows = []
        for row in rows_in:
            mine = warnings.filtered(
                lambda w, r=row: w.partner_id == r.partner_id
                and w.company_id == r.company_id
            )
            rows.append(
                [
                    row.partner_id.name,
                    row.salesperson_id.name,
                    row.not_due,
                    row.days_1_30,
                    row.days_31_60,
                    row.days_61_90,
                    row.days_90_plus,
                    row.total,
                    len(mine),
                    "; ".join(f"{w.rule_id.name}: {w.description}" for w in mine),
                ]
            )
        self._write_table(workbook, _("Receivables Aging"), columns, rows)
