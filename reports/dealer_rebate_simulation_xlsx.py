# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerRebateSimulationXlsx(models.AbstractModel):
    """A simulation's dealers: the program's rebate, the variant's, the difference."""

    _name = "report.dealer_management.dealer_rebate_simulation_xlsx"
    _description = "Dealer Rebate Simulation XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, lines):
        columns = [
            (_("Simulation"), "text", 24),
            (_("Dealer"), "text", 30),
            (_("Tier"), "text", 8),
            (_("Level"), "text", 18),
            (_("Territory"), "text", 18),
            (_("Net Sales"), "number", 14),
            (_("Program Rebate"), "number", 14),
            (_("Variant Rebate"), "number", 14),
            (_("Variant - Program"), "number", 14),
            (_("Compared Simulation"), "number", 14),
        ]
        rows = [
            [
                line.simulation_id.name,
                line.partner_id.name,
                self._label(line, "tier") or False,
                self._label(line, "level") or False,
                line.territory_id.name or False,
                line.net_amount,
                line.program_amount,
                line.variant_amount,
                line.difference,
                line.compare_amount,
            ]
            for line in lines
        ]
        self._write_table(workbook, _("Rebate Simulation"), columns, rows)
