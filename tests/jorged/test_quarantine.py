"""The quarantine's rule, whatever the path: 3 failures set an input aside."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from jorged.events import Event, EventKind
from jorged.exceptions import NotFound, StoreUnavailable
from jorged.quarantine import (
    SET_ASIDE,
    STRIKES,
    InputRef,
    Quarantine,
    is_environmental,
    item_view,
)
from jorged.store.memory import DictStore

T0 = datetime(2026, 7, 1, 12, tzinfo=UTC)
REF = InputRef(source="journal", key="7", actor="ingress", contact_id="c1")


@attrs.define
class FakePath:
    """Records what the quarantine asked of the path."""

    calls: list[tuple[str, str]] = attrs.field(factory=list)

    async def set_aside(self, ref: InputRef) -> None:
        self.calls.append(("set_aside", ref.key))

    async def retry(self, ref: InputRef) -> None:
        self.calls.append(("retry", ref.key))

    async def drop(self, ref: InputRef) -> None:
        self.calls.append(("drop", ref.key))


@attrs.define
class Handler:
    """Fails its first `failures` calls with a ValueError."""

    failures: int
    calls: int = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            msg = f"bad input, try {self.calls}"
            raise ValueError(msg)
        return "handled"


@attrs.define
class Held:
    store: DictStore
    path: FakePath
    events: list[Event]
    changes: list[int]
    quarantine: Quarantine

    async def reopen(self) -> Quarantine:
        """A new quarantine on the same store, as after a restart."""
        again = Quarantine(
            store=self.store, publish=self.events.append, wall=lambda: T0
        )
        again.register("journal", self.path)
        await again.load()
        return again


@pytest.fixture(name="held")
def _held() -> Held:
    store, path, events, changes = DictStore(), FakePath(), [], []
    quarantine = Quarantine(
        store=store,
        publish=events.append,
        wall=lambda: T0,
        on_change=lambda: changes.append(1),
    )
    quarantine.register("journal", path)
    return Held(store, path, events, changes, quarantine)


class TestAttempt:
    async def test_success_after_two_failures_clears_the_strikes(self, held):
        """Two failures are retried in place; the third try's success leaves
        nothing stored."""
        handler = Handler(failures=2)
        assert await held.quarantine.attempt(REF, handler) == "handled"
        assert handler.calls == 3
        assert await held.store.scan("quarantine:") == []
        assert held.quarantine.snapshot().items == ()

    async def test_third_failure_sets_the_input_aside(self, held):
        """Three failures: the input is held with each error, its path makes it
        inert, a critical alert names the contact."""
        handler = Handler(failures=10)
        assert await held.quarantine.attempt(REF, handler) is SET_ASIDE
        assert handler.calls == STRIKES
        (item,) = held.quarantine.snapshot().items
        assert [f.error for f in item.failures] == [
            f"ValueError: bad input, try {n}" for n in (1, 2, 3)
        ]
        assert item.failures[-1].traceback[-1].startswith("test_quarantine.py:")
        assert held.path.calls == [("set_aside", "7")]
        (alert,) = held.events
        assert (alert.kind, alert.contact_id, alert.data["level"]) == (
            EventKind.SYSTEM_ALERT,
            "c1",
            "critical",
        )
        assert held.changes == [1]

    async def test_reset_runs_before_each_new_try(self, held):
        """What a failed try left is reloaded before the next."""
        resets: list[int] = []

        async def reset() -> None:
            resets.append(1)

        await held.quarantine.attempt(REF, Handler(failures=10), reset=reset)
        assert len(resets) == STRIKES - 1

    async def test_held_input_is_not_handled_again(self, held):
        """An input met again once held is not handled; its path is told again."""
        await held.quarantine.attempt(REF, Handler(failures=10))
        again = Handler(failures=0)
        assert await held.quarantine.attempt(REF, again) is SET_ASIDE
        assert again.calls == 0
        assert held.path.calls == [("set_aside", "7"), ("set_aside", "7")]

    async def test_environmental_errors_count_nothing(self, held):
        """A store that cannot write is the daemon's problem: raised, no strike."""

        async def handle() -> None:
            raise StoreUnavailable(key="k", reason="disk full")

        with pytest.raises(StoreUnavailable):
            await held.quarantine.attempt(REF, handle)
        assert await held.store.scan("quarantine:") == []

    async def test_unsettled_success_keeps_the_strikes(self, held):
        """A step that does not settle the input (the ingress passing an entry on)
        leaves the strikes for the step that does (the seller's turn)."""
        await held.quarantine.attempt(REF, Handler(failures=1), settles=False)
        assert len(await held.store.scan("quarantine:strikes:")) == 1


