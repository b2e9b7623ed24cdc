"""Screenshots of every dashboard page: `python -m tests.ui.screenshots DIR`.

Starts `jorged` (Redis off, a login configured) in a temporary directory, plays demo
sellers through its webhook (and pauses one, so the Needs Jorge queue has an entry),
then drives headless Chromium over the DevTools protocol in real time (no virtual
time: the pages' websockets stay connected): signs in and captures each page at
1440x900 and 390x844 in the light and the dark colour scheme, each once its live
data is on screen. On the first overview, one more seller texts while the page is
open, and the shot waits until the feed shows it.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from jorged import demo
from jorged.passwords import hash_password
from tests.daemon import DaemonProcess, daemon_env
from tests.redis_server import free_port
from tests.ui.cdp import DESKTOP, PHONE, Page, browser, chromium_path, poll

USER, PASSWORD, TOKEN = "jorge", "screenshots", "screenshots-token"
SIZES = (DESKTOP, PHONE)
SCHEMES = ("light", "dark")
SELLERS = 14
#: (name, path, what must be on screen before the shot).
PAGES = (
    ("overview", "/", ("document.querySelectorAll('canvas').length >= 4"
     " && !!document.querySelector('[role=log] a')")),
    ("conversations", "/conversations", ("!!document.querySelector('.q-table, .q-table__grid-content')"
     " && document.body.innerText.includes(' conversations')")),
    ("conversation", "/conversations/{hot}", "!!document.querySelector('.j-bubble')"),
    ("needs-jorge", "/needs-jorge", "document.body.innerText.includes('waiting')"),
    ("simulator", "/simulator", "!!document.querySelector('textarea, input')"),
    ("health", "/health", "document.body.innerText.includes('Queues')"),
    ("not-found", "/no-such-page", "document.body.innerText.includes('no page')"),
)  # fmt: skip
LIVE_TEXT = "hi, my neighbor said you buy houses. we need to move by spring"


async def post(http: httpx.AsyncClient, body: bytes) -> None:
    r = await http.post(
        "/webhooks/ghl", content=body, headers={"content-type": "application/json"}
    )
    r.raise_for_status()


async def seed(http: httpx.AsyncClient) -> str:
    """Demo sellers, every message at once; one paused. The first hot seller's id."""
    rng = random.Random(11)
    sellers = [demo.script(rng, i, 1796600000) for i in range(SELLERS)]
    now = datetime.now(UTC)
    for seller in sellers:
        await post(http, demo.contact_create(seller, now))
        for turn, text in enumerate(seller.messages, start=1):
            await post(http, demo.inbound(seller, turn, text, now))
    auth = {"Authorization": f"Bearer {TOKEN}"}

    async def dashboard() -> dict:
        return (await http.get("/api/dashboard", headers=auth)).json()

    async def all_in() -> bool:
        return bool((await dashboard())["summary"]["total"] == SELLERS)

    await poll("the demo sellers", all_in, timeout=60)
    listed = (
        await http.get(
            "/api/conversations",
            params={"temperature": "hot", "page_size": "50"},
            headers=auth,
        )
    ).json()["items"]
    cold = (
        await http.get(
            "/api/conversations",
            params={"temperature": "cold", "page_size": "1"},
            headers=auth,
        )
    ).json()["items"]
    if cold:
        await http.post(
            f"/api/conversations/{cold[0]['contact_id']}/pause", headers=auth
        )
    return str(listed[0]["contact_id"]) if listed else sellers[0].contact_id


async def live_text(http: httpx.AsyncClient) -> None:
    seller = demo.Seller(
        contact_id=f"{demo.ID_PREFIX}live-{uuid.uuid4().hex[:6]}",
        first_name="Grace",
        phone="+19095550199",
        messages=(LIVE_TEXT,),
    )
    now = datetime.now(UTC)
    await post(http, demo.contact_create(seller, now))
    await post(http, demo.inbound(seller, 1, LIVE_TEXT, now))


async def capture(base: str, out: Path, workdir: Path) -> list[Path]:
    written: list[Path] = []
    async with (
        browser(workdir) as page,
        httpx.AsyncClient(base_url=base, timeout=15) as http,
    ):
        hot = await seed(http)
        first = True
        for (width, height), scheme in itertools.product(SIZES, SCHEMES):
            await page.size(width, height, scheme=scheme)
            await page.open(f"{base}/login")
            await asyncio.sleep(0.5)
            written.append(
                await _shot(page, out, "login", width, height, scheme=scheme)
            )
            await page.sign_in(base, USER, PASSWORD)
            for title, path, ready in PAGES:
                await page.open(base + path.format(hot=hot))
                await page.until(f"{title} shows its data", ready, timeout=30)
                if first and title == "overview":
                    first = False
                    await live_text(http)
                    await page.until(
                        "the feed shows the text sent while the page is open",
                        "document.querySelector('[role=log]').innerText"
                        ".includes('neighbor said')",
                        timeout=30,
                    )
                await asyncio.sleep(1.0)  # charts finish drawing
                written.append(
                    await _shot(page, out, title, width, height, scheme=scheme)
                )
            await page.call("Network.clearBrowserCookies")
    return written


async def _shot(
    page: Page, out: Path, title: str, width: int, height: int, *, scheme: str
) -> Path:
    path = out / f"{title}-{width}x{height}-{scheme}.png"
    await page.shot(path)
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.ui.screenshots DIR", file=sys.stderr)  # noqa: T201
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    if chromium_path() is None:
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
                "JORGED_API__TOKEN": TOKEN,
                "JORGED_SELLER__BATCH_WINDOW_S": "0.2",
                "JORGED_SELLER__QUIET_HOURS_START": "0",
                "JORGED_SELLER__QUIET_HOURS_END": "0",
                "JORGED_LOG__LEVEL": "warning",
            },
        )
        daemon = DaemonProcess(workdir, env, port)
        daemon.start(timeout=60)
        try:
            written = asyncio.run(capture(daemon.url, out, workdir))
        finally:
            daemon.terminate()
    for path in written:
        print(path)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
