"""GHL webhook requests, checked and parsed into typed, frozen events.

`parse_webhook` takes the raw request (body bytes and headers) and returns one event or
raises `WebhookRejected` with the HTTP status to answer and a reason naming the problem:

- 413 body larger than `max_body_bytes`;
- 401 no valid signature (see `jorged.ghl.signatures` for the policy), or a payload
  `timestamp` further than `ghl.webhook_max_age_s` from now (a replay or a delay).
  GHL retries a delivery only after a 429, every 10 minutes plus jitter, up to 6
  times, and a retry may carry the original payload and timestamp; so a payload
  carrying a `webhookId` may be up to `ghl.webhook_redelivery_window_s` old. A
  replay of it is still harmless: its `webhookId` is a dedupe key the journal
  keeps, so it answers "duplicate";
- 400 body that is not JSON, or JSON that is not an object;
- 422 a required field missing or of the wrong type, named (`contactId: required field
  missing`), or a date-time that names no instant or lies out of its range (below).

Every date-time read from a payload is checked here, so nothing stored downstream holds
one that its arithmetic cannot take: a message's `dateAdded` (and a contact's) lies
between 2000-01-01 and one day from now, an appointment's `startTime` and `endTime`
within two years of now, and `timestamp` within `ghl.webhook_max_age_s` (a 401).

GHL sends many event types; the ones jorged acts on become their own classes, every
other type becomes `Ignored` (not an error). Fields follow GHL's documented webhook
schemas; GHL's own examples omit fields freely, so only what jorged cannot work without
is required.

Every event carries a `dedupe_key`: `webhook:<webhookId>` when GHL sent one, else
`message:<messageId>`, else `sha256:<hash>` of the type, contact, date and body of a
message (or of the whole payload for other events). Keeping the set of seen keys is the
caller's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs
import orjson

from jorged.config import GhlConfig, WebConfig
from jorged.exceptions import WebhookRejected
from jorged.ghl.models import GhlContact
from jorged.ghl.payload import PayloadError, Reader, TimeRange, contact_from, json_type
from jorged.ghl.signatures import AuthMethod, authenticate

#: The default body limit, `web.max_body_bytes`.
DEFAULT_MAX_BODY_BYTES = WebConfig().max_body_bytes
#: The earliest `dateAdded` of a message or contact, and how far ahead of now it may be.
EARLIEST_ADDED = datetime(2000, 1, 1, tzinfo=UTC)
ADDED_AHEAD = timedelta(days=1)
#: How far from now an appointment may start or end.
APPOINTMENT_SPAN = timedelta(days=2 * 365)


@attrs.frozen(kw_only=True)
class Ranges:
    """The ranges of a payload's date-times, as of the moment it is parsed."""

    added: TimeRange
    appointment: TimeRange

    @classmethod
    def at(cls, now: datetime) -> Ranges:
        latest = now + ADDED_AHEAD
        return cls(
            added=TimeRange(EARLIEST_ADDED, latest),
            appointment=TimeRange.around(
                now, before=APPOINTMENT_SPAN, after=APPOINTMENT_SPAN
            ),
        )


@attrs.frozen(kw_only=True)
class _Event:
    location_id: str
    dedupe_key: str
    auth: AuthMethod
    webhook_id: str | None = None
    timestamp: datetime | None = None


@attrs.frozen(kw_only=True)
class _Message(_Event):
    contact_id: str
    message_type: str
    date_added: datetime
    body: str = ""
    direction: str = ""
    message_id: str | None = None
    conversation_id: str | None = None
    content_type: str = ""
    status: str = ""
    user_id: str | None = None
    attachments: tuple[str, ...] = ()

    @property
    def is_sms(self) -> bool:
        """True for a text message (GHL `messageType` SMS)."""
        return self.message_type.upper() == "SMS"


@attrs.frozen(kw_only=True)
class InboundMessage(_Message):
    """A contact sent a message (SMS, email, call, voicemail, ...)."""


@attrs.frozen(kw_only=True)
class OutboundMessage(_Message):
    """A message went out to a contact; `source` says from where (`app`, `workflow`)."""

    source: str = ""


@attrs.frozen(kw_only=True)
class _ContactEvent(_Event):
    contact: GhlContact

    @property
    def contact_id(self) -> str:
        return self.contact.id


