"""The dashboard: NiceGUI pages over the daemon's port."""

from __future__ import annotations

from ui.pages import overview
from ui.port import DaemonPort


def setup(port: DaemonPort) -> None:
    """Register every page; called before NiceGUI is mounted (and by UI tests)."""
    overview.create(port)
