"""The control socket's wire format: one JSON object per line, each way.

Request:  {"cmd": "status", "args": {...}}
Response: {"ok": true, "result": ...} or {"ok": false, "error": "...", "code": 1|2}
(code 2: the request was wrong; code 1: the daemon could not do it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import orjson

from jorged.exceptions import Invalid

MAX_LINE = 64 * 1024


@attrs.frozen(kw_only=True)
class Envelope:
    """One request line: the command's name and its arguments (`commands.wire` reads
    them into a command)."""

    cmd: str
    args: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Response:
    ok: bool
    result: Any = None
    error: str | None = None
    code: int = 0

    def encode(self) -> bytes:
        body: dict[str, Any] = {"ok": self.ok}
        if self.ok:
            body["result"] = self.result
        else:
            body["error"] = self.error
            body["code"] = self.code
        return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS) + b"\n"


def decode_request(line: bytes) -> Envelope:
    """Parse one request line, or raise Invalid naming what is wrong."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise Invalid(field="request", problem="not valid JSON") from None
    if not isinstance(data, dict):
        raise Invalid(field="request", problem="must be a JSON object")
    cmd = data.get("cmd")
    if not isinstance(cmd, str) or not cmd:
        raise Invalid(field="cmd", problem="required, a command name")
    args = data.get("args", {})
    if not isinstance(args, dict):
        raise Invalid(field="args", problem="must be a JSON object")
    return Envelope(cmd=cmd, args=args)


def decode_response(line: bytes) -> Response:
    data = orjson.loads(line)
    return Response(
        ok=bool(data.get("ok")),
        result=data.get("result"),
        error=data.get("error"),
        code=int(data.get("code", 0)),
    )
