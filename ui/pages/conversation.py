"""One conversation: transcript, slots, temperature history, outbox, lead score and
the actions (each confirmed first)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

import attrs
from fastapi.responses import RedirectResponse
from nicegui import ui

from jorged.demo import is_demo
from jorged.exceptions import Invalid
from ui import design, session
from ui import format as fmt
from ui.components.feed_text import value_text
from ui.components.panel import Panel, Shared
from ui.daemon_port import (
    Command,
    ConversationRow,
    ConversationState,
    DaemonPort,
    LeadAnalysis,
    OutboxEntry,
    SellerView,
    Slots,
)
from ui.pages import missing
from ui.seller_figures import answers, shown, unindexed
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
    ("condition", "Condition"),
)
REFRESH_S = 5.0


def create(port: DaemonPort) -> None:
    @ui.page("/conversations/{contact_id}")
    async def conversation(contact_id: str) -> RedirectResponse | None:
        path = f"/conversations/{contact_id}"
        if (redirect := session.login_redirect(port, path)) is not None:
            return redirect
        try:
            view = await port.conversation(contact_id)
        except Invalid:
            view = None
        if view is None:
            with frame("No such seller", path=path):
                missing.no_such_seller(contact_id)
            return None
        name = (view.figures.first_name if view.figures else "") or contact_id
        with frame(name, path=path):
            with ui.row().classes("gap-2 items-center -mt-2"):
                ui.label(f"Contact id {contact_id}").classes(
                    "j-muted text-sm break-all"
                )
                if is_demo(contact_id):
                    ui.label("Demo").classes(design.chip_class("neutral")).props(
                        'title="Played by the demo traffic, not a real seller"'
                    )
            await _content(port, contact_id)
        return None


async def _content(port: DaemonPort, contact_id: str) -> None:
    load = Shared(lambda: _require(port, contact_id))
    with ui.row().classes("w-full gap-2 items-center"):
        ui.link("← All conversations", "/conversations")
    state = Panel("", load, _state)
    with ui.element("div").classes(design.GRID):
        transcript = Panel("Transcript", load, _transcript)
        with ui.column().classes("w-full gap-4"):
            slots = Panel("Answers", load, _slots)
            lead = Panel(
                "Lead score", lambda: _with_lead(port, load, contact_id), _lead
            )
            history = Panel("Temperature history", load, _history)
    outbox = Panel("Outbox", lambda: port.outbox(contact_id), _outbox)
    panels = (state, transcript, slots, lead, history, outbox)

    buttons: dict[str, ui.button] = {}

    async def refresh() -> None:
        for panel in panels:
            await panel.refresh()
        try:
            view = await load()
        except Exception:  # noqa: BLE001 - the state panel already says what failed
            return
        _follow(view, buttons, language)

    with (
        state.card,
        ui.row()
        .classes("w-full gap-2 flex-wrap")
        .props('role="group" aria-label="Actions"'),
    ):
        for command, title, icon, why in ACTIONS:
            buttons[command] = (
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
                )
                .props("outline")
                .mark(f"action-{command}")
            )
        language = _language_control(port, contact_id, refresh)
    if not await session.connected():
        return
    await refresh()
    ui.timer(REFRESH_S, refresh)


async def _with_lead(
    port: DaemonPort, load: Shared[SellerView], contact_id: str
) -> tuple[SellerView, LeadAnalysis | None]:
    return await load(), await port.lead(contact_id)


async def _require(port: DaemonPort, contact_id: str) -> SellerView:
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


def _figures(view: SellerView) -> dict[str, str]:
    """The seller's figures from the read model (the state's own until it is
    indexed)."""
    if view.figures is None:
        return unindexed(view.state)
    return shown(view.figures)


LANGUAGES = {"en": "English", "es": "Spanish"}


def _follow(
    view: SellerView, buttons: dict[str, ui.button], language: Callable[[str], None]
) -> None:
    """Only the actions that apply are enabled; the selector shows the language."""
    flags = view.state.flags
    paused, stopped = flags.paused, flags.stopped
    buttons["pause"].set_enabled(not paused and not stopped)
    buttons["resume"].set_enabled(paused or stopped)
    buttons["stop"].set_enabled(not stopped)
    current = view.state.language.value
    if current in LANGUAGES:
        language(current)


def _language_control(
    port: DaemonPort, contact_id: str, refresh: object
) -> Callable[[str], None]:
    """Jorge picks the language the bot writes in; detection no longer changes it.

    Returns how to show the conversation's current language in the selector (shown,
    not chosen: the change handler lets that value pass).
    """
    shown: dict[str, object] = {}

    async def chosen(event: object) -> None:
        value = getattr(event, "value", None)
        if value not in LANGUAGES or shown.pop("value", None) == value:
            return
        try:
            await port.set_language(contact_id, str(value))
        except Exception as exc:  # noqa: BLE001 - a refused change is told, the page stays
            ui.notify(f"Language not changed: {exc}", type="negative")
            return
        ui.notify(f"The bot writes to this seller in {LANGUAGES[value]}.")
        if callable(refresh):
            await refresh()

    select = (
        ui.select(LANGUAGES, label="Bot writes in", on_change=chosen)
        .classes("min-w-40")
        .props('outlined dense stack-label aria-label="Bot writes in"')
        .mark("language")
    )

    def show(value: str) -> None:
        if select.value != value:
            shown["value"] = value
            select.set_value(value)

    return show


#: The flags a conversation shows as chips, in this order.
FLAGS = ("opted_out", "paused", "stopped", "stalled", "booked")


def _state(view: SellerView) -> None:
    state = view.state
    figures = _figures(view)
    temperature = (view.figures or state).temperature.value
    with ui.row().classes("w-full gap-2 items-center flex-wrap"):
        ui.label(figures["temperature"]).classes(
            design.chip_class(temperature or "neutral")
        ).mark("temperature")
        ui.label(f"Stage: {figures['stage']}").classes(
            design.chip_class("neutral")
        ).mark("stage")
        ui.label(f"{figures['answered']} answered").classes(
            design.chip_class("neutral")
        )
        language = state.language.value
        source = state.language_source.value
        how = {"agent": "set by you", "tag": "CRM tag", "detected": "detected"}
        ui.label(
            f"{LANGUAGES.get(language, language)}"
            + (f" ({how[source]})" if source in how else "")
        ).classes(design.chip_class("neutral")).mark("language-chip")
        for name in FLAGS:
            if getattr(state.flags, name):
                ui.label(fmt.label({}, name)).classes(
                    design.chip_class("warning")
                ).mark(f"flag-{name}")


def _transcript(view: SellerView) -> None:
    lines = view.state.transcript
    if not lines:
        ui.label("No messages yet.").classes("j-muted")
        return
    with (
        ui.column().classes("w-full gap-2").props('role="log" aria-label="Transcript"')
    ):
        read = evidence_by_message(view.state)
        for line in lines:
            inbound = line.direction.value == "in"
            who = "Seller" if inbound else "Jorge"
            with ui.column().classes(
                f"j-bubble gap-0 {'j-in' if inbound else 'j-out'}"
            ):
                ui.label(line.text)
                ui.label(f"{who} · {fmt.when(line.at)}").classes("text-xs opacity-90")
                for note in read.get(line.message_id or "", ()):
                    ui.label(note).classes("text-xs italic").mark("evidence")


def evidence_by_message(state: ConversationState) -> dict[str, list[str]]:
    """For each inbound message id, what was read from it and the seller's words:
    "Read as price: $450k from “around 450”". The state keeps the words of each
    recorded value (`Slots.evidence`); they are shown under the latest of the
    seller's messages that holds them."""
    slots = state.slots
    inbound = [line for line in state.transcript if line.direction.value == "in"]
    notes: dict[str, list[str]] = {}
    for slot, words in dict(slots.evidence).items():
        said = " ".join(str(words or "").split())
        if not said:
            continue
        where = next(
            (
                line
                for line in reversed(inbound)
                if said.casefold() in " ".join(line.text.split()).casefold()
            ),
            None,
        )
        if where is None or not where.message_id:
            continue
        note = f"Read as {fmt.label({}, slot).lower()}: {_slot_value(slot, slots)}"
        notes.setdefault(where.message_id, []).append(f"{note} from “{said}”")
    return notes


