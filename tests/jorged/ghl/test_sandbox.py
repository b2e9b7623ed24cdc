from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jorged.config import GhlConfig
from jorged.ghl import GhlClient, GhlContact, SandboxGhl, open_ghl

T0 = datetime(2026, 7, 1, 17, 0, tzinfo=UTC)


class TestIds:
    async def test_derived_from_input(self):
        """Two sandboxes given the same calls answer the same ids."""
        first, second = SandboxGhl(), SandboxGhl()
        assert await first.send_sms("c1", "Hi") == await second.send_sms("c1", "Hi")

    async def test_repeated_message_gets_new_id(self):
        """The same text sent twice is two messages with two ids."""
        sandbox = SandboxGhl()
        assert await sandbox.send_sms("c1", "Hi") != await sandbox.send_sms("c1", "Hi")

    async def test_upsert_is_one_opportunity(self):
        """Upserting the same contact and pipeline answers the same id."""
        sandbox = SandboxGhl()
        first = await sandbox.upsert_opportunity("c1", name="A", pipeline_id="p")
        assert (
            await sandbox.upsert_opportunity("c1", name="B", pipeline_id="p") == first
        )


class TestRecording:
    async def test_calls_are_recorded_in_order(self):
        """Every operation is recorded with its arguments and answer."""
        sandbox = SandboxGhl()
        message_id = await sandbox.send_sms("c1", "Hi")
        await sandbox.trigger_workflow("c1", "wf")
        assert [(c.operation, c.contact_id) for c in sandbox.calls] == [
            ("send_sms", "c1"),
            ("trigger_workflow", "c1"),
        ]
        assert sandbox.calls[0].arg("message") == "Hi"
        assert sandbox.calls[0].result == message_id

    async def test_contact_reflects_changes(self):
        """Tags, fields and DND written to the sandbox come back from get_contact."""
        sandbox = SandboxGhl()
        sandbox.seed_contact(
            GhlContact(id="c1", first_name="Rosa", tags=("Needs Qualifying",))
        )
        await sandbox.add_tags("c1", ["Hot-Seller"])
        await sandbox.remove_tags("c1", ["Needs Qualifying"])
        await sandbox.update_contact("c1", custom_fields={"f": 410000}, dnd_sms=True)
        contact = await sandbox.get_contact("c1")
        assert (contact.first_name, contact.tags) == ("Rosa", ("Hot-Seller",))
        assert contact.custom_field("f") == "410000"
        assert contact.sms_dnd


class TestCalendar:
    async def test_no_free_slots(self):
        """The sandbox has no calendar, so it offers no slots."""
        assert (
            await SandboxGhl().free_slots("cal", T0, T0 + timedelta(days=1), "UTC")
            == []
        )

    async def test_range_still_checked(self):
        """A bad range is the same error as with the real client."""
        with pytest.raises(ValueError, match="timezone-aware"):
            await SandboxGhl().free_slots("cal", T0.replace(tzinfo=None), T0, "UTC")


class TestOpenGhl:
    async def test_sandbox_without_token(self):
        """No token means the sandbox."""
        async with open_ghl(GhlConfig()) as api:
            assert isinstance(api, SandboxGhl)

    async def test_client_with_token(self):
        """A token (and location) means the real client."""
        async with open_ghl(GhlConfig(token="t", location_id="L")) as api:
            assert isinstance(api, GhlClient)
