"""The live activity feed: stored history on load, then events pushed as they happen.

A busy daemon emits several events per text, and every open dashboard follows them,
so the feed is cheap to redraw: its lines are one HTML element (one update sent to
the browser, not five elements a line), live events are drawn at most once per
`FRAME_S`, however many arrive meanwhile, and each event's line is made once for
every open page (`LINES`).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from nicegui import background_tasks, ui

from ui import format as fmt
from ui.components.feed_text import describe, kind_label
from ui.daemon_port import DaemonPort, Event

HISTORY = 50
KEEP = 200
SHOWN = 60
#: Live events are drawn at most this often (seconds).
FRAME_S = 0.25
#: Feed lines kept made, for all pages: more than the pages' feeds hold together.
LINES_KEPT = 4096


class ActivityFeed:
    """The newest events first, filtered by kind and contact, updated live."""

    def __init__(self, port: DaemonPort, *, on_event: Callable[[Event], None]) -> None:
        self.port = port
        self.on_event = on_event
        self.events: deque[Event] = deque(maxlen=KEEP)
        self.task: asyncio.Task[None] | None = None
        self.received = 0
        self._frame: asyncio.TimerHandle | None = None
        with ui.row().classes("w-full gap-2 items-end"):
            self.kinds = (
                ui.select({}, multiple=True, label="Kinds", on_change=self.render)
                .classes("min-w-48 grow")
                .props('clearable use-chips dense aria-label="Filter the feed by kind"')
            )
            self.contact = (
                ui.input("Seller", on_change=self.render)
                .classes("min-w-40 grow")
                .props(
                    'clearable dense debounce=300 aria-label="Filter by seller name"'
                )
            )
        self.list = (
            ui.column()
            .classes("w-full gap-1")
            .props('role="log" aria-live="polite" aria-label="Activity feed"')
        )
        with self.list:
            self.lines = ui.html("").classes("w-full")

    async def start(self) -> None:
        """Show the stored history, then follow the live stream until the page ends."""
        history = await self.port.recent_events(after=None, limit=HISTORY)
        self.events.extend(sorted(history, key=lambda e: e.at))
        self.render()
        client = ui.context.client
        self.task = background_tasks.create(self._follow(), name="activity-feed")
        client.on_delete(self.stop)
        self.list.mark("feed-live")

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self._frame is not None:
            self._frame.cancel()

    async def _follow(self) -> None:
        stream = self.port.events()
        try:
            async for event in stream:
                self.received += 1
                self.events.append(event)
                if self._frame is None:
                    loop = asyncio.get_running_loop()
                    self._frame = loop.call_later(FRAME_S, self._draw_frame)
                self.on_event(event)
        finally:
            close = getattr(stream, "aclose", None)
            if close is not None:
                with contextlib.suppress(RuntimeError):
                    await close()

    def render(self, *_: Any) -> None:
        kinds = {k: kind_label(k) for k in sorted({e.kind.value for e in self.events})}
        if kinds != self.kinds.options:
            self.kinds.set_options(kinds, value=self.kinds.value)
        wanted = set(self.kinds.value or ())
        ids = {e.contact_id for e in self.events if e.contact_id}
        try:
            names = self.port.contact_names(ids)
        except Exception:  # noqa: BLE001 - without names the feed shows ids
            names = {}
        contact = (self.contact.value or "").strip().casefold()

        def matches(e: Event) -> bool:
            cid = e.contact_id or ""
            return contact in cid.casefold() or contact in names.get(cid, "").casefold()

        shown = [
            e
            for e in reversed(self.events)
            if (not wanted or e.kind.value in wanted) and (not contact or matches(e))
        ][:SHOWN]
        if not shown:
            empty = "Nothing yet." if not self.events else "No event matches."
            self.lines.set_content(f'<div class="j-muted">{empty}</div>')
        else:
            today = datetime.now(UTC).astimezone().date()
            self.lines.set_content(
                "".join(
                    LINES.line(e, today, names.get(e.contact_id or "")) for e in shown
                )
            )

    def _draw_frame(self) -> None:
        self._frame = None
        if not self.lines.is_deleted:
            self.render()


class Lines:
    """Feed lines by event id and day (a line shows the date when not today)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._made: OrderedDict[tuple[str, date, str | None], str] = OrderedDict()

    def line(self, event: Event, today: date, name: str | None = None) -> str:
        ident = event.id
        if not ident:
            return _line(event, name)
        key = (ident, today, name)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _line(event, name)
            if len(self._made) > self.kept:
                self._made.popitem(last=False)
        return made


LINES = Lines(LINES_KEPT)


def _line(event: Event, name: str | None = None) -> str:
    """One feed line as HTML (every text escaped): the time, then a sentence naming
    the seller (a link to the conversation, the contact id as its tooltip)."""
    kind = event.kind.value
    contact = event.contact_id
    at = event.at
    when = _esc(fmt.when(at))
    full = _esc(fmt.when(at, now=_FAR))
    marker = "\u0000"
    sentence = _esc(describe(event, marker if contact else ""))
    if contact:
        who = _esc(name or str(contact))
        link = _esc(f"/conversations/{contact}")
        anchor = f'<a href="{link}" title="{_esc(str(contact))}">{who}</a>'
        sentence = sentence.replace(_esc(marker), anchor)
    return (
        # no-wrap: Quasar's `flex` wraps, which put the time on a line of its own.
        '<div class="flex no-wrap w-full gap-2 items-baseline text-sm min-w-0">'
        f'<span class="j-muted shrink-0 tabular-nums" title="{full}">{when}</span>'
        f'<span class="min-w-0 break-words" title="{_esc(kind_label(kind))}">'
        f"{sentence}</span></div>"
    )


#: A "now" no stored time shares a day with: `when` then always shows the date.
_FAR = datetime(1970, 1, 1, tzinfo=UTC)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
