"""Quarantine: an input that makes its actor fail 3 times is set aside; the rest runs.

Every path that hands an input to an actor and replays it after a failure runs the
handling through `Quarantine.attempt(ref, handle)`: a journal entry the ingress
passes on, a seller turn, a timer that fires, an outbox item being sent, an event
the aggregator applies. `InputRef` names the input (`source` and a `key` unique in
it: the journal's sequence number, the timer, the outbox item id, ...).

- When the handling raises an error of the input's own (see `is_environmental` for
  the errors that are the daemon's: a store or disk that cannot write, a timeout;
  those go to supervision as before and count nothing), a strike is stored under
  `quarantine:strikes:<id>` with the error and a traceback summary, and the input
  is tried again from what is stored (`reset`).
- The third strike sets it aside: the record `quarantine:item:<id>` is stored, the
  path's `set_aside` makes the input inert (the journal entry is no longer replayed,
  the timer is cancelled, the outbox item leaves the pending set), `system.alert`
  names the contact (the conversation waits for Jorge), and the monitor's
  `quarantine` check holds an alert while anything is held.
- Success after strikes clears them.

Strikes are stored before the next try, so a failure that takes the process down
before the third try (a crash loop across restarts) ends in quarantine too: an input
met again with 3 strikes is set aside before it is handled.

`retry(id)` takes an item out and hands the input back to its path with no strikes;
`drop(id)` takes it out and has the path forget the input. `snapshot()` is the typed
read of what is held (API, CLI, dashboard).
"""

from __future__ import annotations

import hashlib
import sqlite3
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Final, Literal, Protocol, TypeVar

import attrs
import structlog
import trio

from jorged.events import Event, EventKind
from jorged.exceptions import ActorError, GhlError, NotFound, StoreUnavailable
from jorged.store import codec
from jorged.store.store_protocol import Put, Store

__all__ = [
    "SET_ASIDE",
    "STRIKES",
    "Failure",
    "InputPath",
    "InputRef",
    "Quarantine",
    "QuarantineSnapshot",
    "QuarantinedItem",
    "SetAside",
    "Source",
    "guarded",
    "is_environmental",
    "item_view",
]

log = structlog.get_logger()

T = TypeVar("T")

#: Failures of one input that set it aside.
STRIKES: Final = 3
ITEM_PREFIX = "quarantine:item:"
STRIKES_PREFIX = "quarantine:strikes:"
#: Frames of the traceback kept (the innermost).
TRACE_FRAMES = 8
#: The longest error text kept.
ERROR_CHARS = 500

Source = Literal["journal", "seller", "timer", "outbox", "aggregator"]
#: Sources whose inputs a seller waits on (their items raise a critical alert).
SELLER_WAITS: Final = frozenset({"journal", "seller", "timer", "outbox"})


@attrs.frozen(kw_only=True)
class InputRef:
    """One input of one path: `source` and a `key` unique within it."""

    source: Source
    key: str
    actor: str
    contact_id: str | None = None
    #: What the input is, for a person ("inbound SMS 'hi' of c1").
    summary: str = ""
    #: The input as JSON text, when the path needs it back to retry.
    payload: str = ""

    @property
    def id(self) -> str:
        """A short id safe in a URL or a shell: `q-` and 12 hex digits."""
        digest = hashlib.sha256(f"{self.source}:{self.key}".encode()).hexdigest()
        return f"q-{digest[:12]}"


@attrs.frozen(kw_only=True)
class Failure:
    """One failed try: the error, the innermost frames, when."""

    error: str
    traceback: tuple[str, ...]
    at: datetime


@attrs.frozen(kw_only=True)
class Strikes:
    """The failures of an input not (yet) set aside."""

    ref: InputRef
    failures: tuple[Failure, ...]


@attrs.frozen(kw_only=True)
class QuarantinedItem:
    """An input set aside, with every failure that put it there."""

    id: str
    ref: InputRef
    failures: tuple[Failure, ...]
    quarantined_at: datetime

    @property
    def error(self) -> str:
        return self.failures[-1].error if self.failures else ""

    @property
    def attempts(self) -> int:
        return len(self.failures)


@attrs.frozen(kw_only=True)
class QuarantineSnapshot:
    """What is held now, oldest first."""

    items: tuple[QuarantinedItem, ...] = ()

    def for_contact(self, contact_id: str) -> tuple[QuarantinedItem, ...]:
        return tuple(i for i in self.items if i.ref.contact_id == contact_id)

    @property
    def level(self) -> Literal["ok", "warning", "critical"]:
        """Critical while a seller waits on a held input, warning for the rest."""
        if any(i.ref.source in SELLER_WAITS for i in self.items):
            return "critical"
        return "warning" if self.items else "ok"


