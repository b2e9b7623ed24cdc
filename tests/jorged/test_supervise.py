from __future__ import annotations

import pytest
import trio
import trio.testing

from jorged.config import SuperviseConfig
from jorged.supervise import Supervisor

CFG = SuperviseConfig(max_restarts=3, max_seconds=60.0, backoff_initial_s=0.5,
                      backoff_max_s=30.0)


class Flaky:
    """An actor that crashes its first `crashes` runs, recording when it started."""

    def __init__(self, crashes: int) -> None:
        self.crashes = crashes
        self.starts: list[float] = []

    async def run(self, *, task_status=trio.TASK_STATUS_IGNORED):
        self.starts.append(trio.current_time())
        task_status.started()
        if len(self.starts) <= self.crashes:
            raise RuntimeError(f"boom {len(self.starts)}")
        await trio.sleep_forever()


class TestSupervise:
    async def test_restarts_with_exponential_backoff(self, autojump_clock):
        """Each crash is followed by a restart after 0.5, 1, 2 seconds."""
        sup = Supervisor(cfg=CFG)
        actor = Flaky(crashes=3)
        async with trio.open_nursery() as n:
            await n.start(sup.supervise, "flaky", actor.run)
            await trio.sleep(10)
            n.cancel_scope.cancel()
        assert actor.starts == [0.0, 0.5, 1.5, 3.5]
        (status,) = sup.statuses()
        assert (status.state, status.restarts) == ("running", 3)
        assert status.last_error == "RuntimeError: boom 3"

    async def test_gives_up_after_restart_intensity(self, autojump_clock):
        """More than max_restarts crashes within max_seconds re-raise the error."""
        sup = Supervisor(cfg=CFG)
        actor = Flaky(crashes=99)
        with pytest.raises(ExceptionGroup) as info:
            async with trio.open_nursery() as n:
                await n.start(sup.supervise, "doomed", actor.run)
        assert info.group_contains(RuntimeError, match="^boom 4$", depth=None)
        assert len(actor.starts) == 4
        assert sup.statuses()[0].state == "failed"

    async def test_crashes_outside_the_window_are_forgotten(self, autojump_clock):
        """Crashes spread wider than max_seconds never exhaust the intensity."""
        cfg = SuperviseConfig(max_restarts=1, max_seconds=5.0, backoff_initial_s=10.0,
                              backoff_max_s=10.0)
        sup = Supervisor(cfg=cfg)
        actor = Flaky(crashes=4)
        async with trio.open_nursery() as n:
            await n.start(sup.supervise, "slow", actor.run)
            await trio.sleep(100)
            n.cancel_scope.cancel()
        assert actor.starts == [0.0, 10.0, 20.0, 30.0, 40.0]

    async def test_backoff_is_capped(self):
        """The delay doubles up to backoff_max_s."""
        sup = Supervisor(cfg=SuperviseConfig(backoff_initial_s=1.0, backoff_max_s=5.0))
        assert [sup.backoff(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]

    async def test_cancellation_is_not_a_crash(self, autojump_clock):
        """Cancelling the supervisor stops the actor without a restart."""
        sup = Supervisor(cfg=CFG)
        actor = Flaky(crashes=0)
        async with trio.open_nursery() as n:
            await n.start(sup.supervise, "calm", actor.run)
            n.cancel_scope.cancel()
        assert actor.starts == [0.0]
        assert sup.statuses()[0].restarts == 0
