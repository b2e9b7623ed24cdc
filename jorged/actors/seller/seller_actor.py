"""The seller actor: runs `domain.seller.step` for every contact, in order.

Each contact with work gets its own task (created on demand, gone after a quiet
minute), so one contact's messages are handled strictly one at a time in arrival
order while different contacts run concurrently. Inbound messages of one contact
that arrive within `seller.batch_window_s` of each other form one turn.

Per turn: `step` → the turn's outbox items (idempotent by `(contact, turn,
index)`) and its new state are persisted in one write → the outbox is told →
follow-up timers and events → the ingress journal entries are marked done. A crash
anywhere in between replays the turn from the journal: messages already in the
stored transcript are skipped, outbox items already stored are not added again, so
nothing is lost and nothing is sent twice.

A turn that raises an error of its own (not the store's or the disk's) is tried
again from the stored state and set aside by the quarantine after its third failure
(`turn_guard`); the contact's next messages and every other contact go on.

The replay comes with the process's next start, and with the actor's: restarted
after a crash, the seller first calls `recover`, which passes on again what the
journal holds unhandled and the timers that fired unanswered (what the crashed
contact tasks held is gone with them). Journaled messages still waiting in the
inbox are dropped then, since the replay brings them again, in journal order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn

import attrs
import structlog
import trio

from jorged.actors.mailbox import reply
from jorged.actors.outbox.items import OutboxMsg, plan_turn
from jorged.actors.seller import scheduler as sched
from jorged.actors.seller.inbox import (
    ACTIVE_SET,
    ContactTags,
    Deliver,
    Request,
    SellerMsg,
    diff_tags,
    is_active,
    state_key,
    tags_key,
)
from jorged.actors.seller.llm_turns import TurnReader
from jorged.actors.seller.turn_guard import UNREAD, Held, TurnGuard
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation import step as domain
from jorged.domain.conversation.cadence import stall_due
from jorged.domain.conversation.state import ConversationState
from jorged.events import Event, EventKind
from jorged.exceptions import (
    ActorError,
    Conflict,
    Invalid,
    JorgedError,
    NotFound,
    StoreError,
)
from jorged.quarantine import Quarantine, is_environmental
from jorged.store import codec
from jorged.store.store_protocol import Put, SetAdd, SetRemove, Store, WriteOp

log = structlog.get_logger()

IDLE_S = 60.0
STALL = sched.TimerKind.STALL
#: Set once every conversation stored before stall checks were timers has one.
STALL_CHECKS_SET = "seller:stall_checks_set"
LANE_BUFFER = 256
#: How long a stopping seller may spend marking its last handled entries done.
DONE_FLUSH_S = 2.0


@attrs.frozen(kw_only=True)
class SellerStatistics:
    """Contacts with a lane, turns taken, and messages waiting (inbox and lanes)."""

    contacts_in_flight: int
    turns: int
    queued: int


@attrs.define(kw_only=True)
class Seller:
    cfg: Config
    store: Store
    clock: TrioWallClock
    #: Sends to the outbox's inbox (`Queued`, once a turn's items are stored).
    send_outbox: Callable[[OutboxMsg], Awaitable[None]]
    inbox: trio.MemoryReceiveChannel[SellerMsg]
    schedule: Callable[[sched.SchedulerMsg], Awaitable[None]]
    publish: Callable[[Event], None]
    mark_done: Callable[[Sequence[int]], Awaitable[None]]
    #: Called with (contact_id, seconds from webhook to the reply being enqueued).
    on_reply: Callable[[str, float], None] = lambda _c, _s: None
    #: Called with the new state when a turn changed what the seller has told
    #: (the CRM fields changed): the lead analysis follows the conversation.
    on_told: Callable[[ConversationState], None] = lambda _s: None
    #: After a restart: pass on again the journal's unhandled entries and the
    #: timers that fired unanswered (see the module docstring).
    recover: Callable[[], Awaitable[None]] | None = None
    quarantine: Quarantine | None = None
    #: Reads what the rules are unsure of with the LLM, when one is configured.
    llm_reads: TurnReader | None = None
    _runs: int = attrs.field(default=0, init=False)
    _lanes: dict[str, trio.MemorySendChannel[SellerMsg]] = attrs.field(
        factory=dict, init=False
    )
    _turns: int = attrs.field(default=0, init=False)
    #: Whether each contact seen in this run is in ACTIVE_SET, as last written.
    _active: dict[str, bool] = attrs.field(factory=dict, init=False)
    #: Journal entries handled and not yet marked done (see `_mark_done_loop`).
    _done_seqs: list[int] = attrs.field(factory=list, init=False)
    _done_wake: trio.Event = attrs.field(factory=trio.Event, init=False)

    def statistics(self) -> SellerStatistics:
        lanes = sum(
            lane.statistics().current_buffer_used for lane in self._lanes.values()
        )
        return SellerStatistics(
            contacts_in_flight=len(self._lanes),
            turns=self._turns,
            queued=self.inbox.statistics().current_buffer_used + lanes,
        )

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        self._lanes.clear()
        self._active.clear()
        restarted = self._runs > 0
        self._runs += 1
        with structlog.contextvars.bound_contextvars(actor="seller"):
            try:
                await self._serve(task_status, recovering=restarted)
            finally:
                # Handled entries not yet marked would only be replayed (and
                # skipped) after a restart; mark them now if the journal answers.
                with trio.CancelScope(shield=True), trio.move_on_after(DONE_FLUSH_S):
                    await self._flush_done()
        closed = "the seller inbox was closed"
        raise RuntimeError(closed)

    async def _serve(
        self, task_status: trio.TaskStatus[None], *, recovering: bool = False
    ) -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(self._mark_done_loop)
            nursery.start_soon(self._set_missing_stall_checks)
            task_status.started()
            held: list[SellerMsg] = []
            if recovering and self.recover is not None:
                held = self._unjournaled_waiting()
                log.warning("seller_recovering", held=len(held))
                # Alongside: the replay sends into this inbox, read below.
                nursery.start_soon(self.recover)
            for msg in held:
                await self._route(msg, nursery)
            async for msg in self.inbox:
                await self._route(msg, nursery)
            nursery.cancel_scope.cancel()

    async def _set_missing_stall_checks(self) -> None:
        """Give every conversation in qualification its stall check, once.

        Conversations stored before the check was a timer have none. One that is
        due already gets it now (it fires at once); a check set from a state that
        a turn changed meanwhile fires early or late and is set right when it does.
        """
        if await self.store.get(STALL_CHECKS_SET) is not None:
            return
        contacts = sorted(await self.store.set_members(ACTIVE_SET))
        for contact_id in contacts:
            data = await self.store.get(state_key(contact_id))
            try:
                state = None if data is None else codec.loads(data, ConversationState)
            except StoreError as exc:
                log.warning(
                    "seller_state_unreadable", contact_id=contact_id, error=str(exc)
                )
                continue
            if state is None:
                continue
            due = stall_due(state, self.cfg.seller)
            if due is not None:
                await self.schedule(
                    sched.Schedule(contact_id=contact_id, due=due, kind=STALL)
                )
        await self.store.put(STALL_CHECKS_SET, b"1")
        if contacts:
            log.info("stall_checks_set", conversations=len(contacts))

    def _unjournaled_waiting(self) -> list[SellerMsg]:
        """Take what waits in the inbox, less what the journal replay brings again."""
        held: list[SellerMsg] = []
        while True:
            try:
                msg = self.inbox.receive_nowait()
            except trio.WouldBlock:
                return held
            if not (isinstance(msg, Deliver) and msg.journaled):
                held.append(msg)

    async def _route(self, msg: SellerMsg, nursery: trio.Nursery) -> None:
        """Hand `msg` to its contact's task, starting one if there is none."""
        contact_id = (
            msg.contact_id if isinstance(msg, Request) else msg.input.contact_id
        )
        lane = self._lanes.get(contact_id)
        if lane is None:
            lane, recv = trio.open_memory_channel[SellerMsg](LANE_BUFFER)
            self._lanes[contact_id] = lane
            nursery.start_soon(self._contact, contact_id, recv)
        await lane.send(msg)

    async def _mark_done_loop(self) -> None:
        """Mark handled journal entries done, many turns per journal transaction.

        Each mark is a synced write; one per turn would cap the seller at the
        disk's sync rate. A mark lost in a crash costs only a replay, which skips
        what the conversation already holds.
        """
        while True:
            await self._done_wake.wait()
            self._done_wake = trio.Event()
            await self._flush_done()

    async def _flush_done(self) -> None:
        seqs, self._done_seqs = self._done_seqs, []
        if seqs:
            await self.mark_done(seqs)

    async def _contact(
        self, contact_id: str, recv: trio.MemoryReceiveChannel[SellerMsg]
    ) -> None:
        """Handle one contact's messages in order until it has been quiet a while."""
        async with recv:
            state: Held = UNREAD  # read by the first turn, inside the quarantine
            held: SellerMsg | None = None
            while True:
                msg: SellerMsg | None = held
                held = None
                if msg is None:
                    with trio.move_on_after(IDLE_S):
                        msg = await recv.receive()
                if msg is None:
                    # Quiet: leave, unless a message slipped in (no await between
                    # this check and the removal, so none can arrive unseen).
                    if recv.statistics().current_buffer_used == 0:
                        del self._lanes[contact_id]
                        return
                    continue
                parts: tuple[Deliver, ...] = ()
                if isinstance(msg, Deliver) and isinstance(msg.input, sio.Inbound):
                    msg, held, parts = await self._batch(msg, recv)
                state = await self._guarded(contact_id, state, msg, parts)

    async def _guarded(
        self,
        contact_id: str,
        state: Held,
        msg: SellerMsg,
        parts: tuple[Deliver, ...] = (),
    ) -> Held:
        """`_handle` through the quarantine (see `turn_guard`)."""
        if isinstance(msg, Request):
            return await self._request(contact_id, state, msg)
        return await self._guard().run(contact_id, state, msg, parts)

    def _guard(self) -> TurnGuard:
        return TurnGuard(
            quarantine=self.quarantine, load=self._load, handle=self._handle
        )

    async def _request(self, contact_id: str, state: Held, msg: Request) -> Held:
        """A command; one on a conversation that cannot be read is refused, but
        `forget` still forgets it."""
        try:
            current = await self._guard().read(contact_id, state)
        except Exception as exc:
            if is_environmental(exc) or self.quarantine is None:
                raise
            if msg.command == "forget":
                await self._forget(contact_id)
                reply(msg.reply, None)
                return None
            reason = f"the stored conversation cannot be read ({exc}); forget it"
            reply(msg.reply, ActorError(actor="seller", reason=reason))
            return UNREAD
        return await self._handle(current, msg)

    async def _batch(
        self, first: Deliver, recv: trio.MemoryReceiveChannel[SellerMsg]
    ) -> tuple[Deliver, SellerMsg | None, tuple[Deliver, ...]]:
        """Gather the inbound messages arriving within the batch window of the last.

        The turn's `received` becomes the moment the window closed (the last message's
        arrival plus the window), so the reply latency counts the work, not the wait
        the batching asks for on purpose.
        """
        assert isinstance(first.input, sio.Inbound)  # noqa: S101
        parts = [first]
        turn = first.input
        seqs = list(first.seqs)
        window = self.cfg.seller.batch_window_s
        held: SellerMsg | None = None
        last = first.received
        while window > 0:
            with trio.move_on_after(window) as waited:
                nxt = await recv.receive()
            if waited.cancelled_caught:
                if last is not None:
                    last += window
                break
            if isinstance(nxt, Deliver) and isinstance(nxt.input, sio.Inbound):
                turn = attrs.evolve(
                    turn,
                    messages=turn.messages + nxt.input.messages,
                    first_name=turn.first_name or nxt.input.first_name,
                    phone=turn.phone or nxt.input.phone,
                    timezone=turn.timezone or nxt.input.timezone,
                )
                seqs.extend(nxt.seqs)
                parts.append(nxt)
                last = nxt.received if nxt.received is not None else last
                continue
            held = nxt
            break
        merged = Deliver(input=turn, seqs=tuple(seqs), received=last)
        return merged, held, tuple(parts)

    async def _load(self, contact_id: str) -> ConversationState | None:
        data = await self.store.get(state_key(contact_id))
        return None if data is None else codec.loads(data, ConversationState)

    async def _handle(
        self, state: ConversationState | None, msg: SellerMsg
    ) -> ConversationState | None:
        if isinstance(msg, Request):
            try:
                state, answer = await self._command(state, msg)
            except JorgedError as exc:
                reply(msg.reply, exc)
            else:
                reply(msg.reply, answer)
            return state
        event: sio.SellerInput | None
        if isinstance(msg.input, ContactTags):
            event = await diff_tags(self.store, msg.input)
        elif isinstance(msg.input, sio.Inbound):
            event = _unseen(state, msg.input)
            if event is not None and self.llm_reads is not None:
                event = await self.llm_reads.read(state, event, self.clock.now())
        else:
            event = msg.input
        if event is not None:
            state = await self._turn(state, event, received=msg.received)
        if msg.seqs:
            self._done_seqs.extend(msg.seqs)
            self._done_wake.set()
        return state

    async def _turn(
        self,
        state: ConversationState | None,
        event: sio.SellerInput,
        *,
        received: float | None = None,
    ) -> ConversationState | None:
        if isinstance(event, sio.FollowupDue) and (
            state is None or state.followup_index != event.index
        ):
            await self._resync_timer(event.contact_id, state)
            return state
        new, actions = domain.step(state, event, self.clock.now(), self.cfg.seller)
        if isinstance(event, sio.StallCheck) and not any(
            isinstance(a, sio.ScheduleStallCheck | sio.CancelStallCheck)
            for a in actions
        ):
            # Fired early, or for a contact since forgotten: set it right.
            await self._resync_stall(event.contact_id, new)
        if new is None:
            return state
        # The actor numbers the turns: the outbox's idempotency keys depend on it.
        new = attrs.evolve(new, turn=(state.turn if state is not None else 0) + 1)
        self._turns += 1
        # The turn's texts, its state and its place among the active contacts
        # land in one store write: one commit, and no turn half stored.
        plan = await plan_turn(
            self.store,
            new.contact_id,
            new.turn,
            actions,
            now=self.clock.now(),
            state=new,
        )
        ops: list[WriteOp] = [
            *plan.ops,
            Put(state_key(new.contact_id), codec.dumps(new)),
        ]
        active = is_active(new)
        if self._active.get(new.contact_id) is not active:
            # Written when it changes (or first seen in this run).
            change = SetAdd if active else SetRemove
            ops.append(change(ACTIVE_SET, (new.contact_id,)))
        await self.store.write(ops)
        if plan.queue:
            await self.send_outbox(plan.queued)
        self._active[new.contact_id] = active
        for k, action in enumerate(actions):
            if isinstance(action, sio.CancelFollowups) and any(
                isinstance(a, sio.ScheduleFollowup) for a in actions[k + 1 :]
            ):
                continue  # the timer scheduled next replaces the contact's timer
            await self._after(new, action)
        if (
            isinstance(event, sio.FollowupDue)
            and new.followup_due is None
            and not any(isinstance(a, sio.CancelFollowups) for a in actions)
        ):
            # The last nudge of the cadence: drop its fired timer, or it would
            # stay persisted (and fire again after every restart).
            await self.schedule(sched.Cancel(contact_id=new.contact_id))
        self.publish(_event(EventKind.SELLER_UPDATED, new, self.clock, {}))
        if any(isinstance(a, sio.UpdateFields) for a in actions):
            self.on_told(new)
        if received is not None and any(
            isinstance(a, sio.SendSms) and not a.bot_initiated for a in actions
        ):
            self.on_reply(new.contact_id, trio.current_time() - received)
        return new

    async def _after(self, state: ConversationState, action: sio.SellerAction) -> None:
        match action:
            case sio.ScheduleFollowup(due=due, index=index):
                await self.schedule(
                    sched.Schedule(contact_id=state.contact_id, index=index, due=due)
                )
            case sio.CancelFollowups():
                await self.schedule(sched.Cancel(contact_id=state.contact_id))
            case sio.ScheduleStallCheck(due=due):
                await self.schedule(
                    sched.Schedule(contact_id=state.contact_id, due=due, kind=STALL)
                )
            case sio.CancelStallCheck():
                await self.schedule(
                    sched.Cancel(contact_id=state.contact_id, kind=STALL)
                )
            case sio.Emit(kind=kind, data=data):
                try:
                    event_kind = EventKind(kind)
                except ValueError:
                    log.error("unknown_event_kind", kind=kind)
                    return
                self.publish(_event(event_kind, state, self.clock, data))

    async def _resync_timer(
        self, contact_id: str, state: ConversationState | None
    ) -> None:
        """A stale timer fired (a repeat after a restart): restore the real one."""
        if state is not None and state.followup_due is not None:
            await self.schedule(
                sched.Schedule(
                    contact_id=contact_id,
                    index=state.followup_index,
                    due=state.followup_due,
                )
            )
        else:
            await self.schedule(sched.Cancel(contact_id=contact_id))

    async def _resync_stall(
        self, contact_id: str, state: ConversationState | None
    ) -> None:
        due = None if state is None else stall_due(state, self.cfg.seller)
        if due is not None:
            await self.schedule(
                sched.Schedule(contact_id=contact_id, due=due, kind=STALL)
            )
        else:
            await self.schedule(sched.Cancel(contact_id=contact_id, kind=STALL))

    async def _command(
        self, state: ConversationState | None, msg: Request
    ) -> tuple[ConversationState | None, Any]:
        contact_id = msg.contact_id
        if msg.command == "start":
            if is_active(state):
                raise Conflict(field="contact_id", problem="already in qualification")
            activate = msg.activate or sio.Activate(
                contact_id=contact_id, source="manual"
            )
            state = await self._turn(state, activate)
            return state, state
        if state is None:
            raise NotFound(
                field="contact_id",
                problem="no conversation with this contact",
                message=f"no conversation with contact {contact_id!r}",
            )
        if msg.command == "forget":
            await self._forget(contact_id)
            return None, None
        if msg.command == "language":
            if msg.language is None:
                raise Invalid(field="language", problem="required: en or es")
            event = sio.SetLanguage(contact_id=contact_id, language=msg.language)
            state = await self._turn(state, event)
            return state, state
        state = await self._turn(
            state, sio.Command(contact_id=contact_id, command=msg.command)
        )
        return state, state

    async def _forget(self, contact_id: str) -> None:
        await self.schedule(sched.Cancel(contact_id=contact_id))
        await self.schedule(sched.Cancel(contact_id=contact_id, kind=STALL))
        for key, _data in await self.store.scan(f"outbox:{contact_id}:"):
            await self.store.delete(key)
        await self.store.delete(state_key(contact_id))
        await self.store.delete(tags_key(contact_id))
        await self.store.delete(f"lead:analysis:{contact_id}")
        await self.store.set_remove(ACTIVE_SET, contact_id)
        self._active.pop(contact_id, None)
        self.publish(
            Event(
                kind=EventKind.SELLER_FORGOTTEN,
                at=self.clock.now(),
                contact_id=contact_id,
            )
        )


def _unseen(state: ConversationState | None, event: sio.Inbound) -> sio.Inbound | None:
    """The turn without messages already in the transcript (a replay after a crash)."""
    if state is None:
        return event
    seen = {e.message_id for e in state.transcript if e.message_id}
    fresh = tuple(m for m in event.messages if m.message_id not in seen)
    if not fresh:
        return None
    return attrs.evolve(event, messages=fresh)


def _event(
    kind: EventKind,
    state: ConversationState,
    clock: TrioWallClock,
    data: dict[str, Any],
) -> Event:
    payload = {
        "stage": state.stage.value,
        "temperature": state.temperature.value,
        **data,
    }
    return Event(kind=kind, at=clock.now(), contact_id=state.contact_id, data=payload)
