"""The frame every page shares: header, navigation, content column."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from ui import design

NAV = (("Overview", "/"),)


@contextmanager
def frame(title: str) -> Iterator[None]:
    """Lay out a page: header with navigation, then the content column."""
    ui.page_title(f"{title} · jorged")
    with (
        ui.header()
        .classes("items-center justify-between px-4 py-2")
        .style(f"background-color: {design.BRAND}")
    ):
        ui.label("jorged").classes("text-lg font-bold text-white")
        with ui.row().classes("gap-1"):
            for name, target in NAV:
                ui.link(name, target).classes(
                    "text-white no-underline px-2 py-1 rounded hover:bg-blue-800"
                )
    with ui.column().classes(design.PAGE):
        ui.label(title).classes("text-2xl font-semibold")
        yield
