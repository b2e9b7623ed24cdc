"""JSON responses rendered with orjson, and the error shape every route uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from jorged.exceptions import Conflict, NotFound, RequestError


def json_response(
    body: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS),
        status_code=status_code,
        media_type="application/json",
        headers=dict(headers) if headers else None,
    )


def error_response(
    status_code: int,
    message: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`{"error": message, "field": field}`: what went wrong, and where."""
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return json_response(body, status_code, headers)


def request_error(exc: RequestError) -> Response:
    """The answer to a request that cannot be done, by the error's kind: 404 for
    `NotFound`, 409 for `Conflict`, and for `Invalid` 400 when the body is not a
    JSON object, 422 naming any other field."""
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, Conflict):
        status = 409
    else:
        status = 400 if exc.field == "body" else 422
    return error_response(status, exc.problem, field=exc.field)
