"""Typed reading of GHL JSON objects, naming the field in every complaint.

Shared by the webhook parser (a complaint becomes a 422) and the API client (a
complaint about a response becomes a GhlError).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import attrs
import orjson

from jorged.domain.contact_ids import contact_id_problem
from jorged.ghl.models import CustomField, DndChannel, GhlContact


class PayloadError(ValueError):
    """A JSON object lacks a field or has one of the wrong type; the text names it."""


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    match value:
        case None:
            return "null"
        case bool():
            return "boolean"
        case int() | float():
            return "number"
        case str():
            return "string"
        case list():
            return "array"
        case _:
            return "object"


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 date-time (naive means UTC) in the offset it was given, or None
    when `value` is not one or names no instant a datetime can hold in UTC
    (`0001-01-01T00:00:00+14:00`)."""
    try:
        parsed = datetime.fromisoformat(value)
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        aware.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return aware


@attrs.frozen
class TimeRange:
    """The instants a date-time field may name, both ends included (UTC)."""

    earliest: datetime
    latest: datetime

    @classmethod
    def around(cls, now: datetime, *, before: timedelta, after: timedelta) -> TimeRange:
        """From `before` earlier than `now` to `after` later (clamped to what a
        datetime can hold)."""
        return cls(_shift(now, -before), _shift(now, after))

    def __contains__(self, at: datetime) -> bool:
        return self.earliest <= at <= self.latest

    def describe(self) -> str:
        return f"between {_stamp(self.earliest)} and {_stamp(self.latest)}"


def _shift(at: datetime, by: timedelta) -> datetime:
    try:
        return at + by
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if by < timedelta(0) else _MAX_TIME


_MAX_TIME = datetime.max.replace(tzinfo=UTC)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_text(value: Any) -> str:
    """A string as is; any other JSON value as its compact JSON text."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


@attrs.frozen
class Reader:
    """Typed access to one JSON object; `prefix` locates it in the whole document."""

    data: Mapping[str, Any]
    prefix: str = ""

    def fail(self, key: str, problem: str) -> NoReturn:
        msg = f"{self.prefix}{key}: {problem}"
        raise PayloadError(msg)

    def _typed(self, key: str, kind: type, kind_name: str, *, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.fail(key, "required field missing")
            return None
        value = self.data[key]
        if value is None and not required:
            return None
        if not isinstance(value, kind) or (kind is not bool and type(value) is bool):
            self.fail(key, f"expected {kind_name}, got {json_type(value)}")
        return value

    def req_str(self, key: str) -> str:
        value: str = self._typed(key, str, "a string", required=True)
        if not value.strip():
            self.fail(key, "must not be empty")
        return value

    def req_contact_id(self, key: str) -> str:
        """A contact id, checked against `jorged.domain.contact_ids`."""
        value = self.req_str(key)
        problem = contact_id_problem(value)
        if problem is not None:
            self.fail(key, problem)
        return value

    def opt_str(self, key: str) -> str:
        value: str | None = self._typed(key, str, "a string", required=False)
        return value or ""

    def opt_id(self, key: str) -> str | None:
        return self.opt_str(key) or None

    def opt_bool(self, key: str) -> bool:
        value: bool | None = self._typed(key, bool, "true or false", required=False)
        return bool(value)

    def _list(self, key: str) -> list[Any]:
        value: list[Any] | None = self._typed(key, list, "an array", required=False)
        return value or []

    def str_list(self, key: str) -> tuple[str, ...]:
        items = self._list(key)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"{key}[{i}]", f"expected a string, got {json_type(item)}")
        return tuple(items)

    def loose_list(self, key: str) -> tuple[str, ...]:
        """An array whose items are kept as text (JSON text for non-strings)."""
        return tuple(json_text(item) for item in self._list(key))

    def objects(self, key: str) -> list[Reader]:
        out: list[Reader] = []
        for i, item in enumerate(self._list(key)):
            if not isinstance(item, dict):
                self.fail(f"{key}[{i}]", f"expected an object, got {json_type(item)}")
            out.append(Reader(item, f"{self.prefix}{key}[{i}]."))
        return out

    def req_obj(self, key: str) -> Reader:
        value: dict[str, Any] = self._typed(key, dict, "an object", required=True)
        return Reader(value, f"{self.prefix}{key}.")

    def opt_obj(self, key: str) -> Reader | None:
        value = self._typed(key, dict, "an object", required=False)
        return None if value is None else Reader(value, f"{self.prefix}{key}.")

    def _to_datetime(self, key: str, text: str, within: TimeRange | None) -> datetime:
        parsed = parse_datetime(text)
        if parsed is None:
            self.fail(key, f"not an ISO 8601 date-time: {text[:40]!r}")
        if within is not None and parsed not in within:
            self.fail(
                key, f"{text[:40]!r} is out of range, must be {within.describe()}"
            )
        return parsed.astimezone(UTC)

    def req_datetime(self, key: str, *, within: TimeRange | None = None) -> datetime:
        """A required date-time (UTC), refused outside `within` when given."""
        return self._to_datetime(key, self.req_str(key), within)

    def opt_datetime(
        self, key: str, *, within: TimeRange | None = None
    ) -> datetime | None:
        """An optional date-time (UTC), refused outside `within` when given."""
        text = self.opt_str(key)
        return self._to_datetime(key, text, within) if text else None


def _dnd_settings(r: Reader) -> tuple[DndChannel, ...]:
    settings = r.opt_obj("dndSettings")
    if settings is None:
        return ()
    out: list[DndChannel] = []
    for channel in sorted(settings.data):
        ch = settings.req_obj(channel)
        out.append(
            DndChannel(
                channel=channel,
                status=ch.opt_str("status"),
                message=ch.opt_str("message"),
                code=ch.opt_str("code"),
            )
        )
    return tuple(out)


def contact_from(
    r: Reader, *, id_key: str = "id", added_within: TimeRange | None = None
) -> GhlContact:
    """A contact from GHL's contact JSON (webhook payload or API `contact` object);
    `added_within` bounds its `dateAdded`."""
    custom = tuple(
        CustomField(id=f.req_str("id"), value=json_text(f.data.get("value")))
        for f in r.objects("customFields")
    )
    return GhlContact(
        id=r.req_contact_id(id_key),
        location_id=r.opt_str("locationId"),
        first_name=r.opt_str("firstName"),
        last_name=r.opt_str("lastName"),
        name=r.opt_str("name"),
        email=r.opt_str("email"),
        phone=r.opt_str("phone"),
        timezone=r.opt_str("timezone"),
        company_name=r.opt_str("companyName"),
        address1=r.opt_str("address1"),
        city=r.opt_str("city"),
        state=r.opt_str("state"),
        postal_code=r.opt_str("postalCode"),
        country=r.opt_str("country"),
        source=r.opt_str("source"),
        assigned_to=r.opt_str("assignedTo"),
        tags=r.str_list("tags"),
        dnd=r.opt_bool("dnd"),
        dnd_settings=_dnd_settings(r),
        custom_fields=custom,
        date_added=r.opt_datetime("dateAdded", within=added_within),
    )
