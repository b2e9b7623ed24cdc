"""A card that loads its data from the port; a failure stays inside the card.

A panel never stops updating because one update failed: a failure to load or to
draw is logged, counted (`report_failures_to`, served on `/metrics`), shown in the
card with a retry button, and the next refresh tries again from scratch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import structlog
from nicegui import ui

from ui import design

log = structlog.get_logger()

T = TypeVar("T")

#: Where failures are counted: the daemon's port (`ui.setup` sets it).
_report: list[Callable[[str, str], None]] = []


def report_failures_to(report: Callable[[str, str], None]) -> None:
    """Count every panel failure with `report(panel title, "load" or "draw")`."""
    _report[:] = [report]


def _count(panel: str, stage: str) -> None:
    for report in _report:
        try:
            report(panel, stage)
        except Exception as exc:  # noqa: BLE001 - counting must never break a page
            log.warning("panel_failure_not_counted", panel=panel, error=repr(exc))


class StillLoading(Exception):
    """Raised by a `load()` whose data is not there yet (shown as loading)."""


class Panel(Generic[T]):
    """A titled card whose body is rendered from `load()`.

    When `load()` fails, the card says so in one line and offers a retry button; the
    rest of the page keeps working.
    """

    def __init__(
        self,
        title: str,
        load: Callable[[], Awaitable[T]],
        render: Callable[[T], None],
        *,
        classes: str = "",
        update: Callable[[T], None] | None = None,
    ) -> None:
        self.title = title
        self._load = load
        self._render = render
        #: Given, later loads change the rendered body in place (cheaper than a
        #: rebuild, as for charts) instead of rendering it anew.
        self._update = update
        self._rendered = False
        self.card = ui.card().classes(f"{design.CARD} {classes}")
        with self.card:
            if title:
                ui.label(title).classes("text-lg font-semibold")
            self.body = ui.column().classes("w-full gap-2")
        self.failed = False
        #: The last load said its data is not there yet.
        self.loading = False

    async def refresh(self) -> None:
        """Load and show the data; never raises (a failure is shown and counted)."""
        try:
            data = await self._load()
        except StillLoading as exc:
            self._show_loading(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - one panel's failure is shown in it, never breaks the page
            self.loading = False
            self._failed("load", exc)
            return
        self.loading = False
        if self._rendered and not self.failed and self._update is not None:
            try:
                self._update(data)
            except Exception as exc:  # noqa: BLE001 - an update that fails is redrawn below
                log.warning("panel_update_failed", panel=self.title, error=repr(exc))
                _count(self.title, "draw")
            else:
                return
        try:
            self.body.clear()
            with self.body:
                self._render(data)
        except Exception as exc:  # noqa: BLE001 - a drawing bug stays in its card
            self._rendered = False
            self._failed("draw", exc)
            return
        self.failed = False
        self._rendered = True

    def _show_loading(self, text: str) -> None:
        self.failed = True  # rendered anew once the data is there
        self.loading = True
        self.body.clear()
        with self.body, ui.row().classes("items-center gap-3"):
            ui.spinner(size="sm")
            ui.label(text).classes("j-muted").props('role="status"')

    def _failed(self, stage: str, exc: Exception) -> None:
        log.warning("panel_failed", panel=self.title, stage=stage, error=repr(exc))
        _count(self.title, stage)
        self._show_failure(exc)

    def _show_failure(self, exc: Exception) -> None:
        self.failed = True
        self.body.clear()
        with self.body, ui.row().classes("items-center gap-3"):
            ui.label(f"Couldn't load this: {_reason(exc)}").classes("j-bad").props(
                'role="alert"'
            )
            ui.button("Retry", icon="refresh", on_click=self.refresh).props(
                f'outline aria-label="Retry loading {self.title or "this panel"}"'
            )


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class Shared(Generic[T]):
    """One load shared by the panels that show parts of the same answer.

    Calls within `fresh_s` of a load get that load's result (or failure).
    """

    def __init__(self, load: Callable[[], Awaitable[T]], fresh_s: float = 1.0) -> None:
        self._load = load
        self._fresh_s = fresh_s
        self._task: asyncio.Future[T] | None = None
        self._at = 0.0

    async def __call__(self) -> T:
        now = time.monotonic()
        if self._task is None or now - self._at > self._fresh_s:
            self._task = asyncio.ensure_future(self._load())
            self._at = now
        return await asyncio.shield(self._task)
