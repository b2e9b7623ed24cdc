"""What jorged asks of GHL: one Protocol, met by the real client and the sandbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from jorged.ghl.models import GhlContact

#: A custom field value as the contacts API takes it.
CustomFieldValue = str | int | float
OpportunityStatus = Literal["open", "won", "lost", "abandoned"]

#: GHL refuses free-slot queries spanning more than 31 days.
MAX_SLOT_RANGE = timedelta(days=31)


class GhlApi(Protocol):
    """The GHL operations jorged uses; failures raise `jorged.exceptions.GhlError`."""

    async def send_sms(self, contact_id: str, message: str) -> str:
        """Send an SMS to a contact; return GHL's message id."""
        ...

    async def add_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        """Add tags to a contact (tags it already has stay)."""
        ...

    async def remove_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        """Remove tags from a contact (tags it does not have are ignored)."""
        ...

    async def update_contact(
        self,
        contact_id: str,
        *,
        custom_fields: Mapping[str, CustomFieldValue] | None = None,
        dnd: bool | None = None,
        dnd_sms: bool | None = None,
    ) -> None:
        """Write custom fields (keyed by GHL field id) and do-not-disturb settings.

        `dnd` is the contact's global DND (every channel); `dnd_sms` sets the SMS
        channel only, which is what an SMS opt-out (STOP) or opt-in (START) changes.
        """
        ...

    async def get_contact(self, contact_id: str) -> GhlContact:
        """Read a contact."""
        ...

    async def trigger_workflow(self, contact_id: str, workflow_id: str) -> None:
        """Add a contact to a GHL workflow."""
        ...

    async def free_slots(
        self, calendar_id: str, start: datetime, end: datetime, timezone: str
    ) -> list[datetime]:
        """Free appointment start times in [start, end), sorted, in `timezone`."""
        ...

    async def book_appointment(
        self,
        calendar_id: str,
        contact_id: str,
        start: datetime,
        *,
        end: datetime | None = None,
        title: str = "",
    ) -> str:
        """Book an appointment for a contact; return the appointment id."""
        ...

    async def upsert_opportunity(
        self,
        contact_id: str,
        *,
        name: str,
        monetary_value: float | None = None,
        status: OpportunityStatus = "open",
        pipeline_id: str = "",
        pipeline_stage_id: str = "",
    ) -> str:
        """Create or update the contact's opportunity; return its id.

        Empty pipeline ids mean `ghl.pipeline_id` / `ghl.pipeline_stage_id`.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def check_slot_range(start: datetime, end: datetime) -> None:
    """Raise ValueError unless [start, end) is a timezone-aware range GHL accepts."""
    if start.tzinfo is None or end.tzinfo is None:
        msg = "free_slots: start and end must be timezone-aware"
        raise ValueError(msg)
    if end <= start:
        msg = f"free_slots: end ({end.isoformat()}) must be after start"
        raise ValueError(msg)
    if end - start > MAX_SLOT_RANGE:
        msg = f"free_slots: range must be at most {MAX_SLOT_RANGE.days} days"
        raise ValueError(msg)
