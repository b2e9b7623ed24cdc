"""Sign in; every other page sends a signed-out visitor here and back after."""

from __future__ import annotations

import math

from fastapi.responses import RedirectResponse
from nicegui import app, ui
from starlette.requests import Request
from starlette.responses import Response

from jorged.web.guard import client_address
from jorged.web.responses import error_response
from ui import design, session
from ui.daemon_port import DaemonPort


def create(port: DaemonPort) -> None:
    @ui.page("/login")
    def login(next: str = "/") -> RedirectResponse | None:  # noqa: A002 - the query parameter's name
        target = session.safe_next(next)
        if session.user(port) is not None:
            return RedirectResponse(target, status_code=303)
        _form(port, target)
        return None

    @app.post("/login")
    async def login_post(request: Request) -> Response:
        """Sign in with a form post (`username`, `password`, `next`), for clients
        without the page's websocket: 303 to `next`, 401 wrong, 429 must wait."""
        form = await request.form()
        name = str(form.get("username") or "").strip()
        outcome = await port.check_login(
            name, str(form.get("password") or ""), client_address(request.scope)
        )
        if outcome.ok:
            session.sign_in(name)
            target = session.safe_next(str(form.get("next") or "/"))
            return RedirectResponse(target, status_code=303)
        if outcome.retry_after_s > 0:
            wait = str(math.ceil(outcome.retry_after_s))
            return error_response(
                429, "too many attempts", headers={"Retry-After": wait}
            )
        return error_response(401, "wrong user name or password")


def _client() -> str:
    """The signing-in browser's address, as the guard in front of the app saw it."""
    try:
        return client_address(ui.context.client.request.scope)
    except RuntimeError:  # no request behind this client (tests' simulated user)
        return "-"


def _form(port: DaemonPort, target: str) -> None:
    choice = session.theme_choice()
    ui.page_title("Sign in · jorged")
    ui.add_head_html(f"<style>{design.stylesheet()}</style>")
    ui.dark_mode(None if choice == "auto" else design.THEMES[choice].dark)
    ui.query("body").classes(f"theme-{choice}")

    async def submit() -> None:
        name = (username.value or "").strip()
        outcome = await port.check_login(name, password.value or "", _client())
        if outcome.ok:
            session.sign_in(name)
            ui.navigate.to(target)
            return
        password.value = ""
        if outcome.retry_after_s > 0:
            seconds = math.ceil(outcome.retry_after_s)
            error.text = f"Too many attempts. Try again in {seconds} s."
        else:
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
