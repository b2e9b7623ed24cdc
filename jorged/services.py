"""What commands may ask of the seller side: trio coroutines over its actors.

`jorged.commands.dispatch` calls these; the API, the control socket and the
dashboard reach them only through a command.
"""

from __future__ import annotations

import attrs
import trio

from jorged.actors.mailbox import ask
from jorged.actors.outbox.items import OutboxItem
from jorged.actors.outbox.outbox_actor import Outbox
from jorged.actors.seller import inbox as seller_mod
from jorged.actors.seller import ingress as ingress_mod
from jorged.clock import TrioWallClock
from jorged.commands.kinds import Simulated
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState
from jorged.domain.language import Language
from jorged.ghl import webhook_events as wh
from jorged.store import codec
from jorged.store.store_protocol import Store


@attrs.define(kw_only=True)
class SellerService:
    """The seller side's answers to commands (`jorged.commands` calls these)."""

    store: Store
    clock: TrioWallClock
    outbox: Outbox
    seller_inbox: trio.MemorySendChannel[seller_mod.SellerMsg]
    ingress_inbox: trio.MemorySendChannel[ingress_mod.Accept]
    timeout_s: float = 10.0

    async def conversation(self, contact_id: str) -> ConversationState | None:
        data = await self.store.get(seller_mod.state_key(contact_id))
        return None if data is None else codec.loads(data, ConversationState)

    async def command(
        self,
        contact_id: str,
        command: seller_mod.CommandName,
        activate: sio.Activate | None = None,
        language: Language | None = None,
    ) -> ConversationState | None:
        """Run a command through the seller actor; the conversation after it (None
        once forgotten). `NotFound` when the contact has no conversation, and
        `Conflict` to start one already in qualification."""
        with trio.fail_after(self.timeout_s):
            state: ConversationState | None = await ask(
                self.seller_inbox,
                lambda r: seller_mod.Request(
                    contact_id=contact_id,
                    command=command,
                    activate=activate,
                    language=language,
                    reply=r,
                ),
                actor="seller",
            )
        return state

    async def outbox_items(self, contact_id: str | None) -> list[OutboxItem]:
        """The outbox's items (one contact's, or all), oldest first."""
        items = await self.outbox.items(contact_id)
        return sorted(items, key=lambda i: i.created_at)

    async def simulate(self, contact_id: str, text: str) -> Simulated:
        """Play an inbound SMS through the same path as a webhook."""
        now = self.clock.now()
        message_id = f"sim-{contact_id}-{int(now.timestamp() * 1e6)}"
        event = wh.InboundMessage(
            location_id="sandbox",
            dedupe_key=f"message:{message_id}",
            auth="loopback",
            contact_id=contact_id,
            message_type="SMS",
            date_added=now,
            body=text,
            direction="inbound",
            message_id=message_id,
        )
        verdict = await self.accept(event)
        return Simulated(status=verdict, message_id=message_id)

    async def accept(self, event: wh.WebhookEvent) -> ingress_mod.Verdict:
        entry = ingress_mod.JournalEntry(received_at=self.clock.now(), event=event)
        with trio.fail_after(self.timeout_s):
            return await ingress_mod.accept(self.ingress_inbox, entry)
