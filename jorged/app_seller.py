"""The daemon's seller side: ingress → seller → outbox, and the scheduler's timers back.

`build_seller_side` makes the channels and the actors of that path, with the leads
actor the ingress offers every webhook to; `SellerSide.start` starts them under the
daemon's supervision. A webhook is marked handled in the ingress journal only once
the state it produced is synced, and a seller restarted after a crash has the
scheduler fire its timers again and the ingress replay the journal's unhandled
entries (see `actors.seller`). Ingress, seller and outbox share the daemon's
quarantine, with a path registered for each source of input (`quarantine_paths`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any

import attrs
import trio

from jorged.actors.leads import Leads, LeadsMsg
from jorged.actors.outbox.items import OutboxMsg
from jorged.actors.outbox.outbox_actor import Outbox
from jorged.actors.seller.inbox import Deliver, SellerMsg
from jorged.actors.seller.ingress import Accept, Ingress
from jorged.actors.seller.llm_turns import TurnReader
from jorged.actors.seller.quarantine_paths import register_seller_paths
from jorged.actors.seller.scheduler import Refire, Scheduler, SchedulerMsg
from jorged.actors.seller.seller_actor import Seller
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation.inputs import SellerInput
from jorged.events import Event
from jorged.ghl import GhlApi
from jorged.llm import AnalysisOutcome, LeadAnalyzer, LlmCallRecord, llm_configured
from jorged.llm.llm_protocol import LeadLlm
from jorged.quarantine import Quarantine
from jorged.services import SellerService
from jorged.store.diskhealth import retry_while_unwritable
from jorged.store.durable import DurableStore
from jorged.store.journal import InboundJournal
from jorged.store.store_protocol import Store

#: Starts one actor under supervision: `start(name, actor.run)`.
Start = Callable[[str, Callable[..., Awaitable[Any]]], Awaitable[None]]


@attrs.frozen(kw_only=True)
class SellerSide:
    """The seller side's actors, built and not yet started."""

    leads: Leads
    outbox: Outbox
    scheduler: Scheduler
    seller: Seller
    ingress: Ingress
    #: What the API, the control socket and the dashboard may ask of this side.
    service: SellerService
    seller_recv: trio.MemoryReceiveChannel[SellerMsg]
    #: The outbox's inbox (`Queued` items; the quarantine's retries use it too).
    outbox_inbox: trio.MemorySendChannel[OutboxMsg]

    async def start(self, start: Start) -> None:
        for name, actor in (
            ("leads", self.leads.run),
            ("outbox", self.outbox.run),
            ("scheduler", self.scheduler.run),
            ("seller", self.seller.run),
            ("ingress", self.ingress.run),
        ):
            await start(name, actor)

    def queues(self) -> dict[str, Callable[[], int]]:
        """Queue depth readers by actor name, for the monitor and the health page."""
        return {
            "ingress": lambda: self.ingress.statistics().queued,
            "seller": lambda: self.seller.statistics().queued,
            "outbox": lambda: self.outbox.statistics().queued,
            "leads": lambda: self.leads.statistics().queued,
        }


async def build_seller_side(
    *,
    cfg: Config,
    store: DurableStore,
    ghl: GhlApi,
    stack: AsyncExitStack,
    publish: Callable[[Event], None],
    on_reply: Callable[[str, float], None],
    on_lead_outcome: Callable[[AnalysisOutcome], None],
    quarantine: Quarantine | None = None,
    on_llm_call: Callable[[LlmCallRecord], None] = lambda _c: None,
) -> SellerSide:
    """The daemon's seller side on its durable store: the LLM clients (if any),
    which close with `stack`, then `wire_seller_side`. A webhook is marked handled
    in the store's journal once the state it produced is synced."""
    llm = None
    llm_reads = None
    if llm_configured(cfg.llm):
        from jorged.llm import open_anthropic_llm  # the SDK loads only when used

        llm = await stack.enter_async_context(
            open_anthropic_llm(cfg.llm, cfg.leads.service_areas)
        )
        llm_reads = await _turn_reader(cfg, store, stack, on_llm_call)
    return wire_seller_side(
        cfg=cfg,
        store=store,
        journal=store.inbound,
        ghl=ghl,
        clock=TrioWallClock.start(),
        publish=publish,
        on_reply=on_reply,
        on_lead_outcome=on_lead_outcome,
        mark_done=functools.partial(_mark_done, store, store.inbound),
        quarantine=quarantine,
        llm=llm,
        llm_reads=llm_reads,
    )


