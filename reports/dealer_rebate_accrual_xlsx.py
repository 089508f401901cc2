# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerRebateAccrualXlsx(models.AbstractModel):
    """The accrual analysis: a row per program, day and dealer."""

    _name = "report.dealer_management.dealer_rebate_accrual_xlsx"
    _description = "Dealer Rebate Accruals XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, lines):
        columns = [
            (_("Date"), "date", 12),
            (_("Program"), "text", 26),
            (_("Dealer"), "text", 30),
            (_("Territory"), "text", 18),
            (_("Earned in Open Periods"), "number", 16),
            (_("Statements Not Settled"), "number", 16),
            (_("Accrued"), "number", 14),
            (_("Entry"), "text", 18),
        ]
        rows = [
            [
                line.date,
                line.program_id.name,
                line.partner_id.name,
                line.territory_id.name or False,
                line.earned_amount,
                line.unsettled_amount,
                line.amount,
                line.accrual_id.move_name or False,
            ]
            for line in lines
        ]
        self._write_table(workbook, _("Rebate Accruals"), columns, rows)