class TestAcrossRestarts:
    async def test_strikes_survive_a_restart(self, held):
        """Failures that took the process down count after the restart: the
        third, in a new process, sets the input aside."""

        async def crash() -> None:
            raise OverflowError("date value out of range")

        for _ in range(2):  # each process stored its strike, then died
            await held.quarantine._strike(REF, OverflowError("date value out of range"))
        again = await held.reopen()
        assert await again.attempt(REF, crash) is SET_ASIDE
        (item,) = again.snapshot().items
        assert item.attempts == 3

    async def test_three_stored_strikes_set_aside_before_handling(self, held):
        """An input with three strikes on disk is set aside on sight."""
        for n in range(STRIKES):
            await held.quarantine._strike(REF, ValueError(f"try {n}"))
        again = await held.reopen()
        handler = Handler(failures=0)
        assert await again.attempt(REF, handler) is SET_ASIDE
        assert handler.calls == 0

    async def test_held_items_survive_a_restart(self, held):
        """What is held after a restart is what was held before."""
        await held.quarantine.attempt(REF, Handler(failures=10))
        again = await held.reopen()
        assert again.snapshot() == held.quarantine.snapshot()


class TestRetryAndDrop:
    async def test_retry_hands_the_input_back_with_no_strikes(self, held):
        """Retry empties the quarantine and asks the path to replay the input."""
        await held.quarantine.attempt(REF, Handler(failures=10))
        (item,) = held.quarantine.snapshot().items
        assert (await held.quarantine.retry(item.id)).id == item.id
        assert held.path.calls[-1] == ("retry", "7")
        assert held.quarantine.snapshot().items == ()
        assert await held.store.scan("quarantine:") == []
        assert await held.quarantine.attempt(REF, Handler(failures=2)) == "handled"

    async def test_drop_forgets_it(self, held):
        """Drop empties the quarantine and asks the path to forget the input."""
        await held.quarantine.attempt(REF, Handler(failures=10))
        (item,) = held.quarantine.snapshot().items
        await held.quarantine.drop(item.id)
        assert held.path.calls[-1] == ("drop", "7")
        assert (await held.reopen()).snapshot().items == ()

    async def test_unknown_id(self, held):
        """An id not held is NotFound, naming the field."""
        with pytest.raises(NotFound, match=r"^id: no quarantined item with this id$"):
            await held.quarantine.retry("q-000000000000")


class TestViews:
    async def test_item_view_is_plain_json(self, held):
        """The API's shape: id, source, contact, error, attempts, failures."""
        await held.quarantine.attempt(REF, Handler(failures=10))
        (item,) = held.quarantine.snapshot().items
        view = item_view(item)
        assert view["id"] == REF.id
        assert (view["source"], view["contact_id"], view["attempts"]) == (
            "journal",
            "c1",
            3,
        )
        assert view["error"] == "ValueError: bad input, try 3"
        assert view["quarantined_at"] == "2026-07-01T12:00:00+00:00"

    def test_ids_are_short_and_stable(self):
        """The same input always has the same id, safe in a URL."""
        assert REF.id == attrs.evolve(REF, summary="x").id
        assert len(REF.id) == 14
        assert REF.id.startswith("q-")

    def test_environment(self):
        """Disk, store and time errors are the environment's; others the input's."""
        assert is_environmental(OSError(28, "No space left on device"))
        assert is_environmental(
            ExceptionGroup("g", [StoreUnavailable(key="k", reason="r")])
        )
        assert not is_environmental(OverflowError("date value out of range"))
        assert not is_environmental(ValueError("bad"))


class TestMonitorCheck:
    async def test_held_inputs_raise_a_critical_alert_and_none_clears_it(self, held):
        """The monitor's quarantine check is critical while a seller waits on a
        held input, and ok once it is dropped."""
        from jorged.actors.monitor import Monitor, Readings
        from jorged.config import Config

        readings = {
            "cpu_percent": 1.0,
            "memory_percent": 1.0,
            "disk_percent": 1.0,
            "redis_enabled": False,
            "redis_up": False,
            "journal_backlog": 0,
            "reply_p95_s": None,
            "webhook_error_rate": None,
            "queues": {},
            "restarts": {},
            "failed_actors": (),
        }
        events: list[Event] = []
        monitor = Monitor(
            cfg=Config(),
            read=lambda: Readings(**readings, quarantine=held.quarantine.snapshot()),
            publish=events.append,
        )
        await held.quarantine.attempt(REF, Handler(failures=10))
        (check,) = [c for c in monitor.check_now() if c.name == "quarantine"]
        assert (check.level, check.message) == (
            "critical",
            "1 input in quarantine (c1): jorgectl quarantine list",
        )
        await held.quarantine.drop(held.quarantine.snapshot().items[0].id)
        monitor.check_now()
        assert [e.data["level"] for e in events] == ["critical", "resolved"]