def _slot_value(slot: str, slots: Slots) -> str:
    """A recorded value as a person reads it ("$450k", "yes, 21 days")."""
    if slot == "price":
        return fmt.price_range(slots.price_low, slots.price_high)
    if slot in {"owed", "estimate"}:
        value = slots.owed if slot == "owed" else slots.estimate
        return fmt.money(float(value)) if value is not None else "-"
    if slot == "timeline":
        days = slots.timeline_days
        text = value_text(slot, slots.timeline_ok)
        return f"{text}, {days} days" if days is not None else text
    return value_text(slot, answers(slots).get(slot))


def _slots(view: SellerView) -> None:
    slots = answers(view.state.slots)
    figures = _figures(view)
    rows = [(title, _slot(slots.get(key))) for key, title in SLOTS]
    rows.append(("Timeline", figures["timeline"]))
    rows.append(("Price", figures["price"]))
    _kv(rows)


def _slot(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return fmt.yes_no(value)
    return fmt.label({}, value)


#: Lead analysis fields not shown in its panel: the score and class come from the
#: read model, and the price and timeline shown anywhere are the read model's.
LEAD_HIDDEN = frozenset(
    {
        "score",
        "classification",
        "class",
        "reason",
        "contact_id",
        "price_low",
        "price_high",
        "price_bound",
        "timeline",
        "timeline_days",
        "in_price_band",
        "estimated_commission",
        "found",
        "filled_by_llm",
    }
)


def _lead(loaded: tuple[SellerView, LeadAnalysis | None]) -> None:
    view, lead = loaded
    row = view.figures
    if row is None or row.lead_score is None or lead is None:
        ui.label("No lead analysis for this contact yet.").classes("j-muted")
        return
    figures = shown(row)
    klass = row.lead_class.value if row.lead_class else ""
    with ui.row().classes("items-baseline gap-3"):
        ui.label(figures["lead_score"]).classes("text-3xl font-bold").mark("lead-score")
        if klass:
            ui.label(figures["lead_class"]).classes(
                design.chip_class(klass if klass in fmt.TEMPERATURES else "neutral")
            )
    if _stale(lead, row):
        # The lead's own words would contradict the figures shown everywhere.
        ui.label(
            "Scored before the seller gave their price or timeline; the score is"
            " not updated from the conversation yet."
        ).classes("j-warn").mark("lead-stale")
    elif lead.reason:
        ui.label(lead.reason).classes("j-muted")
    _kv(
        [
            (fmt.label({}, k), fmt.when(v) if k.endswith("_at") else _slot(v))
            for k, v in _lead_fields(lead)
            if k not in LEAD_HIDDEN
        ]
    )


def _lead_fields(lead: LeadAnalysis) -> list[tuple[str, object]]:
    """The analysis' plain fields (no lists or nested records), codes as text."""
    values = [(f.name, getattr(lead, f.name)) for f in attrs.fields(LeadAnalysis)]
    return [
        (name, value.value if isinstance(value, Enum) else value)
        for name, value in values
        if not isinstance(value, tuple | list | Mapping) and not attrs.has(type(value))
    ]


def _stale(lead: LeadAnalysis, row: ConversationRow) -> bool:
    """True when the lead analysis lacks a price or timeline the read model has."""
    price = lead.price_low is None and row.price_low is not None
    timeline = lead.timeline.value == "unknown" and row.timeline.value != "unknown"
    return price or timeline


def _history(view: SellerView) -> None:
    changes = view.state.temperature_history
    if not changes:
        ui.label("No temperature yet.").classes("j-muted")
        return
    with ui.column().classes("w-full gap-1"):
        for change in reversed(changes):
            t = change.temperature.value
            with ui.row().classes("gap-2 items-baseline no-wrap"):
                ui.label(fmt.when(change.at)).classes("j-muted tabular-nums")
                ui.label(fmt.label(fmt.TEMPERATURES, t)).classes(design.chip_class(t))
                ui.label(change.reason)


#: Outbox statuses as a person reads them, and their chip colour.
OUTBOX_STATUS = {
    "sandboxed": ("Sandbox", "neutral"),
    "pending": ("Waiting", "warning"),
    "sent": ("Sent", "ok"),
    "failed": ("Failed", "critical"),
}
SHOWN_OUTBOX = 30


def _outbox(items: list[OutboxEntry]) -> None:
    """Newest first, one block each: when, status, then what it does in full."""
    if not items:
        ui.label("Nothing sent or queued.").classes("j-muted")
        return
    with ui.column().classes("w-full gap-3").props('role="list"'):
        for item in list(reversed(items))[:SHOWN_OUTBOX]:
            status, tone = OUTBOX_STATUS.get(item.status, (item.status, "neutral"))
            with ui.column().classes("w-full gap-0").props('role="listitem"'):
                with ui.row().classes("gap-2 items-center text-sm"):
                    ui.label(fmt.when(item.created_at)).classes("j-muted tabular-nums")
                    ui.label(status).classes(design.chip_class(tone))
                    if item.sent_at:
                        ui.label(_when_done(item)).classes("j-muted").mark(
                            "outbox-when"
                        )
                ui.label(_does(item)).classes("w-full break-words").props(
                    f'title="{item.id}" data-outbox-item'
                ).mark("outbox-item")
    if len(items) > SHOWN_OUTBOX:
        ui.label(f"and {len(items) - SHOWN_OUTBOX} older actions").classes("j-muted")


def _when_done(item: OutboxEntry) -> str:
    """When the action went out; a sandboxed one was only recorded then."""
    at = fmt.when(item.sent_at)
    if item.status == "sandboxed":
        return f"recorded {at}, not sent (sandbox)"
    return f"sent {at}"


def _does(item: OutboxEntry) -> str:
    """What the action does ("Add tags: Hot-Seller"), and why it failed if it did."""
    does = item.summary or item.text or ""
    if item.error:
        does = f"{does} (failed: {item.error})" if does else item.error
    return does


def _kv(rows: list[tuple[str, str]]) -> None:
    with ui.element("div").classes("w-full grid grid-cols-[auto_1fr] gap-x-4 gap-y-1"):
        for name, value in rows:
            ui.label(name).classes("j-muted")
            ui.label(value).classes("font-medium")
