"""One entry point for every format: `export(fmt, rows, out, ...)`.

Writing is blocking and CPU-bound (a 100,000-row XLSX takes seconds): call it in a
worker thread from async code. `rows` is consumed once, lazily; it must not change
underneath the writer while it runs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, get_args

import attrs

from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import ConversationQuery
from jorged.domain.dashboard.snapshot import DashboardSnapshot
from jorged.exceptions import Invalid
from jorged.exports.columns import PROGRESS_EVERY, BinarySink, iter_progress
from jorged.exports.jsondoc import write_json
from jorged.exports.pdf import PDF_TABLE_LIMIT, write_pdf
from jorged.exports.tabular import write_csv
from jorged.exports.xlsx import write_xlsx

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "ExportFormat",
    "ExportResult",
    "export",
    "export_filename",
    "parse_format",
]

ExportFormat = Literal["csv", "xlsx", "json", "pdf"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

CONTENT_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}


@attrs.frozen(kw_only=True)
class ExportResult:
    """What an export wrote: rows, bytes, and how to name and serve the file."""

    rows: int
    bytes: int
    content_type: str
    filename: str


def parse_format(text: str) -> ExportFormat:
    """The export format named by `text` (case and spaces ignored)."""
    name = text.strip().lower()
    for fmt in FORMATS:
        if fmt == name:
            return fmt
    raise Invalid(
        field="format",
        problem=f"unknown format {text!r}, expected one of {', '.join(FORMATS)}",
    )


def export_filename(fmt: ExportFormat, generated_at: datetime) -> str:
    """The file name of an export made at `generated_at` (its UTC time)."""
    stamp = generated_at.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"conversations-{stamp}.{fmt}"


class _Counted(io.RawIOBase):
    """A write-only, unseekable view of `out` that counts the bytes written."""

    def __init__(self, out: BinarySink) -> None:
        super().__init__()
        self._out = out
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        chunk = data if isinstance(data, bytes) else bytes(data)
        n = len(chunk)
        self._out.write(chunk)
        self.count += n
        return n

    def flush(self) -> None:
        self._out.flush()


def export(
    fmt: str,
    rows: Iterable[ConversationRow],
    out: BinarySink,
    *,
    snapshot: DashboardSnapshot,
    filters: ConversationQuery,
    generated_at: datetime,
    progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    pdf_table_limit: int = PDF_TABLE_LIMIT,
) -> ExportResult:
    """Write `rows` (the rows behind `filters`) to `out` as `fmt`.

    `snapshot` feeds the KPIs of the PDF report; `progress(n)` is called with the
    rows consumed so far, every `progress_every` rows and at the end.
    """
    kind = parse_format(fmt)
    if generated_at.tzinfo is None:
        msg = "generated_at: must carry a time zone"
        raise ValueError(msg)
    if progress is not None:
        rows = iter_progress(rows, progress, every=progress_every)
    counted = _Counted(out)
    match kind:
        case "csv":
            n = write_csv(rows, counted)
        case "xlsx":
            n = write_xlsx(
                rows,
                counted,
                filters=filters,
                generated_at=generated_at,
            )
        case "json":
            n = write_json(
                rows,
                counted,
                filters=filters,
                generated_at=generated_at,
            )
        case "pdf":
            n = write_pdf(
                rows,
                counted,
                snapshot=snapshot,
                filters=filters,
                generated_at=generated_at,
                table_limit=pdf_table_limit,
            )
    counted.flush()
    return ExportResult(
        rows=n,
        bytes=counted.count,
        content_type=CONTENT_TYPES[kind],
        filename=export_filename(kind, generated_at),
    )
