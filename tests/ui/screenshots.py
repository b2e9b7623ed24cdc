"""Screenshots of every dashboard page: `python -m tests.ui.screenshots DIR`.

Starts `jorged` (Redis off, a login configured) in a temporary directory, seeds it
with seller conversations through `jorgectl simulate`, then drives headless Chromium
over the DevTools protocol: signs in, and captures each page at 1440x900 and 390x844
in the light and the dark colour scheme (the default theme follows the browser).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

from jorged.passwords import hash_password
from tests.daemon import DaemonProcess, daemon_env
from tests.redis_server import free_port

USER, PASSWORD = "jorge", "screenshots"
SIZES = ((1440, 900, False), (390, 844, True))
SCHEMES = ("light", "dark")
PAGES = (
    ("overview", "/"),
    ("conversations", "/conversations"),
    ("conversation", "/conversations/seller-maria"),
    ("simulator", "/simulator"),
    ("health", "/health"),
)
SELLERS = {
    "seller-maria": (
        "hi I got your card, thinking about selling",
        "job transfer to Austin, we have to move",
        "no that works, sooner is better",
        "it's move in ready, we redid the kitchen",
        "around 615k",
    ),
    "seller-james": (
        "inherited my mom's house in Fontana, want to sell",
        "not before 6 months",
        "needs a lot of work, the roof is old",
    ),
    "seller-linda": ("just curious what it's worth", "not sure"),
    "seller-kevin": (
        "divorce, need to sell fast, house is turnkey and I want 480k, 30 days is fine",
    ),
    "seller-rosa": ("tired landlord, tenants just left", "STOP"),
    "seller-tony": ("we want to downsize", "that wouldn't be a problem"),
}
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def seed(daemon: DaemonProcess) -> None:
    turns = itertools.zip_longest(*SELLERS.values())
    for turn in turns:
        for contact, text in zip(SELLERS, turn, strict=True):
            if text is not None:
                daemon.ctl("simulate", contact, text)
        time.sleep(2.5)  # the bot answers after its batching window


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
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def open(self, url: str, settle: float = 2.5) -> None:
        await self.call("Page.navigate", url=url)
        await asyncio.sleep(settle)

    async def js(self, code: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=code, awaitPromise=True)
        return result.get("result", {}).get("value")

    async def shot(self, path: Path) -> None:
        data = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(data["data"]))


async def sign_in(page: Page) -> None:
    """Type the credentials as a person would, then press Enter."""
    for selector, text in (
        ("input[autocomplete=username]", USER),
        ("input[autocomplete=current-password]", PASSWORD),
    ):
        await page.js(f"document.querySelector({json.dumps(selector)}).focus()")
        await page.call("Input.insertText", text=text)
        await asyncio.sleep(0.3)
    for kind in ("keyDown", "keyUp"):
        await page.call(
            "Input.dispatchKeyEvent",
            type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
        )  # fmt: skip
    await asyncio.sleep(1.5)


async def capture(base: str, out: Path, debug_port: int) -> list[Path]:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                r = await client.put(
                    f"http://127.0.0.1:{debug_port}/json/new?about:blank"
                )
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        target = r.json()
    written: list[Path] = []
    async with websockets.connect(target["webSocketDebuggerUrl"], max_size=None) as ws:
        page = Page(ws)
        await page.call("Page.enable")
        for (width, height, mobile), scheme in itertools.product(SIZES, SCHEMES):
            await page.call(
                "Emulation.setDeviceMetricsOverride",
                width=width, height=height, deviceScaleFactor=1, mobile=mobile,
            )  # fmt: skip
            await page.call(
                "Emulation.setEmulatedMedia",
                features=[{"name": "prefers-color-scheme", "value": scheme}],
            )
            await page.open(f"{base}/login", settle=1.5)
            name = out / f"login-{width}x{height}-{scheme}.png"
            await page.shot(name)
            written.append(name)
            await sign_in(page)
            for title, path in PAGES:
                await page.open(base + path)
                name = out / f"{title}-{width}x{height}-{scheme}.png"
                await page.shot(name)
                written.append(name)
            await page.call("Network.clearBrowserCookies")
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.ui.screenshots DIR", file=sys.stderr)  # noqa: T201
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found (make system-deps)", file=sys.stderr)  # noqa: T201
        return 1
    with tempfile.TemporaryDirectory(prefix="jorged-shots-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        env = daemon_env(
            workdir,
            port,
            {
                "JORGED_REDIS__ENABLED": "false",
                "JORGED_DASHBOARD__PASSWORD_HASH": hash_password(PASSWORD),
                "JORGED_LOG__LEVEL": "warning",
            },
        )
        daemon = DaemonProcess(workdir, env, port)
        daemon.start()
        browser = None
        try:
            seed(daemon)
            debug_port = free_port()
            browser = subprocess.Popen(
                [chromium, *CHROMIUM_FLAGS, f"--remote-debugging-port={debug_port}",
                 f"--user-data-dir={workdir / 'chromium'}", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            written = asyncio.run(capture(daemon.url, out, debug_port))
        finally:
            if browser is not None:
                browser.terminate()
                browser.wait(10)
            daemon.terminate()
    for path in written:
        print(path)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
