from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import Dash, running_dash, wait_for

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


async def test_each_message_shows_its_reply(tmp_path: Path) -> None:
    """Three messages in a row each get their reply on the page, and the answers
    panel follows. The bot waits a second before answering, so right after each
    send the chat still ends with the previous reply."""
    async with running_dash(tmp_path, JORGED_SELLER__BATCH_WINDOW_S="1.0") as dash:
        await dash.sign_in("/simulator")
        contact = (await dash.find("sim-contact")).elements.pop().text.split()[-1]
        texts = (
            "hi, I might sell my house",
            "we are relocating to Boise",
            "it needs a new roof",
        )
        for count, text in enumerate(texts, start=1):
            dash.user.find(marker="sim-text").type(text)
            dash.user.find(marker="sim-send").click()
            view = await wait_for(lambda n=count: dash._replies(contact, n), 20)
            reply = [t for t in view.state.transcript if t.direction == "out"][-1]

            async def shown(n: int = count) -> bool:
                try:
                    bots = dash.user.find(marker="sim-bot").elements
                except AssertionError:  # no reply on the page yet
                    return False
                return len(bots) == n

            await wait_for(shown, 20)
            await dash.user.should_see(reply.text, retries=100)
        await dash.user.should_see("relocation", retries=100)
