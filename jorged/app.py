"""Wiring: builds the store, the channels and the actors, and runs them supervised.

`Daemon.run` is trio's main: it opens the durable store, starts every actor under
`supervise()`, serves the control socket, pings the systemd watchdog, and reports
READY once everything is up. On cancel it flushes state in a shielded scope.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from typing import Any

import attrs
import structlog
import trio

from jorged import config as config_mod
from jorged import log as log_mod
from jorged import sdnotify
from jorged.config import Config
from jorged.control.server import Handler, serve_control
from jorged.exceptions import BadRequest, ConfigError
from jorged.status import DaemonStatus, StoreStatus
from jorged.store.durable import DurableStore, open_durable_store
from jorged.supervise import Supervisor

log = structlog.get_logger()

VERSION = "0.1.0"

Reconfigure = Callable[[Config], None]
Snapshot = Callable[[], Awaitable[str]]


@attrs.define(kw_only=True)
class Daemon:
    """The running daemon: its config, its actors' supervisor and its store."""

    cfg: Config
    config_path: str | None = None
    env: Mapping[str, str] = attrs.field(factory=lambda: dict(os.environ))
    supervisor: Supervisor = attrs.field(init=False)
    started_at: float = attrs.field(factory=time.time, init=False)
    ready: bool = attrs.field(default=False, init=False)
    draining: bool = attrs.field(default=False, init=False)
    store: DurableStore | None = attrs.field(default=None, init=False)
    _reconfigure: list[Reconfigure] = attrs.field(factory=list, init=False)
    _snapshots: list[Snapshot] = attrs.field(factory=list, init=False)
    _handlers: dict[str, Handler] = attrs.field(factory=dict, init=False)

    def __attrs_post_init__(self) -> None:
        self.supervisor = Supervisor(cfg=self.cfg.supervise)
        self._handlers.update(
            {
                "status": self._cmd_status,
                "health": self._cmd_health,
                "config_check": self._cmd_config_check,
                "reload": self._cmd_reload,
                "snapshot": self._cmd_snapshot,
            }
        )

    # --- public surface ---------------------------------------------------------

    def status(self) -> DaemonStatus:
        store = None
        if self.store is not None:
            st = self.store.statistics()
            store = StoreStatus(
                backend=st.backend,
                redis_enabled=self.cfg.redis.enabled,
                redis_up=st.redis_up,
                breaker=st.breaker,
                journal_backlog=st.backlog,
                last_error=st.last_error,
            )
        return DaemonStatus(
            version=VERSION,
            pid=os.getpid(),
            started_at=self.started_at,
            uptime_s=round(time.time() - self.started_at, 3),
            ready=self.ready and self.supervisor.all_running(),
            draining=self.draining,
            sandbox=self.cfg.sandbox,
            config_source=self.config_path or "defaults",
            actors=self.supervisor.statuses(),
            store=store,
        )

    def add_command(self, name: str, handler: Handler) -> None:
        """Serve `handler` on the control socket as `name`."""
        self._handlers[name] = handler

    def on_reconfigure(self, hook: Reconfigure) -> None:
        """Call `hook(new_config)` after every successful reload."""
        self._reconfigure.append(hook)

    def on_snapshot(self, hook: Snapshot) -> None:
        """Run `hook()` on `jorgectl snapshot`; it returns what it saved."""
        self._snapshots.append(hook)

    def reload(self) -> list[str]:
        """Re-read the config; apply it and return the changed sections."""
        new = config_mod.load(self.config_path, env=self.env)
        changed = [
            a.name
            for a in attrs.fields(Config)
            if getattr(new, a.name) != getattr(self.cfg, a.name)
        ]
        self.cfg = new
        log_mod.configure(level=new.log.level, fmt=new.log.format)
        for hook in self._reconfigure:
            hook(new)
        log.info("config_reloaded", changed=changed)
        return changed

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Trio's main: open the store, start every actor, serve until cancelled."""
        try:
            await self._run(task_status=task_status)
        finally:
            self.ready = False
            log.info("daemon_stopped")

    async def _run(self, *, task_status: trio.TaskStatus[None]) -> None:
        async with AsyncExitStack() as stack:
            store = await stack.enter_async_context(open_durable_store(self.cfg))
            self.store = store
            async with trio.open_nursery() as nursery:
                await self._start(nursery, "store", store.run)
                await nursery.start(
                    serve_control, self.cfg.control_socket(), self._handlers
                )
                interval = sdnotify.watchdog_interval()
                if interval:
                    nursery.start_soon(self._watchdog, interval)
                self.ready = True
                sdnotify.notify("READY=1\nSTATUS=all actors started")
                log.info(
                    "daemon_ready",
                    actors=[s.name for s in self.supervisor.statuses()],
                    sandbox=self.cfg.sandbox,
                )
                task_status.started()

    async def _start(
        self,
        nursery: trio.Nursery,
        name: str,
        target: Callable[..., Awaitable[Any]],
    ) -> None:
        await nursery.start(self.supervisor.supervise, name, target)

    async def _watchdog(self, interval: float) -> None:
        while True:
            sdnotify.notify("WATCHDOG=1")
            await trio.sleep(interval)

    # --- control commands -------------------------------------------------------

    async def _cmd_status(self, _args: Mapping[str, Any]) -> Any:
        return attrs.asdict(self.status())

    async def _cmd_health(self, _args: Mapping[str, Any]) -> Any:
        status = self.status()
        problems = [
            f"actor {a.name} is {a.state}"
            for a in status.actors
            if a.state != "running"
        ]
        if status.store is not None and status.store.redis_enabled:
            if not status.store.redis_up:
                problems.append("redis is down: running on the disk store")
            if status.store.journal_backlog:
                problems.append(
                    f"{status.store.journal_backlog} writes wait for replay to redis"
                )
        return {"healthy": not problems and status.ready, "problems": problems}

    async def _cmd_config_check(self, args: Mapping[str, Any]) -> Any:
        path = args.get("path", self.config_path)
        if path is not None and not isinstance(path, str):
            raise BadRequest(field="path", problem="must be a file path")
        try:
            config_mod.load(path, env=self.env)
        except ConfigError as exc:
            return {"valid": False, "problems": list(exc.messages)}
        return {"valid": True, "problems": []}

    async def _cmd_reload(self, _args: Mapping[str, Any]) -> Any:
        try:
            changed = self.reload()
        except ConfigError as exc:
            return {"reloaded": False, "problems": list(exc.messages)}
        return {"reloaded": True, "changed": changed}

    async def _cmd_snapshot(self, _args: Mapping[str, Any]) -> Any:
        # Every store write is durable when it returns; snapshots are the actors'
        # in-memory summaries (metrics, aggregates) written out now.
        return {"saved": [await hook() for hook in self._snapshots]}