class InputPath(Protocol):
    """What a path does with its inputs that the quarantine takes and gives back."""

    async def set_aside(self, ref: InputRef) -> None:
        """Make the input inert: never replayed or fired again."""

    async def retry(self, ref: InputRef) -> None:
        """Hand the input back to its actor."""

    async def drop(self, ref: InputRef) -> None:
        """Forget the input for good."""


class SetAside:
    """What `attempt` returns for an input it set aside (or found set aside)."""

    def __repr__(self) -> str:
        return "SET_ASIDE"


SET_ASIDE: Final = SetAside()


def is_environmental(exc: BaseException) -> bool:
    """Whether an error is the daemon's (store, disk, network, time), not the input's.

    Those go to the actor's supervision unchanged and count no strike: a message
    that arrives while the disk is full is not a poison message.
    """
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return isinstance(
        exc,
        StoreUnavailable
        | OSError
        | sqlite3.Error
        | MemoryError
        | trio.TooSlowError
        | ActorError
        | GhlError,
    )


@attrs.define(kw_only=True)
class Quarantine:
    """Counts failures per input and holds the inputs set aside (module docstring).

    `load` reads what is stored; call it before any actor runs `attempt`. Paths
    register with `register(source, path)`.
    """

    store: Store
    publish: Callable[[Event], object]
    wall: Callable[[], datetime] = lambda: datetime.now(UTC)
    #: Called after the held items changed (the daemon runs the monitor's checks).
    on_change: Callable[[], None] = lambda: None
    _paths: dict[str, InputPath] = attrs.field(factory=dict, init=False)
    _strikes: dict[tuple[str, str], Strikes] = attrs.field(factory=dict, init=False)
    _items: dict[tuple[str, str], QuarantinedItem] = attrs.field(
        factory=dict, init=False
    )

    def register(self, source: Source, path: InputPath) -> None:
        self._paths[source] = path

    async def load(self) -> None:
        """Read the stored strikes and items (unreadable records are skipped)."""
        self._strikes.clear()
        self._items.clear()
        for _key, data in await self.store.scan(STRIKES_PREFIX):
            strikes = _decode(data, Strikes)
            if strikes is not None:
                self._strikes[_slot(strikes.ref)] = strikes
        for _key, data in await self.store.scan(ITEM_PREFIX):
            item = _decode(data, QuarantinedItem)
            if item is not None:
                self._items[_slot(item.ref)] = item
        if self._items:
            log.warning("quarantine_loaded", items=len(self._items))

    def snapshot(self) -> QuarantineSnapshot:
        items = sorted(self._items.values(), key=lambda i: i.quarantined_at)
        return QuarantineSnapshot(items=tuple(items))

    def held(self, source: Source, key: str) -> bool:
        return (source, key) in self._items

    def get(self, item_id: str) -> QuarantinedItem:
        """The item `item_id`, or NotFound."""
        for item in self._items.values():
            if item.id == item_id:
                return item
        raise NotFound(field="id", problem="no quarantined item with this id")

    async def attempt(
        self,
        ref: InputRef,
        handle: Callable[[], Awaitable[T]],
        *,
        reset: Callable[[], Awaitable[object]] | None = None,
        describe: Callable[[], InputRef] | None = None,
        settles: bool = True,
    ) -> T | SetAside:
        """`handle()`, tried until it succeeds or the input is set aside.

        `reset` runs before each new try (reload what the failed try may have left
        half done); `describe` gives the full ref (summary, payload) when a failure
        is recorded, so the happy path builds none. With `settles=False` success
        keeps the strikes: a later step of the same input (the seller's turn after
        the ingress passed a journal entry on) is what settles it.
        """
        slot = _slot(ref)
        if slot in self._items:
            await self._inert(self._items[slot].ref)
            return SET_ASIDE
        known = self._strikes.get(slot)
        if known is not None and len(known.failures) >= STRIKES:
            await self._set_aside(known)  # a crash loop brought it back
            return SET_ASIDE
        while True:
            try:
                result = await handle()
            except Exception as exc:
                if is_environmental(exc):
                    raise
                full = describe() if describe is not None else ref
                strikes = await self._strike(full, exc)
                if len(strikes.failures) >= STRIKES:
                    await self._set_aside(strikes)
                    return SET_ASIDE
                if reset is not None:
                    await reset()
                continue
            if settles and slot in self._strikes:
                await self._clear(slot)
            return result

    async def retry(self, item_id: str) -> QuarantinedItem:
        """Take the item out and hand its input back to its path."""
        item = self.get(item_id)
        await self._release(item)
        log.warning("quarantine_retried", id=item.id, source=item.ref.source)
        path = self._paths.get(item.ref.source)
        if path is not None:
            await path.retry(item.ref)
        return item

    async def drop(self, item_id: str) -> QuarantinedItem:
        """Take the item out and have its path forget the input."""
        item = self.get(item_id)
        path = self._paths.get(item.ref.source)
        if path is not None:
            await path.drop(item.ref)
        await self._release(item)
        log.warning("quarantine_dropped", id=item.id, source=item.ref.source)
        return item

    # --- internals ------------------------------------------------------------------

    async def _strike(self, ref: InputRef, exc: Exception) -> Strikes:
        slot = _slot(ref)
        before = self._strikes.get(slot)
        failure = Failure(
            error=_error_text(exc), traceback=_frames(exc), at=self.wall()
        )
        strikes = Strikes(
            ref=ref, failures=(*(before.failures if before else ()), failure)
        )
        await self.store.write([Put(STRIKES_PREFIX + ref.id, codec.dumps(strikes))])
        self._strikes[slot] = strikes
        log.error(
            "input_failed",
            source=ref.source,
            key=ref.key,
            actor=ref.actor,
            contact_id=ref.contact_id,
            attempt=len(strikes.failures),
            error=failure.error,
            exc_info=exc,
        )
        return strikes

    async def _clear(self, slot: tuple[str, str]) -> None:
        strikes = self._strikes.pop(slot)
        await self.store.delete(STRIKES_PREFIX + strikes.ref.id)

    async def _set_aside(self, strikes: Strikes) -> None:
        ref = strikes.ref
        item = QuarantinedItem(
            id=ref.id, ref=ref, failures=strikes.failures, quarantined_at=self.wall()
        )
        await self.store.write([Put(ITEM_PREFIX + item.id, codec.dumps(item))])
        slot = _slot(ref)
        self._items[slot] = item
        if self._strikes.pop(slot, None) is not None:
            await self.store.delete(STRIKES_PREFIX + ref.id)
        await self._inert(ref)
        log.error(
            "input_quarantined",
            id=item.id,
            source=ref.source,
            key=ref.key,
            actor=ref.actor,
            contact_id=ref.contact_id,
            error=item.error,
        )
        level = "critical" if ref.source in SELLER_WAITS else "warning"
        self.publish(
            Event(
                kind=EventKind.SYSTEM_ALERT,
                at=item.quarantined_at,
                contact_id=ref.contact_id,
                data={
                    "level": level,
                    "source": "quarantine",
                    "check": "quarantine",
                    "item": item.id,
                    "text": (
                        f"{ref.summary or ref.source + ' ' + ref.key} failed "
                        f"{item.attempts} times and waits for Jorge: {item.error}"
                    ),
                },
            )
        )
        self.on_change()

    async def _inert(self, ref: InputRef) -> None:
        path = self._paths.get(ref.source)
        if path is not None:
            await path.set_aside(ref)

    async def _release(self, item: QuarantinedItem) -> None:
        slot = _slot(item.ref)
        await self.store.delete(ITEM_PREFIX + item.id)
        await self.store.delete(STRIKES_PREFIX + item.id)
        self._items.pop(slot, None)
        self._strikes.pop(slot, None)
        self.on_change()


