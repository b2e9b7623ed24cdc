"""A seller lane's turns through the quarantine (`jorged.quarantine`).

A lane reads its conversation lazily, inside the first turn's try, so a stored
conversation that cannot be read fails that turn (and is held with it) instead of
the lane. A turn that fails is tried again from the stored state; after its third
failure its input is set aside and the lane reads the conversation again for the
next one. A batch of messages that fails is split, so that only the message that
fails is set aside.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

import attrs
import structlog

from jorged.actors.seller.inbox import Deliver, SellerMsg
from jorged.actors.seller.quarantine_paths import seller_ref
from jorged.domain.conversation.state import ConversationState
from jorged.quarantine import SET_ASIDE, Quarantine, is_environmental

__all__ = ["UNREAD", "Held", "TurnGuard"]

log = structlog.get_logger()


class _Unread:
    """A lane's conversation not read from the store yet (or unreadable)."""


UNREAD: Final = _Unread()
Held = ConversationState | None | _Unread
State = ConversationState | None


@attrs.frozen(kw_only=True)
class TurnGuard:
    """Runs the seller's `handle` for a lane's input through the quarantine."""

    quarantine: Quarantine | None
    load: Callable[[str], Awaitable[State]]
    handle: Callable[[State, SellerMsg], Awaitable[State]]

    async def read(self, contact_id: str, state: Held) -> State:
        """The conversation, read from the store if the lane holds none yet."""
        return await self.load(contact_id) if isinstance(state, _Unread) else state

    async def run(
        self, contact_id: str, state: Held, msg: Deliver, parts: tuple[Deliver, ...]
    ) -> Held:
        """Handle `msg` (the batch of `parts`); the conversation after it."""
        if self.quarantine is None:
            return await self.handle(await self.read(contact_id, state), msg)
        if len(parts) > 1:
            try:
                return await self.handle(await self.read(contact_id, state), msg)
            except Exception as exc:
                if is_environmental(exc):
                    raise
                log.warning("seller_batch_split", contact_id=contact_id, error=str(exc))
            state = UNREAD
            for part in parts:
                state = await self.run(contact_id, state, part, ())
            return state
        now: list[Held] = [state]

        async def handle() -> None:
            now[0] = await self.handle(await self.read(contact_id, now[0]), msg)

        async def reset() -> None:
            now[0] = UNREAD  # read again what the failed try may have stored

        outcome = await self.quarantine.attempt(
            seller_ref(msg),
            handle,
            reset=reset,
            describe=lambda: seller_ref(msg, described=True),
        )
        return UNREAD if outcome is SET_ASIDE else now[0]
