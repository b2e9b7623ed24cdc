"""The port's live events: one subscription for every open page, converted once."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from jorged.web import fanout
from tests.ui.conftest import Dash, wait_for

pytestmark = pytest.mark.anyio


async def test_open_pages_share_one_subscription(dash: Dash) -> None:
    """Two pages following the feed cost one subscription and one object per event."""
    events = dash.daemon.services().events
    before = events.statistics().subscribers
    pages = [dash.port.events(), dash.port.events()]
    firsts = [asyncio.ensure_future(anext(page)) for page in pages]

    async def subscribed() -> bool:
        return dash.port._fanout.pages == 2 and events.statistics().subscribers > before

    await wait_for(subscribed)
    assert events.statistics().subscribers == before + 1
    await dash.port.simulate("shared-1", "hi, thinking about selling")
    one, other = await asyncio.wait_for(asyncio.gather(*firsts), 10)
    assert one is other
    assert one.contact_id == "shared-1"
    for page in pages:
        await page.aclose()
    assert dash.port._fanout.pages == 0


async def test_a_page_that_stops_reading_is_let_go(
    dash: Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that falls behind loses its stream; the page that reads goes on."""
    monkeypatch.setattr(fanout, "PAGE_BACKLOG", 2)
    stuck, reading = dash.port.events(), dash.port.events()
    first = asyncio.ensure_future(anext(stuck))
    seen: list[str] = []

    async def read() -> None:
        async for event in reading:
            seen.append(str(event.contact_id))

    reader = asyncio.ensure_future(read())

    async def following() -> bool:
        return dash.port._fanout.pages == 2

    await wait_for(following)
    await dash.port.simulate("slow-0", "hi, thinking about selling")
    await asyncio.wait_for(first, 10)  # `stuck` read one event, then no more
    for k in range(1, 6):
        await dash.port.simulate(f"slow-{k}", "hi, thinking about selling")

    async def let_go() -> bool:
        return dash.port._fanout.dropped == 1 and "slow-5" in seen

    await wait_for(let_go)
    assert dash.port._fanout.pages == 1
    remaining = [event async for event in stuck]  # what it had, then the end
    assert len(remaining) >= 1
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await reader
    await reading.aclose()
