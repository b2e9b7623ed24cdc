"""The frame every page shares: theme, header with navigation, content column,
and the banner shown while the connection to the daemon is lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from nicegui import app, ui

from ui import design, session
from ui.design import THEME_CHOICES, Theme, ThemeChoice

NAV = (
    ("Overview", "/"),
    ("Conversations", "/conversations"),
    ("Needs Jorge", "/needs-jorge"),
    ("Simulator", "/simulator"),
    ("Health", "/health"),
)

_BANNER = """
<div id="j-offline" class="j-banner" role="status" aria-live="assertive" hidden>
Connection to jorged lost. Reconnecting&hellip;</div>
<script>
(function () {
  function hook() {
    if (!window.socket) { return setTimeout(hook, 200); }
    const banner = document.getElementById("j-offline");
    window.socket.on("disconnect", () => { banner.hidden = false; });
    window.socket.on("connect", () => { banner.hidden = true; });
    window.socket.io.on("reconnect_attempt", () => { banner.hidden = false; });
  }
  hook();
})();
</script>
"""


@contextmanager
def frame(title: str, *, path: str) -> Iterator[None]:
    """Lay out a page: theme, header with navigation, then the content column."""
    choice = session.theme_choice()
    ui.page_title(f"{title} · jorged")
    ui.add_head_html(f"<style>{design.stylesheet()}</style>")
    ui.add_body_html(_BANNER)
    ui.dark_mode(None if choice == "auto" else design.THEMES[choice].dark)
    body = ui.query("body").classes(f"theme-{choice}")
    if session.reduced_motion():
        body.classes("reduce-motion")
    with ui.header().classes(
        "j-header items-center justify-between px-3 py-1 gap-2 no-wrap"
    ):
        with ui.row().classes("items-center gap-1 no-wrap min-w-0"):
            _phone_menu(path)
            ui.link("jorged", "/").classes("text-lg font-bold no-underline mr-2").props(
                'aria-label="jorged home"'
            )
            # Wide screens: the links in one line; phones: the menu button above.
            with (
                ui.element("nav")
                .classes("j-nav j-wide-only flex no-wrap gap-x-1")
                .props('aria-label="Main"')
            ):
                _links(path, "px-2 py-1 rounded")
        _settings_menu()
    with ui.column().classes(design.PAGE).props('role="main"'):
        ui.label(title).classes("text-2xl font-semibold").props('role="heading"')
        yield


#: How many conversations wait for Jorge (the port's queue; `ui.setup` sets it).
_waiting: list[Callable[[], Awaitable[list[Any]]]] = []


def count_waiting_with(source: Callable[[], Awaitable[list[Any]]]) -> None:
    _waiting[:] = [source]


def _links(path: str, classes: str) -> None:
    counts: list[ui.link] = []
    for name, target in NAV:
        link = ui.link(name, target).classes(
            f"no-underline whitespace-nowrap {classes}"
        )
        if target == path:
            link.props('aria-current="page"')
        if target == "/needs-jorge":
            counts.append(link)
    if counts and _waiting:
        ui.timer(0.05, lambda: _show_waiting(counts), once=True)


async def _show_waiting(links: list[ui.link]) -> None:
    """The queue's length in the menu ("Needs Jorge (3)"), once the page is up."""
    try:
        waiting = len(await _waiting[0]())
    except Exception:  # noqa: BLE001 - the menu works without its count
        return
    for link in links:
        if not link.is_deleted:
            link.set_text(f"Needs Jorge ({waiting})")
            link.mark("needs-count")


def _phone_menu(path: str) -> None:
    """The pages as a drop-down list behind one button, on narrow screens."""
    with (
        ui.button(icon="menu")
        .props('flat round aria-label="Pages"')
        .classes("text-white j-narrow-only"),
        ui.menu().classes("j-nav p-2"),
        ui.element("nav").classes("flex flex-col gap-1").props('aria-label="Main"'),
    ):
        _links(path, "px-3 py-2 rounded text-base")


def _settings_menu() -> None:
    with (
        ui.button(icon="tune")
        .props('flat round aria-label="Display settings and sign out"')
        .classes("text-white"),
        ui.menu().classes("p-3"),
    ):
        ui.select(
            THEME_CHOICES,
            value=session.theme_choice(),
            label="Theme",
            on_change=lambda e: _set_theme(cast("ThemeChoice", e.value)),
        ).classes("min-w-56").props('aria-label="Theme"')
        ui.switch(
            "Reduce motion",
            value=session.reduced_motion(),
            on_change=lambda e: _set_motion(bool(e.value)),
        )
        if app.storage.user.get("user"):
            ui.button("Sign out", icon="logout", on_click=_sign_out).props(
                "flat"
            ).classes("mt-2").mark("sign-out")


def _set_theme(choice: ThemeChoice) -> None:
    session.set_theme_choice(choice)
    ui.navigate.reload()


def _set_motion(value: bool) -> None:
    session.set_reduced_motion(value)
    ui.navigate.reload()


def _sign_out() -> None:
    session.sign_out()
    ui.navigate.to("/login")


async def palette() -> Theme:
    """The theme the browser shows now (asks the browser when the choice is auto)."""
    choice = session.theme_choice()
    if choice != "auto":
        return design.THEMES[choice]
    try:
        dark = await ui.run_javascript(
            "window.matchMedia('(prefers-color-scheme: dark)').matches"
        )
    except TimeoutError:
        dark = False
    return design.DARK if dark is True else design.LIGHT
