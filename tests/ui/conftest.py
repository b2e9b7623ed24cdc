"""The real daemon behind the dashboard, on the test's asyncio loop.

`dash` builds `jorged.app.Daemon` on a temp state dir (Redis off, login on), the web
app exactly as `jorged` does (`server.build` with every route group), runs its
lifespan (NiceGUI's start-up, then the trio guest with every actor) and hands out a
NiceGUI test `User` whose requests go to that app.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from nicegui import ui
from nicegui.functions.download import download
from nicegui.functions.navigate import Navigate
from nicegui.functions.notify import notify
from nicegui.testing import User
from nicegui.testing.general import nicegui_reset_globals

from jorged import config
from jorged.app import Daemon
from jorged.passwords import hash_password
from jorged.web import web_server as server
from jorged.web.bridge_port import BridgePort
from jorged.web.routes import ROUTES
from jorged.web.views import SellerView

USERNAME = "jorge"
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)


@attrs.define
class Dash:
    """A signed-out browser on the dashboard, and the daemon behind it."""

    user: User
    daemon: Daemon
    port: BridgePort

    async def sign_in(self, path: str = "/") -> None:
        await self.user.open(f"/login?next={path}")
        self.user.find(marker="login-user").type(USERNAME)
        self.user.find(marker="login-password").type(PASSWORD)
        self.user.find(marker="login-submit").click()
        await self.user.should_see(marker="sign-out", retries=50)

    async def find(self, marker: str) -> Any:
        """The element marked `marker`, once the page has rendered it."""
        await self.user.should_see(marker=marker, retries=100)
        return self.user.find(marker=marker)

    async def say(self, contact_id: str, text: str, replies: int) -> SellerView:
        """An inbound SMS; returns the conversation once the bot sent `replies`."""
        await self.port.simulate(contact_id, text)
        return await wait_for(lambda: self._replies(contact_id, replies))

    async def _replies(self, contact_id: str, count: int) -> SellerView | None:
        view = await self.port.conversation(contact_id)
        if view is None:
            return None
        out = [t for t in view.state.transcript if t.direction == "out"]
        return view if len(out) >= count else None


async def wait_for(probe: Callable[[], Awaitable[Any]], timeout: float = 10.0) -> Any:
    """The first truthy answer of `probe`, polled until `timeout` (then fail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await probe()
        if result:
            return result
        await asyncio.sleep(0.02)
    pytest.fail(f"condition not met within {timeout} s")


def daemon_env(state: Path) -> dict[str, str]:
    return {
        "JORGED_REDIS__ENABLED": "false",
        "JORGED_STORE__DIR": str(state / "state"),
        "JORGED_CONTROL__SOCKET": str(state / "control.sock"),
        "JORGED_DASHBOARD__PASSWORD_HASH": _HASH,
        "JORGED_SELLER__BATCH_WINDOW_S": "0.05",
        "JORGED_LOG__LEVEL": "warning",
        # NiceGUI's simulated browser asks for http://test/...
        "JORGED_WEB__ALLOWED_HOSTS": '["test"]',
    }


@contextlib.asynccontextmanager
async def running_dash(tmp_path: Path, **overrides: str) -> AsyncIterator[Dash]:
    """The daemon and its dashboard, with `overrides` on top of `daemon_env`."""
    env = daemon_env(tmp_path) | overrides
    daemon = Daemon(cfg=config.load(env=env), env=env)
    with nicegui_reset_globals():
        os.environ["NICEGUI_USER_SIMULATION"] = "true"
        try:
            web = server.build(daemon, routes=ROUTES)
            async with (
                web.api.router.lifespan_context(web.api),
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(web.api), base_url="http://test"
                ) as client,
            ):
                port = server.daemon_port(daemon, web.guest)
                yield Dash(user=User(client), daemon=daemon, port=port)
        finally:
            os.environ.pop("NICEGUI_USER_SIMULATION", None)
            ui.navigate = Navigate()
            ui.notify = notify
            ui.download = download


@pytest.fixture(name="dash")
async def _dash(tmp_path: Path) -> AsyncIterator[Dash]:
    async with running_dash(tmp_path) as dash:
        yield dash


HOT_TEXT = (
    "job transfer to Austin, need to sell in 3 weeks, house is move in ready and I "
    "want 410k"
)
HOT = ("seller-hot", HOT_TEXT)
COLD = ("seller-cold", "just curious what my house is worth")


async def seed(dash: Dash) -> None:
    """Two sellers: one HOT (all four answers at once), one COLD (curious)."""
    for contact_id, text in (HOT, COLD):
        await dash.say(contact_id, text, replies=1)

    async def listed() -> bool:
        result = await dash.port.conversations({})
        return result.total == 2

    await wait_for(listed)


@pytest.fixture(name="seeded")
async def _seeded(dash: Dash) -> Dash:
    await seed(dash)
    return dash
