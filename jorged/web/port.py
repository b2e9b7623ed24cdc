"""The dashboard's port, backed by the daemon and the trio bridge."""

from __future__ import annotations

import attrs

from jorged.app import Daemon
from jorged.bridge import TrioGuest
from jorged.status import DaemonStatus


@attrs.define(kw_only=True)
class BridgePort:
    """Implements `ui.port.DaemonPort` for the running daemon."""

    daemon: Daemon
    guest: TrioGuest

    def status(self) -> DaemonStatus:
        return self.daemon.status()