@attrs.frozen(kw_only=True)
class ContactCreate(_ContactEvent):
    """A contact was created."""


@attrs.frozen(kw_only=True)
class ContactUpdate(_ContactEvent):
    """Some fields of a contact changed."""


@attrs.frozen(kw_only=True)
class ContactTagUpdate(_ContactEvent):
    """A contact's tags changed; `contact.tags` holds the new full list."""


@attrs.frozen(kw_only=True)
class ContactDndUpdate(_ContactEvent):
    """A contact's do-not-disturb settings changed."""


@attrs.frozen(kw_only=True)
class Appointment:
    """An appointment as GHL's AppointmentCreate webhook describes it."""

    id: str
    contact_id: str
    start_time: datetime
    calendar_id: str = ""
    end_time: datetime | None = None
    status: str = ""
    title: str = ""
    assigned_user_id: str = ""
    source: str = ""
    address: str = ""
    notes: str = ""


@attrs.frozen(kw_only=True)
class AppointmentCreate(_Event):
    """An appointment was booked."""

    appointment: Appointment

    @property
    def contact_id(self) -> str:
        return self.appointment.contact_id


@attrs.frozen(kw_only=True)
class Ignored(_Event):
    """A webhook jorged does not act on; `reason` says why."""

    type: str
    reason: str


WebhookEvent = (
    InboundMessage
    | OutboundMessage
    | ContactCreate
    | ContactUpdate
    | ContactTagUpdate
    | ContactDndUpdate
    | AppointmentCreate
    | Ignored
)


# --- events --------------------------------------------------------------------------


def _sha256(parts: object) -> str:
    digest = hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS))
    return f"sha256:{digest.hexdigest()}"


def _message(
    r: Reader, common: dict[str, Any], kind: str, ranges: Ranges
) -> InboundMessage | OutboundMessage:
    fields: dict[str, Any] = {
        "contact_id": r.req_contact_id("contactId"),
        "message_type": r.req_str("messageType"),
        "date_added": r.req_datetime("dateAdded", within=ranges.added),
        "body": r.opt_str("body"),
        "direction": r.opt_str("direction"),
        "message_id": r.opt_id("messageId"),
        "conversation_id": r.opt_id("conversationId"),
        "content_type": r.opt_str("contentType"),
        "status": r.opt_str("status"),
        "user_id": r.opt_id("userId"),
        "attachments": r.loose_list("attachments"),
    }
    source = r.opt_str("source")  # checked for both kinds, kept for outbound
    if kind == "OutboundMessage":
        return OutboundMessage(**common, **fields, source=source)
    return InboundMessage(**common, **fields)


_C = TypeVar("_C", ContactCreate, ContactUpdate, ContactTagUpdate, ContactDndUpdate)


def _contact_event(
    cls: type[_C],
) -> Callable[[Reader, dict[str, Any], str, Ranges], _C]:
    def parse(r: Reader, common: dict[str, Any], _kind: str, ranges: Ranges) -> _C:
        return cls(**common, contact=contact_from(r, added_within=ranges.added))

    return parse


def _appointment(
    r: Reader, common: dict[str, Any], _kind: str, ranges: Ranges
) -> AppointmentCreate:
    a = r.req_obj("appointment")
    appointment = Appointment(
        id=a.req_str("id"),
        contact_id=a.req_contact_id("contactId"),
        start_time=a.req_datetime("startTime", within=ranges.appointment),
        calendar_id=a.opt_str("calendarId"),
        end_time=a.opt_datetime("endTime", within=ranges.appointment),
        status=a.opt_str("appointmentStatus"),
        title=a.opt_str("title"),
        assigned_user_id=a.opt_str("assignedUserId"),
        source=a.opt_str("source"),
        address=a.opt_str("address"),
        notes=a.opt_str("notes"),
    )
    return AppointmentCreate(**common, appointment=appointment)


_PARSERS: dict[str, Callable[[Reader, dict[str, Any], str, Ranges], WebhookEvent]] = {
    "InboundMessage": _message,
    "OutboundMessage": _message,
    "ContactCreate": _contact_event(ContactCreate),
    "ContactUpdate": _contact_event(ContactUpdate),
    "ContactTagUpdate": _contact_event(ContactTagUpdate),
    "ContactDndUpdate": _contact_event(ContactDndUpdate),
    "AppointmentCreate": _appointment,
}