async def guarded(
    quarantine: Quarantine | None,
    ref: Callable[[], InputRef],
    handle: Callable[[], Awaitable[T]],
    *,
    reset: Callable[[], Awaitable[object]] | None = None,
    describe: Callable[[], InputRef] | None = None,
    settles: bool = True,
) -> T | SetAside:
    """`quarantine.attempt(ref(), ...)`, or plain `handle()` without a quarantine."""
    if quarantine is None:
        return await handle()
    return await quarantine.attempt(
        ref(), handle, reset=reset, describe=describe, settles=settles
    )


def item_view(item: QuarantinedItem) -> dict[str, Any]:
    """The JSON shape of one item (API, control socket)."""
    ref = item.ref
    return {
        "id": item.id,
        "source": ref.source,
        "key": ref.key,
        "actor": ref.actor,
        "contact_id": ref.contact_id,
        "summary": ref.summary,
        "error": item.error,
        "attempts": item.attempts,
        "quarantined_at": item.quarantined_at.isoformat(),
        "failures": [
            {"error": f.error, "traceback": list(f.traceback), "at": f.at.isoformat()}
            for f in item.failures
        ],
        "payload": ref.payload,
    }


def _slot(ref: InputRef) -> tuple[str, str]:
    return ref.source, ref.key


def _decode(data: bytes, cls: type[T]) -> T | None:
    try:
        return codec.loads(data, cls)
    except Exception as exc:  # noqa: BLE001 - a record this version cannot read
        log.warning("quarantine_record_unreadable", kind=cls.__name__, error=str(exc))
        return None


def _error_text(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def _frames(exc: BaseException) -> tuple[str, ...]:
    """The innermost frames, `file.py:line in function`, innermost last."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    stack = traceback.extract_tb(exc.__traceback__)[-TRACE_FRAMES:]
    return tuple(f"{PurePath(f.filename).name}:{f.lineno} in {f.name}" for f in stack)
