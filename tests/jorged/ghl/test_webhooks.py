from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jorged.config import GhlConfig
from jorged.exceptions import WebhookRejected
from jorged.ghl import (
    AppointmentCreate,
    ContactCreate,
    ContactDndUpdate,
    ContactTagUpdate,
    ContactUpdate,
    Ignored,
    InboundMessage,
    OutboundMessage,
    parse_webhook,
)

EXAMPLES = Path(__file__).parents[2] / "fakes" / "ghl_webhooks"
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
#: A moment when every documented example (2021 to 2024) is recent enough.
EXAMPLES_NOW = datetime(2024, 6, 1, tzinfo=UTC)
SANDBOX = GhlConfig()
MINIMUM = {
    "type": "InboundMessage",
    "locationId": "L",
    "contactId": "C",
    "messageId": "M",
    "body": "text",
    "messageType": "SMS",
    "direction": "inbound",
    "dateAdded": "2026-07-01T11:59:00Z",
}
CLASSES = {
    "InboundMessage": InboundMessage,
    "OutboundMessage": OutboundMessage,
    "ContactCreate": ContactCreate,
    "ContactUpdate": ContactUpdate,
    "ContactTagUpdate": ContactTagUpdate,
    "ContactDndUpdate": ContactDndUpdate,
    "AppointmentCreate": AppointmentCreate,
}


def parse(payload, *, cfg=SANDBOX, now=NOW, max_body_bytes=65536):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return parse_webhook(
        body,
        {},
        now=now,
        cfg=cfg,
        remote_is_loopback=True,
        max_body_bytes=max_body_bytes,
    )


def rejected(payload, **kwargs) -> tuple[int, str]:
    with pytest.raises(WebhookRejected) as info:
        parse(payload, **kwargs)
    return info.value.status, info.value.reason


def with_(**changes):
    return {k: v for k, v in (MINIMUM | changes).items() if v is not ...}


class TestDocumentedExamples:
    @pytest.mark.parametrize(
        "path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem
    )
    def test_each_example_parses(self, path: Path):
        """Every example payload of GHL's docs parses, byte for byte, into its type."""
        raw = path.read_bytes()
        event = parse(raw, now=EXAMPLES_NOW)
        assert type(event) is CLASSES[json.loads(raw)["type"]]
        assert event.location_id == json.loads(raw)["locationId"]

    def test_inbound_sms_example(self):
        """GHL's SMS example yields the text, contact and time, keyed by a hash."""
        event = parse(
            (EXAMPLES / "InboundMessage.message.json").read_bytes(), now=EXAMPLES_NOW
        )
        assert isinstance(event, InboundMessage)
        assert (event.contact_id, event.body, event.is_sms) == (
            "cI08i1Bls3iTB9bKgFJh",
            "This is a test message",
            True,
        )
        assert event.date_added == datetime(2021, 4, 21, 11, 31, 45, 750000, UTC)
        assert event.message_id is None
        assert event.dedupe_key.startswith("sha256:")

    def test_contact_create_example(self):
        """GHL's ContactCreate example yields name, phone, tags and custom fields."""
        event = parse(
            (EXAMPLES / "ContactCreate.default.json").read_bytes(), now=EXAMPLES_NOW
        )
        assert isinstance(event, ContactCreate)
        contact = event.contact
        assert (contact.first_name, contact.phone, contact.dnd) == (
            "John",
            "+919509597501",
            True,
        )
        assert contact.tags == ("id magna sed Lorem", "Duis dolor commodo aliqua")
        assert contact.custom_field("BcdmQEsNgz6AVpgLVUJ0") == "XYZ Corp"

    def test_dnd_update_example(self):
        """GHL's ContactDndUpdate example yields each channel's setting."""
        event = parse(
            (EXAMPLES / "ContactDndUpdate.default.json").read_bytes(), now=EXAMPLES_NOW
        )
        assert isinstance(event, ContactDndUpdate)
        sms = [ch for ch in event.contact.dnd_settings if ch.channel == "SMS"]
        assert [(ch.status, ch.code) for ch in sms] == [("inactive", "101")]

    def test_appointment_example(self):
        """GHL's AppointmentCreate example yields the booking and its contact."""
        event = parse(
            (EXAMPLES / "AppointmentCreate.default.json").read_bytes(), now=EXAMPLES_NOW
        )
        assert isinstance(event, AppointmentCreate)
        assert event.contact_id == "9NkT25Vor1v4aQatFsv2"
        assert event.appointment.start_time == datetime(2023, 9, 25, 10, 30, tzinfo=UTC)
        assert event.appointment.status == "confirmed"

    def test_outbound_source(self):
        """An outbound message says where it came from (a human in the app here)."""
        event = parse(
            (EXAMPLES / "OutboundMessage.message.json").read_bytes(), now=EXAMPLES_NOW
        )
        assert isinstance(event, OutboundMessage)
        assert event.source == "app"


class TestMinimumInbound:
    def test_accepted(self):
        """The minimum inbound message is accepted and keyed by its message id."""
        event = parse(MINIMUM)
        assert isinstance(event, InboundMessage)
        assert (event.location_id, event.body, event.dedupe_key) == (
            "L",
            "text",
            "message:M",
        )

    def test_tags_and_timezone_on_contact_create(self):
        """ContactCreate carries tags, first name, phone and time zone."""
        event = parse(
            {
                "type": "ContactCreate",
                "locationId": "L",
                "id": "C",
                "firstName": "Rosa",
                "phone": "+19095550123",
                "timezone": "America/Los_Angeles",
                "tags": ["Needs Qualifying"],
            }
        )
        assert isinstance(event, ContactCreate)
        assert (event.contact_id, event.contact.timezone, event.contact.tags) == (
            "C",
            "America/Los_Angeles",
            ("Needs Qualifying",),
        )


