"""The "Needs Jorge" queue: conversations that wait for a person (SPEC 5).

A small read model: each kind of wait has one provider, a function from the
daemon's current `Sources` to the `Need`s it finds. A provider whose data the
daemon does not record yet returns nothing (never made-up items); when that data
lands (on the conversation state, in the outbox, in the quarantine), only its
provider changes. `needs(sources)` runs every provider and orders the queue, the
oldest wait first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import attrs

from jorged.domain.conversation.state import Hold, HoldReason
from jorged.domain.dashboard.facts import ConversationRow
from jorged.quarantine import QuarantinedItem

__all__ = [
    "PROVIDERS",
    "Need",
    "NeedKind",
    "Sources",
    "call_requests",
    "hot_handoffs",
    "needs",
    "opt_out_reviews",
    "paused_conversations",
    "quarantined_messages",
    "unsure_readings",
]


class NeedKind(StrEnum):
    CALL_REQUEST = "call_request"  # the seller asked for a call (SPEC 1.10)
    UNSURE_READING = "unsure_reading"  # a reading with consequences, to confirm
    QUARANTINED = "quarantined"  # a message the daemon could not handle
    OPT_OUT_REVIEW = "opt_out_review"  # maybe an opt-out: paused for review
    HOT_HANDOFF = "hot_handoff"  # Jorge was alerted: a qualified seller to call
    PAUSED = "paused"  # the bot is paused for this seller


@attrs.frozen(kw_only=True)
class Need:
    """One conversation waiting for Jorge, and why."""

    kind: NeedKind
    contact_id: str
    name: str
    #: Since when it waits.
    at: datetime
    #: What Jorge should know, in one line ("Alert: Maria is hot, call today").
    summary: str
    #: The seller's own words, when known.
    detail: str = ""
    #: The time the seller asked to be called, as they said it (call requests).
    call_time: str = ""
    #: The quarantined item's id, for Retry / Drop (quarantined messages).
    item_id: str = ""


@attrs.frozen(kw_only=True)
class Sources:
    """What the providers read: the conversation list's rows, the outbox items
    (as `GET /api/outbox` shows them) and the quarantine's held items."""

    rows: Sequence[ConversationRow] = ()
    outbox: Sequence[Mapping[str, Any]] = ()
    quarantine: Sequence[QuarantinedItem] = ()


Provider = Callable[[Sources], Iterable[Need]]


def _name(row: ConversationRow | None, contact_id: str) -> str:
    return row.first_name if row is not None and row.first_name else contact_id


def paused_conversations(sources: Sources) -> Iterable[Need]:
    """Sellers the bot no longer answers until someone resumes it (stopped and
    opted-out sellers wait for nobody; a pause with a hold shows under its kind)."""
    for row in sources.rows:
        if _waits(row) and row.hold is None:
            yield Need(
                kind=NeedKind.PAUSED,
                contact_id=row.contact_id,
                name=_name(row, row.contact_id),
                at=row.last_activity,
                summary="The bot is paused: resume it or answer the seller yourself.",
            )


def hot_handoffs(sources: Sources) -> Iterable[Need]:
    """The alerts the bot sent Jorge (a qualified seller to call), for sellers who
    have not booked a time since (a seller on hold shows under the hold's kind:
    its alert is the hold's)."""
    rows = {r.contact_id: r for r in sources.rows}
    latest: dict[str, Mapping[str, Any]] = {}
    for item in sources.outbox:
        if item.get("kind") == "notify_agent":
            latest[str(item.get("contact_id", ""))] = item
    for contact_id, item in latest.items():
        row = rows.get(contact_id)
        if row is None or row.booked or row.stopped or row.opted_out or row.hold:
            continue
        at = _time(item.get("created_at")) or row.last_activity
        yield Need(
            kind=NeedKind.HOT_HANDOFF,
            contact_id=contact_id,
            name=_name(row, contact_id),
            at=at,
            summary=str(item.get("text") or "The bot handed this seller to you."),
        )


