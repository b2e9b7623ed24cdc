"""The dashboard port's answers that no domain class holds as they are: frozen views.

Where the daemon has a frozen class for an answer (`DashboardSnapshot`,
`ConversationRow`, `LeadAnalysis`, `Need`, `QuarantinedItem`, `Event`), the port
hands that out; these few classes put together what a page reads from more than one
place, or leave out what a page must not reach (an outbox item's action is read
through the outbox actor's helpers, so the view carries its summary as text).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.commands import Simulated
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.snapshot import DashboardSnapshot

__all__ = ["DashboardView", "OutboxEntry", "SellerView", "Sent"]


@attrs.frozen(kw_only=True)
class DashboardView:
    """The overview's numbers, and whether the index is still being rebuilt (while
    it is, its numbers are not the data's)."""

    snapshot: DashboardSnapshot
    loading: bool


@attrs.frozen(kw_only=True)
class SellerView:
    """One conversation, and its row in the read model (None until it is indexed):
    the figures every page shows come from the row."""

    state: ConversationState
    figures: ConversationRow | None


@attrs.frozen(kw_only=True)
class OutboxEntry:
    """One outbound action of a contact as the conversation page lists it."""

    id: str
    #: `OutboxStatus` as text: sandboxed, pending, sent or failed.
    status: str
    created_at: datetime
    sent_at: datetime | None
    #: What the action does ("Add tags: Hot-Seller").
    summary: str
    text: str | None
    error: str | None


#: A simulated inbound SMS, as the `Simulate` command answers it.
Sent = Simulated
