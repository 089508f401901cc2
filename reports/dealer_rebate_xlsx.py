# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerRebateXlsx(models.AbstractModel):
    """Rebate statements, one sheet with the statements and one with every counted
    invoice line."""

    _name = "report.dealer_management.dealer_rebate_xlsx"
    _description = "Dealer Rebate Statements XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, rebates):
        columns = [
            (_("Statement"), "text", 22),
            (_("Dealer"), "text", 30),
            (_("Program"), "text", 26),
            (_("Period Start"), "date", 12),
            (_("Statement End"), "date", 12),
            (_("Status"), "text", 12),
            (_("Basis"), "number", 14),
            (_("Net Amount"), "number", 14),
            (_("Volume Rebate"), "number", 12),
            (_("Growth Rebate"), "number", 12),
            (_("Target Bonus"), "number", 12),
            (_("Payment Discipline"), "number", 12),
            (_("Cap"), "number", 12),
            (_("Previously Granted"), "number", 12),
            (_("Adjustments"), "number", 12),
            (_("Rebate"), "number", 14),
            (_("Credit Note"), "text", 18),
        ]
        rows = [
            [
                r.name,
                r.partner_id.name,
                r.program_id.name,
                r.period_start,
                r.date_to,
                self._label(r, "state"),
                r.basis_amount,
                r.net_amount,
                r.volume_rebate,
                r.growth_rebate,
                r.target_bonus,
                r.discipline_amount,
                r.cap_adjustment,
                r.previously_granted,
                r.adjustment_amount,
                r.amount,
                r.move_name or False,
            ]
            for r in rebates
        ]
        self._write_table(workbook, _("Rebate Statements"), columns, rows)
        line_columns = [
            (_("Statement"), "text", 22),
            (_("Dealer"), "text", 30),
            (_("Invoice Date"), "date", 12),
            (_("Invoice"), "text", 20),
            (_("Type"), "text", 12),
            (_("Product"), "text", 30),
            (_("Quantity"), "number", 10),
            (_("Net Amount"), "number", 14),
        ]
        lines = self.env["dealer.rebate.line"].search(
            [("rebate_id", "in", rebates.ids)]
        )
        self._write_table(
            workbook,
            _("Counted Lines"),
            line_columns,
            [
                [
                    line.rebate_id.name,
                    line.partner_id.name,
                    line.date,
                    line.move_name,
                    self._label(line, "move_type"),
                    line.product_id.display_name,
                    line.quantity,
                    line.amount,
                ]
                for line in lines
            ],
        )
