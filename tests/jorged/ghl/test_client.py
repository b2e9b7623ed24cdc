from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from jorged.config import GhlConfig
from jorged.exceptions import ConfigError, GhlError
from jorged.ghl import GhlClient
from tests.fakes.ghl_server import FakeGhl

T0 = datetime(2026, 7, 1, 17, 0, tzinfo=UTC)
LA = "America/Los_Angeles"


class TestConstruction:
    async def test_needs_token_and_location(self):
        """The real client refuses a config without a token or location, naming both."""
        with pytest.raises(ConfigError) as info:
            GhlClient(GhlConfig())
        assert [m.split(":")[0] for m in info.value.messages] == [
            "ghl.token",
            "ghl.location_id",
        ]


class TestHeaders:
    async def test_every_request_carries_auth_version_and_accept(
        self, client, fake_ghl: FakeGhl
    ):
        """Each request has the bearer token, its spec's Version and Accept JSON."""
        await client.send_sms("c1", "Hi")
        await client.get_contact("c1")
        await client.free_slots("cal", T0, T0 + timedelta(days=1), LA)
        versions = {r.operation_id: r.header("Version") for r in fake_ghl.requests}
        assert versions == {
            "send-a-new-message": "2021-04-15",
            "get-contact": "2021-07-28",
            "get-slots": "2021-04-15",
        }
        for r in fake_ghl.requests:
            assert r.header("Authorization") == f"Bearer {fake_ghl.token}"
            assert r.header("Accept") == "application/json"


class TestSendSms:
    async def test_returns_ghl_message_id(self, client, fake_ghl: FakeGhl):
        """An SMS is posted to /conversations/messages and GHL's id comes back."""
        message_id = await client.send_sms("c1", "What price would work for you?")
        assert fake_ghl.messages == [
            {
                "type": "SMS",
                "subType": "SMS",
                "contactId": "c1",
                "message": "What price would work for you?",
                "status": "pending",
                "messageId": message_id,
            }
        ]

    async def test_unknown_contact_fails_once(self, client, fake_ghl: FakeGhl):
        """GHL's 400 for an unknown contact is a GhlError and is not retried."""
        with pytest.raises(GhlError) as info:
            await client.send_sms("nobody", "Hi")
        assert info.value.status == 400
        assert "Contact not found" in info.value.detail
        assert len(fake_ghl.requests) == 1


class TestTags:
    async def test_add_then_remove(self, client, fake_ghl: FakeGhl):
        """Tags are added with POST and removed with DELETE on /contacts/{id}/tags."""
        await client.add_tags("c1", ["Hot-Seller", "Seller-Qualified"])
        await client.remove_tags("c1", ["Hot-Seller"])
        assert fake_ghl.contacts["c1"]["tags"] == ["Seller-Qualified"]
        assert [r.method for r in fake_ghl.requests] == ["POST", "DELETE"]


class TestUpdateContact:
    async def test_custom_fields_and_sms_dnd(self, client, fake_ghl: FakeGhl):
        """Custom fields go by id as field_value; SMS DND as dndSettings.SMS.status."""
        await client.update_contact(
            "c1", custom_fields={"fld-temp": "HOT", "fld-price": 410000}, dnd_sms=True
        )
        assert fake_ghl.requests[0].body == {
            "customFields": [
                {"id": "fld-temp", "field_value": "HOT"},
                {"id": "fld-price", "field_value": 410000},
            ],
            "dndSettings": {"SMS": {"status": "active"}},
        }
        contact = await client.get_contact("c1")
        assert contact.sms_dnd
        assert contact.custom_field("fld-price") == "410000"

    async def test_global_dnd(self, client, fake_ghl: FakeGhl):
        """`dnd` sets the contact's all-channel DND flag."""
        await client.update_contact("c1", dnd=True)
        assert fake_ghl.contacts["c1"]["dnd"] is True

    async def test_nothing_to_update_is_refused(self, client, fake_ghl: FakeGhl):
        """An update with nothing in it is a caller error and sends nothing."""
        with pytest.raises(ValueError, match="nothing to update"):
            await client.update_contact("c1")
        assert fake_ghl.requests == []


