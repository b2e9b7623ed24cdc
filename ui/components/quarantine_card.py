"""The inputs held in quarantine, each with Retry and Drop (Health page, SPEC 6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from jorged.exceptions import ActorError, Invalid, NotFound
from ui import design
from ui import format as fmt
from ui.components.panel import Panel
from ui.daemon_port import DaemonPort, QuarantinedItem

Act = Callable[[QuarantinedItem, str], Awaitable[None]]
SOURCES = {
    "journal": "Incoming message",
    "seller": "Seller input",
    "timer": "Follow-up timer",
    "outbox": "Outgoing action",
    "aggregator": "Dashboard record",
}


def quarantine_panel(port: DaemonPort) -> Panel[list[QuarantinedItem]]:
    """A card listing what the quarantine holds; refresh it to reload."""
    panel: Panel[list[QuarantinedItem]]

    async def act(item: QuarantinedItem, action: str) -> None:
        try:
            if action == "retry":
                await port.quarantine_retry(item.id)
            else:
                await port.quarantine_drop(item.id)
        except (Invalid, NotFound, ActorError) as exc:
            ui.notify(f"Couldn't {action} it: {exc}", type="negative")
        else:
            done = "handed back to be tried again" if action == "retry" else "dropped"
            ui.notify(f"{_what(item)}: {done}.", type="positive")
        await panel.refresh()

    def render(items: list[QuarantinedItem]) -> None:
        if not items:
            ui.label("Nothing is held: every input was handled.").classes(design.MUTED)
            return
        ui.label(
            "Each of these failed 3 times and was set aside so that everything else "
            "goes on. Retry once the cause is fixed, or drop it."
        ).classes(design.MUTED)
        for item in items:
            _row(item, act)

    panel = Panel("Quarantine", port.quarantine, render)
    panel.card.mark("health-quarantine")
    return panel


def _row(item: QuarantinedItem, act: Act) -> None:
    with (
        ui.row()
        .classes("w-full items-start justify-between gap-3 flex-wrap")
        .mark(f"quarantine-{item.id}")
    ):
        with ui.column().classes("gap-0 min-w-0"):
            ui.label(_what(item)).classes("font-medium break-all")
            source = SOURCES.get(item.ref.source, item.ref.source)
            since = fmt.when(item.quarantined_at)
            ui.label(
                f"{source} · {item.attempts} failures · set aside {since}"
            ).classes(design.MUTED)
            ui.label(item.error).classes("j-bad break-all")
        with ui.row().classes("gap-2"):
            ui.button(
                "Retry", icon="replay", on_click=lambda: act(item, "retry")
            ).props(f'outline aria-label="Retry {item.id}"').mark(
                f"quarantine-retry-{item.id}"
            )
            ui.button("Drop", icon="delete", on_click=lambda: act(item, "drop")).props(
                f'outline color=negative aria-label="Drop {item.id}"'
            ).mark(f"quarantine-drop-{item.id}")


def _what(item: QuarantinedItem) -> str:
    ref = item.ref
    return str(ref.summary or f"{ref.source} {ref.key}")
