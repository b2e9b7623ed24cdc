"""The dashboard: NiceGUI pages over the daemon's port."""

from __future__ import annotations

from ui.pages import conversation, conversations, health, login, overview, simulator
from ui.port import DaemonPort


def setup(port: DaemonPort) -> None:
    """Register every page; called before NiceGUI is mounted (and by UI tests)."""
    login.create(port)
    overview.create(port)
    conversations.create(port)
    conversation.create(port)
    simulator.create(port)
    health.create(port)
