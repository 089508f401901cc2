# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the XLSX exports share: one sheet, a bold header row that stays frozen, filters
on, numbers written as numbers with a format and dates as dates."""

from odoo import models

FORMATS = {
    "text": {},
    "int": {"num_format": "0"},
    "number": {"num_format": "#,##0.00"},
    "percent": {"num_format": "0.00"},
    "date": {"num_format": "yyyy-mm-dd"},
}


class DealerXlsxTable(models.AbstractModel):
    _name = "report.dealer_management.xlsx_table"
    _description = "Dealer XLSX Table"
    _inherit = "report.report_xlsx.abstract"

    def _write_table(self, workbook, sheet_name, columns, rows):
        """``columns``: [(header, kind, width)]; ``rows``: lists of values (False or
        None for an empty cell)."""
        sheet = workbook.add_worksheet(sheet_name[:31])
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        formats = {kind: workbook.add_format(spec) for kind, spec in FORMATS.items()}
        for col, (title, _kind, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, header)
        for row_index, row in enumerate(rows, start=1):
            for col, ((_title, kind, _width), value) in enumerate(
                zip(columns, row, strict=False)
            ):
                if value is False or value is None:
                    continue
                if kind == "date":
                    sheet.write_datetime(row_index, col, value, formats["date"])
                elif kind in ("int", "number", "percent"):
                    sheet.write_number(row_index, col, value, formats[kind])
                else:
                    sheet.write_string(row_index, col, str(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
        return sheet

    @staticmethod
    def _label(record, field_name):
        """The label of a selection value, in the user's language."""
        value = record[field_name]
        if not value:
            return False
        return dict(record._fields[field_name]._description_selection(record.env))[
            value
        ]
