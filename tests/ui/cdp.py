"""Headless Chromium driven over the DevTools protocol, in real time.

A small client over `websockets` (no virtual time: the dashboard's own websocket
must stay connected, so every wait here is a poll of the real page). Used by the
live-page tests and by `python -m tests.ui.screenshots`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import websockets

from tests.redis_server import free_port

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--disable-dev-shm-usage",
)
PHONE = (390, 844)
DESKTOP = (1440, 900)


def chromium_path() -> str | None:
    """The system Chromium, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One Chromium tab spoken to over the DevTools protocol."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self.ids)
        await self.ws.send(
            json.dumps({"id": msg_id, "method": method, "params": params})
        )
        while True:
            reply = json.loads(await self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    msg = f"{method}: {reply['error']}"
                    raise RuntimeError(msg)
                result: dict[str, Any] = reply.get("result", {})
                return result

    async def js(self, code: str) -> Any:
        result = await self.call(
            "Runtime.evaluate", expression=code, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            msg = f"{code[:80]}: {result['exceptionDetails']}"
            raise RuntimeError(msg)
        return result.get("result", {}).get("value")

    async def size(self, width: int, height: int, *, scheme: str = "light") -> None:
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=height, deviceScaleFactor=1, mobile=width < 600,
        )  # fmt: skip
        await self.call(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )

    async def open(self, url: str) -> None:
        """Navigate and wait until the page's websocket is connected."""
        await self.call("Page.navigate", url=url)
        await self.until(
            "the page is connected",
            "document.readyState === 'complete'"
            " && !!(window.socket && window.socket.connected)",
        )

    async def until(self, what: str, expression: str, timeout: float = 20.0) -> Any:
        """Poll `expression` in the page until it is truthy (real time)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):
                last = await self.js(expression)
                if last:
                    return last
            await asyncio.sleep(0.1)
        msg = f"timed out after {timeout} s waiting until {what} (last: {last!r})"
        raise TimeoutError(msg)

    async def text(self) -> str:
        return str(await self.js("document.body.innerText"))

    async def shot(self, path: Path) -> None:
        data = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(data["data"]))

    async def sign_in(self, base: str, user: str, password: str) -> None:
        """Type the credentials as a person would, then press Enter."""
        await self.open(f"{base}/login")
        for selector, text in (
            ("input[autocomplete=username]", user),
            ("input[autocomplete=current-password]", password),
        ):
            await self.until(
                f"{selector} is shown",
                f"!!document.querySelector({json.dumps(selector)})",
            )
            await self.js(f"document.querySelector({json.dumps(selector)}).focus()")
            await self.call("Input.insertText", text=text)
            await asyncio.sleep(0.3)
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
            )  # fmt: skip
        await self.until(
            "signed in", "!location.pathname.startsWith('/login')", timeout=20
        )


@contextlib.asynccontextmanager
async def browser(workdir: Path) -> AsyncIterator[Page]:
    """A headless Chromium with one blank tab; closed on exit."""
    chromium = chromium_path()
    if chromium is None:
        msg = "chromium not found (make system-deps)"
        raise RuntimeError(msg)
    debug_port = free_port()
    proc = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, f"--remote-debugging-port={debug_port}",
         f"--user-data-dir={workdir / 'chromium'}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        target = await _new_tab(debug_port)
        async with websockets.connect(
            target["webSocketDebuggerUrl"], max_size=None
        ) as ws:
            page = Page(ws)
            await page.call("Page.enable")
            yield page
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


async def _new_tab(debug_port: int) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                r = await client.put(
                    f"http://127.0.0.1:{debug_port}/json/new?about:blank"
                )
                target: dict[str, Any] = r.json()
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
            else:
                return target
    msg = "Chromium's DevTools endpoint did not answer"
    raise RuntimeError(msg)


async def poll(what: str, probe: Callable[[], Any], timeout: float = 20.0) -> Any:
    """The first truthy answer of the async `probe`, polled in real time."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(0.2)
    msg = f"timed out after {timeout} s waiting for {what} (last: {last!r})"
    raise TimeoutError(msg)