#: The webhook types parsed into their own event class.
HANDLED_TYPES = frozenset(_PARSERS)


_MESSAGE_TYPES = frozenset({"InboundMessage", "OutboundMessage"})


def _dedupe_key(data: Mapping[str, Any], kind: str) -> str:
    """`webhook:<id>`, else `message:<id>`, else a hash (see the module doc)."""
    webhook_id = data.get("webhookId")
    if isinstance(webhook_id, str) and webhook_id:
        return f"webhook:{webhook_id}"
    if kind not in _MESSAGE_TYPES:
        return _sha256(data)
    message_id = data.get("messageId")
    if isinstance(message_id, str) and message_id:
        return f"message:{message_id}"
    fields = [data.get(k) for k in ("contactId", "dateAdded", "body")]
    return _sha256([kind, *fields])


def _check_age(
    timestamp: datetime, now: datetime, cfg: GhlConfig, *, redelivery: bool
) -> None:
    """Refuse a payload `timestamp` too far from `now` (see the module doc)."""
    age = (now - timestamp).total_seconds()
    max_age_s = cfg.webhook_max_age_s
    if redelivery:
        max_age_s = max(max_age_s, cfg.webhook_redelivery_window_s)
    if age > max_age_s:
        reason = f"timestamp: {age:.0f} s old, more than the {max_age_s:.0f} s allowed"
        raise WebhookRejected(status=401, reason=reason)
    if -age > cfg.webhook_max_age_s:
        reason = (
            f"timestamp: {-age:.0f} s in the future, "
            f"more than the {cfg.webhook_max_age_s:.0f} s allowed"
        )
        raise WebhookRejected(status=401, reason=reason)


def _load_object(body: bytes) -> dict[str, Any]:
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        reason = f"body: not valid JSON ({exc})"
        raise WebhookRejected(status=400, reason=reason) from None
    if not isinstance(payload, dict):
        reason = f"body: expected a JSON object, got {json_type(payload)}"
        raise WebhookRejected(status=400, reason=reason)
    return payload


def _event(
    r: Reader, *, auth: AuthMethod, now: datetime, cfg: GhlConfig
) -> WebhookEvent:
    kind = r.req_str("type")
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    timestamp = r.opt_datetime("timestamp")
    if timestamp is not None:
        _check_age(timestamp, now, cfg, redelivery=r.opt_id("webhookId") is not None)
    common: dict[str, Any] = {
        "location_id": r.opt_str("locationId"),
        "dedupe_key": _dedupe_key(r.data, kind),
        "auth": auth,
        "webhook_id": r.opt_id("webhookId"),
        "timestamp": timestamp,
    }
    parser = _PARSERS.get(kind)
    location = common["location_id"]
    if parser is None:
        return Ignored(**common, type=kind, reason="type not handled")
    if cfg.location_id and location and location != cfg.location_id:
        reason = f"location {location} is not ghl.location_id"
        return Ignored(**common, type=kind, reason=reason)
    common["location_id"] = r.req_str("locationId")
    return parser(r, common, kind, Ranges.at(now))


def parse_webhook(
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: datetime,
    cfg: GhlConfig,
    remote_is_loopback: bool,
    path_token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> WebhookEvent:
    """Check and parse one webhook request, or raise WebhookRejected (see module doc).

    `now` is the current wall-clock time (timezone-aware; naive means UTC), used for the
    `timestamp` age check. `path_token` is the secret token from the URL path, if the
    route has one. `max_body_bytes` is `web.max_body_bytes`.
    """
    if len(body) > max_body_bytes:
        reason = f"body: {len(body)} bytes, more than the {max_body_bytes} allowed"
        raise WebhookRejected(status=413, reason=reason)
    lowered = {name.lower(): value for name, value in headers.items()}
    auth = authenticate(
        body,
        lowered,
        cfg=cfg,
        remote_is_loopback=remote_is_loopback,
        path_token=path_token,
    )
    reader = Reader(_load_object(body))
    try:
        return _event(reader, auth=auth, now=now, cfg=cfg)
    except PayloadError as exc:
        raise WebhookRejected(status=422, reason=str(exc)) from None
