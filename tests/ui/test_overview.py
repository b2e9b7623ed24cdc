from __future__ import annotations

import time
from datetime import UTC, datetime

import orjson
import pytest

from tests.ui.conftest import Dash, wait_for

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
        await seeded.user.should_see("seller.message_received", retries=100)

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
        feed = seeded.user.find("Contact").elements
        next(e for e in feed if hasattr(e, "value")).value = "seller-hot"

        async def only_hot() -> bool:
            try:
                await seeded.user.should_not_see("seller-cold", retries=1)
            except AssertionError:
                return False
            return True

        await wait_for(only_hot)
        await seeded.user.should_see("seller-hot")


class TestOverviewWhileLoading:
    async def test_says_loading_not_zeros_until_the_index_is_rebuilt(
        self, dash: Dash
    ) -> None:
        """Right after a restart the index is still being rebuilt: the overview
        says it loads instead of showing zeros, then shows the numbers by itself."""
        from ui.pages.overview import LOADING_TEXT

        aggregator = dash.daemon.aggregator
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
