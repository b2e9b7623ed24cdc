from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.texting.compliance import (
    check_outbound,
    contact_zone,
    enforce_outbound,
    gsm7_length,
    in_quiet_hours,
    is_help,
    is_opt_in,
    is_opt_out,
    mask_phones,
    next_allowed,
)

OPT_OUTS = [
    "STOP", "stop", "Stop.", "STOP!!!", "stop 🛑", "Stop texting me", "STOPALL",
    "unsubscribe", "Unsubscribe me please", "CANCEL", "end", "END.", "quit", "Quit it",
    "revoke", "OPTOUT", "opt out", "leave me alone", "Leave me alone!!",
    "don't text me", "dont text me again", "Please do not contact me",
    "remove me from your list", "take me off your list", "wrong number",
    "Wrong # sorry", "who is this, stop texting", "who is this? stop",
    "not interested. STOP", "lose my number", "no more texts please",
]  # fmt: skip
NOT_OPT_OUTS = [
    "I can't stop thinking about moving", "the end of the month works",
    "End of the month is fine", "Can you help me sell?", "no that works",
    "we stopped renting it out", "quite a lot of work", "weekend works",
    "who is this?", "Yes", "", "   ", "🙂", "Stopped by the house today",
]  # fmt: skip
HELPS = ["HELP", "help", "Help?", "INFO", "info!", " help "]
NOT_HELPS = ["help me sell my house", "I need help", "information please", "helpful"]


class TestKeywords:
    @pytest.mark.parametrize("text", OPT_OUTS)
    def test_opt_outs(self, text):
        """Carrier keywords and plain revocations opt out."""
        assert is_opt_out(text)

    @pytest.mark.parametrize("text", NOT_OPT_OUTS)
    def test_not_opt_outs(self, text):
        """Near misses are not opt-outs."""
        assert not is_opt_out(text)

    @pytest.mark.parametrize("text", HELPS)
    def test_help(self, text):
        """HELP and INFO as the whole text are help requests."""
        assert is_help(text)

    @pytest.mark.parametrize("text", NOT_HELPS)
    def test_not_help(self, text):
        """Help inside a sentence is not the HELP keyword."""
        assert not is_help(text)

    @pytest.mark.parametrize("text", ["START", "start", "Unstop", "START!"])
    def test_opt_in(self, text):
        """START and UNSTOP opt back in."""
        assert is_opt_in(text)


LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
HOURS = {"start_hour": 21, "end_hour": 8}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


QUIET = [
    # (instant, zone, expected next allowed instant)
    (utc(2026, 6, 1, 15, 0), LA, utc(2026, 6, 1, 15, 0)),  # 08:00 PDT, open
    (utc(2026, 6, 1, 14, 59), LA, utc(2026, 6, 1, 15, 0)),  # 07:59 PDT
    (utc(2026, 6, 2, 4, 0), LA, utc(2026, 6, 2, 15, 0)),  # 21:00 PDT -> next 08:00
    (utc(2026, 6, 2, 3, 59), LA, utc(2026, 6, 2, 3, 59)),  # 20:59 PDT, open
    (utc(2026, 6, 2, 4, 0), NY, utc(2026, 6, 2, 12, 0)),  # 00:00 EDT -> 08:00 EDT
    (utc(2026, 1, 15, 13, 0), CHI, utc(2026, 1, 15, 14, 0)),  # 07:00 CST
    (utc(2026, 1, 15, 5, 0), LA, utc(2026, 1, 15, 16, 0)),  # 21:00 PST
    # Spring forward (LA, 2026-03-08 02:00 -> 03:00): 23:00 PST on the 7th -> 08:00 PDT
    (utc(2026, 3, 8, 7, 0), LA, utc(2026, 3, 8, 15, 0)),
    # Fall back (LA, 2026-11-01 02:00 -> 01:00): 01:30 PDT -> 08:00 PST
    (utc(2026, 11, 1, 8, 30), LA, utc(2026, 11, 1, 16, 0)),
    # Fall back, second 01:30 (PST)
    (utc(2026, 11, 1, 9, 30), LA, utc(2026, 11, 1, 16, 0)),
    # New York spring forward: 22:00 EST on the 7th -> 08:00 EDT on the 8th
    (utc(2026, 3, 8, 3, 0), NY, utc(2026, 3, 8, 12, 0)),
    (utc(2026, 11, 1, 6, 0), NY, utc(2026, 11, 1, 13, 0)),  # 01:00 EDT -> 08:00 EST
]


class TestQuietHours:
    @pytest.mark.parametrize(("at", "zone", "expected"), QUIET)
    def test_next_allowed(self, at, zone, expected):
        """Bot messages wait for 08:00 local, across time zones and DST changes."""
        assert next_allowed(at, zone, **HOURS) == expected

    @pytest.mark.parametrize(("at", "zone", "expected"), QUIET)
    def test_result_is_outside_quiet_hours(self, at, zone, expected):
        """The instant given is never inside the quiet hours."""
        assert not in_quiet_hours(next_allowed(at, zone, **HOURS), zone, **HOURS)

    def test_contact_zone_falls_back(self):
        """An empty or unknown contact zone uses the default."""
        assert contact_zone("", "America/Los_Angeles") == LA
        assert contact_zone("Mars/Olympus", "America/Los_Angeles") == LA
        assert contact_zone("America/New_York", "America/Los_Angeles") == NY

    @given(st.datetimes(timezones=st.just(UTC)))
    def test_never_in_quiet_hours(self, at):
        """For any instant the next allowed one is in the window and not earlier."""
        got = next_allowed(at, LA, **HOURS)
        assert got >= at
        assert not in_quiet_hours(got, LA, **HOURS)


