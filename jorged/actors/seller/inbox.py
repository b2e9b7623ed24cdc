"""What the seller actor is sent, and where it keeps a contact in the store.

The inbox carries `SellerMsg`: a `Deliver` (an input for one contact, with the
ingress journal entries it came from) or a `Request` (a command answered on its
reply channel). A contact's conversation is stored at `seller:state:{id}`, its
tags as last seen at `seller:tags:{id}` (so that a full tag list from the CRM can
be diffed into what was added and removed), and the contacts still qualifying
are the members of `seller:active_contacts`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import trio

from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState, Stage
from jorged.domain.language import Language
from jorged.store import codec
from jorged.store.store_protocol import Store

ACTIVE_SET = "seller:active_contacts"


def state_key(contact_id: str) -> str:
    return f"seller:state:{contact_id}"


def tags_key(contact_id: str) -> str:
    return f"seller:tags:{contact_id}"


@attrs.frozen(kw_only=True)
class ContactTags:
    """The contact's whole tag list as the CRM now has it (diffed by the actor)."""

    contact_id: str
    tags: tuple[str, ...]
    first_name: str = ""
    phone: str = ""
    timezone: str = ""


@attrs.frozen(kw_only=True)
class KnownTags:
    """The contact's tags as last seen, stored at `seller:tags:{id}` for diffing."""

    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Deliver:
    """An input for a contact; `seqs` are the ingress journal entries it came from."""

    input: sio.SellerInput | ContactTags
    seqs: tuple[int, ...] = ()
    #: trio time the webhook arrived, for the reply latency.
    received: float | None = None
    #: From the ingress journal (so replayed from it after a restart).
    journaled: bool = False


CommandName = Literal[
    "start", "pause", "resume", "restart", "stop", "forget", "language"
]


@attrs.frozen(kw_only=True)
class Request:
    """A command from the API, CLI or dashboard, answered on `reply`."""

    contact_id: str
    command: CommandName
    activate: sio.Activate | None = None
    #: With "language": the language Jorge sets.
    language: Language | None = None
    reply: trio.MemorySendChannel[Any]


SellerMsg = Deliver | Request


def is_active(state: ConversationState | None) -> bool:
    """Still qualifying: not qualified, stopped or opted out."""
    return (
        state is not None
        and state.stage is not Stage.QUALIFIED
        and not state.flags.stopped
        and not state.flags.opted_out
    )


async def diff_tags(store: Store, event: ContactTags) -> sio.TagsChanged | None:
    """Store the contact's tags as now seen; what changed since last time, if any."""
    data = await store.get(tags_key(event.contact_id))
    before = set(codec.loads(data, KnownTags).tags) if data else set()
    after = set(event.tags)
    await store.put(
        tags_key(event.contact_id),
        codec.dumps(KnownTags(tags=tuple(sorted(after)))),
    )
    added, removed = tuple(sorted(after - before)), tuple(sorted(before - after))
    if not added and not removed:
        return None
    return sio.TagsChanged(
        contact_id=event.contact_id,
        added=added,
        removed=removed,
        first_name=event.first_name,
        phone=event.phone,
        timezone=event.timezone,
    )
