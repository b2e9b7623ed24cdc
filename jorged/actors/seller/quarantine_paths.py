"""How each replay path names its inputs to the quarantine, and what set aside,
retry and drop do to them (see `jorged.quarantine`).

- `journal`: an ingress journal entry, keyed by its seq. Set aside in the journal
  (never replayed); retry makes it pending and passes it on; drop marks it done.
- `timer`: `followup:<index>:<contact>` or `stall:0:<contact>`. Set aside cancels
  the timer; retry sets it due now; drop leaves it cancelled.
- `seller`: an input the seller gets from no journal (the outbox's answers), keyed
  by contact and digest and kept whole in the item; retry hands it back.
- `outbox`: an item id. Set aside takes it out of the pending set; retry puts it
  back and sends it; drop marks it failed.
- `aggregator`: the store key of a record it could not index; retry re-reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

import attrs

from jorged.actors.outbox.items import OutboxMsg, Queued
from jorged.actors.seller import scheduler as sched
from jorged.actors.seller.inbox import ContactTags, Deliver, SellerMsg
from jorged.domain.conversation import inputs as sio
from jorged.quarantine import InputRef, Quarantine
from jorged.store import codec
from jorged.store.journal import InboundJournal

__all__ = [
    "AggregatorPath",
    "JournalPath",
    "OutboxPath",
    "SellerInputPath",
    "TimerPath",
    "seller_ref",
]

#: The most characters of an input kept to show it.
PAYLOAD_CHARS = 4000


def seller_ref(msg: Deliver, *, described: bool = False) -> InputRef:
    """The quarantine's name for a seller input: its journal entries when it came
    from the journal, its timer, or a digest of the input itself."""
    item = msg.input
    contact_id = item.contact_id
    data = codec.dumps(item) if described or not msg.seqs else b""
    match item:
        case _ if msg.seqs:
            source, key = "journal", ",".join(str(s) for s in msg.seqs)
        case sio.FollowupDue(index=index):
            source, key = "timer", f"followup:{index}:{contact_id}"
        case sio.StallCheck():
            source, key = "timer", f"stall:0:{contact_id}"
        case _:
            digest = hashlib.sha256(data).hexdigest()[:16]
            source, key = "seller", f"{contact_id}:{digest}"
    ref = InputRef(source=source, key=key, actor="seller", contact_id=contact_id)  # type: ignore[arg-type]
    if not described:
        return ref
    return attrs.evolve(
        ref,
        summary=_summary(item),
        payload=data[:PAYLOAD_CHARS].decode(errors="replace"),
    )


def _summary(item: sio.SellerInput | ContactTags) -> str:
    name = type(item).__name__
    if isinstance(item, sio.Inbound):
        texts = " / ".join(m.text[:60] for m in item.messages)
        return f"{name} of {item.contact_id}: {texts!r}"
    return f"{name} of {item.contact_id}"


def _seqs(ref: InputRef) -> list[int]:
    return [int(s) for s in ref.key.split(",") if s.isdigit()]


@attrs.define(kw_only=True)
class JournalPath:
    """Ingress journal entries: set aside in the journal, passed on again by ingress."""

    journal: InboundJournal
    replay_one: Callable[[int, bytes], Awaitable[None]]

    async def set_aside(self, ref: InputRef) -> None:
        for seq in _seqs(ref):
            await self.journal.set_aside(seq)

    async def retry(self, ref: InputRef) -> None:
        for seq in _seqs(ref):
            data = await self.journal.restore(seq)
            if data is not None:
                await self.replay_one(seq, data)

    async def drop(self, ref: InputRef) -> None:
        for seq in _seqs(ref):
            await self.journal.discard(seq)


def _timer(ref: InputRef) -> tuple[sched.TimerKind, int, str]:
    kind, index, contact_id = ref.key.split(":", 2)
    return sched.TimerKind(kind), int(index), contact_id


@attrs.define(kw_only=True)
class TimerPath:
    """Follow-up and stall timers: cancelled when set aside, set due now to retry."""

    schedule: Callable[[sched.SchedulerMsg], Awaitable[None]]
    now: Callable[[], datetime]

    async def set_aside(self, ref: InputRef) -> None:
        kind, _index, contact_id = _timer(ref)
        await self.schedule(sched.Cancel(contact_id=contact_id, kind=kind))

    async def retry(self, ref: InputRef) -> None:
        kind, index, contact_id = _timer(ref)
        await self.schedule(
            sched.Schedule(
                contact_id=contact_id, due=self.now(), index=index, kind=kind
            )
        )

    async def drop(self, ref: InputRef) -> None:
        """The timer was cancelled when set aside; the next message sets a new one."""


@attrs.define(kw_only=True)
class SellerInputPath:
    """Inputs the seller gets from no journal (the outbox's answers): kept in the
    item's payload and handed back to the seller to retry."""

    deliver: Callable[[SellerMsg], Awaitable[None]]

    async def set_aside(self, ref: InputRef) -> None:
        """Nothing replays these: the item is all that is left of the input."""

    async def retry(self, ref: InputRef) -> None:
        item: sio.SellerInput = codec.loads(
            ref.payload.encode(),
            sio.SellerInput,  # type: ignore[arg-type]
        )
        await self.deliver(Deliver(input=item))

    async def drop(self, ref: InputRef) -> None:
        """Forgotten with the item."""


class Requeue(Protocol):
    """What the outbox offers its path (`Outbox` has these)."""

    async def requeue(self, ident: str) -> Queued: ...
    async def unqueue(self, ident: str) -> None: ...
    async def abandon(self, ident: str, reason: str) -> None: ...


@attrs.define(kw_only=True)
class OutboxPath:
    """Outbox items: out of the pending set when set aside, back in to retry."""

    outbox: Requeue
    #: Sends to the outbox's inbox.
    tell: Callable[[OutboxMsg], Awaitable[None]]

    async def set_aside(self, ref: InputRef) -> None:
        await self.outbox.unqueue(ref.key)

    async def retry(self, ref: InputRef) -> None:
        await self.tell(await self.outbox.requeue(ref.key))

    async def drop(self, ref: InputRef) -> None:
        await self.outbox.abandon(ref.key, "dropped from the quarantine")


@attrs.define(kw_only=True)
class AggregatorPath:
    """Records the aggregator could not index: read again to retry."""

    refresh: Callable[[str], Awaitable[None]]

    async def set_aside(self, ref: InputRef) -> None:
        """The index goes on without the record."""

    async def retry(self, ref: InputRef) -> None:
        await self.refresh(ref.key)

    async def drop(self, ref: InputRef) -> None:
        """The index goes on without the record."""


def register_seller_paths(
    quarantine: Quarantine,
    *,
    journal: InboundJournal,
    replay_one: Callable[[int, bytes], Awaitable[None]],
    schedule: Callable[[sched.SchedulerMsg], Awaitable[None]],
    now: Callable[[], datetime],
    deliver: Callable[[SellerMsg], Awaitable[None]],
    outbox: Requeue,
    outbox_inbox: Callable[[OutboxMsg], Awaitable[None]],
) -> None:
    """Register the seller side's paths (the daemon's wiring, and tests)."""
    quarantine.register("journal", JournalPath(journal=journal, replay_one=replay_one))
    quarantine.register("timer", TimerPath(schedule=schedule, now=now))
    quarantine.register("seller", SellerInputPath(deliver=deliver))
    quarantine.register("outbox", OutboxPath(outbox=outbox, tell=outbox_inbox))
