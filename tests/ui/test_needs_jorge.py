"""The Needs Jorge queue page and its count in the menu."""

from __future__ import annotations

import pytest

from tests.ui.conftest import COLD, HOT, Dash, wait_for

pytestmark = pytest.mark.anyio


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
            return [(n["kind"], n["contact_id"]) for n in queue] == [
                ("hot_handoff", HOT[0])
            ]

        await wait_for(only_the_handoff)
