"""The outbox: every outbound action is persisted before it is sent, and sent once.

An item's id is its idempotency key `(contact_id, turn, action index)` (see
`items`): enqueuing the same turn twice (a replay after a crash) finds the
items already there and adds nothing. Pending ids are kept in the set
`outbox:pending`, so a restart resends exactly what was not yet sent. The seller
stores a turn's items with its state (`items.plan`), then tells the outbox
with a `Queued` message on its inbox: only the outbox's own tasks change its
queues. Items of one contact go out in order; contacts run in parallel. What each
item does at GHL (and in sandbox mode, where nothing is sent) is
`delivery`'s.

An item whose sending raises an error of its own is tried again, and set aside by
the quarantine after its third failure (`jorged.quarantine`): out of the pending
set, the contact's later items and every other contact go on.

Last line of defence for opt-outs: an SMS to a contact whose stored conversation is
opted out is never sent, unless it is the one opt-out confirmation.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Awaitable, Callable
from typing import ClassVar, NoReturn

import attrs
import structlog
import trio

from jorged.actors.outbox.delivery import Delivery, Outcome
from jorged.actors.outbox.items import (
    PENDING_SET,
    OutboxItem,
    OutboxMsg,
    OutboxStatus,
    Queued,
    contact_of,
    item_key,
)
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState, Flags
from jorged.domain.conversation.templates import OPT_OUT_CONFIRMATIONS
from jorged.events import Event, EventKind
from jorged.ghl.api import GhlApi
from jorged.quarantine import InputRef, Quarantine, guarded
from jorged.store import codec
from jorged.store.store_protocol import Store

log = structlog.get_logger()


@attrs.frozen(kw_only=True)
class StoredFlags:
    """A stored conversation state read for its turn and flags alone.

    The send-time checks need only these; decoding the whole state (transcript
    and all) for every text would cost more than the rest of the send.
    """

    record_kind: ClassVar[str] = codec.kind_of(ConversationState)
    schema_version: ClassVar[int] = codec.schema_of(ConversationState)

    turn: int = 0
    flags: Flags = attrs.field(factory=Flags)


@attrs.frozen(kw_only=True)
class OutboxStatistics:
    """Items queued to send, contacts being sent to, items sent and failed."""

    queued: int
    sending_contacts: int
    sent: int
    failed: int


Feedback = Callable[[sio.SellerInput], Awaitable[None]]


@attrs.define(kw_only=True)
class Outbox:
    """Sends the stored outbound actions through GHL (or the sandbox), each once."""

    cfg: Config
    store: Store
    ghl: GhlApi
    clock: TrioWallClock
    feedback: Feedback
    publish: Callable[[Event], None]
    #: `Queued` items to send; the supervisor's, so a restart keeps it.
    inbox: trio.MemoryReceiveChannel[OutboxMsg]
    #: Concurrent contacts being sent to.
    parallel: int = 16
    quarantine: Quarantine | None = None
    _queues: dict[str, list[str]] = attrs.field(factory=dict, init=False)
    _busy: set[str] = attrs.field(factory=set, init=False)
    #: Bot-initiated texts waiting for their send time: id → (contact, trio time).
    _deferred: dict[str, tuple[str, float]] = attrs.field(factory=dict, init=False)
    _wake: trio.Event = attrs.field(factory=trio.Event, init=False)
    #: The latest (turn, flags) the seller handed over with `Queued`, per contact.
    _latest: dict[str, tuple[int, Flags]] = attrs.field(factory=dict, init=False)
    _settled: list[str] = attrs.field(factory=list, init=False)
    _settled_wake: trio.Event = attrs.field(factory=trio.Event, init=False)
    _sent: int = attrs.field(default=0, init=False)
    _failed: int = attrs.field(default=0, init=False)
    _delivery: Delivery = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._delivery = Delivery(
            cfg=self.cfg, ghl=self.ghl, clock=self.clock, publish=self.publish
        )

    async def items(self, contact_id: str | None = None) -> list[OutboxItem]:
        """Items of one contact (or all), oldest first."""
        prefix = "outbox:" if contact_id is None else f"outbox:{contact_id}:"
        rows = await self.store.scan(prefix)
        return [
            codec.loads(data, OutboxItem) for key, data in rows if key != PENDING_SET
        ]

    def statistics(self) -> OutboxStatistics:
        return OutboxStatistics(
            queued=sum(len(q) for q in self._queues.values()),
            sending_contacts=len(self._busy),
            sent=self._sent,
            failed=self._failed,
        )

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        pending = sorted(await self.store.set_members(PENDING_SET))
        self._queues.clear()
        self._busy.clear()
        self._deferred.clear()
        for ident in pending:
            self._queues.setdefault(contact_of(ident), []).append(ident)
        limiter = trio.CapacityLimiter(self.parallel)
        with structlog.contextvars.bound_contextvars(actor="outbox"):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._drop_settled)
                nursery.start_soon(self._receive)
                task_status.started()
                while True:
                    self._release_due()
                    for contact_id in list(self._queues):
                        if contact_id not in self._busy:
                            self._busy.add(contact_id)
                            nursery.start_soon(self._drain, contact_id, limiter)
                    next_due = min(
                        (t for _c, t in self._deferred.values()), default=None
                    )
                    with trio.move_on_at(math.inf if next_due is None else next_due):
                        await self._wake.wait()
                    self._wake = trio.Event()

    async def _receive(self) -> None:
        async for msg in self.inbox:
            match msg:
                case Queued():
                    self._queue(msg)

    def _queue(self, msg: Queued) -> None:
        """Queue the stored items of `msg`, less those already queued or waiting.

        The same ids can come twice: loaded from the pending set by a restarted
        outbox and in a `Queued` sent before the restart, or a replayed turn's.
        """
        if msg.latest is not None:
            self._latest[msg.contact_id] = msg.latest
        queue = self._queues.get(msg.contact_id, [])
        fresh = [i for i in msg.ids if i not in queue and i not in self._deferred]
        if fresh:
            self._queues.setdefault(msg.contact_id, []).extend(fresh)
            self._wake.set()

    def _settle(self, ident: str) -> None:
        """Drop a delivered item from PENDING_SET soon, with others in one write.

        Its stored status is what counts: an id still in the set after a crash is
        seen to be done on the next start and dropped then.
        """
        self._settled.append(ident)
        self._settled_wake.set()

    async def _drop_settled(self) -> None:
        while True:
            await self._settled_wake.wait()
            self._settled_wake = trio.Event()
            done, self._settled = self._settled, []
            await self.store.set_remove(PENDING_SET, *done)

    def _release_due(self) -> None:
        now = trio.current_time()
        for ident, (contact_id, due) in sorted(self._deferred.items()):
            if due <= now:
                del self._deferred[ident]
                self._queues.setdefault(contact_id, []).insert(0, ident)

    async def _drain(self, contact_id: str, limiter: trio.CapacityLimiter) -> None:
        try:
            async with limiter:
                while queue := self._queues.get(contact_id):
                    ident = queue[0]
                    await guarded(
                        self.quarantine,
                        functools.partial(_item_ref, ident, contact_id),
                        functools.partial(self._deliver, ident),
                    )
                    queue.pop(0)
                self._queues.pop(contact_id, None)
        finally:
            self._busy.discard(contact_id)

    async def _deliver(self, ident: str) -> None:
        data = await self.store.get(item_key(ident))
        if data is None:
            await self.store.set_remove(PENDING_SET, ident)
            return
        item = codec.loads(data, OutboxItem)
        if item.status is not OutboxStatus.PENDING:
            await self.store.set_remove(PENDING_SET, ident)
            return
        action = item.action
        if isinstance(action, sio.SendSms):
            due = (
                None if action.send_at is None else self.clock.trio_time(action.send_at)
            )
            if due is not None and due > trio.current_time():
                # Wait for the send time without holding up this contact's replies.
                self._deferred[ident] = (item.contact_id, due)
                self._wake.set()
                return
            await self._supersede(item)
        status, result, error, answer = await self._perform(item)
        done = attrs.evolve(
            item,
            status=status,
            result=result,
            error=error,
            attempts=item.attempts + 1,
            sent_at=self.clock.now() if status is not OutboxStatus.FAILED else None,
        )
        await self.store.put(item_key(ident), codec.dumps(done))
        self._settle(ident)
        if status is OutboxStatus.FAILED:
            self._failed += 1
        else:
            self._sent += 1
        self._announce(done)
        if answer is not None:
            await self.feedback(answer)

    async def unqueue(self, ident: str) -> None:
        """Keep the item `ident` from being sent (the quarantine holds it)."""
        await self.store.set_remove(PENDING_SET, ident)

    async def requeue(self, ident: str) -> Queued:
        """Put the item `ident` back in the pending set (a retry from the quarantine).

        Send the answer to the outbox's inbox: it queues the item there.
        """
        await self.store.set_add(PENDING_SET, ident)
        return Queued(contact_id=contact_of(ident), ids=(ident,))

    async def abandon(self, ident: str, reason: str) -> None:
        """Mark the item `ident` failed for `reason` without sending it."""
        data = await self.store.get(item_key(ident))
        if data is None:
            return
        done = attrs.evolve(
            codec.loads(data, OutboxItem), status=OutboxStatus.FAILED, error=reason
        )
        await self.store.put(item_key(ident), codec.dumps(done))
        await self.store.set_remove(PENDING_SET, ident)
        self._announce(done)

    async def _supersede(self, item: OutboxItem) -> None:
        """A text going out now makes the contact's earlier waiting bot texts stale."""
        stale = [
            ident
            for ident, (contact_id, _due) in self._deferred.items()
            if contact_id == item.contact_id and ident < item.id
        ]
        for ident in stale:
            del self._deferred[ident]
            data = await self.store.get(item_key(ident))
            if data is None:
                continue
            done = attrs.evolve(
                codec.loads(data, OutboxItem),
                status=OutboxStatus.FAILED,
                error="superseded: the conversation moved on before its send time",
            )
            await self.store.put(item_key(ident), codec.dumps(done))
            await self.store.set_remove(PENDING_SET, ident)
            self._announce(done)

    async def _perform(self, item: OutboxItem) -> Outcome:
        """Do the action: (status, result, error, answer for the seller)."""
        if isinstance(item.action, sio.SendSms):
            reason = await self._suppressed(item)
            if reason is not None:
                log.warning("sms_suppressed", contact_id=item.contact_id, reason=reason)
                return OutboxStatus.FAILED, None, f"suppressed: {reason}", None
        return await self._delivery.perform(item)

    async def _suppressed(self, item: OutboxItem) -> str | None:
        """Why this text must not go out now (None when it may).

        An opted-out contact gets nothing but the opt-out confirmation. A text the
        bot starts itself (an opener or a nudge waiting for the end of quiet hours)
        is dropped when the conversation was paused or stopped meanwhile.
        """
        action = item.action
        assert isinstance(action, sio.SendSms)  # noqa: S101
        if action.text in OPT_OUT_CONFIRMATIONS:
            return None
        flags = await self._flags(item.contact_id)
        if flags is None:
            return None
        if flags.opted_out:
            return "the contact opted out"
        if action.bot_initiated and flags.paused:
            return "the conversation is paused"
        if action.bot_initiated and flags.stopped:
            return "the conversation is stopped"
        return None

    async def _flags(self, contact_id: str) -> Flags | None:
        """The conversation's flags as of its latest turn, stored or not yet."""
        data = await self.store.get(f"seller:state:{contact_id}")
        stored = None if data is None else codec.loads(data, StoredFlags)
        latest = self._latest.get(contact_id)
        if latest is not None and (stored is None or latest[0] > stored.turn):
            return latest[1]
        if latest is not None:
            del self._latest[contact_id]  # the store has caught up
        return None if stored is None else stored.flags

    def _announce(self, item: OutboxItem) -> None:
        data: dict[str, str | int | float | bool | None] = {
            "item": item.id,
            "kind": item.kind,
            "status": item.status.value,
        }
        if item.error:
            data["error"] = item.error
        self.publish(
            Event(
                kind=EventKind.OUTBOX_UPDATED,
                at=self.clock.now(),
                contact_id=item.contact_id,
                data=data,
            )
        )
        action = item.action
        if isinstance(action, sio.NotifyAgent):
            self.publish(
                Event(
                    kind=EventKind.SYSTEM_ALERT,
                    at=self.clock.now(),
                    contact_id=item.contact_id,
                    data={"level": "info", "source": "seller", "text": action.text},
                )
            )
        if (
            isinstance(action, sio.SendSms)
            and action.bot_initiated
            and item.status is not OutboxStatus.FAILED
        ):
            self.publish(
                Event(
                    kind=EventKind.FOLLOWUP_SENT,
                    at=self.clock.now(),
                    contact_id=item.contact_id,
                    data={"item": item.id},
                )
            )


def _item_ref(ident: str, contact_id: str) -> InputRef:
    return InputRef(
        source="outbox",
        key=ident,
        actor="outbox",
        contact_id=contact_id,
        summary=f"outbox item {ident}",
    )
