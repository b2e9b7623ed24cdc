"""Exports of the rows behind a conversation filter, for the API, the UI and jorgectl.

`GET /api/export/conversations.{csv,xlsx,json,pdf}?<filters>` answers the file. The
rows are taken from the aggregator on trio's thread as a list of references to its
frozen rows (no copy of the data), then written in a worker thread to a file in the
state directory, which is streamed and removed. Every export is written to the audit
stream `audit:exports` (who, when, filter, rows, format), shown on the health page.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import trio
from fastapi import FastAPI
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from jorged.bridge import TrioGuest
from jorged.config import Config
from jorged.control.server import Handler
from jorged.domain.aggregate_params import parse_query
from jorged.exceptions import ActorError, BadRequest
from jorged.exports import ExportResult, export, parse_format
from jorged.runtime import Runtime, Services
from jorged.web.auth import api_gate, bad_request
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response

AUDIT_STREAM = "audit:exports"
AUDIT_MAXLEN = 10_000


async def export_to_file(
    services: Services,
    state_dir: Path,
    fmt_text: str,
    params: Mapping[str, Any],
    user: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[Path, ExportResult]:
    """Write the export to a new file in the state directory (a trio coroutine)."""
    fmt = parse_format(fmt_text)
    filters = {k: v for k, v in params.items() if k not in ("page", "page_size")}
    query = parse_query(filters)
    rows = list(services.data.rows(filters))
    snapshot = services.data.dashboard_snapshot()
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
    await services.store.stream_append(
        AUDIT_STREAM, orjson.dumps(entry), maxlen=AUDIT_MAXLEN
    )
    return path, result


async def export_bytes(
    runtime: Runtime,
    guest: TrioGuest,
    fmt: str,
    params: Mapping[str, Any],
    user: str,
) -> bytes:
    """The whole export in memory (the dashboard's download button)."""
    path, _result = await guest.run(
        export_to_file, runtime.services(), runtime.cfg.state_dir(), fmt, params, user
    )
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    limiter = RateLimiter(rate=runtime.cfg.api.rate_per_client_per_minute)

    async def export_route(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        refusal = api_gate(request, runtime.cfg.api, limiter)
        if refusal is not None:
            return refusal
        params: dict[str, Any] = {}
        for key in request.query_params:
            values = request.query_params.getlist(key)
            params[key] = values[0] if len(values) == 1 else values
        who = "api:" + (request.client.host if request.client else "-")
        try:
            services = runtime.services()
            path, result = await guest.run(
                export_to_file, services, runtime.cfg.state_dir(), fmt, params, who
            )
        except BadRequest as exc:
            return bad_request(exc)
        except ActorError as exc:
            return error_response(503, str(exc))
        return FileResponse(
            path,
            media_type=result.content_type,
            filename=result.filename,
            headers={"X-Rows": str(result.rows)},
            background=BackgroundTask(path.unlink, missing_ok=True),
        )

    api.add_api_route(
        "/api/export/conversations.{fmt}",
        export_route,
        methods=["GET"],
        include_in_schema=False,
    )


def export_commands(
    services: Services, cfg: Callable[[], Config]
) -> dict[str, Handler]:
    """`jorgectl export`: start an export, then fetch it in chunks."""
    pending: dict[str, tuple[Path, ExportResult, float]] = {}
    chunk = 512 * 1024

    async def start(args: Mapping[str, Any]) -> Any:
        fmt = args.get("format")
        if not isinstance(fmt, str):
            raise BadRequest(field="format", problem="one of csv, xlsx, json, pdf")
        filters = args.get("filters", {})
        if not isinstance(filters, dict):
            raise BadRequest(field="filters", problem="must be an object")
        path, result = await export_to_file(
            services, cfg().state_dir(), fmt, filters, "jorgectl"
        )
        ident = path.name
        pending[ident] = (path, result, time.monotonic())
        return {
            "id": ident,
            "rows": result.rows,
            "bytes": result.bytes,
            "filename": result.filename,
        }

    async def fetch(args: Mapping[str, Any]) -> Any:
        ident = args.get("id")
        offset = args.get("offset", 0)
        if not isinstance(ident, str) or ident not in pending:
            raise BadRequest(field="id", problem="no such export")
        if not isinstance(offset, int) or offset < 0:
            raise BadRequest(field="offset", problem="a byte offset")
        path, _result, _started = pending[ident]
        async with await trio.open_file(path, "rb") as f:
            await f.seek(offset)
            data = await f.read(chunk)
        if not data:
            pending.pop(ident)
            await trio.Path(path).unlink(missing_ok=True)
        return {"data": data.hex(), "done": not data}

    return {"export_start": start, "export_fetch": fetch}
