"""Feed lines are made once per event and day, for every open page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from jorged.actors.outbox import items as outbox_items
from jorged.domain.conversation.state import (
    Condition,
    ConversationState,
    Direction,
    Slots,
    TranscriptEntry,
)
from jorged.events import Event, EventKind
from ui import format as fmt
from ui.components import feed, feed_text
from ui.pages.conversation import evidence_by_message

DAY = date(2026, 3, 3)
NOON = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def event(ident: str, contact: str = "c1") -> Event:
    return Event(
        id=ident,
        kind=EventKind.SELLER_MESSAGE_RECEIVED,
        at=datetime(2026, 3, 3, 18, 0, tzinfo=UTC),
        contact_id=contact,
        data={"stage": "q_timeline"},
    )


class TestLines:
    def test_a_kept_line_is_the_line_drawn_afresh(self) -> None:
        """Taking a line from the kept ones changes nothing on the page."""
        lines = feed.Lines(kept=8)
        first = lines.line(event("1-0"), DAY)
        assert first == feed._line(event("1-0"))
        assert lines.line(event("1-0"), DAY) is first

    def test_keeps_at_most_its_bound(self) -> None:
        """Old lines are let go once more than `kept` have been made."""
        lines = feed.Lines(kept=3)
        for k in range(10):
            lines.line(event(f"{k}-0", contact=f"c{k}"), DAY)
        assert len(lines._made) == 3
        assert lines.line(event("0-0", contact="other"), DAY) == feed._line(
            event("0-0", contact="other")
        )

    def test_a_new_day_draws_the_line_again(self) -> None:
        """The same event on another day is drawn anew (its date may now show)."""
        lines = feed.Lines(kept=8)
        lines.line(event("1-0"), DAY)
        lines.line(event("1-0"), date(2026, 3, 4))
        assert len(lines._made) == 2

    def test_an_event_without_an_id_is_drawn_directly(self) -> None:
        """Nothing is kept for an event the stream has not numbered."""
        lines = feed.Lines(kept=8)
        unnumbered = attrs.evolve(event("x"), id="")
        assert lines.line(unnumbered, DAY) == feed._line(unnumbered)
        assert len(lines._made) == 0


def plain(html_line: str) -> str:
    """The words of a feed line as a reader sees them (tags dropped)."""
    return re.sub(r"<[^>]+>", "", html_line).replace("&#x27;", "'")


class TestPlainLanguage:
    def test_an_answer_reads_as_a_sentence_with_the_name(self) -> None:
        """SPEC 5: "Maria Lopez answered the price question: $450k", no codes."""
        answered = attrs.evolve(
            event("2-0", contact="demo-1796606041-00001"),
            kind=EventKind("seller.slot_filled"),
            data={"slot": "price", "value": 450000, "stage": "q_price"},
        )
        line = feed._line(answered, "Maria Lopez")
        words = plain(line)
        assert words.endswith("Maria Lopez answered the price question: $450k")
        assert "seller.slot_filled" not in line
        assert 'title="demo-1796606041-00001"' in line  # the id as a tooltip
        assert 'href="/conversations/demo-1796606041-00001"' in line

    def test_a_seller_without_a_name_is_shown_by_id(self) -> None:
        words = plain(feed._line(event("3-0", contact="c-77"), None))
        assert "c-77 texted" in words

    @pytest.mark.parametrize(
        ("kind", "data", "says"),
        [
            ("outbox.updated", {"kind": "add_tags", "status": "sandboxed"},
             "Tags added for Ana: recorded in sandbox, not sent"),
            ("outbox.updated", {"kind": "get_contact", "status": "sent"},
             "Contact looked up in GHL for Ana: sent"),
            ("seller.temperature_changed", {"from": "warm", "to": "hot"},
             "Ana is now Hot (was Warm)"),
            ("seller.paused", {"reason": "stop_tag"},
             "The bot paused for Ana: a stop tag was added in the CRM"),
            ("seller.reply_sent", {"text": "Thanks!"}, "Replied to Ana: “Thanks!”"),
        ],
    )  # fmt: skip
    def test_every_kind_reads_as_words(
        self, kind: str, data: dict[str, object], says: str
    ) -> None:
        line = feed._line(
            attrs.evolve(event("4-0"), kind=EventKind(kind), data=data), "Ana"
        )
        assert plain(line).endswith(says)
        assert kind not in plain(line)

    def test_every_outbox_action_has_a_label(self) -> None:
        """No outbox line shows a raw action name such as get_contact."""
        assert set(outbox_items.KINDS.values()) <= set(feed_text.ACTIONS)

    def test_every_known_kind_has_a_label(self) -> None:
        """Each event kind the daemon emits has a person's label in the filter."""
        assert {k.value for k in EventKind} <= set(feed_text.KINDS)


class TestTimes:
    NOW = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)

    def test_local_human_times(self) -> None:
        """No POSIX seconds, no ISO: clock time today, the date otherwise."""
        today = self.NOW.replace(hour=17, minute=14)
        assert fmt.when(today.isoformat(), now=self.NOW).endswith(("AM", "PM"))
        shown = fmt.when((self.NOW - timedelta(days=3)).timestamp(), now=self.NOW)
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d\d [AP]M", shown), shown
        assert fmt.ago((self.NOW - timedelta(minutes=2)).isoformat(), now=self.NOW) == (
            "2 min ago"
        )

    def test_a_datetime_reads_as_its_iso_text_does(self) -> None:
        """The port's records carry datetimes; they read as the JSON's times did."""
        at = self.NOW.replace(hour=9, minute=14)
        assert fmt.when(at, now=self.NOW) == fmt.when(at.isoformat(), now=self.NOW)
        naive = at.replace(tzinfo=None)
        assert fmt.parse_time(naive) == fmt.parse_time(naive.isoformat()) == at

    def test_numbers_that_are_not_times_stay_numbers(self) -> None:
        assert fmt.parse_time(42) is None
        assert fmt.parse_time(True) is None


class TestEvidence:
    def test_each_recorded_value_points_at_the_sellers_words(self) -> None:
        def said(direction: str, text: str, message_id: str | None) -> TranscriptEntry:
            return TranscriptEntry(
                direction=Direction(direction),
                text=text,
                at=NOON,
                message_id=message_id,
            )

        state = ConversationState(
            contact_id="c1", created_at=NOON, updated_at=NOON,
            slots=Slots(price_low=450000, price_high=450000, timeline_ok=True,
                        condition=Condition.MOVE_IN_READY,
                        evidence=(("price", "around 450"), ("timeline", "no that works"),
                                  ("condition", "totally   redone"))),
            transcript=(
                said("in", "no that works", "m-1"),
                said("out", "around 450 you said?", None),
                said("in", "Around 450 i guess", "m-2"),
                said("in", "it was totally redone", "m-3"),
            ),
        )  # fmt: skip
        assert evidence_by_message(state) == {
            "m-2": ["Read as price: $450k from “around 450”"],
            "m-1": ["Read as timeline: yes from “no that works”"],
            "m-3": ["Read as condition: Move in ready from “totally redone”"],
        }

    def test_a_state_without_evidence_shows_none(self) -> None:
        state = ConversationState(contact_id="c1", created_at=NOON, updated_at=NOON)
        assert evidence_by_message(state) == {}
