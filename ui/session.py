"""Who is looking at the dashboard, and how they like it shown (per user, in
`app.storage.user`)."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from ui.daemon_port import DaemonPort
from ui.design import THEME_CHOICES, ThemeChoice

#: The name presets and exports are recorded under when no login is needed.
LOCAL_USER = "local"


def user(port: DaemonPort) -> str | None:
    """The signed-in user, `LOCAL_USER` when no login is needed, else None."""
    name = app.storage.user.get("user")
    if isinstance(name, str) and name:
        return name
    return None if port.login_required() else LOCAL_USER


def login_redirect(port: DaemonPort, path: str) -> RedirectResponse | None:
    """A redirect to the login page (coming back to `path`), or None when signed in."""
    if user(port) is not None:
        return None
    return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)


def sign_in(name: str) -> None:
    app.storage.user["user"] = name


def sign_out() -> None:
    app.storage.user.pop("user", None)


def theme_choice() -> ThemeChoice:
    value = app.storage.user.get("theme", "auto")
    return cast("ThemeChoice", value) if value in THEME_CHOICES else "auto"


def set_theme_choice(choice: ThemeChoice) -> None:
    app.storage.user["theme"] = choice


def reduced_motion() -> bool:
    return bool(app.storage.user.get("reduced_motion", False))


def set_reduced_motion(value: bool) -> None:
    app.storage.user["reduced_motion"] = value


def safe_next(target: str | None) -> str:
    """Where to go after login: a local path only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


async def connected() -> bool:
    """Wait for the page's browser; False when its client was dropped instead.

    A page fetched without a browser (curl, a link preview) never connects and is
    dropped after the reconnect timeout; the page must then stop, not start timers
    in a deleted client.
    """
    client = ui.context.client
    await client.connected()
    return not client.is_deleted
