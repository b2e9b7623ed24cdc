"""The port's live events: every open page gets each event, converted once."""

from __future__ import annotations

import asyncio

import pytest

from tests.ui.conftest import Dash, wait_for

pytestmark = pytest.mark.anyio


async def test_open_pages_share_each_events_json(dash: Dash) -> None:
    """Two pages following the feed receive one shared JSON object per event."""
    events = dash.daemon.data.events
    before = events.statistics().subscribers
    pages = [dash.port.events(), dash.port.events()]
    firsts = [asyncio.ensure_future(anext(page)) for page in pages]

    async def subscribed() -> bool:
        return events.statistics().subscribers >= before + 2

    await wait_for(subscribed)
    await dash.port.simulate("shared-1", "hi, thinking about selling")
    one, other = await asyncio.wait_for(asyncio.gather(*firsts), 10)
    assert one is other
    assert one["id"]
    assert one["contact_id"] == "shared-1"
    for page in pages:
        await page.aclose()
