"""CSV exports, written one row at a time.

CSV is UTF-8 with a byte order mark (so spreadsheet programs read accents and
emoji right), comma-separated, fields quoted when needed, CRLF line ends. A
contact id, name or phone that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a plain phone
number) gets a leading apostrophe, so opening an export never runs what a contact typed.

"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from jorged.domain.dashboard.facts import ConversationRow
from jorged.exports.columns import (
    CSV_HEADERS,
    BinarySink,
    csv_texts,
)

__all__ = ["write_csv"]

#: Rows of CSV text gathered before one write to the output.
_CSV_BATCH = 256
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns holding text a contact or an agent typed (id, name, phone).
_FREE_TEXT = (0, 1, 2)
_PHONE_LIKE = re.compile(r"^[+\-]?[\d\s().-]+$")


def _csv_safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PHONE_LIKE.match(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[ConversationRow], out: BinarySink) -> int:
    """Write a header and every row of `rows` to `out`; the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    out.write(b"\xef\xbb\xbf")
    n = 0
    for row in rows:
        values = csv_texts(row)
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
