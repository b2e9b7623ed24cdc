"""Needs Jorge: the conversations that wait for a person, the longest wait first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from jorged.demo import is_demo
from ui import design, session
from ui import format as fmt
from ui.components.panel import Panel
from ui.daemon_port import DaemonPort, Need
from ui.theme import frame

#: Each kind of wait: its label and chip colour.
KINDS = {
    "call_request": ("Wants a call", "hot"),
    "unsure_reading": ("Unsure reading", "warning"),
    "quarantined": ("Message set aside", "critical"),
    "opt_out_review": ("Maybe an opt-out", "warning"),
    "hot_handoff": ("Hot seller to call", "hot"),
    "paused": ("Bot paused", "neutral"),
}
#: The actions offered for each kind of wait (a hot seller is called, not clicked).
HOLD_ACTIONS = (("resume", "Resume bot", "play_arrow"), ("stop", "Stop bot", "stop"))
QUARANTINE_ACTIONS = (("retry", "Retry", "replay"), ("drop", "Drop", "delete"))
ACTIONS = {
    "call_request": HOLD_ACTIONS,
    "opt_out_review": HOLD_ACTIONS,
    "paused": HOLD_ACTIONS,
    "quarantined": QUARANTINE_ACTIONS,
}
REFRESH_S = 10.0
PATH = "/needs-jorge"
Refresh = Callable[[], Awaitable[None]]


def create(port: DaemonPort) -> None:
    @ui.page(PATH)
    async def needs_jorge() -> RedirectResponse | None:
        if (redirect := session.login_redirect(port, PATH)) is not None:
            return redirect
        with frame("Needs Jorge", path=PATH):
            ui.label(
                "Sellers waiting for a person: call requests, unsure readings, messages"
                " set aside, possible opt-outs, hot sellers to call, paused bots."
            ).classes("j-muted")

            async def refresh() -> None:
                await queue.refresh()

            queue = Panel(
                "", port.needs_jorge, lambda items: _queue(port, items, refresh)
            )
            if not await session.connected():
                return None
            await queue.refresh()
            ui.timer(REFRESH_S, queue.refresh)
        return None


def _queue(port: DaemonPort, items: list[Need], refresh: Refresh) -> None:
    if not items:
        ui.label("Nobody is waiting for you.").classes("text-lg").mark("needs-empty")
        return
    ui.label(f"{len(items)} waiting").classes("font-semibold")
    with ui.column().classes("w-full gap-3").props('role="list"'):
        for item in items:
            _item(port, item, refresh)


def _item(port: DaemonPort, item: Need, refresh: Refresh) -> None:
    kind = item.kind.value
    label, tone = KINDS.get(kind, (fmt.label({}, kind), "neutral"))
    contact_id = item.contact_id
    with (
        ui.column()
        .classes("w-full gap-1 border-b pb-2")
        .props('role="listitem"')
        .mark(f"need-{kind}")
    ):
        with ui.row().classes("gap-2 items-center"):
            ui.label(label).classes(design.chip_class(tone))
            if contact_id:
                ui.link(
                    item.name or contact_id, f"/conversations/{contact_id}"
                ).classes("font-semibold").props(f'title="{contact_id}"')
            else:
                ui.label(item.name or "No seller").classes("font-semibold")
            if is_demo(contact_id):
                ui.label("Demo").classes(design.chip_class("neutral"))
            ui.label(f"waiting since {fmt.ago(item.at)}").classes("j-muted text-sm")
        if item.call_time:
            ui.label(f"Call: {item.call_time}").classes(
                "font-semibold break-words"
            ).mark("need-call-time")
        ui.label(item.summary).classes("break-words")
        if item.detail:
            ui.label(f"“{item.detail}”").classes("j-muted break-words")
        actions = ACTIONS.get(kind, ())
        if actions:
            with ui.row().classes("gap-2 flex-wrap"):
                for action, title, icon in actions:
                    ui.button(
                        title,
                        icon=icon,
                        on_click=lambda _e, a=action, t=title: _act(
                            port, item, a, t, refresh
                        ),
                    ).props("outline dense").mark(f"need-{action}-{_key(item)}")


def _key(item: Need) -> str:
    """What an item's action buttons are marked with: its quarantined item or seller."""
    return item.item_id or item.contact_id


async def _act(
    port: DaemonPort, item: Need, action: str, title: str, refresh: Refresh
) -> None:
    """Carry out one button of the queue through the port, then show the queue anew."""
    try:
        if action == "retry":
            await port.quarantine_retry(item.item_id)
        elif action == "drop":
            await port.quarantine_drop(item.item_id)
        elif action == "resume":
            await port.command(item.contact_id, "resume")
        else:
            await port.command(item.contact_id, "stop")
    except Exception as exc:  # noqa: BLE001 - a refused action is told, the page stays
        ui.notify(f"{title} failed: {exc}", type="negative")
        return
    ui.notify(f"{title}: done.", type="positive")
    await refresh()
