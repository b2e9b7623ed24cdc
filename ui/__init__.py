"""The dashboard: NiceGUI pages over the daemon's port."""

from __future__ import annotations

from ui.components.panel import report_failures_to
from ui.daemon_port import DaemonPort
from ui.pages import (
    conversation,
    conversations,
    health,
    login,
    missing,
    needs_jorge,
    overview,
    simulator,
)
from ui.theme import count_waiting_with


def setup(port: DaemonPort) -> None:
    """Register every page; called before NiceGUI is mounted (and by UI tests)."""
    report_failures_to(port.panel_failed)
    count_waiting_with(port.needs_jorge)
    login.create(port)
    overview.create(port)
    conversations.create(port)
    conversation.create(port)
    simulator.create(port)
    health.create(port)
    needs_jorge.create(port)
    missing.create()
