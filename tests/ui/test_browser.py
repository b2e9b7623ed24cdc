"""The dashboard in headless Chromium, in real time, against a real daemon.

Few and bounded (Chromium is slow on a small machine): one test keeps the overview
open while conversations change through the webhook and checks that every panel
follows and agrees with `/api/dashboard`; one loads every page at phone width.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from jorged import demo
from jorged.passwords import hash_password
from tests.daemon import DaemonProcess, daemon_env
from tests.redis_server import free_port
from tests.ui.cdp import PHONE, Page, browser, chromium_path, poll

pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium not installed (make system-deps)"
)

USER, PASSWORD, TOKEN = "jorge", "browser-test", "browser-api-token"
HOT = "job transfer to Austin, need to sell in 3 weeks, house is move in ready, 410k"
HOT_TOO = "divorce, need to sell fast, turnkey, I want 615k, 30 days is fine"
COLD = "just curious what my house is worth"

#: Everything the overview shows, read from the page's DOM and its charts.
READ_OVERVIEW = """
(() => {
  const text = (el) => el ? el.innerText.trim() : null;
  const kpis = {};
  document.querySelectorAll('[data-kpi]').forEach(
    (el) => { kpis[el.dataset.kpi] = text(el); });
  const chips = {};
  document.querySelectorAll('[data-chip]').forEach(
    (el) => { chips[el.dataset.chip] = text(el); });
  const figures = {};
  document.querySelectorAll('[data-figure]').forEach(
    (el) => { figures[el.dataset.figure] = [text(el), text(el.nextElementSibling)]; });
  const charts = {};
  document.querySelectorAll('.nicegui-echart').forEach((el) => {
    const chart = getElement(el.id.slice(1)).chart;
    if (!chart) { return; }
    const option = chart.getOption();
    charts[el.getAttribute('aria-label')] = option.series.map((s) => s.data);
  });
  return {kpis, chips, figures, charts};
})()
"""


@pytest.fixture(name="daemon")
def _daemon(tmp_path: Path) -> Iterator[DaemonProcess]:
    port = free_port()
    env = daemon_env(
        tmp_path,
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
    daemon = DaemonProcess(tmp_path, env, port)
    daemon.start(timeout=60)
    try:
        yield daemon
    finally:
        if daemon.proc is not None:
            daemon.terminate()


def inbound(contact: str, text: str) -> dict[str, Any]:
    return {
        "type": "InboundMessage",
        "locationId": "loc-browser",
        "contactId": contact,
        "messageId": f"m-{uuid.uuid4().hex}",
        "messageType": "SMS",
        "direction": "inbound",
        "contentType": "text/plain",
        "body": text,
        "dateAdded": datetime.now(UTC).isoformat(),
    }


async def api(http: httpx.AsyncClient, path: str) -> Any:
    r = await http.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
    r.raise_for_status()
    return r.json()


def expected(dash: dict[str, Any]) -> dict[str, Any]:
    """What the page must show for an `/api/dashboard` answer (counts only)."""
    summary, commission = dash["summary"], dash["commission"]
    temps = summary["by_temperature"]
    return {
        "chips": {k: f"{k.capitalize()}: {temps[k]}" for k in ("hot", "warm", "cold")},
        "hot_figure": f"Hot sellers ({commission['hot_count']})",
        "warm_figure": f"Warm sellers ({commission['warm_count']})",
        "active": f"{dash['kpis']['active_conversations']['value']:,.0f}",
        "stages": sum(summary["by_stage"].values()),
        "prices": sum(dash["price_distribution"].values()),
        "timelines": sum(dash["timeline_distribution"].values()),
    }


def shown(page: dict[str, Any]) -> dict[str, Any]:
    charts = page["charts"]

    def total(name: str) -> int | None:
        series = charts.get(name)
        return None if not series else sum(v or 0 for v in series[0])

    return {
        "chips": {k: page["chips"].get(k) for k in ("hot", "warm", "cold")},
        "hot_figure": page["figures"].get("hot_count", [None])[0],
        "warm_figure": page["figures"].get("warm_count", [None])[0],
        "active": page["kpis"].get("active_conversations"),
        "stages": total("Conversations by stage"),
        "prices": total("Sellers by price"),
        "timelines": total("Sellers by timeline"),
    }


def test_the_overview_follows_live_changes(daemon: DaemonProcess) -> None:
    """With the overview open, sellers arrive and turn HOT through the webhook: every
    panel (hero cards, pipeline chips, stage, price and timeline charts, commission,
    the 24 h chart) shows the new numbers without a reload, the page agrees with
    itself ("Hot: N" and "Hot sellers (N)") and with `/api/dashboard`, and no panel
    update failed."""

    async def scenario() -> None:
        async with (
            browser(daemon.workdir) as page,
            httpx.AsyncClient(base_url=daemon.url, timeout=15) as http,
        ):
            await page.size(1440, 900)
            await page.sign_in(daemon.url, USER, PASSWORD)
            await page.open(daemon.url + "/")
            await page.until(
                "the feed is live", "!!document.querySelector('[role=log]')"
            )
            for round_, (contact, text) in enumerate(
                (("b-hot", HOT), ("b-cold", COLD), ("b-hot-2", HOT_TOO)), start=1
            ):
                r = await http.post("/webhooks/ghl", json=inbound(contact, text))
                assert r.status_code == 200, r.text
                await agree(page, http, total=round_)
            hot = await api(http, "/api/dashboard")
            assert hot["summary"]["by_temperature"]["hot"] == 2
            inbound_total = await page.js(
                "(() => { const el = document.querySelector("
                "'.nicegui-echart[aria-label^=\"Messages in\"]');"
                " const s = getElement(el.id.slice(1)).chart.getOption().series[0];"
                " return s.data.reduce((a, b) => a + (b || 0), 0); })()"
            )
            assert inbound_total == 3
            metrics = (await http.get("/metrics")).text
            assert "jorged_dashboard_panel_failures_total{" not in metrics

    asyncio.run(scenario())


async def agree(page: Page, http: httpx.AsyncClient, *, total: int) -> None:
    """Wait until the page shows `/api/dashboard` with `total` conversations."""
    state: dict[str, Any] = {}

    async def matches() -> bool:
        dash = await api(http, "/api/dashboard")
        want = expected(dash)
        got = shown(await page.js(READ_OVERVIEW))
        state.update(want=want, got=got)
        return dash["summary"]["total"] == total and got == want

    try:
        await poll(f"the page to show {total} conversations", matches, timeout=20)
    except TimeoutError:
        pytest.fail(json.dumps(state, indent=1))
    got = state["got"]
    # The page agrees with itself: the chip and the commission line count alike.
    assert got["chips"]["hot"].split(": ")[1] == got["hot_figure"].split("(")[1][:-1]
    assert got["stages"] == got["timelines"] == total


async def play_demo_sellers(http: httpx.AsyncClient, count: int) -> list[str]:
    """`count` demo sellers (long demo ids, names), each message of each at once."""
    rng = random.Random(5)
    sellers = [demo.script(rng, i, 1796606041) for i in range(count)]
    now = datetime.now(UTC)
    for seller in sellers:
        bodies = [demo.contact_create(seller, now)]
        bodies += [
            demo.inbound(seller, turn, text, now)
            for turn, text in enumerate(seller.messages, start=1)
        ]
        for body in bodies:
            r = await http.post(
                "/webhooks/ghl",
                content=body,
                headers={"content-type": "application/json"},
            )
            assert r.status_code == 200, r.text

    async def listed() -> bool:
        dash = await api(http, "/api/dashboard")
        return bool(dash["summary"]["total"] == count)

    await poll(f"{count} conversations", listed)
    return [s.contact_id for s in sellers]


#: Tables whose rows scroll sideways or whose cells reach past the screen's edge.
CUT_OFF_TABLES = """
(() => {
  const out = [];
  document.querySelectorAll('.q-table__container').forEach((t) => {
    const middle = t.querySelector('.q-table__middle');
    if (middle && middle.scrollWidth > middle.clientWidth + 1) {
      out.push(['scrolls', middle.scrollWidth, middle.clientWidth]);
    }
    t.querySelectorAll('td, th, .q-table__grid-item').forEach((c) => {
      const right = c.getBoundingClientRect().right;
      if (right > window.innerWidth + 1) { out.push([c.innerText.trim(), right]); }
    });
  });
  return out.slice(0, 5);
})()
"""

#: Feed lines whose text starts below their time instead of beside it.
TIMES_ON_THEIR_OWN_LINE = """
[...document.querySelectorAll('[role=log] span.tabular-nums')]
  .filter((t) => t.nextElementSibling && t.nextElementSibling.getBoundingClientRect().top
    >= t.getBoundingClientRect().bottom - 1)
  .map((t) => t.nextElementSibling.innerText.slice(0, 40))
