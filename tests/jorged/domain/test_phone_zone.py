"""Quiet hours in the contact's zone: GHL's timezone, else the area code, else default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jorged.config import SellerConfig
from jorged.domain.conversation.drafts import zone_of
from jorged.domain.conversation.inputs import (
    Activate,
    ContactDetails,
    FetchContact,
    Inbound,
    InboundMessage,
    SendSms,
)
from jorged.domain.conversation.step import step
from jorged.domain.texting.compliance import contact_zone
from jorged.domain.texting.phone_zone import zone_for_phone

#: 06:30 in Los Angeles, 09:30 in New York (a Wednesday in summer time).
MORNING = datetime(2026, 7, 1, 13, 30, tzinfo=UTC)
DEFAULT = "America/Los_Angeles"


def opener_sent_at(**contact: str) -> datetime:
    """When a bot-started opener to this contact may go out, activated at MORNING."""
    cfg = SellerConfig(default_timezone=DEFAULT)
    _state, actions = step(None, Activate(contact_id="C", **contact), MORNING, cfg)
    (sms,) = [a for a in actions if isinstance(a, SendSms)]
    assert sms.bot_initiated
    return sms.send_at or MORNING


class TestQuietHoursByContact:
    def test_new_york_number_texted_now(self):
        """A 212 number keeps New York hours: 09:30 there, so the opener goes at once."""
        assert opener_sent_at(phone="+12125550123") == MORNING

    def test_inland_empire_number_waits(self):
        """A 909 number keeps Los Angeles hours: 06:30 there, so it waits for 08:00."""
        assert opener_sent_at(phone="(909) 555-0123") == datetime(
            2026, 7, 1, 15, 0, tzinfo=UTC
        )

    def test_ghl_timezone_wins_over_area_code(self):
        """GHL's timezone for the contact beats the area code of its number."""
        sent = opener_sent_at(phone="+12125550123", timezone="America/Denver")
        assert sent == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)

    def test_garbage_falls_back_to_default(self):
        """No usable zone or number: seller.default_timezone."""
        sent = opener_sent_at(phone="call me maybe", timezone="Mars/Olympus")
        assert sent == datetime(2026, 7, 1, 15, 0, tzinfo=UTC)


class TestZoneForPhone:
    @pytest.mark.parametrize(
        ("phone", "zone"),
        [
            ("+1 212 555 0123", "America/New_York"),
            ("2125550123", "America/New_York"),
            ("+19095550123", "America/Los_Angeles"),
            ("+13125550123", "America/Chicago"),
            ("+442079460000", "Europe/London"),
        ],
    )
    def test_single_zone(self, phone, zone):
        """A number whose area lies in one zone gets that zone."""
        assert zone_for_phone(phone) == zone

    @pytest.mark.parametrize(
        ("phone", "zone"),
        [
            ("+12085550123", "America/Los_Angeles"),  # Idaho: Boise or Pacific
            ("+17015550123", "America/Denver"),  # North Dakota: Central or Mountain
            ("+19075550123", "America/Adak"),  # Alaska: Anchorage or Adak
        ],
    )
    def test_area_across_zones_takes_the_westernmost(self, phone, zone):
        """An area code across a zone line gets its westernmost zone, every time."""
        assert zone_for_phone(phone) == zone

    @pytest.mark.parametrize("phone", ["+18005550123", "", "  ", "12", "not a number"])
    def test_no_zone(self, phone):
        """Toll-free numbers and text that is not a number have no zone."""
        assert zone_for_phone(phone) is None

    def test_contact_zone_order(self):
        """contact_zone: a known timezone, else the number's zone, else the default."""
        assert contact_zone("", DEFAULT, phone="+12125550123").key == "America/New_York"
        assert contact_zone("Asia/Tokyo", DEFAULT, phone="+12125550123").key == (
            "Asia/Tokyo"
        )
        assert contact_zone("bogus", DEFAULT, phone="bogus").key == DEFAULT


class TestZoneFromGhl:
    def test_new_conversation_without_zone_asks_ghl(self):
        """A conversation started by a text, zone unknown, reads the contact from GHL."""
        cfg = SellerConfig()
        message = InboundMessage(
            message_id="m1", text="hi, thinking of selling", at=MORNING
        )
        _state, actions = step(
            None, Inbound(contact_id="C", messages=(message,)), MORNING, cfg
        )
        kinds = [type(a) for a in actions if isinstance(a, SendSms | FetchContact)]
        assert kinds == [SendSms, FetchContact]  # the reply is not held up by it

    def test_known_zone_is_not_asked(self):
        """An activation that carries GHL's timezone does not read the contact."""
        cfg = SellerConfig()
        event = Activate(contact_id="C", timezone="America/Chicago")
        _state, actions = step(None, event, MORNING, cfg)
        assert not [a for a in actions if isinstance(a, FetchContact)]

    def test_details_fill_the_zone(self):
        """GHL's answer sets the zone quiet hours are kept in, and nothing else."""
        cfg = SellerConfig()
        state, _ = step(
            None, Activate(contact_id="C", phone="+19095550123"), MORNING, cfg
        )
        details = ContactDetails(contact_id="C", timezone="America/New_York")
        new, actions = step(state, details, MORNING, cfg)
        assert actions == ()
        assert zone_of(new, cfg).key == "America/New_York"
        assert (new.phone, new.transcript) == (state.phone, state.transcript)

    def test_details_do_not_override_what_is_known(self):
        """A zone the conversation has already is kept."""
        cfg = SellerConfig()
        event = Activate(contact_id="C", timezone="America/Chicago")
        state, _ = step(None, event, MORNING, cfg)
        details = ContactDetails(contact_id="C", timezone="America/New_York")
        new, actions = step(state, details, MORNING, cfg)
        assert (new.timezone, actions) == ("America/Chicago", ())
