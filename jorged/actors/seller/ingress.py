"""Ingress: every accepted webhook is on disk (fsync'd) before it is acknowledged.

Webhook routes hand parsed events to `Ingress.accept` through the bridge. The actor
writes whatever has queued up in one journal transaction (one fsync for the batch),
answers each caller "accepted" or "duplicate" (the journal keeps the dedupe keys),
and passes the accepted events to the seller in journal order. On start, entries a
crash left unhandled are passed on again before anything new is accepted, each
through the quarantine (`jorged.quarantine`): an entry that cannot be read back, or
that the seller failed on 3 times, is set aside instead of replayed. An event that
cannot be written to the journal at all is refused alone (422), not with its batch.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Literal, NoReturn

import attrs
import structlog
import trio

from jorged.actors.mailbox import ask, receive_batch, reply
from jorged.actors.seller.inbox import ContactTags, Deliver
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.exceptions import DiskUnavailable, JorgedError, WebhookRejected
from jorged.ghl import webhook_events as wh
from jorged.quarantine import InputRef, Quarantine, guarded
from jorged.store import codec
from jorged.store.diskhealth import retry_while_unwritable
from jorged.store.journal import InboundJournal

log = structlog.get_logger()

codec.register_union(wh.WebhookEvent)

Verdict = Literal["accepted", "duplicate"]
BATCH_MAX = 256
#: Journal entries read per step of the replay on start.
REPLAY_READ = 1000
#: Sources of OutboundMessage webhooks that are not a person texting from the CRM.
AUTOMATED_SOURCES = frozenset({"api", "workflow", "bulk_actions", "campaign"})


@attrs.frozen(kw_only=True)
class JournalEntry:
    """What the journal keeps of one webhook."""

    received_at: datetime
    event: wh.WebhookEvent


@attrs.frozen(kw_only=True)
class Accept:
    entry: JournalEntry
    received: float
    reply: trio.MemorySendChannel[Verdict | JorgedError]


def seller_inputs(event: wh.WebhookEvent) -> list[sio.SellerInput | ContactTags]:
    """What a webhook means to the seller (nothing for events it does not act on)."""
    match event:
        case wh.InboundMessage() if event.message_type.upper() in {"SMS", "TYPE_SMS"}:
            message = sio.InboundMessage(
                message_id=event.message_id or event.dedupe_key,
                text=event.body,
                at=event.date_added,
            )
            return [sio.Inbound(contact_id=event.contact_id, messages=(message,))]
        case wh.OutboundMessage() if _by_a_person(event):
            return [
                sio.HumanOutbound(
                    contact_id=event.contact_id,
                    message_id=event.message_id or event.dedupe_key,
                    text=event.body,
                    at=event.date_added,
                )
            ]
        case wh.ContactCreate() | wh.ContactUpdate() | wh.ContactTagUpdate():
            contact = event.contact
            return [
                ContactTags(
                    contact_id=contact.id,
                    tags=contact.tags,
                    first_name=contact.first_name,
                    phone=contact.phone,
                    timezone=contact.timezone,
                )
            ]
        case wh.ContactDndUpdate():
            contact = event.contact
            sms_dnd = any(
                d.channel.upper() == "SMS" and d.status.lower() == "active"
                for d in contact.dnd_settings
            )
            return [sio.DndChanged(contact_id=contact.id, dnd=contact.dnd or sms_dnd)]
    return []


def _by_a_person(event: wh.OutboundMessage) -> bool:
    if event.source.lower() in AUTOMATED_SOURCES:
        return False
    return bool(event.user_id) or event.source.lower() in {"app", "mobile_app"}


@attrs.frozen(kw_only=True)
class IngressStatistics:
    """Webhooks accepted and found duplicate since start, and the inbox depth."""

    accepted: int
    duplicates: int
    queued: int


@attrs.define(kw_only=True)
class Ingress:
    cfg: Config
    journal: InboundJournal
    clock: TrioWallClock
    inbox: trio.MemoryReceiveChannel[Accept]
    deliver: Callable[[Deliver], Awaitable[None]]
    on_event: Callable[[wh.WebhookEvent], None] = lambda _e: None
    quarantine: Quarantine | None = None
    _accepted: int = attrs.field(default=0, init=False)
    _duplicates: int = attrs.field(default=0, init=False)

    def statistics(self) -> IngressStatistics:
        return IngressStatistics(
            accepted=self._accepted,
            duplicates=self._duplicates,
            queued=self.inbox.statistics().current_buffer_used,
        )

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="ingress"):
            await self.replay()
            task_status.started()
            while True:
                await self._write(await receive_batch(self.inbox, BATCH_MAX))

    async def replay(self) -> None:
        """Pass on what a crash left unhandled, oldest first (at start, and when
        the seller restarts)."""
        replayed = 0
        after = 0
        while True:
            # Entries passed on stay pending until the seller has handled them,
            # so each read covers what was passed on and the next REPLAY_READ.
            rows = await self.journal.pending(limit=replayed + REPLAY_READ)
            fresh = [(seq, data) for seq, data in rows if seq > after]
            if not fresh:
                break
            for seq, data in fresh:
                await self.replay_one(seq, data)
                after = seq
                replayed += 1
        if replayed:
            log.info("ingress_replayed", entries=replayed)

    async def replay_one(self, seq: int, data: bytes) -> None:
        """Pass on the journal entry `seq` again, unless the quarantine holds it."""

        async def pass_on() -> None:
            await self._pass_on(seq, codec.loads(data, JournalEntry), received=None)

        await guarded(
            self.quarantine,
            lambda: journal_ref(seq),
            pass_on,
            describe=lambda: journal_ref(seq, data),
            settles=False,  # the seller's turn settles it
        )

    async def _write(self, batch: list[Accept]) -> None:
        items = []
        for msg in list(batch):
            try:
                items.append((msg.entry.event.dedupe_key, codec.dumps(msg.entry)))
            except (ValueError, TypeError, OverflowError) as exc:
                log.warning("webhook_unrecordable", error=str(exc))
                reason = f"payload: cannot be recorded ({type(exc).__name__}: {exc})"
                reply(msg.reply, WebhookRejected(status=422, reason=reason))
                batch.remove(msg)
        if not batch:
            return
        try:
            seqs = await self.journal.append_batch(items)
        except (OSError, sqlite3.Error, DiskUnavailable) as exc:
            log.error("journal_write_failed", error=str(exc), batch=len(batch))
            reason = "cannot record the event now"
            if isinstance(exc, DiskUnavailable):
                reason = "the disk is full or failing: cannot record the event now"
            refusal: Verdict | JorgedError = WebhookRejected(status=429, reason=reason)
            for msg in batch:
                reply(msg.reply, refusal)
            return
        for msg, seq in zip(batch, seqs, strict=True):
            verdict: Verdict | JorgedError = "duplicate" if seq is None else "accepted"
            reply(msg.reply, verdict)
            if seq is None:
                self._duplicates += 1
                continue
            self._accepted += 1
            self.on_event(msg.entry.event)
            await self._pass_on(seq, msg.entry, received=msg.received)

    async def _pass_on(
        self, seq: int, entry: JournalEntry, *, received: float | None
    ) -> None:
        inputs = seller_inputs(entry.event)
        if not inputs:
            await retry_while_unwritable(
                "inbound journal",
                functools.partial(self.journal.mark_done_many, [seq]),
                health=self.journal.health,
            )
            return
        for i, item in enumerate(inputs):
            seqs = (seq,) if i == len(inputs) - 1 else ()
            await self.deliver(
                Deliver(input=item, seqs=seqs, received=received, journaled=True)
            )


def journal_ref(seq: int, data: bytes | None = None) -> InputRef:
    """The quarantine's name for journal entry `seq`, described if `data` is given."""
    ref = InputRef(source="journal", key=str(seq), actor="ingress")
    if data is None:
        return ref
    try:
        entry = codec.loads(data, JournalEntry)
    except Exception:  # noqa: BLE001 - an unreadable entry is described as such
        summary = f"journal entry {seq} (unreadable)"
        contact_id = None
    else:
        event = entry.event
        contact_id = getattr(event, "contact_id", None)
        summary = f"{type(event).__name__} of {contact_id or 'no contact'}"
        body = getattr(event, "body", "")
        if body:
            summary += f": {body[:60]!r}"
    return InputRef(
        source="journal",
        key=str(seq),
        actor="ingress",
        contact_id=contact_id,
        summary=summary,
        payload=data[:4000].decode(errors="replace"),
    )


async def accept(inbox: trio.MemorySendChannel[Accept], entry: JournalEntry) -> Verdict:
    """Journal `entry` through the ingress actor: "accepted" or "duplicate"."""
    received = trio.current_time()
    return await ask(
        inbox,
        lambda r: Accept(entry=entry, received=received, reply=r),
        actor="ingress",
    )
