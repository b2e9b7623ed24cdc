"""The Needs Jorge read model: one provider per kind of wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from jorged import needs_queue as nj
from jorged.domain.conversation.state import Hold, HoldReason, Stage, Temperature
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.leads.analysis import TimelineBucket
from jorged.quarantine import Failure, InputRef, QuarantinedItem

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


def hold(reason: HoldReason) -> Hold:
    return Hold(
        reason=reason,
        at=T0 + timedelta(minutes=5),
        call_time="after 5 today" if reason is HoldReason.CALL_REQUEST else "",
        words="have him call me after 5 today",
    )


def quarantined(contact_id: str, summary: str) -> QuarantinedItem:
    ref = InputRef(
        source="journal",
        key="7",
        actor="ingress",
        contact_id=contact_id,
        summary=summary,
    )
    failure = Failure(error="StoreError: boom", traceback=(), at=T0)
    return QuarantinedItem(
        id=ref.id, ref=ref, failures=(failure,) * 3, quarantined_at=T0
    )


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

    def test_unsure_readings_are_not_recorded_yet(self) -> None:
        """No made-up items: the provider without data returns none."""
        sources = nj.Sources(
            rows=[row("a", paused=True, hold=hold(HoldReason.OPT_OUT_UNSURE))],
            outbox=[alert("a", T0)],
        )
        assert list(nj.unsure_readings(sources)) == []

    def test_a_call_request_shows_once_with_its_time(self) -> None:
        """Paused for a call: under "call request" alone, not as paused, nor as a
        hand-off for the alert the request sent."""
        sources = nj.Sources(
            rows=[row("a", paused=True, hold=hold(HoldReason.CALL_REQUEST))],
            outbox=[alert("a", T0)],
        )
        (need,) = nj.needs(sources)
        assert nj.need_json(need) == {
            "kind": "call_request",
            "contact_id": "a",
            "name": "Maria",
            "at": (T0 + timedelta(minutes=5)).isoformat(),
            "summary": "Wants a call after 5 today. Bot paused until you resume or"
            " stop it.",
            "detail": "have him call me after 5 today",
            "call_time": "after 5 today",
            "item_id": "",
        }

    def test_a_possible_opt_out_shows_once_for_review(self) -> None:
        sources = nj.Sources(
            rows=[row("a", paused=True, hold=hold(HoldReason.OPT_OUT_UNSURE))]
        )
        (need,) = nj.needs(sources)
        assert (need.kind, need.detail) == (
            nj.NeedKind.OPT_OUT_REVIEW,
            "have him call me after 5 today",
        )
        assert "paused until you resume or stop" in need.summary

    def test_a_hold_of_a_stopped_or_resumed_seller_waits_for_nobody(self) -> None:
        call = hold(HoldReason.CALL_REQUEST)
        sources = nj.Sources(
            rows=[
                row("stopped", paused=True, stopped=True, hold=call),
                row("opted", paused=True, opted_out=True, hold=call),
                row("resumed", hold=call),
            ]
        )
        assert nj.needs(sources) == []

    def test_a_quarantined_message_names_its_seller_and_error(self) -> None:
        item = quarantined("a", "inbound SMS 'hi' of a")
        sources = nj.Sources(rows=[row("a")], quarantine=[item])
        (need,) = nj.quarantined_messages(sources)
        assert (need.kind, need.name, need.item_id, need.at) == (
            nj.NeedKind.QUARANTINED,
            "Maria",
            item.id,
            T0,
        )
        assert need.summary == "Set aside after 3 failed tries: StoreError: boom"
        assert need.detail == "inbound SMS 'hi' of a"

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
