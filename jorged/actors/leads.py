"""The leads actor: scores every new contact (SPEC §2).

A contact is analysed when it is created (ContactCreate webhook) and again when its
first inbound message arrives, from its fields, tags and message text. Pattern
analysis first; the optional LLM only where the patterns are unsure. The analysis
then follows the seller's conversation: each time a turn changes what the seller
has told (`SellerUpdate`, from the seller actor), the lead is scored again with the
conversation's price and timeline, by the patterns alone, keeping what the LLM
filled before. The analysis
is stored at `lead:analysis:{contact_id}`, and `lead.analyzed` (and
`lead.hot_detected` for a HOT lead) are published. The lead never hears of it.

An event's input and analysis are stored in one commit, before anything is
published. Scoring the waiting events in batches, one commit a batch, would cost less
CPU, but measured on the webhook benchmark it made replies slower (p50 13 -> 18 ms
at 200 texts/s): a batch scores many leads while turns wait. Replies come first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

import attrs
import structlog
import trio

from jorged.clock import TrioWallClock
from jorged.domain.conversation.state import ConversationState
from jorged.domain.leads.analysis import (
    LeadAnalysis,
    LeadClass,
    LeadGaps,
    LeadInput,
    analyze,
    fill_gaps,
)
from jorged.domain.leads.from_seller import SellerFacts, facts_of
from jorged.events import Event, EventKind
from jorged.ghl import webhook_events as wh
from jorged.llm import AnalysisOutcome, LeadAnalyzer
from jorged.log import mask_pii
from jorged.store import codec
from jorged.store.store_protocol import Put, Store

log = structlog.get_logger()


_EventData = dict[str, str | int | float | bool | None]


@attrs.frozen(kw_only=True)
class SellerUpdate:
    """What a contact's seller conversation has told, after a turn changed it."""

    contact_id: str
    facts: SellerFacts


LeadsMsg = wh.WebhookEvent | SellerUpdate


def analysis_key(contact_id: str) -> str:
    return f"lead:analysis:{contact_id}"


def input_key(contact_id: str) -> str:
    return f"lead:input:{contact_id}"


@attrs.frozen(kw_only=True)
class LeadsStatistics:
    """Messages waiting in the inbox, and seller updates dropped (inbox full)."""

    queued: int
    dropped: int


