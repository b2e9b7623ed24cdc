"""The JSON export: one document, written a row at a time.

    {"generated_at": "...", "filters": {...}, "rows": [
    {...},
    {...}
    ], "row_count": 2}

`filters` holds the query parameters of the export (`filter_params`), each row the
same shape as an item of `GET /api/conversations`, and `row_count` the number of
rows (it comes last because it is known only when the rows are written).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import orjson

from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import ConversationQuery
from jorged.exports.columns import BinarySink, filter_params
from jorged.store.codec import to_jsonable

__all__ = ["write_json"]

#: Rows encoded before one write to the output.
_BATCH = 256


def write_json(
    rows: Iterable[ConversationRow],
    out: BinarySink,
    *,
    filters: ConversationQuery,
    generated_at: datetime,
) -> int:
    """Write the export document of `rows` to `out`; the number of rows."""
    head = orjson.dumps(
        {
            "generated_at": generated_at.astimezone(UTC).isoformat(),
            "filters": filter_params(filters),
        }
    )
    out.write(head[:-1] + b',"rows":[')
    n = 0
    batch: list[bytes] = []
    for row in rows:
        batch.append(orjson.dumps(to_jsonable(row)))
        n += 1
        if len(batch) == _BATCH:
            _flush(out, batch, first=n == _BATCH)
    _flush(out, batch, first=n <= _BATCH)
    out.write(b"\n" if n else b"")
    out.write(b'],"row_count":' + str(n).encode() + b"}\n")
    return n


def _flush(out: BinarySink, batch: list[bytes], *, first: bool) -> None:
    """Write the encoded rows of `batch` (after a comma unless they come first)."""
    if batch:
        out.write((b"\n" if first else b",\n") + b",\n".join(batch))
        batch.clear()
