"""The Needs Jorge read model: one provider per kind of wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from jorged import needs_jorge as nj
from jorged.domain.aggregate_facts import ConversationRow
from jorged.domain.leads import TimelineBucket
from jorged.domain.seller_models import Stage, Temperature

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def row(contact_id: str, **changes: object) -> ConversationRow:
    base = ConversationRow(
        contact_id=contact_id,
        first_name="Maria",
        phone="",
        stage=Stage.QUALIFIED,
        temperature=Temperature.HOT,
        stalled=False,
        paused=False,
        opted_out=False,
        stopped=False,
        booked=False,
        price_low=450_000,
        price_high=None,
        price=450_000,
        timeline=TimelineBucket.IMMEDIATE,
        questions_answered=4,
        last_activity=T0,
        created_at=T0,
    )
    return attrs.evolve(base, **changes)


def alert(contact_id: str, at: datetime) -> dict[str, object]:
    return {
        "contact_id": contact_id,
        "kind": "notify_agent",
        "text": "HOT seller Maria: call today",
        "created_at": at.isoformat(),
    }


class TestProviders:
    def test_a_paused_seller_waits_a_stopped_one_does_not(self) -> None:
        sources = nj.Sources(
            rows=[
                row("a", paused=True),
                row("b", paused=True, stopped=True),
                row("c", paused=True, opted_out=True),
            ]
        )
        assert [n.contact_id for n in nj.paused_conversations(sources)] == ["a"]

    def test_a_handoff_waits_until_the_seller_books(self) -> None:
        sources = nj.Sources(
            rows=[row("a"), row("b", booked=True)],
            outbox=[alert("a", T0), alert("b", T0)],
        )
        (need,) = nj.hot_handoffs(sources)
        assert (need.kind, need.name, need.summary) == (
            nj.NeedKind.HOT_HANDOFF,
            "Maria",
            "HOT seller Maria: call today",
        )

    def test_sources_not_recorded_yet_give_nothing(self) -> None:
        """No made-up items: providers without data return none."""
        sources = nj.Sources(rows=[row("a", paused=True)], outbox=[alert("a", T0)])
        for provider in (
            nj.call_requests,
            nj.unsure_readings,
            nj.quarantined_messages,
            nj.opt_out_reviews,
        ):
            assert list(provider(sources)) == []

    def test_the_longest_wait_comes_first(self) -> None:
        sources = nj.Sources(
            rows=[
                row("late", paused=True, last_activity=T0 + timedelta(hours=1)),
                row("early", paused=True, last_activity=T0),
            ]
        )
        assert [n.contact_id for n in nj.needs(sources)] == ["early", "late"]

    def test_a_new_provider_plugs_in(self) -> None:
        def calls(_s: nj.Sources) -> list[nj.Need]:
            return [
                nj.Need(
                    kind=nj.NeedKind.CALL_REQUEST,
                    contact_id="x",
                    name="Ana",
                    at=T0,
                    summary="Wants a call",
                    detail="after 5 today",
                )
            ]

        queue = nj.needs(nj.Sources(), (*nj.PROVIDERS, calls))
        assert [nj.need_json(n)["detail"] for n in queue] == ["after 5 today"]
