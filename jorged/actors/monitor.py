"""The monitor: periodic health checks, alerts with start, end and duration.

Every `monitor.interval_s` it measures CPU, memory and disk (psutil), Redis, the p95
reply latency and the webhook error rate (from the tracker), queue depths and actor
restarts and the inputs held in quarantine (critical while a seller waits on one,
SPEC 6), and compares them with the WARNING / CRITICAL thresholds of SPEC §5. A
check leaving "ok" opens an alert and publishes `system.alert`; returning to "ok"
closes it (with its duration) and publishes again. The last `monitor.history` checks
and alerts are kept for the health page.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Literal, NoReturn

import attrs
import psutil
import structlog
import trio

from jorged.config import Config
from jorged.events import Event, EventKind
from jorged.plural import plural
from jorged.quarantine import QuarantineSnapshot

log = structlog.get_logger()

Level = Literal["ok", "warning", "critical"]
RANK = {"ok": 0, "warning": 1, "critical": 2}


@attrs.frozen(kw_only=True)
class Check:
    name: str
    level: Level
    value: float | None
    unit: str
    message: str


@attrs.frozen(kw_only=True)
class AlertRecord:
    """An alert as readers see it (a copy: the monitor's own alerts change)."""

    check: str
    level: Level
    message: str
    started_at: float
    ended_at: float | None
    duration_s: float | None


@attrs.frozen(kw_only=True)
class Round:
    """One round of checks: when, the worst level, and each check's level."""

    at: float
    level: Level
    checks: Mapping[str, Level]


@attrs.frozen(kw_only=True)
class MonitorSnapshot:
    """Checks now, active alerts, and the last alerts and rounds, newest first."""

    checks: tuple[Check, ...]
    active_alerts: tuple[AlertRecord, ...]
    alerts: tuple[AlertRecord, ...]
    history: tuple[Round, ...]


@attrs.define(kw_only=True)
class Alert:
    check: str
    level: Level
    message: str
    started_at: float
    ended_at: float | None = None

    @property
    def duration_s(self) -> float | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


def grade(value: float | None, warning: float, critical: float) -> Level:
    """The level of `value` against its two thresholds (None is "ok": no data)."""
    if value is None:
        return "ok"
    if value >= critical:
        return "critical"
    if value >= warning:
        return "warning"
    return "ok"


@attrs.frozen(kw_only=True)
class Readings:
    """What the checks look at, gathered by the daemon for one round."""

    #: None when the host does not let us read it (e.g. `ProcSubset=pid` hides
    #: /proc/stat and /proc/meminfo).
    cpu_percent: float | None
    memory_percent: float | None
    disk_percent: float | None
    redis_enabled: bool
    redis_up: bool
    journal_backlog: int
    reply_p95_s: float | None
    webhook_error_rate: float | None
    queues: dict[str, int]
    restarts: dict[str, int]
    failed_actors: tuple[str, ...]
    quarantine: QuarantineSnapshot | None = None
    #: Why the state directory refuses writes now (None: it takes them).
    disk_write_error: str | None = None


def host_percent(read: Callable[[], float]) -> float | None:
    """`read()` (a psutil reading), or None when the host hides what it reads."""
    try:
        return read()
    except OSError:
        return None


def _percent_message(what: str, value: float | None) -> str:
    if value is None:
        return f"{what}: not readable on this host"
    return f"{what} at {value:.0f} %"


def checks_of(r: Readings, cfg: Config) -> list[Check]:
    m = cfg.monitor
    out = [
        Check(
            name="cpu",
            level=grade(r.cpu_percent, m.cpu_warning, m.cpu_critical),
            value=r.cpu_percent,
            unit="%",
            message=_percent_message("CPU", r.cpu_percent),
        ),
        Check(
            name="memory",
            level=grade(r.memory_percent, m.memory_warning, m.memory_critical),
            value=r.memory_percent,
            unit="%",
            message=_percent_message("memory", r.memory_percent),
        ),
        Check(
            name="disk",
            level=grade(r.disk_percent, m.disk_warning, m.disk_critical),
            value=r.disk_percent,
            unit="%",
            message=_percent_message("disk of the state directory", r.disk_percent),
        ),
        Check(
            name="reply_p95",
            level=grade(r.reply_p95_s, m.reply_p95_warning_s, m.reply_p95_critical_s),
            value=r.reply_p95_s,
            unit="s",
            message=(
                "no replies in the window"
                if r.reply_p95_s is None
                else f"p95 reply time {r.reply_p95_s:.3f} s"
            ),
        ),
        Check(
            name="webhook_errors",
            level=grade(
                None if r.webhook_error_rate is None else r.webhook_error_rate * 100,
                m.error_rate_warning,
                m.error_rate_critical,
            ),
            value=None if r.webhook_error_rate is None else r.webhook_error_rate * 100,
            unit="%",
            message=(
                "no webhooks in the window"
                if r.webhook_error_rate is None
                else f"webhook error rate {r.webhook_error_rate * 100:.1f} %"
            ),
        ),
    ]
    out.append(
        Check(
            name="disk_write",
            level="ok" if r.disk_write_error is None else "critical",
            value=None,
            unit="",
            message=(
                "the state directory takes writes"
                if r.disk_write_error is None
                else f"the state directory cannot be written ({r.disk_write_error}):"
                " webhooks are refused with 429 until it can"
            ),
        )
    )
    if r.redis_enabled:
        out.append(
            Check(
                name="redis",
                level="ok" if r.redis_up else "critical",
                value=None,
                unit="",
                message=(
                    "Redis up"
                    if r.redis_up
                    else f"Redis down: running on the disk store, "
                    f"{plural(r.journal_backlog, 'write')} wait for replay"
                ),
            )
        )
    out.append(
        Check(
            name="actors",
            level="critical" if r.failed_actors else "ok",
            value=float(sum(r.restarts.values())),
            unit="restarts",
            message=(
                "failed: " + ", ".join(r.failed_actors)
                if r.failed_actors
                else f"{plural(sum(r.restarts.values()), 'restart')} since start"
            ),
        )
    )
    if r.quarantine is not None:
        out.append(_quarantine_check(r.quarantine))
    return out


def _quarantine_check(snapshot: QuarantineSnapshot) -> Check:
    held = len(snapshot.items)
    contacts = sorted({i.ref.contact_id for i in snapshot.items if i.ref.contact_id})
    message = f"{held} input{'s' if held != 1 else ''} in quarantine"
    if contacts:
        message += (
            " ("
            + ", ".join(contacts[:5])
            + (", ..." if len(contacts) > 5 else "")
            + ")"
        )
    if held:
        message += ": jorgectl quarantine list"
    return Check(
        name="quarantine",
        level=snapshot.level,
        value=float(held),
        unit="inputs",
        message=message,
    )


@attrs.define(kw_only=True)
class Monitor:
    cfg: Config
    read: Callable[[], Readings]
    publish: Callable[[Event], object]
    wall: Callable[[], float] = time.time
    _active: dict[str, Alert] = attrs.field(factory=dict, init=False)
    _alerts: collections.deque[Alert] = attrs.field(init=False)
    _rounds: collections.deque[Round] = attrs.field(init=False)
    _last: list[Check] = attrs.field(factory=list, init=False)

    def __attrs_post_init__(self) -> None:
        self._alerts = collections.deque(maxlen=self.cfg.monitor.history)
        self._rounds = collections.deque(maxlen=self.cfg.monitor.history)

    async def run(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> NoReturn:
        with structlog.contextvars.bound_contextvars(actor="monitor"):
            # The first reading primes the counter.
            host_percent(lambda: psutil.cpu_percent(interval=None))
            task_status.started()
            while True:
                self.check_now()
                await trio.sleep(self.cfg.monitor.interval_s)

    def check_now(self) -> list[Check]:
        checks = checks_of(self.read(), self.cfg)
        now = self.wall()
        for check in checks:
            self._update(check, now)
        self._last = checks
        worst: Level = max(
            (c.level for c in checks), key=RANK.__getitem__, default="ok"
        )
        self._rounds.append(
            Round(at=now, level=worst, checks={c.name: c.level for c in checks})
        )
        return checks

    def _update(self, check: Check, now: float) -> None:
        active = self._active.get(check.name)
        if check.level == "ok":
            if active is not None:
                active.ended_at = now
                del self._active[check.name]
                self._announce(active, resolved=True)
            return
        if active is not None and active.level == check.level:
            active.message = check.message
            return
        if active is not None:
            active.ended_at = now
            del self._active[check.name]
        alert = Alert(
            check=check.name, level=check.level, message=check.message, started_at=now
        )
        self._active[check.name] = alert
        self._alerts.append(alert)
        self._announce(alert, resolved=False)

    def _announce(self, alert: Alert, *, resolved: bool) -> None:
        log.warning(
            "alert_resolved" if resolved else "alert_raised",
            check=alert.check,
            # Not `level`: the log line's own level would take its place.
            severity=alert.level,
            message=alert.message,
        )
        self.publish(
            Event(
                kind=EventKind.SYSTEM_ALERT,
                at=datetime.fromtimestamp(self.wall(), UTC),
                data={
                    "check": alert.check,
                    "level": "resolved" if resolved else alert.level,
                    "text": alert.message,
                    "duration_s": alert.duration_s,
                },
            )
        )

    def snapshot(self) -> MonitorSnapshot:
        """Checks now, active alerts, and the last alerts and rounds."""
        return MonitorSnapshot(
            checks=tuple(self._last),
            active_alerts=tuple(_record(a) for a in self._active.values()),
            alerts=tuple(_record(a) for a in reversed(self._alerts)),
            history=tuple(reversed(self._rounds)),
        )


def _record(alert: Alert) -> AlertRecord:
    return AlertRecord(
        check=alert.check,
        level=alert.level,
        message=alert.message,
        started_at=alert.started_at,
        ended_at=alert.ended_at,
        duration_s=alert.duration_s,
    )