class TestDedupeKey:
    def test_webhook_id_wins(self):
        """A webhookId is the key even when a messageId is present."""
        assert parse(with_(webhookId="W")).dedupe_key == "webhook:W"

    def test_hash_without_ids_is_stable(self):
        """Without ids the same message gives the same key twice."""
        payload = with_(messageId=...)
        assert parse(payload).dedupe_key == parse(payload).dedupe_key

    def test_same_text_at_another_time_differs(self):
        """Two 'yes' messages sent at different times are different messages."""
        first = parse(with_(messageId=..., body="yes"))
        second = parse(
            with_(messageId=..., body="yes", dateAdded="2026-07-01T11:59:30Z")
        )
        assert first.dedupe_key != second.dedupe_key


class TestIgnored:
    def test_unknown_type(self):
        """A type jorged does not handle is accepted as Ignored."""
        event = parse({"type": "OpportunityStatusUpdate", "locationId": "L", "id": "O"})
        assert isinstance(event, Ignored)
        assert (event.type, event.reason) == (
            "OpportunityStatusUpdate",
            "type not handled",
        )

    def test_other_location(self):
        """A message for another location than the configured one is Ignored."""
        event = parse(MINIMUM, cfg=GhlConfig(location_id="mine"))
        assert isinstance(event, Ignored)
        assert event.reason == "location L is not ghl.location_id"


class TestRejections:
    def test_body_too_large(self):
        """A body over the limit is 413, before anything else is looked at."""
        status, reason = rejected(b"x" * 101, max_body_bytes=100)
        assert (status, reason) == (413, "body: 101 bytes, more than the 100 allowed")

    def test_bad_json(self):
        """A body that is not JSON is 400."""
        status, reason = rejected(b"{not json")
        assert status == 400
        assert reason.startswith("body: not valid JSON")

    def test_not_an_object(self):
        """JSON that is not an object is 400."""
        assert rejected(b"[1, 2]") == (400, "body: expected a JSON object, got array")

    def test_missing_contact_id(self):
        """A missing required field is 422, named."""
        assert rejected(with_(contactId=...)) == (
            422,
            "contactId: required field missing",
        )

    def test_wrong_type(self):
        """A required field of the wrong type is 422, with both types named."""
        assert rejected(with_(contactId=42)) == (
            422,
            "contactId: expected a string, got number",
        )

    def test_missing_type(self):
        """A payload without a type is 422."""
        assert rejected(with_(type=...)) == (422, "type: required field missing")

    def test_bad_date(self):
        """A date that is not ISO 8601 is 422."""
        status, reason = rejected(with_(dateAdded="yesterday"))
        assert (status, reason) == (
            422,
            "dateAdded: not an ISO 8601 date-time: 'yesterday'",
        )

    def test_nested_field_named_with_its_path(self):
        """A problem inside a nested object names the whole path."""
        payload = {
            "type": "AppointmentCreate",
            "locationId": "L",
            "appointment": {"id": "A"},
        }
        assert rejected(payload) == (
            422,
            "appointment.contactId: required field missing",
        )

    def test_tag_of_wrong_type(self):
        """A tag that is not a string is 422 with its index."""
        payload = {
            "type": "ContactTagUpdate",
            "locationId": "L",
            "id": "C",
            "tags": ["a", 1],
        }
        assert rejected(payload) == (422, "tags[1]: expected a string, got number")


class TestTimestamp:
    def test_fresh_accepted(self):
        """A timestamp within the allowed age is accepted and kept."""
        event = parse(with_(timestamp="2026-07-01T11:58:00Z"))
        assert event.timestamp == NOW - timedelta(minutes=2)

    def test_stale_refused(self):
        """A timestamp older than webhook_max_age_s is 401 (a replay or a delay)."""
        status, reason = rejected(with_(timestamp="2026-07-01T11:54:00Z"))
        assert (status, reason) == (
            401,
            "timestamp: 360 s old, more than the 300 s allowed",
        )

    def test_redelivery_with_webhook_id_accepted(self):
        """GHL's retry of a 429 keeps its payload: 40 minutes old with a webhookId."""
        event = parse(with_(timestamp="2026-07-01T11:20:00Z", webhookId="W1"))
        assert event.dedupe_key == "webhook:W1"

    def test_redelivery_window_ends(self):
        """Past GHL's last retry (6 x 10 min + jitter) a webhookId does not help."""
        stale = with_(timestamp="2026-07-01T10:40:00Z", webhookId="W1")
        assert rejected(stale) == (
            401,
            "timestamp: 4800 s old, more than the 4500 s allowed",
        )

    def test_future_refused(self):
        """A timestamp far in the future is 401 too."""
        status, _ = rejected(with_(timestamp="2026-07-01T12:10:00Z"))
        assert status == 401

    def test_unreadable(self):
        """A timestamp that is not a date-time is 422."""
        assert rejected(with_(timestamp=1751371200))[0] == 422