class TestGetContact:
    async def test_reads_contact(self, client, fake_ghl: FakeGhl):
        """The contact comes back typed, with tags and time zone."""
        fake_ghl.add_contact(
            "c2", firstName="Ana", tags=["Needs Qualifying"], timezone=LA
        )
        contact = await client.get_contact("c2")
        assert (contact.first_name, contact.tags, contact.timezone) == (
            "Ana",
            ("Needs Qualifying",),
            LA,
        )


class TestTriggerWorkflow:
    async def test_adds_contact_to_workflow(self, client, fake_ghl: FakeGhl):
        """The contact is added with POST /contacts/{id}/workflow/{workflowId}."""
        await client.trigger_workflow("c1", "wf-hot")
        assert fake_ghl.workflow_enrollments == [("c1", "wf-hot")]
        assert fake_ghl.requests[0].path == "/contacts/c1/workflow/wf-hot"


class TestFreeSlots:
    async def test_returns_sorted_slots_in_range(self, client, fake_ghl: FakeGhl):
        """Free slots inside the range come back sorted, in the asked time zone."""
        later, outside = T0 + timedelta(hours=2), T0 + timedelta(days=3)
        fake_ghl.add_slots("cal", [later, T0, outside])
        slots = await client.free_slots("cal", T0, T0 + timedelta(days=1), LA)
        assert slots == [T0, later]
        assert slots[0].utcoffset() == timedelta(hours=-7)
        assert fake_ghl.requests[0].query["timezone"] == [LA]

    async def test_range_over_31_days_is_refused(self, client, fake_ghl: FakeGhl):
        """A range GHL would refuse is a ValueError before any request."""
        with pytest.raises(ValueError, match="31 days"):
            await client.free_slots("cal", T0, T0 + timedelta(days=32), LA)
        assert fake_ghl.requests == []


class TestBookAppointment:
    async def test_books_a_free_slot(self, client, fake_ghl: FakeGhl):
        """Booking a free slot returns GHL's id and takes the slot off the list."""
        fake_ghl.add_slots("cal", [T0, T0 + timedelta(hours=1)])
        appointment_id = await client.book_appointment("cal", "c1", T0, title="Call")
        assert fake_ghl.appointments[0]["id"] == appointment_id
        assert fake_ghl.appointments[0]["locationId"] == fake_ghl.location_id
        slots = await client.free_slots("cal", T0, T0 + timedelta(days=1), LA)
        assert slots == [T0 + timedelta(hours=1)]

    async def test_taken_slot_is_an_error(self, client, fake_ghl: FakeGhl):
        """Booking a slot that is not free is GHL's 400, not retried."""
        with pytest.raises(GhlError) as info:
            await client.book_appointment("cal", "c1", T0)
        assert info.value.status == 400
        assert len(fake_ghl.requests) == 1


class TestUpsertOpportunity:
    async def test_same_contact_and_pipeline_is_one_opportunity(
        self, client, fake_ghl: FakeGhl
    ):
        """Upserting twice updates the same opportunity, with the configured pipeline."""
        first = await client.upsert_opportunity("c1", name="Maria", monetary_value=1.0)
        second = await client.upsert_opportunity("c1", name="Maria", status="won")
        assert first == second
        assert fake_ghl.opportunities[("c1", "pipe-1")]["status"] == "won"
        assert fake_ghl.requests[0].body["pipelineStageId"] == "stage-1"

    async def test_needs_a_pipeline(self, ghl_cfg, fake_ghl: FakeGhl):
        """Without a pipeline id in the call or the config, nothing is sent."""
        cfg = attrs.evolve(ghl_cfg, pipeline_id="")
        async with GhlClient(cfg) as client:
            with pytest.raises(ValueError, match=r"ghl\.pipeline_id"):
                await client.upsert_opportunity("c1", name="Maria")
        assert fake_ghl.requests == []
