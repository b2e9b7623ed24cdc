"""What the daemon hands its adapters: the typed `Services`, and the `Runtime`.

The web routes, the control socket and the dashboard are adapters: they take the
narrow things below, never the wiring that builds them (`jorged.app*`).

- `Services` is frozen and complete: every actor it names is running. The daemon
  builds it once every actor has started (`app.Daemon.run`) and hands it over
  with `task_status.started(services)`.
- `Runtime` is the daemon seen from outside while it starts, serves and stops:
  its phase, readiness and config, and `services()`, which raises `Starting`
  until the services exist. The web server answers before then (webhooks 429,
  `/readyz` 503, pages "starting"). Its `commands` is the one dispatcher every
  entry point hands its commands to (`jorged.commands`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import attrs
import trio

from jorged.exceptions import Starting

if TYPE_CHECKING:
    from jorged.actors.dashboard.aggregator import Aggregator
    from jorged.actors.event_bus import EventsActor
    from jorged.actors.monitor import Monitor
    from jorged.actors.tracker import Tracker
    from jorged.commands.dispatch import Dispatcher
    from jorged.config import Config
    from jorged.metrics.panels import PanelFailures
    from jorged.quarantine import Quarantine
    from jorged.queries import DataService
    from jorged.services import SellerService
    from jorged.status import DaemonStatus
    from jorged.store.diskhealth import DiskHealth
    from jorged.store.durable import DurableStore

__all__ = ["Runtime", "Services", "Starting"]


@attrs.frozen(kw_only=True)
class Services:
    """The running daemon's parts that adapters may use; all of them are up."""

    store: DurableStore
    seller: SellerService
    data: DataService
    quarantine: Quarantine
    monitor: Monitor
    tracker: Tracker
    events: EventsActor
    aggregator: Aggregator
    #: Dashboard panels that failed to draw, counted for `/metrics`.
    panel_failures: PanelFailures
    #: Whether the state directory takes writes (the store and its journal report).
    disk_health: DiskHealth


class Runtime(Protocol):
    """The daemon as its adapters see it, from the first request to the last."""

    @property
    def cfg(self) -> Config:
        """The config in force now (a reload replaces it)."""

    @property
    def phase(self) -> str:
        """What the start is doing ("ready" once every actor is up)."""

    @property
    def accepting(self) -> bool:
        """Whether webhooks are journaled (the ingress actor is up)."""

    @property
    def draining(self) -> bool:
        """Whether the daemon is stopping (webhooks get 429)."""

    @property
    def disk_health(self) -> DiskHealth:
        """Whether the state directory takes writes, from the start on."""

    @property
    def panel_failures(self) -> PanelFailures:
        """Dashboard panels that failed to draw, from the start on."""

    @property
    def commands(self) -> Dispatcher:
        """Runs every command and query (`jorged.commands`), on trio; those that
        need the services raise `Starting` until every actor is up."""

    def services(self) -> Services:
        """The running services; raises `Starting` until every actor is up."""

    def status(self) -> DaemonStatus:
        """A snapshot for `jorgectl status`, `/readyz` and the dashboard."""

    def queue_depths(self) -> dict[str, int]:
        """Messages waiting, by actor name (those started so far)."""

    def drain(self) -> None:
        """Stop taking work: webhooks get 429 from now on."""

    def reload(self) -> list[str]:
        """Re-read the config and apply it; the changed sections."""

    async def run(
        self, *, task_status: trio.TaskStatus[Services] = trio.TASK_STATUS_IGNORED
    ) -> None:
        """Trio's main: start every actor, serve until cancelled."""
