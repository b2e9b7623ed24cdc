"""XLSX exports, written as the workbook's XML straight into the zip, row by row.

An XLSX file is a zip of XML parts. The rows sheet is written into the zip as the
rows come, in batches, so memory stays flat and no temporary copy is made.
openpyxl's write-only mode does the same but builds a cell object and an XML
element per value (about 100 µs a row, 10 s for 100,000 rows); here a row is one
string (a few µs). openpyxl still reads these files back in the tests.

Sheet "Conversations" has a frozen header row and typed cells: numbers as numbers,
times as dates in UTC (numbers with a date style, as Excel stores them), text as
inline strings, which a spreadsheet shows as written and never runs as a formula.
Characters XML cannot carry (control characters but tab and newlines) are dropped.
Sheet "Export" holds the time of the export, the number of rows and the filters.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime

from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import ConversationQuery
from jorged.exports.columns import (
    COLUMNS,
    BinarySink,
    Cell,
    describe_filters,
    labelled_cells,
    utc_naive,
)

__all__ = ["excel_serial", "write_xlsx"]


@functools.cache
def _letters() -> tuple[str, ...]:
    """The column letters of the rows sheet (openpyxl, slow to import, loads
    when a workbook is made rather than on every start of the daemon)."""
    from openpyxl.utils import get_column_letter

    return tuple(get_column_letter(i) for i in range(1, len(COLUMNS) + 1))


#: Rows of sheet XML gathered before one write into the zip.
_BATCH = 256
#: Column widths of the rows sheet, in characters.
_WIDTHS = (24, 20, 16, 12, 12, 22, 11, 11, 11, 11, 13, 10, 10, 10, 20, 20, 10)
_ABOUT_WIDTHS = (22, 40)
#: Style index (in `_STYLES`) of a date and time cell.
_DATE_STYLE = 1
#: Excel's day 0 (Windows epoch, with its 1900 leap-year bug before day 61).
_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 (Excel times have no zone)
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_TYPE}.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" '
    f'ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    "<bookViews><workbookView/></bookViews><sheets>"
    '<sheet name="Conversations" sheetId="1" r:id="rId1"/>'
    '<sheet name="Export" sheetId="2" r:id="rId2"/>'
    "</sheets></workbook>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/>'
    "</numFmts>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_FROZEN_HEADER = (
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
)


def excel_serial(moment: datetime) -> float:
    """A naive time as Excel's day number (what openpyxl writes for it)."""
    days = (moment - _EPOCH).days
    if 0 < days <= 60:  # Excel counts a 1900-02-29 that never was, as day 60
        days -= 1
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return days + (seconds + moment.microsecond / 10**6) / 86400


def _text(value: str) -> str:
    if _SPECIAL.search(value) is not None:
        value = _ILLEGAL.sub("", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = value.replace("\r", "&#13;")
    return value


def _row(number: int, values: Sequence[Cell]) -> str:
    """Row `number` (from 1) of a sheet: one cell per value, none for empty ones."""
    parts = [f'<row r="{number}">']
    for letter, value in zip(_letters(), values, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            parts.append(
                f'<c r="{letter}{number}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{_text(value)}</t></is></c>'
            )
        elif isinstance(value, datetime):
            parts.append(
                f'<c r="{letter}{number}" s="{_DATE_STYLE}">'
                f"<v>{excel_serial(value)!r}</v></c>"
            )
        elif isinstance(value, bool):
            parts.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
        else:
            parts.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def _sheet_head(widths: Sequence[int], *, frozen: bool) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate(widths, start=1)
    )
    views = _FROZEN_HEADER if frozen else ""
    return f'{_HEAD}<worksheet xmlns="{_MAIN}">{views}<cols>{cols}</cols><sheetData>'


_SHEET_TAIL = "</sheetData></worksheet>"


class _Zipped:
    """`out` as the file zipfile writes to; unseekable, and left open at the end."""

    def __init__(self, out: BinarySink) -> None:
        self._out = out

    def write(self, data: bytes, /) -> int:
        self._out.write(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """The caller owns `out` and closes it."""


def write_xlsx(
    rows: Iterable[ConversationRow],
    out: BinarySink,
    *,
    filters: ConversationQuery,
    generated_at: datetime,
) -> int:
    """Write the rows and an export sheet as an XLSX workbook; the number of rows."""
    n = 0
    with zipfile.ZipFile(_Zipped(out), "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            batch = [
                _sheet_head(_WIDTHS, frozen=True),
                _row(1, [header for _, header in COLUMNS]),
            ]
            for row in rows:
                n += 1
                batch.append(_row(n + 1, labelled_cells(row)))
                if len(batch) >= _BATCH:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            batch.append(_SHEET_TAIL)
            sheet.write("".join(batch).encode())
        about: list[Sequence[Cell]] = [
            ("Generated at (UTC)", utc_naive(generated_at)),
            ("Rows", n),
            *describe_filters(filters),
        ]
        book.writestr(
            "xl/worksheets/sheet2.xml",
            _sheet_head(_ABOUT_WIDTHS, frozen=False)
            + "".join(_row(i, values) for i, values in enumerate(about, start=1))
            + _SHEET_TAIL,
        )
    return n
