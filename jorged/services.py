"""What the API, the control socket and the dashboard may ask of the seller side.

Trio coroutines over the actors' channels and the store: web routes reach them
through the bridge, control commands call them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import trio

from jorged.actors import ingress as ingress_mod
from jorged.actors import seller_messages as seller_mod
from jorged.actors.mailbox import ask
from jorged.actors.outbox import Outbox
from jorged.actors.outbox_items import item_view
from jorged.clock import TrioWallClock
from jorged.domain import seller_io as sio
from jorged.domain.contact_ids import check_contact_id
from jorged.domain.language import Language
from jorged.domain.seller import conversation_view
from jorged.domain.seller_models import ConversationState
from jorged.exceptions import BadRequest
from jorged.ghl import webhooks as wh
from jorged.store import codec
from jorged.store.base import Store

MAX_TEXT = 1600


def optional_text(args: Mapping[str, Any], field: str, limit: int = 128) -> str:
    value = args.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(field=field, problem="must be a string")
    if len(value) > limit:
        raise BadRequest(field=field, problem=f"at most {limit} characters")
    return value


@attrs.define(kw_only=True)
class SellerService:
    store: Store
    clock: TrioWallClock
    outbox: Outbox
    seller_inbox: trio.MemorySendChannel[seller_mod.SellerMsg]
    ingress_inbox: trio.MemorySendChannel[ingress_mod.Accept]
    timeout_s: float = 10.0

    async def conversation(self, contact_id: str) -> ConversationState | None:
        data = await self.store.get(seller_mod.state_key(contact_id))
        return None if data is None else codec.loads(data, ConversationState)

    async def view(self, contact_id: str) -> dict[str, object] | None:
        state = await self.conversation(contact_id)
        return None if state is None else conversation_view(state)

    async def command(
        self,
        contact_id: str,
        command: seller_mod.CommandName,
        activate: sio.Activate | None = None,
    ) -> dict[str, object] | None:
        """Run a command through the seller actor; the conversation view after it."""
        with trio.fail_after(self.timeout_s):
            state: ConversationState | None = await ask(
                self.seller_inbox,
                lambda r: seller_mod.Request(
                    contact_id=contact_id, command=command, activate=activate, reply=r
                ),
                actor="seller",
            )
        return None if state is None else conversation_view(state)

    async def set_language(
        self, contact_id: str, language: object
    ) -> dict[str, object] | None:
        """Jorge sets the language the bot writes to this seller in (en or es)."""
        if language not in {lang.value for lang in Language}:
            raise BadRequest(
                field="language", problem=f"must be en or es, got {language!r}"
            )
        chosen = Language(str(language))
        with trio.fail_after(self.timeout_s):
            state: ConversationState | None = await ask(
                self.seller_inbox,
                lambda r: seller_mod.Request(
                    contact_id=contact_id, command="language", language=chosen, reply=r
                ),
                actor="seller",
            )
        return None if state is None else conversation_view(state)

    async def start(self, args: Mapping[str, Any]) -> dict[str, object] | None:
        """Start qualification from `{"contact_id", "first_name"?, "phone"?, ...}`."""
        contact_id = check_contact_id(args.get("contact_id"))
        activate = sio.Activate(
            contact_id=contact_id,
            first_name=optional_text(args, "first_name"),
            phone=optional_text(args, "phone", 32),
            timezone=_timezone(optional_text(args, "timezone", 64)),
            source="manual",
        )
        return await self.command(contact_id, "start", activate)

    async def outbox_items(self, contact_id: str | None) -> list[dict[str, Any]]:
        items = await self.outbox.items(contact_id)
        return [item_view(i) for i in sorted(items, key=lambda i: i.created_at)]

    async def simulate(self, contact_id: str, text: str) -> dict[str, Any]:
        """Play an inbound SMS through the same path as a webhook."""
        check_contact_id(contact_id)
        if not isinstance(text, str) or not text.strip():
            raise BadRequest(field="text", problem="required, the message text")
        if len(text) > MAX_TEXT:
            raise BadRequest(field="text", problem=f"at most {MAX_TEXT} characters")
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
        return {"status": verdict, "message_id": message_id}

    async def accept(self, event: wh.WebhookEvent) -> ingress_mod.Verdict:
        entry = ingress_mod.JournalEntry(received_at=self.clock.now(), event=event)
        with trio.fail_after(self.timeout_s):
            return await ingress_mod.accept(self.ingress_inbox, entry)


def _timezone(value: str) -> str:
    if not value:
        return ""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(
            field="timezone", problem=f"unknown time zone {value!r}"
        ) from None
    return value
