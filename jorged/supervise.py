"""Restart policy for actors: exponential backoff and restart intensity.

A crashed actor is restarted after `backoff_initial_s`, doubling up to `backoff_max_s`.
More than `max_restarts` crashes within `max_seconds` re-raise the error: the process
exits non-zero and systemd's `Restart=on-failure` takes over. Cancellation is never
caught.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import attrs
import structlog
import trio

from jorged.config import SuperviseConfig

log = structlog.get_logger()

ActorState = Literal["starting", "running", "backoff", "failed", "stopped"]
ActorTarget = Callable[..., Awaitable[Any]]


@attrs.frozen(kw_only=True)
class ActorStatus:
    """What the supervisor knows of one actor, as shown by `jorgectl status`."""

    name: str
    state: ActorState
    restarts: int = 0
    last_error: str | None = None
    since: float = 0.0  # wall-clock seconds since the epoch


@attrs.define(kw_only=True)
class Supervisor:
    """Runs actors under the restart policy and keeps their statuses."""

    cfg: SuperviseConfig
    _statuses: dict[str, ActorStatus] = attrs.field(factory=dict, init=False)

    def statuses(self) -> tuple[ActorStatus, ...]:
        return tuple(self._statuses.values())

    def all_running(self) -> bool:
        return bool(self._statuses) and all(
            s.state == "running" for s in self._statuses.values()
        )

    def _set(self, name: str, state: ActorState, **changes: Any) -> None:
        old = self._statuses.get(name, ActorStatus(name=name, state=state))
        self._statuses[name] = attrs.evolve(
            old, state=state, since=time.time(), **changes
        )

    def backoff(self, crashes: int) -> float:
        """The delay before restart number `crashes` (1-based)."""
        delay = self.cfg.backoff_initial_s * 2 ** (crashes - 1)
        return float(min(delay, self.cfg.backoff_max_s))

    async def supervise(
        self,
        name: str,
        target: ActorTarget,
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        """Run `target(task_status=...)`, restarting it when it raises an Exception.

        `task_status.started()` is called once, after the first successful start.
        """
        crashes: deque[float] = deque()
        reported = False
        self._set(name, "starting")
        while True:
            try:
                async with trio.open_nursery() as nursery:
                    await nursery.start(_call, target)
                    self._set(name, "running")
                    if not reported:
                        reported = True
                        task_status.started()
            except Exception as exc:  # the restart policy is this function
                error = _describe(exc)
                now = trio.current_time()
                crashes.append(now)
                while crashes and crashes[0] < now - self.cfg.max_seconds:
                    crashes.popleft()
                restarts = self._statuses[name].restarts
                if len(crashes) > self.cfg.max_restarts:
                    log.error(
                        "actor_gave_up", actor=name, crashes=len(crashes), error=error
                    )
                    self._set(name, "failed", last_error=error)
                    raise
                delay = self.backoff(len(crashes))
                log.error(
                    "actor_crashed",
                    actor=name,
                    error=error,
                    restart_in_s=delay,
                    exc_info=exc,
                )
                self._set(name, "backoff", restarts=restarts + 1, last_error=error)
                await trio.sleep(delay)
                self._set(name, "starting")
            else:
                self._set(name, "stopped")
                if not reported:
                    task_status.started()
                return


async def _call(
    target: ActorTarget,
    *,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    await target(task_status=task_status)


def _describe(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"
