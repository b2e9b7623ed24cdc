"""Snapshots of the daemon, for the control socket, /readyz and the dashboard."""

from __future__ import annotations

import attrs

from jorged.supervise import ActorStatus

__all__ = ["ActorStatus", "DaemonStatus", "StoreStatus"]


@attrs.frozen(kw_only=True)
class StoreStatus:
    backend: str
    redis_enabled: bool
    redis_up: bool
    breaker: str
    journal_backlog: int
    last_error: str | None


@attrs.frozen(kw_only=True)
class DaemonStatus:
    """A snapshot of the daemon for `jorgectl status`, `/readyz` and the dashboard."""

    version: str
    pid: int
    started_at: float
    uptime_s: float
    ready: bool
    draining: bool
    sandbox: bool
    config_source: str
    actors: tuple[ActorStatus, ...]
    store: StoreStatus | None
