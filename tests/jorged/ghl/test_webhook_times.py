"""Every date-time of a webhook payload is checked at parse time (SPEC 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jorged.config import GhlConfig
from jorged.exceptions import WebhookRejected
from jorged.ghl import parse_webhook
from jorged.ghl.payload import PayloadError, Reader, TimeRange, parse_datetime

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
MESSAGE = {
    "type": "InboundMessage",
    "locationId": "L",
    "contactId": "C",
    "messageId": "M",
    "body": "text",
    "messageType": "SMS",
    "dateAdded": "2026-07-01T11:59:00Z",
}
APPOINTMENT = {
    "type": "AppointmentCreate",
    "locationId": "L",
    "appointment": {
        "id": "A",
        "contactId": "C",
        "startTime": "2026-07-03T16:00:00Z",
        "endTime": "2026-07-03T16:30:00Z",
    },
}
CONTACT = {"type": "ContactCreate", "locationId": "L", "id": "C"}
HOSTILE = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-30T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00",
    "2026-07-01T12:00:00+24:00",
    "2026-07-01T12:00:00+99:99",
    "1999-12-31T23:59:59Z",
    "2026-07-03T12:00:01Z",
    "-2026-07-01",
    "",
]


def parse(payload: dict) -> object:
    return parse_webhook(
        json.dumps(payload).encode(),
        {},
        now=NOW,
        cfg=GhlConfig(),
        remote_is_loopback=True,
    )


def refusal(payload: dict) -> tuple[int, str]:
    with pytest.raises(WebhookRejected) as info:
        parse(payload)
    return info.value.status, info.value.reason


def appointment(**times: str) -> dict:
    return {**APPOINTMENT, "appointment": {**APPOINTMENT["appointment"], **times}}


class TestMessageDateAdded:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_out_of_range_or_unreadable_is_422_naming_the_field(self, value):
        """Year 1 at +14:00, year 9999, huge offsets, before 2000, beyond a day
        ahead: 422 naming dateAdded."""
        status, reason = refusal({**MESSAGE, "dateAdded": value})
        assert status == 422
        assert reason.startswith("dateAdded: ")

    def test_year_9999_says_the_range(self):
        """The refusal says what the range is."""
        assert refusal({**MESSAGE, "dateAdded": "9999-12-30T00:00:00Z"}) == (
            422,
            (
                "dateAdded: '9999-12-30T00:00:00Z' is out of range, must be between "
                "2000-01-01T00:00:00Z and 2026-07-02T12:00:00Z"
            ),
        )

    @pytest.mark.parametrize(
        "value",
        ["2000-01-01T00:00:00Z", "2026-07-02T12:00:00Z", "2026-07-01T05:00:00-07:00"],
    )
    def test_in_range_accepted_in_utc(self, value):
        """The ends of the range are in it; an offset is turned into UTC."""
        event = parse({**MESSAGE, "dateAdded": value})
        assert event.date_added == datetime.fromisoformat(value)
        assert event.date_added.utcoffset() == timedelta(0)

    def test_naive_means_utc(self):
        """A date-time without an offset is read as UTC, not refused."""
        event = parse({**MESSAGE, "dateAdded": "2026-07-01T11:00:00"})
        assert event.date_added == datetime(2026, 7, 1, 11, tzinfo=UTC)

    def test_outbound_message_too(self):
        """An outbound message's dateAdded has the same range."""
        payload = {**MESSAGE, "type": "OutboundMessage", "dateAdded": "3000-01-01"}
        assert refusal(payload)[1].startswith("dateAdded: '3000-01-01' is out of")


class TestAppointmentTimes:
    @pytest.mark.parametrize("field", ["startTime", "endTime"])
    @pytest.mark.parametrize(
        "value",
        ["0001-01-01T00:00:00+14:00", "2024-06-30T11:59:59Z", "2028-07-01T12:00:01Z"],
    )
    def test_beyond_two_years_is_422(self, field, value):
        """An appointment more than two years from now is 422 naming the field."""
        status, reason = refusal(appointment(**{field: value}))
        assert status == 422
        assert reason.startswith(f"appointment.{field}: ")

    def test_within_two_years_accepted(self):
        """An appointment a year and a half ahead is booked as sent."""
        event = parse(appointment(startTime="2027-12-01T16:00:00Z"))
        assert event.appointment.start_time == datetime(2027, 12, 1, 16, tzinfo=UTC)


class TestContactDateAdded:
    def test_contact_added_in_year_9999_is_422(self):
        """A contact's dateAdded has a message's range."""
        status, reason = refusal({**CONTACT, "dateAdded": "9999-12-30T00:00:00Z"})
        assert (status, reason.split(":")[0]) == (422, "dateAdded")


class TestTimestamp:
    def test_year_one_at_plus_14_is_422_not_a_crash(self):
        """A timestamp naming no representable instant is 422, not an overflow."""
        status, reason = refusal({**MESSAGE, "timestamp": "0001-01-01T00:00:00+14:00"})
        assert status == 422
        assert reason.startswith("timestamp: not an ISO 8601 date-time")

    def test_far_future_is_401(self):
        """A readable timestamp far from now stays the age check's 401."""
        assert refusal({**MESSAGE, "timestamp": "9999-12-30T00:00:00Z"})[0] == 401


RANGE = TimeRange(datetime(2000, 1, 1, tzinfo=UTC), NOW + timedelta(days=1))


def read(text: str) -> datetime | None:
    """The date-time `text` names in range, or None when refused naming the field."""
    try:
        return Reader({"at": text}).req_datetime("at", within=RANGE)
    except PayloadError as exc:
        if not str(exc).startswith("at: "):
            raise
        return None


class TestParserNeverRaisesAnythingElse:
    @given(text=st.text(max_size=40))
    @example(text="0001-01-01T00:00:00+14:00")
    @example(text="9999-12-31T23:59:59.999999-23:59")
    def test_any_text(self, text):
        """Any text is a UTC date-time in range, or a PayloadError naming the field."""
        at = read(text)
        assert at is None or (at in RANGE and at.utcoffset() == timedelta(0))

    @given(
        at=st.datetimes(timezones=st.just(UTC) | st.none()),
        offset=st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1),
    )
    def test_any_iso_date_time_with_any_offset(self, at, offset):
        """Every ISO date-time with any valid offset parses or is refused, never
        overflows (the edges of year 1 and year 9999 included)."""
        sign = "-" if offset < 0 else "+"
        text = at.replace(tzinfo=None).isoformat() + (
            f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        )
        parsed = parse_datetime(text)
        if parsed is not None:
            assert parsed.astimezone(UTC) == parsed
        at = read(text)
        assert at is None or at.utcoffset() == timedelta(0)
