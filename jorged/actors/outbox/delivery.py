"""What the outbox does at GHL for each kind of item, and what it answers the seller.

`Delivery.perform` makes the GHL calls of one item that passed the outbox's
send-time checks. In sandbox mode nothing is sent: items end as `sandboxed`, and a
calendar is never searched or booked, nor a contact read. A failed GHL call is
published as `ghl.call_failed` and ends the item as `failed`; a seller waiting for
free slots or a booking still hears back (no slots, a failed booking).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import attrs

from jorged.actors.outbox.items import OutboxItem, OutboxStatus
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.events import Event, EventKind
from jorged.exceptions import GhlError
from jorged.ghl.api import GhlApi

#: How far ahead a hot seller's calendar is searched for free slots.
SLOT_HORIZON = timedelta(days=7)

#: (status, result, error, answer for the seller) of one delivery.
Outcome = tuple[OutboxStatus, str | None, str | None, sio.SellerInput | None]


@attrs.frozen(kw_only=True)
class Delivery:
    """Performs outbox items through GHL (or the sandbox)."""

    cfg: Config
    ghl: GhlApi
    clock: TrioWallClock
    publish: Callable[[Event], None]

    async def perform(self, item: OutboxItem) -> Outcome:
        """Do the action: (status, result, error, answer for the seller)."""
        action, contact_id = item.action, item.contact_id
        sandbox = self.cfg.sandbox
        sent = OutboxStatus.SANDBOXED if sandbox else OutboxStatus.SENT
        try:
            match action:
                case sio.FetchCalendarSlots():
                    slots = await self._free_slots()
                    answer = sio.CalendarSlots(contact_id=contact_id, slots=slots)
                    return sent, f"{len(slots)} slots", None, answer
                case sio.BookAppointment(slot=slot):
                    return await self._book(contact_id, slot, sent)
                case _ if sandbox:
                    return sent, None, None, None
                case sio.SendSms(text=text):
                    return sent, await self.ghl.send_sms(contact_id, text), None, None
                case sio.FetchContact():
                    return await self._contact(contact_id, sent)
                case sio.AddTags(tags=tags):
                    await self.ghl.add_tags(contact_id, tags)
                case sio.RemoveTags(tags=tags):
                    await self.ghl.remove_tags(contact_id, tags)
                case sio.UpdateFields(fields=fields):
                    return (
                        sent,
                        await self._update_fields(contact_id, fields),
                        None,
                        None,
                    )
                case sio.SetDnd(dnd=dnd):
                    await self.ghl.update_contact(contact_id, dnd_sms=dnd)
                case sio.TriggerWorkflow():
                    if self.cfg.ghl.hot_workflow_id:
                        await self.ghl.trigger_workflow(
                            contact_id, self.cfg.ghl.hot_workflow_id
                        )
                case sio.NotifyAgent(text=text, phone=phone):
                    if phone:
                        await self.ghl.send_sms(phone, text)
        except GhlError as exc:
            self.publish(
                Event(
                    kind=EventKind.GHL_CALL_FAILED,
                    at=self.clock.now(),
                    contact_id=contact_id,
                    data={
                        "operation": exc.operation,
                        "status": exc.status,
                        "detail": exc.detail,
                        "item": item.id,
                    },
                )
            )
            return OutboxStatus.FAILED, None, str(exc), _failure_answer(item, exc)
        return sent, None, None, None

    async def _update_fields(self, contact_id: str, fields: dict[str, str]) -> str:
        """Write the fields that have a GHL id (config `ghl.custom_field_ids`)."""
        ids = self.cfg.ghl.custom_field_ids
        by_id = {ids[name]: value for name, value in fields.items() if name in ids}
        skipped = sorted(name for name in fields if name not in ids)
        if by_id:
            await self.ghl.update_contact(contact_id, custom_fields=by_id)
        if skipped:
            return "not written (no ghl.custom_field_ids entry): " + ", ".join(skipped)
        return f"{len(by_id)} fields written"

    async def _contact(self, contact_id: str, sent: OutboxStatus) -> Outcome:
        contact = await self.ghl.get_contact(contact_id)
        answer = sio.ContactDetails(
            contact_id=contact_id,
            first_name=contact.first_name,
            phone=contact.phone,
            timezone=contact.timezone,
        )
        return sent, f"timezone {contact.timezone or 'not set'}", None, answer

    async def _free_slots(self) -> tuple[datetime, ...]:
        if self.cfg.sandbox or not self.cfg.ghl.calendar_id:
            return ()
        start = self.clock.now()
        zone = self.cfg.seller.default_timezone
        slots = await self.ghl.free_slots(
            self.cfg.ghl.calendar_id, start, start + SLOT_HORIZON, zone
        )
        return tuple(slots)

    async def _book(
        self, contact_id: str, slot: datetime, sent: OutboxStatus
    ) -> Outcome:
        if self.cfg.sandbox or not self.cfg.ghl.calendar_id:
            answer = sio.BookingResult(
                contact_id=contact_id, slot=slot, ok=False, detail="no calendar"
            )
            return sent, None, "no calendar configured", answer
        appointment = await self.ghl.book_appointment(
            self.cfg.ghl.calendar_id, contact_id, slot, title="Seller consultation"
        )
        answer = sio.BookingResult(contact_id=contact_id, slot=slot, ok=True)
        return sent, appointment, None, answer


def _failure_answer(item: OutboxItem, exc: GhlError) -> sio.SellerInput | None:
    """What the seller must hear when a call it waits for failed."""
    match item.action:
        case sio.FetchCalendarSlots():
            return sio.CalendarSlots(contact_id=item.contact_id, slots=())
        case sio.BookAppointment(slot=slot):
            return sio.BookingResult(
                contact_id=item.contact_id, slot=slot, ok=False, detail=str(exc)
            )
    return None
