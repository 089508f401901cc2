# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rows of an uploaded spreadsheet: an .xlsx workbook's first sheet (openpyxl, as
Odoo's own import reads it) or a .csv file (UTF-8, with or without a byte-order mark,
or GB18030 as Chinese spreadsheet programs save it; comma, semicolon or tab).

How it works: ``docs/design.md``, section ``tools/spreadsheet.py``."""

import csv
import io
import math
import zipfile

import openpyxl

# what the files of an .xlsx may unpack to (a 5 MB upload may be a zip bomb)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# empty rows read before the file is refused (those between or after the rows)
MAX_EMPTY_ROWS = 10000
# the largest quantity a form or a file may say (no dealer stocks a billion units)
MAX_QUANTITY = 1e9


class SpreadsheetError(ValueError):
    """The file is no spreadsheet this reader knows, or more than it reads."""


def _xlsx_rows(content, max_cols):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(str(error)) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError("the workbook unpacks to more than it may")
    workbook = openpyxl.load_workbook(
        io.BytesIO(content), read_only=True, data_only=True
    )
    try:
        sheet = workbook.worksheets[0]
        # what the sheet declares of its size (A1:XFD1048576 in a 5 KB file) is not
        # read: openpyxl would pad every row to the declared width
        sheet.reset_dimensions()
        yield from sheet.iter_rows(max_col=max_cols, values_only=True)
    finally:
        workbook.close()


def _csv_rows(content):
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
    yield from csv.reader(io.StringIO(text), dialect)


def read_rows(content, filename, max_rows, max_cols):
    """The non-empty rows of the file, numbered as a spreadsheet program numbers
    them: ``[(row number, [values...]), ...]`` (str, int, float or None); at most
    ``max_rows`` of them, of their first ``max_cols`` cells.

    What is read is bounded by these limits, not by what the file declares: at most
    ``max_rows`` rows with something in them and ``MAX_EMPTY_ROWS`` empty rows (a
    sheet may hold empty rows that only carry a format), each of ``max_cols`` cells.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content, max_cols)
    elif name.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise SpreadsheetError("not .xlsx or .csv")
    result = []
    empty = 0
    try:
        for number, row in enumerate(rows, start=1):
            row = list(row[:max_cols])
            if not any(cell not in (None, "") for cell in row):
                empty += 1
                if empty > MAX_EMPTY_ROWS:
                    raise SpreadsheetError(f"more than {MAX_EMPTY_ROWS} empty rows")
                continue
            if len(result) == max_rows:
                raise SpreadsheetError(f"more than {max_rows} rows")
            result.append((number, row))
    except SpreadsheetError:
        raise
    except Exception as error:  # noqa: BLE001 - any fault of the file is the file's
        raise SpreadsheetError(str(error)) from error
    return result


def quantity(cell):
    """(the quantity a cell or a form's field holds, whether it holds one): an empty
    cell is 0; "1,200" is 1200; "nan", "inf" and more than ``MAX_QUANTITY`` are no
    quantity."""
    if cell in (None, "") or isinstance(cell, bool):
        return 0.0, False
    try:
        value = float(
            cell
            if isinstance(cell, int | float)
            else str(cell).replace(",", "").strip()
        )
    except (ValueError, OverflowError):
        return 0.0, False
    if not math.isfinite(value) or abs(value) > MAX_QUANTITY:
        return 0.0, False
    return value, True


def read_quantity_rows(content, filename, max_rows, quantities):
    """The rows of a sheet of (reference, name, ``quantities`` numbers): ``[(row
    number, reference, name, [quantities], [cells that are no number])]``, the
    reference and name stripped; a first row without any number (the headings) is
    skipped; an empty quantity is 0."""
    width = 2 + quantities
    lines = read_rows(content, filename, max_rows, width)
    if lines and not any(quantity(cell)[1] for cell in lines[0][1][2:width]):
        lines = lines[1:]
    result = []
    for number, cells in lines:
        cells = (cells + [None] * width)[:width]
        figures = [quantity(cell) for cell in cells[2:]]
        wrong = [
            cell
            for cell, (_value, is_number) in zip(cells[2:], figures, strict=True)
            if not is_number and cell not in (None, "")
        ]
        reference, name = (str(cell or "").strip() for cell in cells[:2])
        result.append((number, reference, name, [v for v, _n in figures], wrong))
    return result
