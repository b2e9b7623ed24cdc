"""Feed lines are made once per event and day, for every open page."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ui.components import feed

DAY = date(2026, 3, 3)


def event(ident: str, contact: str = "c1") -> dict[str, object]:
    return {
        "id": ident,
        "kind": "seller.message_received",
        "at": datetime(2026, 3, 3, 18, 0, tzinfo=UTC).isoformat(),
        "contact_id": contact,
        "data": {"stage": "q_timeline"},
    }


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
        unnumbered = {**event("x"), "id": ""}
        assert lines.line(unnumbered, DAY) == feed._line(unnumbered)
        assert len(lines._made) == 0
