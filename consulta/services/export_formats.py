"""Writing rows as CSV, JSON and XLSX that spreadsheets open safely and with accents intact.

CSV and JSON are generators (a response streams them chunk by chunk); XLSX is a zip archive, so
openpyxl's write-only mode builds it in a spooled temporary file instead of in memory.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"  # without it Excel reads UTF-8 CSV as Windows-1252 and breaks every accent
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(header: list[str], rows: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([neutralise(row.get(key, "")) for key in header])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, one object per line, written as the rows arrive."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False, default=str)
        first = False
    yield "\n]\n"


def xlsx_file(sheets: Iterable[tuple[str, list[str], Iterable[dict]]]):
    """A finished workbook in a temporary file (rewound), one sheet per (title, header, rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([_xlsx_value(row.get(key, "")) for key in header])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(out)
    out.seek(0)
    return out


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl stores any string starting with "=" as a formula: neutralise first.
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value