LINK = "https://link.example-booking.com/widget/jorge-15"


class TestOutbound:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Move-in ready?", "Move in ready?"),
            ("30-45 days works", "30 to 45 days works"),
            ("Great — talk soon", "Great, talk soon"),
            ("It’s “great”", 'It\'s "great"'),
            ("Thanks 🙏 talk soon", "Thanks talk soon"),
            ("See https://spam.example.com now", "See now"),
            ("Ana María", "Ana Maria"),
            ("Café", "Café"),
        ],
    )
    def test_repairs(self, text, expected):
        """Dashes, typographic quotes, emoji, foreign URLs and accents are repaired."""
        assert enforce_outbound(text, fallback="Thanks.") == expected

    def test_booking_link_is_kept(self):
        """The configured booking link stays, hyphens and all."""
        text = f"Book here: {LINK}"
        assert enforce_outbound(text, booking_link=LINK, fallback="x") == text
        assert check_outbound(text, booking_link=LINK) == ()

    def test_bot_disclosure_is_replaced(self):
        """A text that says it is a bot is replaced by the fallback."""
        assert enforce_outbound("I'm an AI assistant!", fallback="Thanks.") == "Thanks."
        assert check_outbound("this is an automated message")

    def test_long_text_is_cut_at_a_boundary(self):
        """A long text is shortened at a word boundary to 160 characters."""
        got = enforce_outbound("word " * 60, fallback="x")
        assert gsm7_length(got) <= 160
        assert got.endswith("word.")

    def test_extension_characters_count_double(self):
        """GSM-7 extension characters count as two."""
        assert gsm7_length("{}") == 4
        assert check_outbound("[" * 81)

    @given(st.text())
    def test_any_text_is_made_compliant(self, text):
        """Whatever goes in, what comes out passes every rule."""
        got = enforce_outbound(text, booking_link=LINK, fallback="Thanks.")
        assert check_outbound(got, booking_link=LINK) == ()

    def test_mask_phones(self):
        """Phone numbers are masked down to their last four digits."""
        assert mask_phones("call 909-555-1234 or (909) 555 9876") == (
            "call ***-***-1234 or ***-***-9876"
        )


class TestTemplates:
    @pytest.mark.parametrize("key", tpl.KEYS)
    @pytest.mark.parametrize("tone", ["direct", "friendly"])
    @pytest.mark.parametrize("name", ["", "Maria", "Maximiliana Josephine"])
    def test_every_template_passes_the_rules(self, key, tone, name):
        """Every template, tone and variant passes the outbound rules as written."""
        for variant in range(tpl.variants(key, tone)):
            text = tpl.render(
                key, tone, variant=variant, first_name=name,
                first="Wednesday 12/30 at 10:30am", second="Thursday 12/31 at 12:30pm",
                slot="Wednesday 12/30 at 10:30am", agent_name="Jorge",
                business_name="Jorge Sells Homes", when="after 5 today",
                price="475k",
            )  # fmt: skip
            assert check_outbound(text) == (), text
            assert "{" not in text

    def test_questions_are_jorges_words(self):
        """The direct questions are exactly Jorge's."""
        assert tpl.render("question.motivation", "direct") == (
            "What's got you considering wanting to sell, where would you move to?"
        )
        assert tpl.render("question.timeline", "direct") == (
            "If our team sold your home within the next 30 to 45 days, would that "
            "pose a problem for you?"
        )
        assert tpl.render("question.condition", "direct") == (
            "How would you describe your home, would you say it's move in ready or "
            "would it need some work?"
        )
        assert tpl.render("question.price", "direct") == (
            "What price would incentivize you to sell?"
        )

    def test_opener_without_name(self):
        """The opener reads well with and without a first name."""
        opener = SellerConfig().opener
        assert tpl.opener(opener, first_name="Maria") == "Hey Maria, it's Jorge."
        assert tpl.opener(opener) == "Hey, it's Jorge."

    def test_consecutive_nudges_differ(self):
        """Nudges picked by consecutive cadence indexes are never the same text."""
        for key in [k for k in tpl.KEYS if k.startswith("nudge.")]:
            texts = [tpl.render(key, "direct", variant=i) for i in range(6)]
            assert all(a != b for a, b in itertools.pairwise(texts))

    def test_format_slot(self):
        """Slots read as today, tomorrow or the weekday, in the contact's zone."""
        now = utc(2026, 3, 3, 18)  # Tuesday 10:00 PST
        assert tpl.format_slot(utc(2026, 3, 3, 22), now=now, zone=LA) == "today at 2pm"
        assert tpl.format_slot(utc(2026, 3, 4, 18, 30), now=now, zone=LA) == (
            "tomorrow at 10:30am"
        )
        assert tpl.format_slot(utc(2026, 3, 6, 20), now=now, zone=LA) == (
            "Friday at 12pm"
        )