"""

PAGES = ("/", "/conversations", "/simulator", "/health", "/no-such-page")


def test_no_page_scrolls_sideways_on_a_phone(daemon: DaemonProcess) -> None:
    """At 390x844, light and dark, empty and with sellers, no page is wider than
    the screen and the menu takes one line."""
    widths: dict[str, tuple[int, int, int]] = {}

    async def check(page: Page, label: str, paths: tuple[str, ...]) -> None:
        for scheme in ("light", "dark"):
            await page.size(*PHONE, scheme=scheme)
            for path in paths:
                await page.open(daemon.url + path)
                if path.startswith("/conversations/demo-"):
                    await page.until(
                        "the outbox is shown",
                        "!!document.querySelector('[data-outbox-item]')",
                    )
                await asyncio.sleep(1.0)  # charts and tables draw after connecting
                width, inner, header = await page.js(
                    "[document.documentElement.scrollWidth, window.innerWidth,"
                    " document.querySelector('header')"
                    "  ? document.querySelector('header').offsetHeight : 0]"
                )
                widths[f"{label} {scheme} {path}"] = (width, inner, header)
                # Outbox texts use the card's width, not one word per line.
                narrow = await page.js(
                    "[...document.querySelectorAll('[data-outbox-item]')]"
                    ".map(e => e.offsetWidth).filter(w => w < 240)"
                )
                assert not narrow, f"{path}: squeezed outbox texts {narrow}"
                # A long feed line keeps its time beside the text, not above it.
                alone = await page.js(TIMES_ON_THEIR_OWN_LINE)
                assert not alone, f"{path}: feed times on their own line {alone}"
                # Tables become cards: nothing scrolls or sticks out of the screen.
                cut = await page.js(CUT_OFF_TABLES)
                assert not cut, f"{label} {scheme} {path}: tables cut off {cut}"
                if path == "/conversations":
                    top = await page.js(
                        "document.querySelector('[aria-label=Conversations]')"
                        ".getBoundingClientRect().top"
                    )
                    assert top < PHONE[1], f"the list starts {top} px down"

    async def scenario() -> None:
        async with (
            browser(daemon.workdir) as page,
            httpx.AsyncClient(base_url=daemon.url, timeout=15) as http,
        ):
            await page.size(*PHONE)
            await page.sign_in(daemon.url, USER, PASSWORD)
            await check(page, "empty", PAGES)
            sellers = await play_demo_sellers(http, 8)
            await check(
                page,
                "sellers",
                (*PAGES, f"/conversations/{sellers[0]}", "/conversations/unknown-x"),
            )

    asyncio.run(scenario())
    # A phone widens its layout viewport to the content, so innerWidth alone would
    # hide an overflow: both must stay at the screen's width.
    wide = {k: v for k, v in widths.items() if max(v[0], v[1]) > PHONE[0]}
    assert not wide, f"pages wider than the screen (scrollWidth, innerWidth): {wide}"
    tall = {k: v for k, v in widths.items() if v[2] > 64}
    assert not tall, f"menus taking more than one line (header height): {tall}"
