"""The landing page: what the daemon is doing right now."""

from __future__ import annotations

import time

from nicegui import ui

from jorged.status import DaemonStatus
from ui import design
from ui.port import DaemonPort
from ui.theme import frame


def create(port: DaemonPort) -> None:
    @ui.page("/")
    def overview() -> None:
        with frame("Overview"):
            _status_panel(port)


def _status_panel(port: DaemonPort) -> None:
    @ui.refreshable
    def panel() -> None:
        status = port.status()
        with ui.row().classes("w-full gap-4 flex-wrap"):
            _stat("Status", "ready" if status.ready else "starting", good=status.ready)
            _stat("Uptime", _duration(status.uptime_s), good=True)
            _store_stats(status)
            _stat(
                "GHL", "sandbox (nothing sent)" if status.sandbox else "live", good=True
            )
        with ui.card().classes(design.CARD):
            ui.label("Actors").classes("text-lg font-medium")
            rows = [
                {
                    "name": a.name,
                    "state": a.state,
                    "restarts": a.restarts,
                    "since": time.strftime("%H:%M:%S", time.localtime(a.since)),
                    "last_error": a.last_error or "",
                }
                for a in status.actors
            ]
            ui.table(
                columns=[
                    {
                        "name": k,
                        "label": k.replace("_", " ").title(),
                        "field": k,
                        "align": "left",
                    }
                    for k in ("name", "state", "restarts", "since", "last_error")
                ],
                rows=rows,
                row_key="name",
            ).classes("w-full").props("flat dense")

    panel()
    ui.timer(2.0, panel.refresh)


def _store_stats(status: DaemonStatus) -> None:
    store = status.store
    if store is None:
        _stat("Store", "opening", good=False)
        return
    _stat(
        "Store", store.backend, good=store.backend == "redis" or not store.redis_enabled
    )
    if store.redis_enabled:
        _stat("Redis", "up" if store.redis_up else "down", good=store.redis_up)
    else:
        _stat("Redis", "not used", good=True)
    _stat(
        "Journal backlog", str(store.journal_backlog), good=store.journal_backlog == 0
    )


def _stat(label: str, value: str, *, good: bool) -> None:
    with ui.card().classes("min-w-40 p-3 gap-1"):
        ui.label(label).classes(f"text-sm {design.MUTED}")
        ui.label(value).classes(
            f"text-lg font-semibold px-2 rounded {design.OK if good else design.WARN}"
        )


def _duration(seconds: float) -> str:
    s = int(seconds)
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {s}s"
