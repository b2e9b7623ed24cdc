"""Play a seller against the real bot as a sandbox contact."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from ui import design, session
from ui import format as fmt
from ui.daemon_port import DaemonPort, SellerView, TranscriptEntry
from ui.seller_figures import answers
from ui.theme import frame

POLL_S = 0.5
#: How long to keep polling for the bot's reply after a message (seconds).
WAIT_S = 15.0


def create(port: DaemonPort) -> None:
    @ui.page("/simulator")
    async def simulator() -> RedirectResponse | None:
        if (redirect := session.login_redirect(port, "/simulator")) is not None:
            return redirect
        with frame("Simulator", path="/simulator"):
            await Simulator(port).build()
        return None


def _new_contact() -> str:
    return f"sandbox-{secrets.token_hex(4)}"


def answered(lines: Sequence[TranscriptEntry], message_id: str, before: int) -> bool:
    """Whether the bot replied after the message `message_id`.

    Right after sending, the transcript may still end with the previous reply: the
    message counts as answered only once it is recorded (by its id, or as a line past
    the `before` lines there were) and a reply of the bot follows it.
    """
    ids = [i for i, line in enumerate(lines) if line.message_id == message_id]
    start = ids[0] if ids else before
    return any(line.direction.value == "out" for line in lines[start + 1 :]) and (
        bool(ids) or any(line.direction.value == "in" for line in lines[before:])
    )


class Simulator:
    """A chat box on the left, the conversation's answers and temperature beside it."""

    def __init__(self, port: DaemonPort) -> None:
        self.port = port
        contact = app.storage.user.get("simulator_contact")
        self.contact_id = contact if isinstance(contact, str) else _new_contact()
        app.storage.user["simulator_contact"] = self.contact_id
        self.waited = 0.0
        self.seen = 0
        #: The message being answered: its id and the transcript length before it.
        self.pending: tuple[str, int] | None = None

    async def build(self) -> None:
        ui.label(
            "Write as a seller would. Messages go through the same path as a GHL "
            "webhook; replies are recorded in the outbox, never sent."
        ).classes("j-muted")
        with ui.element("div").classes(design.GRID):
            with ui.card().classes(design.CARD):
                with ui.row().classes("w-full items-center justify-between"):
                    self.title = (
                        ui.label(f"Contact {self.contact_id}")
                        .classes("font-semibold")
                        .mark("sim-contact")
                    )
                    ui.button(
                        "New seller", icon="person_add", on_click=self.reset
                    ).props("outline").mark("sim-new")
                self.chat = (
                    ui.column()
                    .classes("w-full gap-2 min-h-48 max-h-[55vh] overflow-y-auto")
                    .props('role="log" aria-live="polite" aria-label="Chat"')
                )
                with ui.row().classes("w-full items-end no-wrap gap-2"):
                    self.text = (
                        ui.input("Message as the seller")
                        .classes("grow")
                        .props('aria-label="Message as the seller"')
                        .on("keydown.enter", self.send)
                        .mark("sim-text")
                    )
                    ui.button(icon="send", on_click=self.send).props(
                        'unelevated aria-label="Send"'
                    ).mark("sim-send")
                self.status = ui.label("").classes("j-muted text-sm")
            with ui.card().classes(design.CARD):
                ui.label("What the bot understood").classes("text-lg font-semibold")
                self.facts = ui.column().classes("w-full gap-2")
        self.poller = ui.timer(POLL_S, self.poll, active=False)
        if not await session.connected():
            return
        await self.show()

    async def reset(self) -> None:
        self.contact_id = _new_contact()
        app.storage.user["simulator_contact"] = self.contact_id
        self.title.text = f"Contact {self.contact_id}"
        self.seen = 0
        await self.show()

    async def send(self) -> None:
        text = (self.text.value or "").strip()
        if not text:
            return
        self.text.value = ""
        before = self.seen
        try:
            sent = await self.port.simulate(self.contact_id, text)
        except Exception as exc:  # noqa: BLE001 - a refused message is told, the chat stays
            self.status.text = f"Not sent: {exc}"
            return
        self.status.text = "Sent; waiting for the bot…"
        self.waited = 0.0
        self.pending = (sent.message_id, before)
        self.poller.activate()
        await self.show()

    async def poll(self) -> None:
        self.waited += POLL_S
        view = await self.show()
        lines = view.state.transcript if view is not None else ()
        if self.pending is not None and answered(lines, *self.pending):
            self.status.text = ""
            self.pending = None
            self.poller.deactivate()
        elif self.waited >= WAIT_S:
            self.status.text = "No reply (the bot may be paused, stopped or done)."
            self.pending = None
            self.poller.deactivate()

    async def show(self) -> SellerView | None:
        try:
            view = await self.port.conversation(self.contact_id)
        except Exception as exc:  # noqa: BLE001 - shown in the panel; the next poll retries
            self.status.text = f"Couldn't load the conversation: {exc}"
            return None
        lines = view.state.transcript if view is not None else ()
        if len(lines) != self.seen or not lines:
            self.seen = len(lines)
            self.chat.clear()
            with self.chat:
                if not lines:
                    ui.label("Say hello to start.").classes("j-muted")
                for line in lines:
                    inbound = line.direction.value == "in"
                    ui.label(line.text).classes(
                        f"j-bubble {'j-out' if inbound else 'j-in'}"
                    ).props(f'aria-label="{"You" if inbound else "Bot"}"').mark(
                        "sim-you" if inbound else "sim-bot"
                    )
        self._facts(view)
        return view

    def _facts(self, view: SellerView | None) -> None:
        self.facts.clear()
        with self.facts:
            if view is None:
                ui.label("No conversation yet.").classes("j-muted")
                return
            state = view.state
            t = state.temperature.value
            with ui.row().classes("gap-2"):
                ui.label(fmt.label(fmt.TEMPERATURES, t)).classes(
                    design.chip_class(t or "neutral")
                ).mark("sim-temperature")
                ui.label(fmt.label(fmt.STAGES, state.stage.value)).classes(
                    design.chip_class("neutral")
                ).mark("sim-stage")
            slots = answers(state.slots)
            with ui.element("div").classes("grid grid-cols-[auto_1fr] gap-x-4 gap-y-1"):
                for key, value in slots.items():
                    ui.label(fmt.label({}, key)).classes("j-muted")
                    shown = (
                        fmt.yes_no(value)
                        if isinstance(value, bool) or value is None
                        else str(value)
                    )
                    ui.label(shown).mark(f"slot-{key}")
            ui.link("Open the full conversation", f"/conversations/{self.contact_id}")
