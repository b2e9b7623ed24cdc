"""The JSON Schema of GHL's webhook bodies as `jorged.ghl.webhook_events` reads them.

One schema per event type jorged acts on, each with the fields it cannot work
without (the others are optional and kept when present, as GHL omits fields freely),
and one for every other type (answered `{"status": "ignored"}`). Used by the API's
OpenAPI document (`jorged.web.openapi`), made once per process by `body(year)`.

Dates are described by their year, which is what a schema can say of "within a range
of today": a message's `dateAdded` from 2001 to last year (always past, never before
2000), an appointment's times in the current year (always within two years of now).

A body may also carry `timestamp` (checked against `ghl.webhook_max_age_s`, else
401) and GHL's signature headers; neither is described here, as no schema can say
"within five minutes of now" or "signed".
"""

from __future__ import annotations

from typing import Any

from jorged.domain.contact_ids import PATTERN as CONTACT_PATTERN
from jorged.ghl.webhook_events import HANDLED_TYPES

__all__ = ["ACK", "NON_SPACE", "SPACE", "body"]

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


def _when(first: int, last: int) -> Json:
    """A date-time in the years `first` to `last`."""
    years = "|".join(str(y) for y in range(first, last + 1))
    return {"type": "string", "format": "date-time", "pattern": f"^(?:{years})-"}


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


def _message(kind: str, when: Json) -> Json:
    return _event(
        kind,
        {"contactId": _CONTACT, "messageType": _TEXT, "dateAdded": when},
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


def _appointment(when: Json) -> Json:
    return _event(
        "AppointmentCreate",
        {
            "appointment": {
                "type": "object",
                "required": ["id", "contactId", "startTime"],
                "properties": {
                    "id": _TEXT,
                    "contactId": _CONTACT,
                    "startTime": when,
                    "endTime": {"anyOf": [when, {"enum": [None, ""]}]},
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


def body(year: int) -> Json:
    """The schema of a webhook body, its dates described from `year` (this year)."""
    past = _when(2001, year - 1)
    return {
        "oneOf": [
            _message("InboundMessage", past),
            _message("OutboundMessage", past),
            *(
                _contact(kind)
                for kind in (
                    "ContactCreate",
                    "ContactUpdate",
                    "ContactTagUpdate",
                    "ContactDndUpdate",
                )
            ),
            _appointment(_when(year, year)),
            _OTHER,
        ]
    }