def wire_seller_side(
    *,
    cfg: Config,
    store: Store,
    journal: InboundJournal,
    ghl: GhlApi,
    clock: TrioWallClock,
    publish: Callable[[Event], None],
    on_reply: Callable[[str, float], None],
    on_lead_outcome: Callable[[AnalysisOutcome], None],
    mark_done: Callable[[Sequence[int]], Awaitable[None]],
    quarantine: Quarantine | None = None,
    llm: LeadLlm | None = None,
    llm_reads: TurnReader | None = None,
) -> SellerSide:
    """Wire ingress → seller → outbox, with the scheduler and the leads actor.

    Each actor is built whole, after everything it is given: the channels first,
    then the outbox, scheduler, leads and ingress, and the seller last (it is told
    how to recover through the scheduler and the ingress). The daemon
    (`build_seller_side`) and the tests' rig both build the side with this.
    """
    seller_send, seller_recv = trio.open_memory_channel[SellerMsg](1024)
    ingress_send, ingress_recv = trio.open_memory_channel[Accept](1024)
    # seller → scheduler → seller is a cycle: the scheduler's inbox must never
    # block the seller (it holds at most a few messages per contact).
    sched_send, sched_recv = trio.open_memory_channel[SchedulerMsg](math.inf)
    # Turns' stored items, from the seller (and quarantine retries) to the outbox.
    outbox_send, outbox_recv = trio.open_memory_channel[OutboxMsg](1024)
    leads_send, leads_recv = trio.open_memory_channel[LeadsMsg](1024)

    async def to_seller(item: SellerInput) -> None:
        await seller_send.send(Deliver(input=item))

    outbox = Outbox(
        cfg=cfg,
        store=store,
        ghl=ghl,
        clock=clock,
        feedback=to_seller,
        publish=publish,
        inbox=outbox_recv,
        quarantine=quarantine,
    )
    scheduler = Scheduler(store=store, clock=clock, inbox=sched_recv, fire=to_seller)
    leads = Leads(
        store=store,
        clock=clock,
        analyzer=LeadAnalyzer(
            leads_cfg=cfg.leads,
            llm_cfg=cfg.llm,
            llm=llm,
            cache_get=store.get,
            cache_put=store.put,
            on_record=on_lead_outcome,
        ),
        inbox=leads_recv,
        publish=publish,
    )
    ingress = Ingress(
        cfg=cfg,
        journal=journal,
        clock=clock,
        inbox=ingress_recv,
        deliver=seller_send.send,
        on_event=leads.offer(leads_send),
        quarantine=quarantine,
    )

    async def recover() -> None:
        await sched_send.send(Refire())
        await ingress.replay()

    seller = Seller(
        cfg=cfg,
        store=store,
        clock=clock,
        send_outbox=outbox_send.send,
        inbox=seller_recv,
        schedule=sched_send.send,
        publish=publish,
        mark_done=mark_done,
        on_reply=on_reply,
        on_told=leads.follow(leads_send),
        recover=recover,
        quarantine=quarantine,
        llm_reads=llm_reads,
    )
    if quarantine is not None:
        register_seller_paths(
            quarantine,
            journal=journal,
            replay_one=ingress.replay_one,
            schedule=sched_send.send,
            now=clock.now,
            deliver=seller_send.send,
            outbox=outbox,
            outbox_inbox=outbox_send.send,
        )
    service = SellerService(
        store=store,
        clock=clock,
        outbox=outbox,
        seller_inbox=seller_send,
        ingress_inbox=ingress_send,
    )
    return SellerSide(
        leads=leads,
        outbox=outbox,
        scheduler=scheduler,
        seller=seller,
        ingress=ingress,
        service=service,
        seller_recv=seller_recv,
        outbox_inbox=outbox_send,
    )


async def _turn_reader(
    cfg: Config,
    store: DurableStore,
    stack: AsyncExitStack,
    on_call: Callable[[LlmCallRecord], None],
) -> TurnReader:
    """The seller's LLM reader of unsure messages; its client closes with `stack`."""
    from jorged.llm.reading import open_anthropic_reader, read_with_llm

    reader = await stack.enter_async_context(open_anthropic_reader(cfg.llm))
    return TurnReader(
        read_again=functools.partial(read_with_llm, llm=reader),
        timeout_s=cfg.llm.timeout_s,
        model=cfg.llm.model,
        on_call=on_call,
        store=store,
    )


async def _mark_done(
    store: DurableStore, journal: InboundJournal, seqs: Sequence[int]
) -> None:
    """Mark inbound webhooks handled, once the state they produced is synced."""

    async def mark() -> None:
        await store.sync()
        await journal.mark_done_many(seqs)

    # A full disk holds the marks back (the seller goes on); they land with space.
    await retry_while_unwritable("inbound journal", mark, health=store.disk_health)
