"""Wiring: builds the store, the channels and the actors, and runs them supervised.

`Daemon` is the `jorged.runtime.Runtime` the web server and its adapters see.
`Daemon.run` (trio's main, the guest the web server starts) opens the durable
store, starts every actor under `supervise()`, serves the control socket, pings
the systemd watchdog, and hands the typed `Services` over with
`task_status.started(services)` once everything is up; then it reports READY.
Every store write is durable when it returns, so a cancel has nothing to flush:
the store's context closes its connections on the way out.

Only `jorged.app*` builds these parts; everything else takes `Services` or the
`Runtime` protocol.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import psutil
import structlog
import trio

from jorged import __version__, sdnotify
from jorged import config as config_mod
from jorged import log as log_mod
from jorged.actors.dashboard.aggregator import Aggregator
from jorged.actors.event_bus import EventsActor
from jorged.actors.monitor import Monitor, Readings, host_percent
from jorged.actors.seller.quarantine_paths import AggregatorPath
from jorged.actors.tracker import Tracker
from jorged.app_seller import Start, build_seller_side
from jorged.commands import kinds as k
from jorged.commands.dispatch import Dispatcher, Handler, service_handlers
from jorged.config import Config
from jorged.control.control_socket import serve_control
from jorged.events import Event, EventKind
from jorged.exceptions import ConfigError, Starting
from jorged.ghl import GhlCallRecord, open_ghl
from jorged.llm import AnalysisOutcome
from jorged.metrics.adapters import (
    from_analysis,
    from_ghl_call,
    from_llm_call,
    from_store_operation,
)
from jorged.metrics.panels import PanelFailures
from jorged.metrics.records import ReplyProduced
from jorged.metrics.tracker_feed import feed_tracker
from jorged.plural import plural
from jorged.quarantine import Quarantine
from jorged.queries import DataService
from jorged.runtime import Services
from jorged.status import DaemonStatus, StoreStatus
from jorged.store.diskhealth import DiskHealth, retry_while_unwritable
from jorged.store.durable import DurableStore, open_durable_store
from jorged.store.observe import StoreTransition
from jorged.supervise import Supervisor

log = structlog.get_logger()


def _process_started() -> float:
    """When this process started; now, where the sandbox hides /proc/stat (which
    psutil reads for the boot time)."""
    try:
        return psutil.Process().create_time()
    except OSError:
        return time.time()


_PROCESS_STARTED = _process_started()
#: How often a start still under way asks systemd for more time (twice this).
EXTEND_START_S = 10.0

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
    panel_failures: PanelFailures = attrs.field(factory=PanelFailures, init=False)
    #: Whether the state directory takes writes (the store and its journal report).
    disk_health: DiskHealth = attrs.field(factory=DiskHealth, init=False)
    #: What the start is doing now ("ready" once every actor is up).
    phase: str = attrs.field(default="starting", init=False)
    #: Whether webhooks are journaled (the ingress actor is up).
    accepting: bool = attrs.field(default=False, init=False)
    # What the start has built so far; only this module reads them.
    _store: DurableStore | None = attrs.field(default=None, init=False)
    _services: Services | None = attrs.field(default=None, init=False)
    #: Publishes an event (the events actor's, once it runs).
    _publish_to: Callable[[Event], object] = attrs.field(init=False)
    _reconfigure: list[Reconfigure] = attrs.field(factory=list, init=False)
    _snapshots: list[Snapshot] = attrs.field(factory=list, init=False)
    #: Queue depth readers by actor name, for the monitor and the health page.
    _queues: dict[str, Callable[[], int]] = attrs.field(factory=dict, init=False)
    #: Every command and query of every entry point (`jorged.commands`).
    commands: Dispatcher = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.supervisor = Supervisor(cfg=self.cfg.supervise)
        self._publish_to = _log_event
        self.commands = Dispatcher(
            {
                **service_handlers(self.services, self._state_dir),
                **self._handlers(),
            }
        )

    # --- the Runtime ------------------------------------------------------------

    def services(self) -> Services:
        """The running services; `Starting` (saying what the start does) before."""
        if self._services is None:
            raise Starting(phase=self.phase)
        return self._services

    def drain(self) -> None:
        self.draining = True

    def status(self) -> DaemonStatus:
        store = None
        if self._store is not None:
            st = self._store.statistics()
            store = StoreStatus(
                backend=st.backend,
                redis_enabled=self.cfg.redis.enabled,
                redis_up=st.redis_up,
                breaker=st.breaker,
                journal_backlog=st.backlog,
                last_error=st.last_error,
            )
        return DaemonStatus(
            version=__version__,
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
        self, *, task_status: trio.TaskStatus[Services] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Trio's main: open the store, start every actor, serve until cancelled."""
        try:
            await self._run(task_status=task_status)
        finally:
            self.ready = False
            self.accepting = False
            log.info("daemon_stopped")

    async def _run(self, *, task_status: trio.TaskStatus[Services]) -> None:
        async with AsyncExitStack() as stack, trio.open_nursery() as nursery:
            start = functools.partial(self._start, nursery)
            # The monitor first: a state directory that cannot be opened (a full
            # disk) is a critical alert while the start waits for it.
            monitor = Monitor(cfg=self.cfg, read=self.readings, publish=self._publish)
            await start("monitor", monitor.run)
            interval = sdnotify.watchdog_interval()
            if interval:
                nursery.start_soon(self._watchdog, interval)
            nursery.start_soon(self._extend_start)
            self._enter("opening the store")
            store = await self._open_store(stack)
            self._store = store
            quarantine = Quarantine(
                store=store, publish=self._publish, on_change=_check_now(monitor)
            )
            await quarantine.load()
            self._enter("starting the data side")
            await start("store", store.run)
            events, tracker, aggregator = await self._start_data_side(
                start, nursery, store, quarantine
            )
            ghl = await stack.enter_async_context(
                open_ghl(self.cfg.ghl, on_call=self._ghl_call(tracker))
            )
            side = await build_seller_side(
                cfg=self.cfg,
                store=store,
                ghl=ghl,
                stack=stack,
                publish=self._publish,
                on_reply=_reply_produced(tracker),
                on_lead_outcome=_lead_outcome(tracker),
                quarantine=quarantine,
                on_llm_call=lambda call: tracker.record(from_llm_call(call)),
            )
            self._enter("starting the seller side")
            await side.start(start)
            self.accepting = True
            log.info("webhooks_accepted", since_start_s=self.uptime_s())
            self._queues.update(side.queues())
            services = Services(
                store=store,
                seller=side.service,
                data=DataService(
                    aggregator=aggregator,
                    tracker=tracker,
                    events=events,
                    leads=side.leads,
                    window_hours=self.cfg.tracker.window_hours,
                ),
                quarantine=quarantine,
                monitor=monitor,
                tracker=tracker,
                events=events,
                aggregator=aggregator,
                panel_failures=self.panel_failures,
                disk_health=self.disk_health,
            )
            self._services = services
            await nursery.start(serve_control, self.cfg.control_socket(), self.commands)
            if self.cfg.demo.enabled:
                await start("demo", self._run_demo)
            self.ready = True
            self._enter("ready")
            sdnotify.notify("READY=1\nSTATUS=all actors started")
            log.info(
                "daemon_ready",
                actors=[s.name for s in self.supervisor.statuses()],
                sandbox=self.cfg.sandbox,
            )
            task_status.started(services)

    def _state_dir(self) -> Path:
        """The state directory of the config in force (a reload may move it)."""
        return self.cfg.state_dir()

    def _handlers(self) -> dict[type[k.Command[Any]], Handler]:
        """The daemon's own commands (the services answer the others)."""
        return {
            k.ShowStatus: self._status,
            k.ShowHealth: self._health,
            k.CheckConfig: self._check_config,
            k.Reload: self._reload,
            k.SaveSnapshots: self._save_snapshots,
        }

    def _enter(self, phase: str) -> None:
        self.phase = phase
        log.info("daemon_phase", phase=phase, since_start_s=self.uptime_s())

    @staticmethod
    def uptime_s() -> float:
        """Seconds since the process started (imports included)."""
        return round(time.time() - _PROCESS_STARTED, 3)

    async def _open_store(self, stack: AsyncExitStack) -> DurableStore:
        """The durable store, opened again and again while the disk refuses it."""

        async def open_store() -> DurableStore:
            return await stack.enter_async_context(
                open_durable_store(
                    self.cfg, disk_health=self.disk_health, resync_in_background=True
                )
            )

        store = await retry_while_unwritable(
            "open the store", open_store, health=self.disk_health
        )
        self.disk_health.written()
        return store

    async def _start(
        self,
        nursery: trio.Nursery,
        name: str,
        target: Callable[..., Awaitable[Any]],
    ) -> None:
        await nursery.start(self.supervisor.supervise, name, target)

    async def _start_data_side(
        self,
        start: Start,
        nursery: trio.Nursery,
        store: DurableStore,
        quarantine: Quarantine,
    ) -> tuple[EventsActor, Tracker, Aggregator]:
        """Events, metrics and the dashboard's aggregates: up before any producer."""
        events = EventsActor(cfg=self.cfg.events, store=store)
        tracker = Tracker.create(cfg=self.cfg.tracker, store=store, capacity=10_000)
        aggregator = Aggregator(
            cfg=self.cfg.leads,
            store=store,
            subscribe=events.subscribe,
            quarantine=quarantine,
        )
        quarantine.register(
            "aggregator", AggregatorPath(refresh=aggregator.refresh_key)
        )
        self._publish_to = events.publish

        def store_transition(t: StoreTransition) -> None:
            kind = EventKind.STORE_DEGRADED if t.degraded else EventKind.STORE_RECOVERED
            events.publish(
                Event(
                    kind=kind,
                    at=datetime.now(UTC),
                    data={"reason": t.reason, "backlog": t.backlog},
                )
            )

        store.on_operation = lambda sample: tracker.record(from_store_operation(sample))
        store.on_transition = store_transition
        await start("events", events.run)
        await start("tracker", tracker.run)
        await start("aggregator", aggregator.run)
        nursery.start_soon(feed_tracker, events.subscribe, tracker.record)
        self.on_snapshot(tracker.snapshot_now)
        self._queues["events"] = lambda: events.statistics().queued
        self._queues["tracker"] = lambda: tracker.statistics().queued
        return events, tracker, aggregator

    def _ghl_call(self, tracker: Tracker) -> Callable[[GhlCallRecord], None]:
        def record(call: GhlCallRecord) -> None:
            tracker.record(from_ghl_call(call))
            if call.status == 429:
                self._publish(
                    Event(
                        kind=EventKind.GHL_RATE_LIMITED,
                        at=datetime.now(UTC),
                        data={"operation": call.operation, "attempt": call.attempt},
                    )
                )

        return record

    def queue_depths(self) -> dict[str, int]:
        return {name: depth() for name, depth in self._queues.items()}

    def readings(self) -> Readings:
        """What the monitor checks, gathered now."""
        status = self.status()
        services = self._services
        perf = services.tracker.performance() if services is not None else None
        webhooks = perf.window.webhooks if perf is not None else 0
        disk_dir = self.cfg.state_dir()
        return Readings(
            cpu_percent=host_percent(lambda: psutil.cpu_percent(interval=None)),
            memory_percent=host_percent(lambda: psutil.virtual_memory().percent),
            disk_percent=host_percent(
                lambda: (
                    psutil.disk_usage(
                        str(disk_dir if disk_dir.exists() else ".")
                    ).percent
                )
            ),
            # Redis is checked once the store that talks to it is open.
            redis_enabled=self.cfg.redis.enabled and status.store is not None,
            redis_up=status.store.redis_up if status.store else False,
            journal_backlog=status.store.journal_backlog if status.store else 0,
            reply_p95_s=perf.reply.p95 if perf is not None else None,
            webhook_error_rate=(
                perf.window.webhook_error_rate
                if perf is not None and webhooks
                else None
            ),
            queues=self.queue_depths(),
            restarts={a.name: a.restarts for a in status.actors},
            failed_actors=tuple(a.name for a in status.actors if a.state == "failed"),
            quarantine=(
                services.quarantine.snapshot() if services is not None else None
            ),
            disk_write_error=self.disk_health.error,
        )

    def _publish(self, event: Event) -> None:
        self._publish_to(event)

    async def _run_demo(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Demo sellers through the daemon's own webhook endpoint, over loopback."""
        import httpx

        from jorged.demo import run_demo

        host = self.cfg.web.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        url = f"http://{host}:{self.cfg.web.port}/webhooks/ghl"
        async with httpx.AsyncClient(timeout=10) as client:

            async def post(body: bytes) -> object:
                while True:
                    try:
                        response = await client.post(
                            url,
                            content=body,
                            headers={"content-type": "application/json"},
                        )
                    except httpx.TransportError:
                        await trio.sleep(1.0)  # the server is still starting
                        continue
                    if response.status_code != 429:
                        return response.status_code
                    await trio.sleep(1.0)

            log.info("demo_started", url=url)
            await run_demo(
                self.cfg, post, seed=int(time.time()), task_status=task_status
            )

    async def _extend_start(self) -> None:
        """Under systemd, keep a slow start (a full disk) from its start timeout.

        The start waits for what it needs and serves meanwhile; systemd is told
        what it waits for and given more time, in steps, until READY.
        """
        while not self.ready:
            sdnotify.notify(
                f"EXTEND_TIMEOUT_USEC={int(EXTEND_START_S * 2e6)}\nSTATUS={self.phase}"
            )
            await trio.sleep(EXTEND_START_S)

    async def _watchdog(self, interval: float) -> None:
        while True:
            sdnotify.notify("WATCHDOG=1")
            await trio.sleep(interval)

    # --- the daemon's commands -------------------------------------------------

    async def _status(self, _c: k.ShowStatus) -> Any:
        return attrs.asdict(self.status())

    async def _health(self, _c: k.ShowHealth) -> Any:
        status = self.status()
        checks = self.services().monitor.check_now()
        problems = [
            f"{c.level}: {c.message}"
            for c in checks
            if c.level != "ok" and c.name not in ("redis", "actors")
        ]
        problems += [
            f"actor {a.name} is {a.state}"
            for a in status.actors
            if a.state != "running"
        ]
        if status.store is not None and status.store.redis_enabled:
            if not status.store.redis_up:
                problems.append("redis is down: running on the disk store")
            if status.store.journal_backlog:
                problems.append(
                    f"{plural(status.store.journal_backlog, 'write')} wait for replay"
                    " to redis"
                )
        return {
            "healthy": not problems and status.ready,
            "problems": problems,
            "checks": [attrs.asdict(c) for c in checks],
        }

    async def _check_config(self, c: k.CheckConfig) -> Any:
        path = self.config_path if c.path is None else c.path
        try:
            config_mod.load(path, env=self.env)
        except ConfigError as exc:
            return {"valid": False, "problems": list(exc.messages)}
        return {"valid": True, "problems": []}

    async def _reload(self, _c: k.Reload) -> Any:
        try:
            changed = self.reload()
        except ConfigError as exc:
            return {"reloaded": False, "problems": list(exc.messages)}
        return {"reloaded": True, "changed": changed}

    async def _save_snapshots(self, _c: k.SaveSnapshots) -> Any:
        # Every store write is durable when it returns; snapshots are the actors'
        # in-memory summaries (metrics, aggregates) written out now.
        return {"saved": [await hook() for hook in self._snapshots]}


def _log_event(event: Event) -> None:
    log.debug("event", kind=event.kind.value, contact_id=event.contact_id)


def _check_now(monitor: Monitor) -> Callable[[], None]:
    """Held inputs changed: the monitor checks now, not next round."""

    def check() -> None:
        monitor.check_now()

    return check


def _reply_produced(tracker: Tracker) -> Callable[[str, float], None]:
    def record(_contact_id: str, latency_s: float) -> None:
        tracker.record(ReplyProduced(latency_s=max(0.0, latency_s)))

    return record


def _lead_outcome(tracker: Tracker) -> Callable[[AnalysisOutcome], None]:
    def record(outcome: AnalysisOutcome) -> None:
        for rec in from_analysis(outcome):
            tracker.record(rec)

    return record
