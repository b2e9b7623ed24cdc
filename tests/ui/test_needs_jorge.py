"""The Needs Jorge queue page and its count in the menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.jorged.test_quarantine_daemon import plant, unreadable_state
from tests.ui.conftest import COLD, HOT, Dash, wait_for

pytestmark = pytest.mark.anyio


@pytest.fixture(name="poisoned")
def _poisoned(tmp_path: Path) -> None:
    """A stored conversation that cannot be read back, in the store `dash` opens."""
    plant(tmp_path, journal=[], states={"poison": unreadable_state("poison")})


class TestNeedsJorge:
    async def test_an_empty_queue_says_so(self, dash: Dash) -> None:
        await dash.sign_in("/needs-jorge")
        await dash.user.should_see(marker="needs-empty", retries=100)
        await dash.user.should_see("Needs Jorge (0)", retries=100)

    async def test_a_paused_seller_and_a_hot_handoff_wait(self, seeded: Dash) -> None:
        """The HOT seller the bot handed over and a paused seller are queued, each
        with its reason; the menu counts them."""
        await seeded.port.command(COLD[0], "pause")
        await seeded.sign_in("/needs-jorge")
        await seeded.user.should_see(marker="need-paused", retries=100)
        await seeded.user.should_see(marker="need-hot_handoff")
        await seeded.user.should_see("Bot paused")
        await seeded.user.should_see("Hot seller to call")
        await seeded.user.should_see("Needs Jorge (2)", retries=100)
        await seeded.port.command(COLD[0], "resume")

        async def only_the_handoff() -> bool:
            queue = await seeded.port.needs_jorge()
            return [(n.kind, n.contact_id) for n in queue] == [("hot_handoff", HOT[0])]

        await wait_for(only_the_handoff)

    async def test_a_call_request_shows_its_time_and_resumes(self, dash: Dash) -> None:
        """A seller who asks for a call waits under "Wants a call" with the time
        asked, counted in the menu; "Resume bot" takes the seller off the queue."""
        await dash.port.start("seller-call", "Rosa")
        await dash.say("seller-call", "can you have him call me tomorrow after 5", 2)
        await dash.sign_in("/needs-jorge")
        await dash.user.should_see(marker="need-call_request", retries=100)
        await dash.user.should_see("Wants a call")
        await dash.user.should_see("Call: tomorrow after 5")
        await dash.user.should_see("“can you have him call me tomorrow after 5”")
        await dash.user.should_see("Needs Jorge (1)", retries=100)
        await dash.user.should_not_see(marker="need-paused")
        dash.user.find(marker="need-resume-seller-call").click()
        await dash.user.should_see(marker="needs-empty", retries=100)
        view = await dash.port.conversation("seller-call")
        assert view is not None
        assert view.state.flags.paused is False

    async def test_a_quarantined_message_is_dropped_from_the_page(
        self, poisoned: None, dash: Dash
    ) -> None:
        await dash.port.simulate("poison", "hi, I want to sell")

        async def held() -> list[str]:
            return [n.item_id for n in await dash.port.needs_jorge()]

        (item_id,) = await wait_for(held, timeout=30)
        await dash.sign_in("/needs-jorge")
        await dash.user.should_see(marker="need-quarantined", retries=100)
        await dash.user.should_see("Message set aside")
        await dash.user.should_see(marker=f"need-retry-{item_id}")
        dash.user.find(marker=f"need-drop-{item_id}").click()
        await dash.user.should_see(marker="needs-empty", retries=100)
        assert await dash.port.quarantine() == []
