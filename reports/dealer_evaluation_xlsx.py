# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class DealerEvaluationXlsx(models.AbstractModel):
    """Evaluations with their lines: a row per criterion."""

    _name = "report.dealer_management.dealer_evaluation_xlsx"
    _description = "Dealer Evaluations XLSX"
    _inherit = "report.dealer_management.xlsx_table"

    def generate_xlsx_report(self, workbook, data, evaluations):
        columns = [
            (_("Dealer"), "text", 30),
            (_("Period Start"), "date", 12),
            (_("Period End"), "date", 12),
            (_("Status"), "text", 10),
            (_("Score"), "number", 8),
            (_("Grade"), "text", 6),
            (_("Decision"), "text", 12),
            (_("Group"), "text", 18),
            (_("Criterion"), "text", 28),
            (_("Weight"), "number", 8),
            (_("Line Score"), "int", 8),
            (_("Max"), "int", 6),
            (_("Measured Value"), "number", 12),
            (_("Measured From"), "text", 50),
        ]
        rows = []
        for evaluation in evaluations:
            for line in evaluation.line_ids:
                rows.append(
                    [
                        evaluation.partner_id.name,
                        evaluation.date_start,
                        evaluation.date_end,
                        self._label(evaluation, "state"),
                        evaluation.score,
                        evaluation.grade,
                        self._label(evaluation, "decision"),
                        self._label(line, "criterion_group"),
                        line.criterion_id.name,
                        line.weight,
                        line.score,
                        line.scale_max,
                        line.measured_value if line.source != "manual" else False,
                        line.measure_basis,
                    ]
                )
        self._write_table(workbook, _("Evaluations"), columns, rows)
