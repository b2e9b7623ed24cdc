"""The leads actor: what it stores and publishes."""

from __future__ import annotations

from datetime import UTC, datetime

import trio
import trio.testing

from jorged.actors.leads import (
    Leads,
    LeadsMsg,
    SellerUpdate,
    analysis_key,
    input_key,
)
from jorged.clock import TrioWallClock
from jorged.config import LeadsConfig, LlmConfig
from jorged.domain.leads.analysis import (
    LeadAnalysis,
    LeadClass,
    LeadInput,
    TimelineBucket,
)
from jorged.domain.leads.from_seller import SellerFacts
from jorged.events import Event, EventKind
from jorged.ghl import webhook_events as wh
from jorged.ghl.models import GhlContact
from jorged.ghl.signatures import AuthMethod
from jorged.llm import LeadAnalyzer
from jorged.store import codec
from jorged.store.memory import DictStore

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
AUTH = next(iter(AuthMethod))
HOT_TEXT = "Cash buyer, Fontana, 400k, need to move within 30 days"


def created(contact_id: str, *, first_name: str = "Ana") -> wh.ContactCreate:
    contact = GhlContact(id=contact_id, first_name=first_name, phone="+19095550100")
    return wh.ContactCreate(
        location_id="L", dedupe_key=f"create-{contact_id}", auth=AUTH, contact=contact
    )


def texted(contact_id: str, body: str, n: int = 0) -> wh.InboundMessage:
    return wh.InboundMessage(
        location_id="L",
        dedupe_key=f"msg-{contact_id}-{n}",
        auth=AUTH,
        contact_id=contact_id,
        message_type="SMS",
        date_added=NOW,
        body=body,
        direction="inbound",
        message_id=f"m-{contact_id}-{n}",
    )


async def play(
    events: list[LeadsMsg], *, together: bool
) -> tuple[DictStore, list[Event]]:
    """Run the actor on `events`: all queued before it starts, or each sent after
    the last was handled."""
    store = DictStore()
    published: list[Event] = []
    send, recv = trio.open_memory_channel[LeadsMsg](len(events) + 1)
    leads = Leads(
        store=store,
        clock=TrioWallClock.start(NOW.timestamp()),
        analyzer=LeadAnalyzer(leads_cfg=LeadsConfig(), llm_cfg=LlmConfig()),
        inbox=recv,
        publish=published.append,
    )
    async with trio.open_nursery() as nursery:
        if together:
            for event in events:
                send.send_nowait(event)
        nursery.start_soon(leads.run)
        for event in events if not together else ():
            await send.send(event)
            await trio.testing.wait_all_tasks_blocked()
        await trio.testing.wait_all_tasks_blocked()
        nursery.cancel_scope.cancel()
    return store, published


async def stored_analysis(store: DictStore, contact_id: str) -> LeadAnalysis | None:
    data = await store.get(analysis_key(contact_id))
    return None if data is None else codec.loads(data, LeadAnalysis)


async def test_a_contact_then_its_first_text_are_scored_in_turn(
    mock_clock: trio.testing.MockClock,
) -> None:
    store, published = await play(
        [created("c1"), texted("c1", HOT_TEXT), texted("c1", "ok", 1)], together=False
    )
    lead = codec.loads(await store.get(input_key("c1")) or b"", LeadInput)
    assert lead.first_name == "Ana"
    assert lead.messages == (HOT_TEXT,)  # only the first text is scored
    analysed = [e for e in published if e.kind is EventKind.LEAD_ANALYZED]
    assert [e.contact_id for e in analysed] == ["c1", "c1"]
    analysis = await stored_analysis(store, "c1")
    assert analysis is not None
    assert analysed[-1].data["score"] == analysis.score


async def test_a_queue_of_events_is_scored_as_one_at_a_time(
    mock_clock: trio.testing.MockClock,
) -> None:
    events: list[LeadsMsg] = []
    for k in range(70):
        cid = f"c{k}"
        events += [created(cid), texted(cid, HOT_TEXT if k % 3 else "just curious")]
        events.append(texted(cid, "second text", 1))
    one_by_one, published_one = await play(events, together=False)
    queued, published_queued = await play(events, together=True)
    assert [(e.kind, e.contact_id, e.data) for e in published_queued] == [
        (e.kind, e.contact_id, e.data) for e in published_one
    ]
    for k in range(70):
        cid = f"c{k}"
        assert await queued.get(input_key(cid)) == await one_by_one.get(input_key(cid))
        assert await stored_analysis(queued, cid) == await stored_analysis(
            one_by_one, cid
        )
    hot = {
        e.contact_id for e in published_queued if e.kind is EventKind.LEAD_HOT_DETECTED
    }
    classes = {
        cid: a.classification
        for k in range(70)
        if (a := await stored_analysis(queued, cid := f"c{k}")) is not None
    }
    assert hot == {cid for cid, c in classes.items() if c is LeadClass.HOT}
    assert len(hot) == len(classes) * 2 // 3  # the urgent texts


async def test_other_events_store_and_publish_nothing() -> None:
    tags = wh.ContactTagUpdate(
        location_id="L",
        dedupe_key="tags-c9",
        auth=AUTH,
        contact=GhlContact(id="c9", tags=("seller",)),
    )
    store, published = await play([tags], together=True)
    assert published == []
    assert await store.get(input_key("c9")) is None
    assert await store.get(analysis_key("c9")) is None


async def test_the_analysis_follows_the_seller_conversation(
    mock_clock: trio.testing.MockClock,
) -> None:
    """A seller who gave no price in the first text, then qualified HOT in the
    conversation, is scored from the conversation's price and timeline."""
    facts = SellerFacts(
        motivation="relocation",
        timeline_ok=True,
        condition="move_in_ready",
        price_low=450_000,
        price_high=450_000,
        temperature="hot",
    )
    events: list[LeadsMsg] = [
        created("c1"),
        texted("c1", "hi, who is this?"),
        SellerUpdate(contact_id="c1", facts=SellerFacts(motivation="relocation")),
        SellerUpdate(contact_id="c1", facts=facts),
        SellerUpdate(contact_id="c1", facts=facts),  # nothing new: not scored again
    ]
    store, published = await play(events, together=False)
    analysis = await stored_analysis(store, "c1")
    assert analysis is not None
    assert (analysis.price_low, analysis.price_high) == (450_000, 450_000)
    assert analysis.timeline is TimelineBucket.IMMEDIATE
    assert analysis.classification is LeadClass.HOT
    assert analysis.score >= LeadsConfig().hot_score
    assert "price unknown" not in analysis.reason
    scores = [e.data["score"] for e in published if e.kind is EventKind.LEAD_ANALYZED]
    assert len(scores) == 4  # create, first text, two conversation changes
    assert scores[0] < scores[-1] == analysis.score