@attrs.define(kw_only=True)
class Leads:
    store: Store
    clock: TrioWallClock
    analyzer: LeadAnalyzer
    inbox: trio.MemoryReceiveChannel[LeadsMsg]
    publish: Callable[[Event], None]
    _dropped: int = attrs.field(default=0, init=False)

    def offer(
        self, send: trio.MemorySendChannel[LeadsMsg]
    ) -> Callable[[wh.WebhookEvent], None]:
        """A producer hook that never blocks: events beyond the buffer are counted."""

        def hook(event: wh.WebhookEvent) -> None:
            if not isinstance(event, wh.ContactCreate | wh.InboundMessage):
                return
            try:
                send.send_nowait(event)
            except trio.WouldBlock:
                self._dropped += 1
                log.warning("lead_dropped", reason="leads inbox full")

        return hook

    def follow(
        self, send: trio.MemorySendChannel[LeadsMsg]
    ) -> Callable[[ConversationState], None]:
        """A hook for the seller actor: a turn changed what the seller told."""

        def hook(state: ConversationState) -> None:
            update = SellerUpdate(contact_id=state.contact_id, facts=facts_of(state))
            try:
                send.send_nowait(update)
            except trio.WouldBlock:
                self._dropped += 1
                log.warning("lead_dropped", reason="leads inbox full")

        return hook

    def statistics(self) -> LeadsStatistics:
        return LeadsStatistics(
            queued=self.inbox.statistics().current_buffer_used,
            dropped=self._dropped,
        )

    async def analysis(self, contact_id: str) -> LeadAnalysis | None:
        data = await self.store.get(analysis_key(contact_id))
        return None if data is None else codec.loads(data, LeadAnalysis)

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="leads"):
            task_status.started()
            while True:
                await self._score(await self.inbox.receive())

    async def _score(self, event: LeadsMsg) -> None:
        """Score the lead; store its input and analysis together, then publish
        (never an analysis that is not stored)."""
        lead = await self._input(event)
        if lead is None:
            return
        if isinstance(event, SellerUpdate):
            analysis, data = await self._follow(lead)
        else:
            analysis, data = await self._analyze(lead)
        await self.store.write(
            [
                Put(input_key(lead.contact_id), codec.dumps(lead)),
                Put(analysis_key(lead.contact_id), codec.dumps(analysis)),
            ]
        )
        for one in self._events(analysis, data):
            self.publish(one)

    async def _input(self, event: LeadsMsg) -> LeadInput | None:
        """The lead as now known, or None when this event adds nothing to score."""
        match event:
            case wh.ContactCreate(contact=c):
                known = await self.store.get(input_key(c.id))
                messages = codec.loads(known, LeadInput).messages if known else ()
                seller = codec.loads(known, LeadInput).seller if known else None
                lead = LeadInput(
                    messages=messages,
                    seller=seller,
                    contact_id=c.id,
                    first_name=c.first_name,
                    last_name=c.last_name,
                    email=c.email,
                    phone=c.phone,
                    address=c.address1,
                    city=c.city,
                    tags=c.tags,
                    source=c.source,
                )
            case wh.InboundMessage(contact_id=contact_id, body=body):
                known = await self.store.get(input_key(contact_id))
                if known is not None:
                    lead = codec.loads(known, LeadInput)
                    if lead.messages:
                        return None  # only the first message is scored
                    lead = attrs.evolve(lead, messages=(body,))
                elif await self.store.get(analysis_key(contact_id)) is not None:
                    return None
                else:
                    lead = LeadInput(contact_id=contact_id, messages=(body,))
            case SellerUpdate(contact_id=contact_id, facts=facts):
                known = await self.store.get(input_key(contact_id))
                lead = (
                    codec.loads(known, LeadInput)
                    if known is not None
                    else LeadInput(contact_id=contact_id)
                )
                if lead.seller == facts:
                    return None
                lead = attrs.evolve(lead, seller=facts)
            case _:
                return None
        return lead

    async def _follow(self, lead: LeadInput) -> tuple[LeadAnalysis, _EventData]:
        """Score again after the conversation changed: patterns only, keeping
        what the LLM filled in the analysis before."""
        cfg = self.analyzer.leads_cfg
        a = analyze(lead, cfg, self.clock.now())
        before = await self.analysis(lead.contact_id)
        if before is not None and before.filled_by_llm:
            filled = before.filled_by_llm
            gaps = LeadGaps(
                price_low=before.price_low if "price" in filled else None,
                price_high=before.price_high if "price" in filled else None,
                timeline_days=before.timeline_days if "timeline" in filled else None,
                area=before.area if "area" in filled else None,
                financing=before.financing if "financing" in filled else None,
            )
            a = fill_gaps(a, gaps, cfg)
        data: _EventData = {
            "score": a.score,
            "classification": a.classification.value,
            "reason": mask_pii(a.reason),
            "source": "conversation",
            "saved_usd": 0.0,
        }
        return a, data

    async def _analyze(self, lead: LeadInput) -> tuple[LeadAnalysis, _EventData]:
        outcome: AnalysisOutcome = await self.analyzer.analyze(lead, self.clock.now())
        a = outcome.analysis
        data: _EventData = {
            "score": a.score,
            "classification": a.classification.value,
            "reason": mask_pii(a.reason),
            "source": outcome.source,
            "saved_usd": outcome.saved_usd,
        }
        return a, data

    def _events(self, a: LeadAnalysis, data: _EventData) -> list[Event]:
        kinds = [EventKind.LEAD_ANALYZED]
        if a.classification is LeadClass.HOT:
            kinds.append(EventKind.LEAD_HOT_DETECTED)
        now = self.clock.now()
        return [
            Event(kind=kind, at=now, contact_id=a.contact_id, data=data)
            for kind in kinds
        ]
