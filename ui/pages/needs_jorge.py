"""Needs Jorge: the conversations that wait for a person, the longest wait first."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from jorged.demo import is_demo
from ui import design, session
from ui import format as fmt
from ui.components.panel import Panel
from ui.port import DaemonPort, Json
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
REFRESH_S = 10.0
PATH = "/needs-jorge"


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
            queue = Panel("", port.needs_jorge, _queue)
            await ui.context.client.connected()
            await queue.refresh()
            ui.timer(REFRESH_S, queue.refresh)
        return None


def _queue(items: list[Json]) -> None:
    if not items:
        ui.label("Nobody is waiting for you.").classes("text-lg").mark("needs-empty")
        return
    ui.label(f"{len(items)} waiting").classes("font-semibold")
    with ui.column().classes("w-full gap-3").props('role="list"'):
        for item in items:
            _item(item)


def _item(item: Json) -> None:
    kind = str(item.get("kind", ""))
    label, tone = KINDS.get(kind, (fmt.label({}, kind), "neutral"))
    contact_id = str(item.get("contact_id", ""))
    with (
        ui.column()
        .classes("w-full gap-1 border-b pb-2")
        .props('role="listitem"')
        .mark(f"need-{kind}")
    ):
        with ui.row().classes("gap-2 items-center"):
            ui.label(label).classes(design.chip_class(tone))
            ui.link(
                str(item.get("name") or contact_id), f"/conversations/{contact_id}"
            ).classes("font-semibold").props(f'title="{contact_id}"')
            if is_demo(contact_id):
                ui.label("Demo").classes(design.chip_class("neutral"))
            ui.label(f"waiting since {fmt.ago(item.get('at'))}").classes(
                "j-muted text-sm"
            )
        ui.label(str(item.get("summary", ""))).classes("break-words")
        if item.get("detail"):
            ui.label(f"“{item['detail']}”").classes("j-muted break-words")
