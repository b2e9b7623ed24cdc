"""An export written to a file in the state directory, and noted in the audit stream.

`export_to_file` is what `jorgectl export` (through `FetchExport`), the API's
`/api/export` and the dashboard's download button share: the rows behind the
filters, written in a thread, then one audit entry (who, when, what, how much)
in `audit:exports`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import trio

from jorged.domain.dashboard.params import parse_query
from jorged.exports.export import ExportResult, export, parse_format

if TYPE_CHECKING:
    from jorged.queries import DataService
    from jorged.store.store_protocol import Store

__all__ = ["AUDIT_MAXLEN", "AUDIT_STREAM", "export_to_file"]

AUDIT_STREAM = "audit:exports"
AUDIT_MAXLEN = 10_000


async def export_to_file(
    data: DataService,
    store: Store,
    *,
    state_dir: Path,
    fmt_text: str,
    params: Mapping[str, Any],
    user: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[Path, ExportResult]:
    """Write the export to a new file in the state directory (a trio coroutine)."""
    fmt = parse_format(fmt_text)
    filters = {k: v for k, v in params.items() if k not in ("page", "page_size")}
    query = parse_query(filters)
    rows = list(data.rows(filters))
    snapshot = data.dashboard_snapshot()
    generated_at = datetime.now(UTC)
    directory = state_dir / "exports"
    await trio.Path(directory).mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="export-", suffix=f".{fmt}", dir=directory)
    path = Path(name)

    def write() -> ExportResult:
        with os.fdopen(fd, "wb") as out:
            return export(
                fmt,
                rows,
                out,
                snapshot=snapshot,
                filters=query,
                generated_at=generated_at,
                progress=progress,
            )

    try:
        result = await trio.to_thread.run_sync(write)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # noqa: PTH108 - a plain syscall on the error path
        raise
    entry = {
        "at": generated_at.isoformat(),
        "user": user,
        "format": fmt,
        "filters": {k: str(v) for k, v in filters.items()},
        "rows": result.rows,
        "bytes": result.bytes,
    }
    await store.stream_append(AUDIT_STREAM, orjson.dumps(entry), maxlen=AUDIT_MAXLEN)
    return path, result
