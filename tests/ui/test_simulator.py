from __future__ import annotations

import pytest

from tests.ui.conftest import Dash

pytestmark = pytest.mark.anyio


class TestSimulator:
    async def test_the_bot_answers_and_the_slots_update(self, dash: Dash) -> None:
        """A message typed as a seller gets the bot's reply and fills the answers."""
        await dash.sign_in("/simulator")
        (await dash.find("sim-text")).type("we are relocating to Boise, need to sell")
        dash.user.find(marker="sim-send").click()
        await dash.user.should_see("30 to 45 days", retries=300)
        await dash.user.should_see("relocation", retries=100)
        await dash.user.should_see(marker="sim-temperature")

    async def test_new_seller_starts_an_empty_chat(self, dash: Dash) -> None:
        """ "New seller" switches to a fresh sandbox contact."""
        await dash.sign_in("/simulator")
        (await dash.find("sim-new")).click()
        await dash.user.should_see("Say hello to start.", retries=100)
