"""The only crossing between asyncio (uvicorn, NiceGUI) and trio (the actors).

Trio runs as a guest on the asyncio loop (`trio.lowlevel.start_guest_run`): both run
in one thread. Web routes and UI callbacks reach trio with `await guest.run(fn, ...)`
(an asyncio awaitable resolved by the trio side, cancellation crossing both ways) or
`guest.call_soon(fn, ...)` (fire and forget, for sync trio calls such as
`send_nowait`). Nothing else crosses.
"""

from __future__ import annotations

import asyncio
import functools
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs
import outcome
import structlog
import trio

from jorged.exceptions import ActorError

log = structlog.get_logger()

T = TypeVar("T")

TrioMain = Callable[..., Awaitable[None]]


@attrs.frozen
class _Host:
    """The asyncio side of one guest run: its loop, and when trio is ready and done."""

    loop: asyncio.AbstractEventLoop
    ready: asyncio.Event
    done: asyncio.Future[None]


def _resolve(fut: asyncio.Future[Any], result: outcome.Outcome[Any]) -> None:
    if fut.done():
        return
    if isinstance(result, outcome.Error):
        fut.set_exception(result.error)
    else:
        fut.set_result(result.unwrap())


@attrs.define(kw_only=True)
class TrioGuest:
    """One trio guest run hosted by the running asyncio loop.

    `main(task_status=...)` is started in the guest's root nursery; `ready` is set when
    it has called `task_status.started()`. `crashed` holds the error that ended trio,
    if any; `on_crash` is called with it (the server uses it to stop the host).
    """

    main: TrioMain
    stop_timeout_s: float = 10.0
    on_crash: Callable[[BaseException], None] | None = None
    crashed: BaseException | None = attrs.field(default=None, init=False)
    #: The asyncio side of the run, from `start()` on.
    _host: _Host | None = attrs.field(default=None, init=False)
    _token: trio.lowlevel.TrioToken | None = attrs.field(default=None, init=False)
    _root: trio.CancelScope | None = attrs.field(default=None, init=False)
    _nursery: trio.Nursery | None = attrs.field(default=None, init=False)

    @property
    def running(self) -> bool:
        return self._host is not None and not self._host.done.done()

    def _started(self) -> _Host:
        if self._host is None:
            raise ActorError(actor="trio", reason="not started")
        return self._host

    def start(self) -> None:
        """Start the guest run; call from code running inside the asyncio loop."""
        loop = asyncio.get_running_loop()
        host = _Host(loop=loop, ready=asyncio.Event(), done=loop.create_future())
        self._host = host
        old = signal.set_wakeup_fd(-1)
        signal.set_wakeup_fd(old)
        trio.lowlevel.start_guest_run(
            self._run_root,
            host,
            run_sync_soon_threadsafe=loop.call_soon_threadsafe,
            run_sync_soon_not_threadsafe=loop.call_soon,
            done_callback=functools.partial(self._on_done, host),
            host_uses_signal_set_wakeup_fd=old != -1,
            strict_exception_groups=True,
        )

    async def wait_ready(self) -> None:
        """Wait until `main` has started, or raise what ended trio before that."""
        host = self._started()
        ready: asyncio.Future[Any] = asyncio.ensure_future(host.ready.wait())
        waiting: list[asyncio.Future[Any]] = [ready, host.done]
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
        if not host.ready.is_set():
            if self.crashed is not None:
                raise self.crashed
            raise ActorError(actor="trio", reason="stopped before it was ready")

    async def stop(self) -> None:
        """Cancel trio's root scope and wait (up to `stop_timeout_s`) for it to end."""
        if self._host is None or self._host.done.done():
            return
        done = self._host.done
        if self._token is not None and self._root is not None:
            root = self._root
            try:
                self._token.run_sync_soon(root.cancel)
            except trio.RunFinishedError:
                return
        try:
            await asyncio.wait_for(asyncio.shield(done), self.stop_timeout_s)
        except TimeoutError:
            log.error("trio_stop_timeout", timeout_s=self.stop_timeout_s)

    async def wait_done(self) -> None:
        await asyncio.shield(self._started().done)

    async def run(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run `await fn(*args)` in trio and return its result to asyncio."""
        loop = self._started().loop
        fut: asyncio.Future[T] = loop.create_future()
        scope = trio.CancelScope()

        async def runner() -> None:
            result: outcome.Outcome[Any] = outcome.Error(
                ActorError(actor="trio", reason="cancelled")
            )
            try:
                with scope:
                    try:
                        result = outcome.Value(await fn(*args))
                    except Exception as exc:  # noqa: BLE001 - handed to the caller
                        result = outcome.Error(exc)
            finally:
                loop.call_soon_threadsafe(_resolve, fut, result)

        def spawn() -> None:
            # An exception escaping a run_sync_soon callback would crash trio.
            try:
                if self._nursery is None:
                    raise ActorError(actor="trio", reason="not running")  # noqa: TRY301
                self._nursery.start_soon(runner)
            except (RuntimeError, ActorError) as exc:
                loop.call_soon_threadsafe(_resolve, fut, outcome.Error(exc))

        self._call(spawn)
        try:
            return await fut
        except asyncio.CancelledError:
            self._call(scope.cancel)
            raise

    def call_soon(self, fn: Callable[..., object], *args: Any) -> None:
        """Run the sync trio function `fn(*args)` soon; errors are logged."""

        def guarded() -> None:
            try:
                fn(*args)
            except Exception as exc:  # noqa: BLE001 - must not crash trio
                log.error("bridge_call_failed", error=repr(exc))

        self._call(guarded)

    def _call(self, fn: Callable[[], None]) -> None:
        if self._token is None:
            raise ActorError(actor="trio", reason="not running")
        try:
            self._token.run_sync_soon(fn)
        except trio.RunFinishedError:
            raise ActorError(actor="trio", reason="not running") from None

    async def _run_root(self, host: _Host) -> None:
        self._token = trio.lowlevel.current_trio_token()
        with trio.CancelScope() as root:
            self._root = root
            async with trio.open_nursery() as nursery:
                self._nursery = nursery
                await nursery.start(self.main)
                host.loop.call_soon_threadsafe(host.ready.set)
        self._nursery = None

    def _on_done(self, host: _Host, result: outcome.Outcome[None]) -> None:
        if isinstance(result, outcome.Error):
            self.crashed = result.error
            log.error("trio_crashed", exc_info=result.error)
            if self.on_crash is not None:
                self.on_crash(result.error)
        if not host.done.done():
            host.done.set_result(None)
