"""Sign in; every other page sends a signed-out visitor here and back after."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from ui import design, session
from ui.port import DaemonPort


def create(port: DaemonPort) -> None:
    @ui.page("/login")
    def login(next: str = "/") -> RedirectResponse | None:  # noqa: A002 - the query parameter's name
        target = session.safe_next(next)
        if session.user(port) is not None:
            return RedirectResponse(target, status_code=303)
        _form(port, target)
        return None


def _form(port: DaemonPort, target: str) -> None:
    choice = session.theme_choice()
    ui.page_title("Sign in · jorged")
    ui.add_head_html(f"<style>{design.stylesheet()}</style>")
    ui.dark_mode(None if choice == "auto" else design.THEMES[choice].dark)
    ui.query("body").classes(f"theme-{choice}")

    def submit() -> None:
        name = (username.value or "").strip()
        if port.check_login(name, password.value or ""):
            session.sign_in(name)
            ui.navigate.to(target)
            return
        password.value = ""
        error.text = "Wrong user name or password."
        error.set_visibility(True)

    with (
        ui.column().classes("w-full min-h-screen items-center justify-center p-4"),
        ui.card().classes("j-card w-full max-w-sm p-6 gap-3"),
    ):
        ui.label("jorged").classes("text-2xl font-bold")
        ui.label("Sign in to the dashboard").classes("j-muted")
        username = (
            ui.input("User name")
            .classes("w-full")
            .props('autocomplete=username autofocus aria-label="User name"')
            .mark("login-user")
        )
        password = (
            ui.input("Password", password=True, password_toggle_button=True)
            .classes("w-full")
            .props('autocomplete=current-password aria-label="Password"')
            .on("keydown.enter", submit)
            .mark("login-password")
        )
        error = ui.label("").classes("j-bad").props('role="alert"')
        error.set_visibility(False)
        ui.button("Sign in", on_click=submit).classes("w-full").props(
            "unelevated"
        ).mark("login-submit")
