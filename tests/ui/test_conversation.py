from __future__ import annotations

import pytest

from tests.ui.conftest import COLD, HOT, Dash, wait_for

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

    async def test_the_outbox_says_what_each_action_does(self, seeded: Dash) -> None:
        """A HOT seller's outbox lists the tags added and the fields written, not
        just "add_tags"."""
        await seeded.sign_in(f"/conversations/{HOT[0]}")
        await seeded.user.should_see(marker="outbox-item", retries=100)
        texts = [e.text for e in seeded.user.find(marker="outbox-item").elements]
        assert any(t.startswith("Add tags: ") and "Hot-Seller" in t for t in texts)
        assert any("seller_temperature = hot" in t for t in texts)
        assert any(t.startswith("Text: ") for t in texts)

    async def test_sandboxed_actions_say_they_were_not_sent(self, seeded: Dash) -> None:
        """A sandboxed action reads "recorded <time>, not sent (sandbox)", never
        "sent <time>"; no action shows a raw name like FetchContact."""
        await seeded.sign_in(f"/conversations/{HOT[0]}")
        await seeded.user.should_see(marker="outbox-when", retries=100)
        whens = [e.text for e in seeded.user.find(marker="outbox-when").elements]
        assert whens
        assert all(w.startswith("recorded ") for w in whens), whens
        assert all(w.endswith(", not sent (sandbox)") for w in whens), whens
        texts = [e.text for e in seeded.user.find(marker="outbox-item").elements]
        assert "Look up the contact in GHL" in texts
        assert not [t for t in texts if "FetchContact" in t or "= ," in t], texts

    async def test_only_the_action_that_applies_is_enabled(self, seeded: Dash) -> None:
        """Pause is offered to a running bot, Resume to a paused one; the language
        selector shows the language the bot writes in."""
        await seeded.sign_in(f"/conversations/{CID}")
        pause = (await seeded.find("action-pause")).elements.pop()
        resume = seeded.user.find(marker="action-resume").elements.pop()
        language = seeded.user.find(marker="language").elements.pop()

        async def settled(paused: bool) -> bool:
            return resume.enabled is paused and pause.enabled is not paused

        await wait_for(lambda: settled(paused=False))
        assert language.value == "en"
        await seeded.port.command(CID, "pause")
        await seeded.user.open(f"/conversations/{CID}")
        pause = (await seeded.find("action-pause")).elements.pop()
        resume = seeded.user.find(marker="action-resume").elements.pop()
        await wait_for(lambda: settled(paused=True))
        view = await seeded.port.conversation(CID)
        assert view is not None
        assert view.state.language_source != "agent"  # shown, not chosen

    async def test_pause_pauses_the_conversation(self, seeded: Dash) -> None:
        """Pause, once confirmed, pauses the seller in the daemon."""
        await _act(seeded, "pause")

        async def paused() -> bool:
            view = await seeded.port.conversation(CID)
            return bool(view and view.state.flags.paused)

        await wait_for(paused)
        await seeded.user.should_see(marker="flag-paused", retries=100)

    async def test_stop_stops_the_conversation(self, seeded: Dash) -> None:
        """Stop, once confirmed, ends the bot's part for the seller."""
        await _act(seeded, "stop")

        async def stopped() -> bool:
            view = await seeded.port.conversation(CID)
            return bool(view and view.state.flags.stopped)

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
        assert view.state.flags.paused is False

    async def test_an_unknown_contact_says_so(self, seeded: Dash) -> None:
        """A contact without a conversation gets one clear message and no actions
        (not the same error four times with four Retry buttons, Pause offered)."""
        await seeded.sign_in("/conversations/nobody")
        await seeded.user.should_see(marker="no-such-seller", retries=100)
        await seeded.user.should_see("No seller with the contact id nobody.")
        await seeded.user.should_not_see("Retry")
        await seeded.user.should_not_see(marker="action-pause")
        await seeded.user.should_not_see("Couldn't load this")

    async def test_an_unknown_address_gets_a_page_not_the_framework_error(
        self, seeded: Dash
    ) -> None:
        """A mistyped address shows the dashboard's own 404 page with its menu."""
        await seeded.sign_in("/")
        response = await seeded.user.http_client.get("/no/such/page")
        assert response.status_code == 404
        assert "HTTPException" not in response.text
        assert "There is no page at /no/such/page." in response.text
        assert "All conversations" in response.text

    async def test_the_page_is_titled_by_the_sellers_name(self, dash: Dash) -> None:
        """The seller is named; the id is shown small, a demo contact is badged."""
        await dash.port.start("demo-1-00001", first_name="James")
        await dash.sign_in("/conversations/demo-1-00001")
        await dash.user.should_see("James", retries=100)
        await dash.user.should_see("Contact id demo-1-00001")
        await dash.user.should_see("Demo")

    async def test_jorge_sets_the_language_the_bot_writes_in(
        self, seeded: Dash
    ) -> None:
        """Choosing Spanish sets it in the daemon, shown as set by Jorge."""
        await seeded.sign_in(f"/conversations/{CID}")
        (await seeded.find("language")).elements.pop().value = "es"

        async def spanish() -> bool:
            view = await seeded.port.conversation(CID)
            return bool(view and view.state.language == "es")

        await wait_for(spanish)
        view = await seeded.port.conversation(CID)
        assert view is not None
        assert view.state.language_source == "agent"
        await seeded.user.should_see("Spanish (set by you)", retries=100)


class TestNoContactId:
    @pytest.mark.parametrize("bad", ["%F0%9F%98%80", "x" * 300, "..hidden"])
    async def test_an_address_that_is_no_contact_id_says_so(
        self, dash: Dash, bad: str
    ) -> None:
        """An address holding no valid contact id shows "No such seller", no panels."""
        await dash.sign_in(f"/conversations/{bad}")
        await dash.user.should_see("No such seller", retries=100)
        await dash.user.should_not_see("Transcript")
