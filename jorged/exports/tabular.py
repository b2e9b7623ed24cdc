"""CSV and XLSX exports, written one row at a time.

CSV is UTF-8 with a byte order mark (so spreadsheet programs read accents and
emoji right), comma-separated, fields quoted when needed, CRLF line ends. A
contact id, name or phone that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a plain phone
number) gets a leading apostrophe, so opening an export never runs what a contact typed.

XLSX is an openpyxl write-only workbook: rows go to a temporary file as they come,
so memory stays flat. Sheet "Conversations" has a header row and typed cells
(numbers as numbers, times as dates in UTC); every text cell is stored as text,
never as a formula. Sheet "Export" holds the filters, the time of the export and
the number of rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from jorged.domain.aggregate import ConversationQuery, ConversationRow
from jorged.exports.columns import (
    COLUMNS,
    BinarySink,
    cells,
    describe_filters,
    texts,
    utc_naive,
)

__all__ = ["write_csv", "write_xlsx"]

#: Rows of CSV text gathered before one write to the output.
_CSV_BATCH = 256
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns holding text a contact or an agent typed (id, name, phone).
_FREE_TEXT = (0, 1, 2)
_PHONE_LIKE = re.compile(r"^[+\-]?[\d\s().-]+$")
#: Column widths of the XLSX sheet, in characters.
_WIDTHS = (24, 20, 16, 12, 12, 22, 11, 11, 13, 10, 10, 10, 20, 20)


def _csv_safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PHONE_LIKE.match(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[ConversationRow], out: BinarySink) -> int:
    """Write a header and every row of `rows` to `out`; the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in COLUMNS])
    out.write(b"\xef\xbb\xbf")
    n = 0
    for row in rows:
        values = texts(row)
        for i in _FREE_TEXT:
            values[i] = _csv_safe(values[i])
        writer.writerow(values)
        n += 1
        if n % _CSV_BATCH == 0:
            out.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode())
    return n


def _xlsx_cell(sheet: Any, value: object) -> object:
    """A cell value for openpyxl, with text that must not become a formula."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def write_xlsx(
    rows: Iterable[ConversationRow],
    out: BinarySink,
    *,
    filters: ConversationQuery,
    generated_at: datetime,
) -> int:
    """Write the rows and an export sheet as an XLSX workbook; the number of rows."""
    book = Workbook(write_only=True)
    saved = False
    try:
        sheet = book.create_sheet("Conversations")
        for i, width in enumerate(_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([header for _, header in COLUMNS])
        n = 0
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in cells(row)])
            n += 1
        about = book.create_sheet("Export")
        about.column_dimensions["A"].width = 22
        about.column_dimensions["B"].width = 40
        about.append(["Generated at (UTC)", utc_naive(generated_at)])
        about.append(["Rows", n])
        for name, value in describe_filters(filters):
            about.append([name, _xlsx_cell(about, value)])
        book.save(out)
        saved = True
    finally:
        if not saved:
            _discard(book)
    return n


def _discard(book: Workbook) -> None:
    """Close and delete the temporary sheet files of a workbook that was not saved."""
    for sheet in book.worksheets:
        writer = sheet._writer  # noqa: SLF001 (openpyxl keeps no public handle)
        if writer is None:
            continue
        try:
            if not sheet.closed:
                sheet.close()
        finally:
            if Path(writer.out).exists():
                writer.cleanup()
