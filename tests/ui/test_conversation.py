from __future__ import annotations

import pytest

from tests.ui.conftest import COLD, Dash, wait_for

pytestmark = pytest.mark.anyio

CID = COLD[0]


async def _act(dash: Dash, command: str) -> None:
    await dash.sign_in(f"/conversations/{CID}")
    (await dash.find(f"action-{command}")).click()
    (await dash.find("confirm")).click()


class TestConversationDetail:
    async def test_shows_transcript_answers_and_temperature(self, seeded: Dash) -> None:
        """The detail page shows the seller's message, the bot's reply and the slots."""
        await seeded.sign_in(f"/conversations/{CID}")
        await seeded.user.should_see(COLD[1], retries=100)
        await seeded.user.should_see("Curious")
        await seeded.user.should_see(marker="temperature")
        await seeded.user.should_see("Outbox")

    async def test_pause_pauses_the_conversation(self, seeded: Dash) -> None:
        """Pause, once confirmed, pauses the seller in the daemon."""
        await _act(seeded, "pause")

        async def paused() -> bool:
            view = await seeded.port.conversation(CID)
            return bool(view and view["flags"]["paused"])

        await wait_for(paused)
        await seeded.user.should_see(marker="flag-paused", retries=100)

    async def test_stop_stops_the_conversation(self, seeded: Dash) -> None:
        """Stop, once confirmed, ends the bot's part for the seller."""
        await _act(seeded, "stop")

        async def stopped() -> bool:
            view = await seeded.port.conversation(CID)
            return bool(view and view["flags"]["stopped"])

        await wait_for(stopped)

    async def test_forget_deletes_the_conversation(self, seeded: Dash) -> None:
        """Forget, once confirmed, deletes the conversation and leaves the page."""
        await _act(seeded, "forget")

        async def gone() -> bool:
            return await seeded.port.conversation(CID) is None

        await wait_for(gone)
        await seeded.user.should_see(marker="conversations", retries=100)

    async def test_cancel_changes_nothing(self, seeded: Dash) -> None:
        """Closing the confirmation without confirming leaves the seller as it was."""
        await seeded.sign_in(f"/conversations/{CID}")
        (await seeded.find("action-pause")).click()
        seeded.user.find("Cancel").click()
        view = await seeded.port.conversation(CID)
        assert view is not None
        assert view["flags"]["paused"] is False

    async def test_an_unknown_contact_says_so(self, seeded: Dash) -> None:
        """A contact without a conversation gets a message, not an error page."""
        await seeded.sign_in("/conversations/nobody")
        await seeded.user.should_see(
            "no conversation with contact 'nobody'", retries=100
        )


class TestNoSuchSeller:
    @pytest.mark.parametrize("bad", ["%F0%9F%98%80", "x" * 300, "..hidden"])
    async def test_an_address_that_is_no_contact_id_says_so(
        self, dash: Dash, bad: str
    ) -> None:
        """An address holding no valid contact id shows "No such seller", no panels."""
        await dash.sign_in(f"/conversations/{bad}")
        await dash.user.should_see("No such seller", retries=100)
        await dash.user.should_not_see("Transcript")
