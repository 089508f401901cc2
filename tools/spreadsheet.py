# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rows of an uploaded spreadsheet: an .xlsx workbook's first sheet (openpyxl, as
Odoo's own import reads it) or a .csv file (UTF-8, with or without a byte-order mark,
or GB18030 as Chinese spreadsheet programs save it; comma, semicolon or tab)."""

import csv
import io
import zipfile

import openpyxl


class SpreadsheetError(ValueError):
    """The file is no spreadsheet this reader knows."""


def read_rows(content, filename):
    """The rows of the file, each a list of cell values (str, int, float or None),
    the empty rows left out: ``[(row number, [values...]), ...]``."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise SpreadsheetError(str(error)) from error
        rows = workbook.worksheets[0].iter_rows(values_only=True)
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError("unknown encoding")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = csv.reader(io.StringIO(text), dialect)
    else:
        raise SpreadsheetError("not .xlsx or .csv")
    return [
        (number, list(row))
        for number, row in enumerate(rows, start=1)
        if any(cell not in (None, "") for cell in row)
    ]
