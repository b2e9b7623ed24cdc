"""What each route of the HTTP interface takes and answers, as OpenAPI operations.

`operations(window_hours, year)` is the table `jorged.web.openapi` puts on the routes:
(method, path) -> summary, status, answers with their schemas, parameters, body and
security. The handlers read their own parameters from the request (so each names a
bad one in its own words); the schemas here say exactly what they accept, down to
the spaces Python strips and the empty values that count as not given, because the
suite fuzzes every operation against a running daemon (schemathesis) and checks
that valid input is taken and invalid input refused.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import available_timezones

from jorged.domain.contact_ids import PATTERN as CONTACT_PATTERN
from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard import query as aq
from jorged.domain.leads.analysis import TimelineBucket
from jorged.web import webhook_schema
from jorged.web.webhook_schema import NON_SPACE, SPACE

__all__ = ["OPENAPI_PATH", "operations"]

OPENAPI_PATH = "/api/openapi.json"

Json = dict[str, Any]

_ERROR: Json = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "field": {"type": "string"}},
}
_WHY = {
    400: "The body is not JSON, or not a JSON object.",
    401: "The Authorization bearer token is missing or wrong.",
    403: "A state change from another site (jorged.web.guard).",
    421: "The Host header names no address of this daemon (jorged.web.guard).",
    404: "No such contact (or no analysis for it).",
    405: "The path is served, not for this method.",
    409: "The contact is already in qualification.",
    413: "The body is larger than web.max_body_bytes.",
    422: "A parameter or field is invalid; `field` names it.",
    429: "Too many requests; retry after the Retry-After seconds.",
    503: "The daemon is starting or stopping.",
}
_RETRY_AFTER: Json = {"Retry-After": {"schema": {"type": "string"}}}
_YEARS = r"^(19[7-9][0-9]|20[0-9][0-9])-"
_DATE: Json = {
    "anyOf": [
        {"type": "string", "format": "date-time", "pattern": _YEARS},
        {"type": "string", "format": "date", "pattern": _YEARS},
    ]
}
_CONTACT: Json = {"type": "string", "pattern": CONTACT_PATTERN}
_OBJECT: Json = {"type": "object"}
_CONVERSATION: Json = {
    "type": "object",
    "required": ["contact_id", "stage", "temperature", "flags", "slots", "transcript"],
    "properties": {
        "contact_id": {"type": "string"},
        "stage": {"type": "string"},
        "temperature": {"type": "string"},
        "flags": {"type": "object"},
        "slots": {"type": "object"},
        "transcript": {"type": "array", "items": {"type": "object"}},
    },
}
_EVENT: Json = {
    "type": "object",
    "required": ["id", "kind", "at", "contact_id", "data"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string"},
        "at": {"type": "string"},
        "contact_id": {"type": ["string", "null"]},
        "data": {"type": "object"},
    },
}


def _items(item: Json) -> Json:
    return {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": item}},
    }


#: A query value of only spaces is ignored, as if not given.
_BLANK: Json = {"type": "string", "pattern": f"^[{SPACE}]*$"}


def _query(name: str, schema: Json, *, blank: bool = True) -> Json:
    """An optional query parameter. With `blank`, an empty value (or null, which is
    sent empty) counts as not given; a list parameter also takes one text item."""
    param: Json = {"name": name, "in": "query", "required": False}
    if schema.get("type") == "array":
        one = schema["items"]
        schema = {"anyOf": [schema, one, {"type": "null"}]}
        return param | {"schema": schema, "style": "form", "explode": True}
    if blank:
        schema = {"anyOf": [_BLANK, {"type": "null"}, schema]}
    return param | {"schema": schema}


def _path(name: str, schema: Json) -> Json:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _alternatives(words: list[str], *, fold: bool) -> str:
    """A regex matching any of `words`, in any ASCII case when `fold`."""

    def word(text: str) -> str:
        return "".join(
            f"[{c.lower()}{c.upper()}]" if fold and c.isalpha() else re.escape(c)
            for c in text
        )

    return "(?:" + "|".join(word(w) for w in words) + ")"


def _choice(words: list[str], *, fold: bool = True) -> Json:
    """One of `words`, spaces around it ignored (as `params` reads it)."""
    return {
        "type": "string",
        "pattern": f"^[{SPACE}]*{_alternatives(words, fold=fold)}[{SPACE}]*$",
    }


def _set(words: list[str]) -> Json:
    """Repeated or comma-separated choices; empty items are ignored."""
    one = f"(?:[{SPACE}]*{_alternatives(words, fold=True)})?[{SPACE}]*"
    return {
        "type": "array",
        "items": {"type": "string", "pattern": rf"^{one}(?:,{one})*$"},
    }


def _int(low: int, high: int) -> Json:
    return {"type": "integer", "minimum": low, "maximum": high}


_FILTERS: list[Json] = [
    _query("temperature", _set([t.value for t in Temperature])),
    _query("stage", _set([s.value for s in Stage])),
    _query("timeline", _set([t.value for t in TimelineBucket])),
    *(
        _query(name, _choice(["true", "false", "1", "0", "yes", "no"]))
        for name in ("stalled", "paused", "opted_out")
    ),
    _query("since", _DATE),
    _query("until", _DATE),
    _query("price_min", _int(0, aq.MAX_PRICE)),
    _query("price_max", _int(0, aq.MAX_PRICE)),
    _query("q", {"type": "string", "maxLength": aq.MAX_QUERY_TEXT}),
    _query("sort", _choice([f.value for f in aq.SortField], fold=False)),
    _query("order", _choice(["asc", "desc"])),
]
_PAGE: list[Json] = [
    _query("page", _int(1, aq.MAX_PAGE)),
    _query("page_size", _int(1, aq.MAX_PAGE_SIZE)),
]
_EXPORT_TYPES = {
    "text/csv; charset=utf-8": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "application/json": {"schema": {}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
}


def _op(
    summary: str,
    ok: Json | None,
    errors: tuple[int, ...],
    *,
    status: int = 200,
    params: list[Json] | None = None,
    body: Json | None = None,
    content: Json | None = None,
    secured: bool = True,
) -> Json:
    """One operation's documentation: the route attributes it sets."""
    answers: dict[int | str, Json] = {
        status: {
            "description": summary,
            "content": content or {"application/json": {"schema": ok or _OBJECT}},
        }
    }
    for code in (401, 403, 421, 429, *errors) if secured else errors:
        answer: Json = {
            "description": _WHY[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
        if code in {429, 503}:
            answer["headers"] = _RETRY_AFTER if code == 429 else {}
        answers[code] = answer
    extra: Json = {"parameters": params or []}
    if body is not None:
        extra["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    extra["security"] = [{"bearer": []}] if secured else []
    return {"summary": summary, "status": status, "responses": answers, "extra": extra}


def _not_ready(doc: Json, content: Json) -> Json:
    """`doc` with its own 503 answer (not the error shape)."""
    doc["responses"][503] = {"description": _WHY[503], "content": content}
    return doc


_READY: Json = {"type": "object", "required": ["ready", "draining", "actors"]}
_CONTACT_PATH = [_path("contact_id", _CONTACT)]
_COMMAND_ERRORS = (404, 422, 503)


def operations(window_hours: int, year: int) -> dict[tuple[str, str], Json]:
    """(method, path) -> what the route's documentation says (see `_op`);
    `window_hours` bounds the time series (`tracker.window_hours`), `year` (this
    year) the dates of webhooks (`webhook_schema.body`)."""
    webhook_body = webhook_schema.body(year)
    return {
        ("GET", "/healthz"): _op(
            "The process runs.",
            {"type": "object", "required": ["status"]},
            (),
            secured=False,
        ),
        ("GET", "/readyz"): _not_ready(
            _op(
                "Every actor is up (503 with the same body while not).",
                _READY,
                (421,),
                secured=False,
            ),
            {"application/json": {"schema": _READY}},
        ),
        ("GET", "/metrics"): _not_ready(
            _op(
                "The tracker in Prometheus text format.",
                None,
                (421,),
                content={"text/plain; version=0.0.4; charset=utf-8": {"schema": {}}},
                secured=False,
            ),
            {"text/plain; charset=utf-8": {"schema": {"type": "string"}}},
        ),
        ("GET", OPENAPI_PATH): _op("This document.", None, ()),
        ("GET", "/api/dashboard"): _op(
            "Hero KPIs, summary, distributions.", None, (503,)
        ),
        ("GET", "/api/conversations"): _op(
            "One page of the filtered, sorted conversation list.",
            {
                "type": "object",
                "required": ["items", "total", "page", "page_size", "pages"],
                "properties": {
                    "items": {"type": "array", "items": _OBJECT},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "page_size": {"type": "integer"},
                    "pages": {"type": "integer"},
                },
            },
            (422, 503),
            params=_FILTERS + _PAGE,
        ),
        ("POST", "/api/conversations"): _op(
            "Start qualifying a contact.",
            _CONVERSATION,
            (400, 409, 422, 503),
            status=201,
            body={
                "type": "object",
                "required": ["contact_id"],
                "properties": {
                    "contact_id": _CONTACT,
                    "first_name": {"type": ["string", "null"], "maxLength": 128},
                    "phone": {"type": ["string", "null"], "maxLength": 32},
                    "timezone": {
                        "type": ["string", "null"],
                        "enum": [None, "", *sorted(available_timezones())],
                    },
                },
            },
        ),
        ("GET", "/api/conversations/{contact_id}"): _op(
            "One conversation.",
            _CONVERSATION,
            (404, 422, 503),
            params=_CONTACT_PATH,
        ),
        ("DELETE", "/api/conversations/{contact_id}"): _op(
            "Forget the contact and everything stored about it.",
            {"type": "object", "required": ["forgotten"]},
            _COMMAND_ERRORS,
            params=_CONTACT_PATH,
        ),
        **{
            ("POST", f"/api/conversations/{{contact_id}}/{name}"): _op(
                f"{name.capitalize()} the conversation.",
                _CONVERSATION,
                _COMMAND_ERRORS,
                params=_CONTACT_PATH,
            )
            for name in ("pause", "resume", "restart", "stop")
        },
        ("GET", "/api/outbox"): _op(
            "Outbound actions and their status, oldest first.",
            _items(_OBJECT),
            (422, 503),
            params=[_query("contact_id", _CONTACT, blank=False)],
        ),
        ("GET", "/api/metrics/performance"): _op(
            "Latency percentiles, rates and totals.", None, (503,)
        ),
        ("GET", "/api/metrics/timeseries"): _op(
            "One point per hour over the last `hours`.",
            {"type": "object", "required": ["hours", "points"]},
            (422, 503),
            params=[_query("hours", _int(1, window_hours))],
        ),
        ("GET", "/api/events"): _op(
            "Stored events after the stream id `since` (else the latest), oldest first",
            _items(_EVENT),
            (422, 503),
            params=[
                _query(
                    "since",
                    {"type": "string", "pattern": r"^[0-9]{1,20}(-[0-9]{1,20})?$"},
                ),
                _query("limit", _int(1, 1000)),
            ],
        ),
        ("GET", "/api/events/stream"): _op(
            "Events as server-sent events, resumed after Last-Event-ID.",
            None,
            (503,),
            content={"text/event-stream": {"schema": {"type": "string"}}},
        ),
        ("POST", "/api/leads/analyze"): _op(
            "Score a text as a lead would be scored, storing nothing.",
            {"type": "object", "required": ["analysis", "source", "saved_usd"]},
            (400, 422, 503),
            body={
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 10_000,
                        "pattern": NON_SPACE,
                    }
                },
            },
        ),
        ("GET", "/api/leads/{contact_id}"): _op(
            "The contact's lead analysis.",
            _OBJECT,
            (404, 422, 503),
            params=_CONTACT_PATH,
        ),
        ("GET", "/api/export/conversations.{fmt}"): _op(
            "The filtered conversations as a file.",
            None,
            (422, 503),
            params=[
                _path(
                    "fmt", {"type": "string", "enum": ["csv", "xlsx", "json", "pdf"]}
                ),
                *_FILTERS,
            ],
            content=_EXPORT_TYPES,
        ),
        ("POST", "/webhooks/ghl"): _op(
            "A GHL webhook, acknowledged once journaled.",
            webhook_schema.ACK,
            (400, 401, 413, 422, 429),
            body=webhook_body,
            secured=False,
        ),
        ("POST", "/webhooks/ghl/{token}"): _op(
            "A GHL workflow webhook with its secret token in the path.",
            webhook_schema.ACK,
            (400, 401, 413, 422, 429),
            body=webhook_body,
            params=[_path("token", {"type": "string", "pattern": "^[^/]+$"})],
            secured=False,
        ),
    }
