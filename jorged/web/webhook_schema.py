"""The JSON Schema of GHL's webhook bodies as `jorged.ghl.webhooks` reads them.

One schema per event type jorged acts on, each with the fields it cannot work
without (the others are optional and kept when present, as GHL omits fields freely),
and one for every other type (answered `{"status": "ignored"}`). Used by the API's
OpenAPI document (`jorged.web.openapi`).

A body may also carry `timestamp` (checked against `ghl.webhook_max_age_s`, else
401) and GHL's signature headers; neither is described here, as no schema can say
"within five minutes of now" or "signed".
"""

from __future__ import annotations

from typing import Any

from jorged.domain.contact_ids import PATTERN as CONTACT_PATTERN
from jorged.ghl.webhooks import HANDLED_TYPES

__all__ = ["ACK", "BODY", "NON_SPACE", "SPACE"]

Json = dict[str, Any]

#: The characters Python's `str.strip()` removes, as a regex class body (written out:
#: `\s` differs between regex engines, and the server strips with Python).
SPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000"
)
#: A regex requiring one character that is not a space (a non-blank text).
NON_SPACE = f"[^{SPACE}]"

_TEXT: Json = {"type": "string", "pattern": NON_SPACE}
_OPTIONAL_TEXT: Json = {"type": ["string", "null"]}
_CONTACT: Json = {"type": "string", "pattern": CONTACT_PATTERN}
#: The years a webhook's dates are read in (see `jorged.ghl.webhooks`).
_WHEN: Json = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^20[0-9][0-9]-",
}

ACK: Json = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string", "enum": ["accepted", "duplicate", "ignored"]},
        "reason": {"type": "string"},
    },
}


_MESSAGE_TEXTS = (
    "body",
    "direction",
    "messageId",
    "conversationId",
    "contentType",
    "status",
    "userId",
    "source",
)
_CONTACT_TEXTS = ("firstName", "lastName", "name", "email", "phone")


def _event(kind: str, required: Json, optional: Json | None = None) -> Json:
    return {
        "type": "object",
        "required": ["type", "locationId", *required],
        "properties": {
            "type": {"const": kind},
            "locationId": _TEXT,
            "webhookId": _OPTIONAL_TEXT,
            **required,
            **(optional or {}),
        },
    }


def _message(kind: str) -> Json:
    return _event(
        kind,
        {"contactId": _CONTACT, "messageType": _TEXT, "dateAdded": _WHEN},
        dict.fromkeys(
            (
                "body",
                "direction",
                "messageId",
                "conversationId",
                "contentType",
                "status",
                "userId",
                "source",
            ),
            _OPTIONAL_TEXT,
        ),
    )


def _contact(kind: str) -> Json:
    return _event(
        kind,
        {"id": _CONTACT},
        {
            **dict.fromkeys(
                ("firstName", "lastName", "name", "email", "phone"), _OPTIONAL_TEXT
            ),
            "tags": {"type": ["array", "null"], "items": {"type": "string"}},
            "dnd": {"type": ["boolean", "null"]},
        },
    )


_APPOINTMENT = _event(
    "AppointmentCreate",
    {
        "appointment": {
            "type": "object",
            "required": ["id", "contactId", "startTime"],
            "properties": {
                "id": _TEXT,
                "contactId": _CONTACT,
                "startTime": _WHEN,
                "endTime": {"anyOf": [_WHEN, {"enum": [None, ""]}]},
                "title": _OPTIONAL_TEXT,
            },
        }
    },
)
_OTHER: Json = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {
            "type": "string",
            "pattern": NON_SPACE,
            "not": {"enum": sorted(HANDLED_TYPES)},
        }
    },
}

BODY: Json = {
    "oneOf": [
        _message("InboundMessage"),
        _message("OutboundMessage"),
        *(
            _contact(kind)
            for kind in (
                "ContactCreate",
                "ContactUpdate",
                "ContactTagUpdate",
                "ContactDndUpdate",
            )
        ),
        _APPOINTMENT,
        _OTHER,
    ]
}
