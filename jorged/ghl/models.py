"""Records of GoHighLevel data: contacts (from webhooks and the API), call records."""

from __future__ import annotations

from datetime import datetime

import attrs


@attrs.frozen(kw_only=True)
class CustomField:
    """One custom field value of a contact.

    GHL sends strings, numbers, lists or objects; anything that is not a string is kept
    as its compact JSON text, so the record stays flat and comparable.
    """

    id: str
    value: str


@attrs.frozen(kw_only=True)
class DndChannel:
    """The do-not-disturb setting of one channel (`SMS`, `Email`, `Call`, ...)."""

    channel: str
    status: str
    message: str = ""
    code: str = ""


@attrs.frozen(kw_only=True)
class GhlContact:
    """A contact as GHL describes it; only `id` is always known."""

    id: str
    location_id: str = ""
    first_name: str = ""
    last_name: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    timezone: str = ""
    company_name: str = ""
    address1: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    source: str = ""
    assigned_to: str = ""
    tags: tuple[str, ...] = ()
    dnd: bool = False
    dnd_settings: tuple[DndChannel, ...] = ()
    custom_fields: tuple[CustomField, ...] = ()
    date_added: datetime | None = None

    def custom_field(self, field_id: str) -> str | None:
        """The value of custom field `field_id`, or None when the contact has none."""
        for field in self.custom_fields:
            if field.id == field_id:
                return field.value
        return None

    @property
    def sms_dnd(self) -> bool:
        """True when SMS to this contact is blocked (global DND or the SMS channel)."""
        return self.dnd or any(
            ch.channel == "SMS" and ch.status in {"active", "permanent"}
            for ch in self.dnd_settings
        )


@attrs.frozen(kw_only=True)
class GhlCallRecord:
    """One attempt of one GHL API call, as measured by the client.

    `path` is the API's path template (`/contacts/{contactId}/tags`), so records group
    by endpoint. `status` is None when no response arrived; `error` then says why.
    `backoff_s` is how long the client waits before the next attempt (0 for none).
    """

    operation: str
    method: str
    path: str
    status: int | None
    latency_s: float
    rate_limit_remaining: int | None
    attempt: int
    error: str | None = None
    daily_remaining: int | None = None
    backoff_s: float = 0.0
