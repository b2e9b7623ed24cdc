"""One conversation: transcript, slots, temperature history, outbox, lead score and
the actions (each confirmed first)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from ui import design, session
from ui import format as fmt
from ui.components.panel import Panel, Shared
from ui.port import Command, DaemonPort, Json
from ui.theme import frame

#: Action, button title, icon, what the confirmation says.
ACTIONS: tuple[tuple[Command, str, str, str], ...] = (
    ("pause", "Pause", "pause", "The bot stops answering until you resume it."),
    ("resume", "Resume", "play_arrow", "The bot answers this seller again."),
    (
        "restart",
        "Restart qualification",
        "restart_alt",
        "The answers so far are cleared and the bot asks the first question again.",
    ),
    (
        "stop",
        "Stop",
        "stop",
        "The bot's part ends for this seller: no replies, no follow-ups.",
    ),
    (
        "forget",
        "Forget contact",
        "delete_forever",
        "The conversation and everything stored about this contact are deleted.",
    ),
)
SLOTS = (
    ("motivation", "Motivation"),
    ("move_to", "Moving to"),
    ("urgency", "Urgency"),
    ("timeline_ok", "30 to 45 days OK"),
    ("timeline_days", "Timeline (days)"),
    ("condition", "Condition"),
)
REFRESH_S = 5.0


def create(port: DaemonPort) -> None:
    @ui.page("/conversations/{contact_id}")
    async def conversation(contact_id: str) -> RedirectResponse | None:
        path = f"/conversations/{contact_id}"
        if (redirect := session.login_redirect(port, path)) is not None:
            return redirect
        if (problem := port.contact_id_problem(contact_id)) is not None:
            _no_such_seller(problem)
            return None
        with frame(f"Seller {contact_id}", path=path):
            await _content(port, contact_id)
        return None


def _no_such_seller(problem: str) -> None:
    """The page for an address that cannot name a seller (the id is not echoed)."""
    with frame("No such seller", path="/conversations"):
        ui.label(f"No such seller: this address holds no contact id ({problem}).")
        ui.link("← All conversations", "/conversations")


async def _content(port: DaemonPort, contact_id: str) -> None:
    load = Shared(lambda: _require(port, contact_id))
    with ui.row().classes("w-full gap-2 items-center"):
        ui.link("← All conversations", "/conversations")
    state = Panel("", load, _state)
    with ui.element("div").classes(design.GRID):
        transcript = Panel("Transcript", load, _transcript)
        with ui.column().classes("w-full gap-4"):
            slots = Panel("Answers", load, _slots)
            lead = Panel("Lead score", lambda: port.lead(contact_id), _lead)
            history = Panel("Temperature history", load, _history)
    outbox = Panel("Outbox", lambda: port.outbox(contact_id), _outbox)
    panels = (state, transcript, slots, lead, history, outbox)

    async def refresh() -> None:
        for panel in panels:
            await panel.refresh()

    with (
        state.card,
        ui.row()
        .classes("w-full gap-2 flex-wrap")
        .props('role="group" aria-label="Actions"'),
    ):
        for command, title, icon, why in ACTIONS:
            ui.button(
                title,
                icon=icon,
                on_click=lambda _e, c=command, t=title, w=why: _confirm(
                    port,
                    contact_id=contact_id,
                    command=c,
                    title=t,
                    why=w,
                    refresh=refresh,
                ),
            ).props("outline").mark(f"action-{command}")
    await ui.context.client.connected()
    await refresh()
    ui.timer(REFRESH_S, refresh)


async def _require(port: DaemonPort, contact_id: str) -> Json:
    view = await port.conversation(contact_id)
    if view is None:
        msg = f"no conversation with contact {contact_id!r}"
        raise LookupError(msg)
    return view


def _confirm(
    port: DaemonPort,
    *,
    contact_id: str,
    command: Command,
    title: str,
    why: str,
    refresh: object,
) -> None:
    with ui.dialog() as dialog, ui.card().classes("j-card p-4 gap-3 max-w-md"):
        ui.label(f"{title} for {contact_id}?").classes("text-lg font-semibold")
        ui.label(why)

        async def run() -> None:
            dialog.close()
            try:
                await port.command(contact_id, command)
            except Exception as exc:  # noqa: BLE001 - a refused command is told, the page stays
                ui.notify(f"{title} failed: {exc}", type="negative")
                return
            ui.notify(f"{title}: done.", type="positive")
            if command == "forget":
                ui.navigate.to("/conversations")
                return
            if callable(refresh):
                await refresh()

        with ui.row().classes("justify-end w-full"):
            ui.button("Cancel", on_click=dialog.close).props("flat")
            ui.button(title, on_click=run).props("unelevated").mark("confirm")
    dialog.open()


def _state(view: Json) -> None:
    flags = view.get("flags") or {}
    temperature = str(view.get("temperature", ""))
    with ui.row().classes("w-full gap-2 items-center flex-wrap"):
        ui.label(fmt.label(fmt.TEMPERATURES, temperature)).classes(
            design.chip_class(temperature or "neutral")
        ).mark("temperature")
        ui.label(f"Stage: {fmt.label(fmt.STAGES, view.get('stage', ''))}").classes(
            design.chip_class("neutral")
        ).mark("stage")
        ui.label(f"{view.get('questions_answered', 0)} of 4 answered").classes(
            design.chip_class("neutral")
        )
        for name, on in flags.items():
            if on:
                ui.label(fmt.label({}, name)).classes(
                    design.chip_class("warning")
                ).mark(f"flag-{name}")


def _transcript(view: Json) -> None:
    lines = view.get("transcript") or []
    if not lines:
        ui.label("No messages yet.").classes("j-muted")
        return
    with (
        ui.column().classes("w-full gap-2").props('role="log" aria-label="Transcript"')
    ):
        for line in lines:
            inbound = line.get("direction") == "in"
            who = "Seller" if inbound else "Jorge"
            with ui.column().classes(
                f"j-bubble gap-0 {'j-in' if inbound else 'j-out'}"
            ):
                ui.label(str(line.get("text", "")))
                ui.label(f"{who} · {fmt.when(line.get('at'))}").classes(
                    "text-xs opacity-90"
                )


def _slots(view: Json) -> None:
    slots = view.get("slots") or {}
    rows = [(title, _slot(slots.get(key))) for key, title in SLOTS]
    rows.append(
        ("Price", fmt.price_range(slots.get("price_low"), slots.get("price_high")))
    )
    _kv(rows)


def _slot(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return fmt.yes_no(value)
    return fmt.label({}, value)


def _lead(lead: Json | None) -> None:
    if not lead:
        ui.label("No lead analysis for this contact.").classes("j-muted")
        return
    score = lead.get("score")
    klass = str(lead.get("classification") or lead.get("class") or "")
    with ui.row().classes("items-baseline gap-3"):
        ui.label("no data" if score is None else str(score)).classes(
            "text-3xl font-bold"
        )
        if klass:
            ui.label(fmt.label(fmt.TEMPERATURES, klass)).classes(
                design.chip_class(klass if klass in fmt.TEMPERATURES else "neutral")
            )
    if lead.get("reason"):
        ui.label(str(lead["reason"])).classes("j-muted")
    shown = {"score", "classification", "class", "reason", "contact_id"}
    _kv(
        [
            (fmt.label({}, k), fmt.when(v) if k.endswith("_at") else _slot(v))
            for k, v in lead.items()
            if k not in shown and not isinstance(v, dict | list)
        ]
    )


def _history(view: Json) -> None:
    changes = view.get("temperature_history") or []
    if not changes:
        ui.label("No temperature yet.").classes("j-muted")
        return
    with ui.column().classes("w-full gap-1"):
        for change in reversed(changes):
            t = str(change.get("temperature", ""))
            with ui.row().classes("gap-2 items-baseline no-wrap"):
                ui.label(fmt.when(change.get("at"))).classes("j-muted tabular-nums")
                ui.label(fmt.label(fmt.TEMPERATURES, t)).classes(design.chip_class(t))
                ui.label(str(change.get("reason", "")))


def _outbox(items: list[Json]) -> None:
    if not items:
        ui.label("Nothing sent or queued.").classes("j-muted")
        return
    rows = [
        {
            "id": i.get("id", ""),
            "created": fmt.when(i.get("created_at")),
            "kind": i.get("kind", ""),
            "status": i.get("status", ""),
            "text": i.get("text") or i.get("error") or "",
            "sent": fmt.when(i.get("sent_at")),
        }
        for i in reversed(items)
    ]
    ui.table(
        columns=[
            {"name": k, "label": k.capitalize(), "field": k, "align": "left"}
            for k in ("created", "kind", "status", "text", "sent")
        ],
        rows=rows,
        row_key="id",
        pagination=10,
    ).classes("w-full").props('flat dense wrap-cells :grid="$q.screen.lt.sm"')


def _kv(rows: list[tuple[str, str]]) -> None:
    with ui.element("div").classes("w-full grid grid-cols-[auto_1fr] gap-x-4 gap-y-1"):
        for name, value in rows:
            ui.label(name).classes("j-muted")
            ui.label(value).classes("font-medium")
