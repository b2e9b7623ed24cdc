"""`GET /api/export/conversations.{csv,xlsx,json,pdf}?<filters>`: the file of the
rows behind a conversation filter.

The route makes a `WriteExport` command; `jorged.exports.files` writes the file in
the state directory (and its audit entry in `audit:exports`), which is streamed and
removed. `jorgectl export` and the dashboard's download button use the same file
writer through their own commands.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from jorged.bridge import TrioGuest
from jorged.commands import WriteExport
from jorged.exceptions import ActorError, RequestError
from jorged.runtime import Runtime
from jorged.web.auth import api_gate
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, request_error


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
            command = WriteExport(format=fmt, params=params, user=who)
            written = await guest.run(runtime.commands.run, command)
        except RequestError as exc:
            return request_error(exc)
        except ActorError as exc:
            return error_response(503, str(exc))
        return FileResponse(
            written.path,
            media_type=written.result.content_type,
            filename=written.result.filename,
            headers={"X-Rows": str(written.result.rows)},
            background=BackgroundTask(written.path.unlink, missing_ok=True),
        )

    api.add_api_route(
        "/api/export/conversations.{fmt}",
        export_route,
        methods=["GET"],
        include_in_schema=False,
    )
