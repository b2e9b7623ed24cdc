"""The dashboard's one way into the daemon: queries that return snapshots.

Pages import this Protocol, the snapshot types and `jorged.exceptions`; never actors,
stores or config loading.
"""

from __future__ import annotations

from typing import Protocol

from jorged.status import DaemonStatus


class DaemonPort(Protocol):
    def status(self) -> DaemonStatus:
        """The daemon's current status (actors, store, uptime)."""
        ...