def call_requests(sources: Sources) -> Iterable[Need]:
    """Sellers who asked for a call, with the time they asked for and their words
    (the bot acknowledged, alerted Jorge and paused)."""
    for row, hold in _held(sources, HoldReason.CALL_REQUEST):
        when = f" {hold.call_time}" if hold.call_time else ""
        yield Need(
            kind=NeedKind.CALL_REQUEST,
            contact_id=row.contact_id,
            name=_name(row, row.contact_id),
            at=hold.at,
            summary=f"Wants a call{when}. Bot paused until you resume or stop it.",
            detail=hold.words,
            call_time=hold.call_time,
        )


def unsure_readings(_sources: Sources) -> Iterable[Need]:
    """Messages read with low confidence where the reading has consequences, for
    Jorge to confirm or correct. The only such reading the policy acts on is a
    possible opt-out (see `opt_out_reviews`); no other unsure reading is recorded.
    What would feed this: a `Hold` with a reason of its own (e.g. an unsure
    hostility or an unsure slot value), the reading's act, confidence and words on
    the conversation state, set by the policy where it holds instead of acting."""
    return ()


def quarantined_messages(sources: Sources) -> Iterable[Need]:
    """Inputs set aside because handling them failed three times (`jorged.quarantine`),
    with their error; Jorge retries or drops them."""
    rows = {r.contact_id: r for r in sources.rows}
    for item in sources.quarantine:
        contact_id = item.ref.contact_id or ""
        tries = "tries" if item.attempts != 1 else "try"
        yield Need(
            kind=NeedKind.QUARANTINED,
            contact_id=contact_id,
            name=_name(rows.get(contact_id), contact_id) or item.ref.actor,
            at=item.quarantined_at,
            summary=(
                f"Set aside after {item.attempts} failed {tries}: {item.error}"
                if item.error
                else f"Set aside after {item.attempts} failed {tries}."
            ),
            detail=item.ref.summary,
            item_id=item.id,
        )


def opt_out_reviews(sources: Sources) -> Iterable[Need]:
    """Conversations paused because a message may be an opt-out, with the seller's
    words: paused until Jorge resumes or stops the bot."""
    for row, hold in _held(sources, HoldReason.OPT_OUT_UNSURE):
        yield Need(
            kind=NeedKind.OPT_OUT_REVIEW,
            contact_id=row.contact_id,
            name=_name(row, row.contact_id),
            at=hold.at,
            summary="May want no more texts: paused until you resume or stop the bot.",
            detail=hold.words,
        )


def _waits(row: ConversationRow) -> bool:
    return row.paused and not row.stopped and not row.opted_out


def _held(
    sources: Sources, reason: HoldReason
) -> Iterable[tuple[ConversationRow, Hold]]:
    for row in sources.rows:
        if _waits(row) and row.hold is not None and row.hold.reason is reason:
            yield row, row.hold


#: Every provider, in the order their items rank when they wait equally long.
PROVIDERS: tuple[Provider, ...] = (
    call_requests,
    unsure_readings,
    quarantined_messages,
    opt_out_reviews,
    hot_handoffs,
    paused_conversations,
)
_RANK = {kind: i for i, kind in enumerate(NeedKind)}


def needs(sources: Sources, providers: Sequence[Provider] = PROVIDERS) -> list[Need]:
    """The queue: every provider's needs, the longest wait first."""
    found = [need for provider in providers for need in provider(sources)]
    return sorted(found, key=lambda n: (n.at, _RANK[n.kind], n.contact_id))


def need_json(need: Need) -> dict[str, Any]:
    return {
        "kind": need.kind.value,
        "contact_id": need.contact_id,
        "name": need.name,
        "at": need.at.isoformat(),
        "summary": need.summary,
        "detail": need.detail,
        "call_time": need.call_time,
        "item_id": need.item_id,
    }


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)
