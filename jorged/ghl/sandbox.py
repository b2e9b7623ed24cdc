"""Sandbox mode: the GHL operations recorded instead of sent (no token configured).

Ids are derived from the call's input and how many identical calls came before, so a
replay of the same calls yields the same ids and nothing is random. The sandbox keeps
the contact changes it was asked for, so `get_contact` answers with what jorged wrote.
It knows no calendar: `free_slots` is always empty, which makes the bot close with
"Jorge will call you" rather than offer times nobody can keep.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from jorged.ghl.api import CustomFieldValue, OpportunityStatus, check_slot_range
from jorged.ghl.models import CustomField, DndChannel, GhlContact


@attrs.frozen(kw_only=True)
class SandboxCall:
    """One operation the sandbox recorded; `result` is the id it answered with."""

    operation: str
    contact_id: str
    args: tuple[tuple[str, Any], ...]
    result: str = ""

    def arg(self, name: str) -> Any:
        """The value of argument `name` (KeyError when the call had none)."""
        return dict(self.args)[name]


@attrs.define
class SandboxGhl:
    """A GhlApi that records every operation and sends nothing."""

    location_id: str = "sandbox"
    _calls: list[SandboxCall] = attrs.field(factory=list)
    _contacts: dict[str, GhlContact] = attrs.field(factory=dict)
    _seen: Counter[str] = attrs.field(factory=Counter)

    def _id(self, prefix: str, *parts: str) -> str:
        key = "\0".join((prefix, *parts))
        self._seen[key] += 1
        digest = hashlib.sha256(f"{key}\0{self._seen[key]}".encode()).hexdigest()
        return f"sandbox-{prefix}-{digest[:20]}"

    @property
    def calls(self) -> tuple[SandboxCall, ...]:
        """Every operation recorded so far, oldest first."""
        return tuple(self._calls)

    def _record(
        self, operation: str, contact_id: str, result: str = "", **args: Any
    ) -> None:
        self._calls.append(
            SandboxCall(
                operation=operation,
                contact_id=contact_id,
                args=tuple(sorted(args.items())),
                result=result,
            )
        )

    def _contact(self, contact_id: str) -> GhlContact:
        return self._contacts.get(contact_id) or GhlContact(
            id=contact_id, location_id=self.location_id
        )

    def seed_contact(self, contact: GhlContact) -> None:
        """Make `contact` known (e.g. from a ContactCreate webhook)."""
        self._contacts[contact.id] = contact

    async def send_sms(self, contact_id: str, message: str) -> str:
        message_id = self._id("msg", contact_id, message)
        self._record("send_sms", contact_id, message_id, message=message)
        return message_id

    async def add_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        contact = self._contact(contact_id)
        new = tuple(t for t in tags if t not in contact.tags)
        self._contacts[contact_id] = attrs.evolve(contact, tags=contact.tags + new)
        self._record("add_tags", contact_id, tags=tuple(tags))

    async def remove_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        contact = self._contact(contact_id)
        kept = tuple(t for t in contact.tags if t not in tags)
        self._contacts[contact_id] = attrs.evolve(contact, tags=kept)
        self._record("remove_tags", contact_id, tags=tuple(tags))

    async def update_contact(
        self,
        contact_id: str,
        *,
        custom_fields: Mapping[str, CustomFieldValue] | None = None,
        dnd: bool | None = None,
        dnd_sms: bool | None = None,
    ) -> None:
        if not custom_fields and dnd is None and dnd_sms is None:
            msg = "update_contact: nothing to update (no custom_fields, dnd, dnd_sms)"
            raise ValueError(msg)
        contact = self._contact(contact_id)
        fields = {f.id: f.value for f in contact.custom_fields}
        fields.update({k: str(v) for k, v in (custom_fields or {}).items()})
        settings = {ch.channel: ch for ch in contact.dnd_settings}
        if dnd_sms is not None:
            status = "active" if dnd_sms else "inactive"
            settings["SMS"] = DndChannel(channel="SMS", status=status)
        self._contacts[contact_id] = attrs.evolve(
            contact,
            custom_fields=tuple(CustomField(id=k, value=v) for k, v in fields.items()),
            dnd=contact.dnd if dnd is None else dnd,
            dnd_settings=tuple(settings[k] for k in sorted(settings)),
        )
        self._record(
            "update_contact",
            contact_id,
            custom_fields=tuple(sorted((custom_fields or {}).items())),
            dnd=dnd,
            dnd_sms=dnd_sms,
        )

    async def get_contact(self, contact_id: str) -> GhlContact:
        return self._contact(contact_id)

    async def trigger_workflow(self, contact_id: str, workflow_id: str) -> None:
        self._record("trigger_workflow", contact_id, workflow_id=workflow_id)

    async def free_slots(
        self, calendar_id: str, start: datetime, end: datetime, timezone: str
    ) -> list[datetime]:
        check_slot_range(start, end)
        del calendar_id, timezone
        return []

    async def book_appointment(
        self,
        calendar_id: str,
        contact_id: str,
        start: datetime,
        *,
        end: datetime | None = None,
        title: str = "",
    ) -> str:
        appointment_id = self._id("appt", calendar_id, contact_id, start.isoformat())
        self._record(
            "book_appointment",
            contact_id,
            appointment_id,
            calendar_id=calendar_id,
            start=start,
            end=end,
            title=title,
        )
        return appointment_id

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
        # An upsert of the same contact and pipeline is the same opportunity.
        digest = hashlib.sha256(f"{contact_id}\0{pipeline_id}".encode()).hexdigest()
        opportunity_id = f"sandbox-opp-{digest[:20]}"
        self._record(
            "upsert_opportunity",
            contact_id,
            opportunity_id,
            name=name,
            monetary_value=monetary_value,
            status=status,
            pipeline_id=pipeline_id,
            pipeline_stage_id=pipeline_stage_id,
        )
        return opportunity_id

    async def aclose(self) -> None:
        """Nothing to release."""
