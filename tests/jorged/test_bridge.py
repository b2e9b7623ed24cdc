from __future__ import annotations

import asyncio

import pytest
import trio

from jorged.bridge import TrioGuest
from jorged.exceptions import ActorError


class Main:
    """A trio main with one channel-backed 'actor' that doubles numbers."""

    def __init__(self, *, fail_after_start: bool = False) -> None:
        self.fail_after_start = fail_after_start
        self.flushed = False
        self.cancelled_calls = 0

    async def run(self, *, task_status=trio.TASK_STATUS_IGNORED):
        try:
            task_status.started()
            if self.fail_after_start:
                await trio.sleep(0)
                raise RuntimeError("actor exploded")
            await trio.sleep_forever()
        finally:
            self.flushed = True

    async def double(self, x: int) -> int:
        await trio.sleep(0)
        return 2 * x

    async def fail(self) -> None:
        raise ValueError("bad input")

    async def forever(self) -> None:
        try:
            await trio.sleep_forever()
        finally:
            self.cancelled_calls += 1


def host(body):
    """Run `body(guest, main)` on a fresh asyncio loop with a started guest."""

    async def go():
        main = Main()
        guest = TrioGuest(main=main.run, stop_timeout_s=5)
        guest.start()
        await guest.wait_ready()
        try:
            return await body(guest, main)
        finally:
            await guest.stop()

    return asyncio.run(go())


class TestTrioGuest:
    def test_run_returns_the_trio_result(self):
        """An asyncio caller gets the value a trio function returned."""
        async def body(guest, main):
            return await asyncio.gather(*(guest.run(main.double, i) for i in range(50)))
        assert host(body) == [2 * i for i in range(50)]

    def test_run_raises_the_trio_error(self):
        """An exception in trio reaches the asyncio caller, and trio lives on."""
        async def body(guest, main):
            with pytest.raises(ValueError, match=r"^bad input$"):
                await guest.run(main.fail)
            return await guest.run(main.double, 4)
        assert host(body) == 8

    def test_cancelling_the_caller_cancels_the_trio_side(self):
        """A timed-out asyncio caller cancels the trio task it started."""
        async def body(guest, main):
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(guest.run(main.forever), 0.05)
            await guest.run(main.double, 1)  # one round trip lets trio settle
            return main.cancelled_calls
        assert host(body) == 1

    def test_stop_runs_the_final_flush(self):
        """stop() cancels trio's root and waits for its finally blocks."""
        main = Main()

        async def go():
            guest = TrioGuest(main=main.run, stop_timeout_s=5)
            guest.start()
            await guest.wait_ready()
            await guest.stop()
            return guest.running

        assert asyncio.run(go()) is False
        assert main.flushed

    def test_a_trio_crash_is_reported(self):
        """When trio dies the crash callback fires and calls fail cleanly."""
        crashes: list[BaseException] = []
        main = Main(fail_after_start=True)

        async def go():
            guest = TrioGuest(main=main.run, on_crash=crashes.append)
            guest.start()
            await guest.wait_ready()
            await guest.wait_done()
            with pytest.raises(ActorError, match="not running"):
                await guest.run(main.double, 1)
            return guest.crashed

        crashed = asyncio.run(go())
        assert isinstance(crashed, BaseExceptionGroup)
        assert crashes == [crashed]
