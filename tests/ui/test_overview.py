from __future__ import annotations

import time
from datetime import UTC, datetime

import orjson
import pytest
from nicegui import ui

from tests.ui.conftest import HOT_TEXT, Dash, wait_for
from ui.components.panel import Panel

pytestmark = pytest.mark.anyio


def inbound(contact_id: str, text: str) -> bytes:
    """A GHL InboundMessage webhook body, as GHL documents it."""
    return orjson.dumps(
        {
            "type": "InboundMessage",
            "locationId": "demo-location",
            "contactId": contact_id,
            "body": text,
            "messageType": "SMS",
            "direction": "inbound",
            "contentType": "text/plain",
            "dateAdded": datetime.now(UTC).isoformat(),
            "messageId": f"msg-{contact_id}",
        }
    )


class TestOverview:
    async def test_hero_cards_show_the_daemons_numbers(self, seeded: Dash) -> None:
        """The four hero cards show the counts of the seeded conversations."""
        await seeded.sign_in("/")
        await seeded.user.should_see("Active conversations", retries=100)
        await seeded.user.should_see("Qualification rate")
        await seeded.user.should_see("Median first reply")
        await seeded.user.should_see("Hot sellers, 24 h")
        await seeded.user.should_see("50%")

    async def test_hero_cards_take_new_numbers_in_place(self, dash: Dash) -> None:
        """A new conversation changes the open page's count, not its cards."""
        await dash.sign_in("/")
        found = await dash.find("hero-active_conversations")
        (count,) = found.elements
        assert count.text == "0"
        response = await dash.user.http_client.post(
            "/webhooks/ghl", content=inbound("hero-1", "hi I want to sell my house")
        )
        assert response.status_code == 200, response.text

        async def counted() -> bool:
            return count.text == "1"

        await wait_for(counted)
        assert dash.user.find(marker="hero-active_conversations").elements == {count}

    async def test_an_empty_daemon_says_no_data(self, dash: Dash) -> None:
        """With no conversation the rate and reply time read "no data"."""
        await dash.sign_in("/")
        await dash.user.should_see("no data", retries=100)
        await dash.user.should_see("no earlier data to compare")

    async def test_the_feed_shows_history_on_load(self, seeded: Dash) -> None:
        """Events from before the page opened are listed in the feed."""
        await seeded.sign_in("/")
        await seeded.user.should_see("texted “", retries=100)

    async def test_the_live_feed_shows_an_inbound_webhook(self, dash: Dash) -> None:
        """A webhook posted while the page is open appears in the feed unreloaded."""
        await dash.sign_in("/")
        await dash.user.should_see(marker="feed-live", retries=100)
        started = time.monotonic()
        response = await dash.user.http_client.post(
            "/webhooks/ghl", content=inbound("feed-1", "hi I want to sell my house")
        )
        assert response.status_code == 200, response.text
        await dash.user.should_see("feed-1", retries=500)
        delay = time.monotonic() - started
        print(f"live feed delay: {delay * 1000:.0f} ms")  # noqa: T201
        assert delay < 5

    async def test_the_feed_filters_by_contact(self, seeded: Dash) -> None:
        """A contact filter keeps only that contact's events in the feed."""
        await seeded.sign_in("/")
        await seeded.user.should_see("seller-cold", retries=100)
        feed = seeded.user.find("Seller").elements
        next(e for e in feed if hasattr(e, "value")).value = "seller-hot"

        async def only_hot() -> bool:
            try:
                await seeded.user.should_not_see("seller-cold", retries=1)
            except AssertionError:
                return False
            return True

        await wait_for(only_hot)
        await seeded.user.should_see("seller-hot")

    async def test_every_panel_takes_new_numbers_while_open(self, dash: Dash) -> None:
        """A seller turning HOT while the page is open reaches the pipeline chips, the
        commission panel and the stage chart alike (the stage chart's update used to
        raise and stop every panel after it)."""
        await dash.sign_in("/")
        await dash.user.should_see("Hot sellers (0)", retries=100)
        response = await dash.user.http_client.post(
            "/webhooks/ghl", content=inbound("live-hot", HOT_TEXT)
        )
        assert response.status_code == 200, response.text
        await dash.user.should_see("Hot: 1", retries=300)
        await dash.user.should_see("Hot sellers (1)", retries=300)
        assert dash.daemon.panel_failures.total() == 0


class TestPanelFailures:
    async def test_a_failing_update_is_counted_and_redrawn(self, dash: Dash) -> None:
        """An update that raises is logged, counted on /metrics, and the panel is
        drawn anew with the new data; the next refresh works again."""
        numbers = iter(range(1, 100))
        broken = {"update": True}

        async def load() -> int:
            return next(numbers)

        def render(n: int) -> None:
            ui.label(f"value {n}")

        def update(_n: int) -> None:
            if broken["update"]:
                msg = "update broke"
                raise TypeError(msg)

        panels: list[Panel[int]] = []

        @ui.page("/panel-probe")
        async def probe() -> None:
            panels.append(Panel("Flaky", load, render, update=update))
            await panels[0].refresh()

        await dash.user.open("/panel-probe")
        await dash.user.should_see("value 1")
        await panels[0].refresh()
        await dash.user.should_see("value 2")
        assert dash.daemon.panel_failures.counts[("Flaky", "draw")] == 1
        broken["update"] = False
        await panels[0].refresh()
        assert dash.daemon.panel_failures.counts[("Flaky", "draw")] == 1
        metrics = await dash.user.http_client.get("/metrics")
        assert (
            'jorged_dashboard_panel_failures_total{panel="Flaky",stage="draw"} 1.0'
            in metrics.text
        )

    async def test_a_failing_load_shows_retry_and_is_counted(self, dash: Dash) -> None:
        """A load that raises shows one line and a retry button; retry recovers."""
        fail = {"on": True}

        async def load() -> str:
            if fail["on"]:
                msg = "daemon busy"
                raise RuntimeError(msg)
            return "fine"

        @ui.page("/panel-probe")
        async def probe() -> None:
            panel = Panel("Loader", load, lambda t: ui.label(f"loaded {t}"))
            await panel.refresh()

        await dash.user.open("/panel-probe")
        await dash.user.should_see("Couldn't load this: daemon busy")
        assert dash.daemon.panel_failures.counts[("Loader", "load")] == 1
        fail["on"] = False
        dash.user.find("Retry").click()
        await dash.user.should_see("loaded fine")

class TestOverviewWhileLoading:
    async def test_says_loading_not_zeros_until_the_index_is_rebuilt(
        self, dash: Dash
    ) -> None:
        """Right after a restart the index is still being rebuilt: the overview
        says it loads instead of showing zeros, then shows the numbers by itself."""
        from ui.pages.overview import LOADING_TEXT

        aggregator = dash.daemon.services().aggregator
        assert aggregator is not None
        rebuilds = aggregator._rebuilds  # as before the first rebuild
        aggregator._rebuilds = 0
        try:
            await dash.sign_in("/")
            await dash.user.should_see(LOADING_TEXT, retries=100)
            await dash.user.should_not_see(marker="hero-active_conversations")
        finally:
            aggregator._rebuilds = rebuilds
        await dash.user.should_see(marker="hero-active_conversations", retries=300)
