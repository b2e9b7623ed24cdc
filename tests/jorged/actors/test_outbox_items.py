"""Planning a turn's outbox items: a pure function of the turn and what is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from jorged.actors.outbox.items import (
    PENDING_SET,
    OutboxItem,
    OutboxStatus,
    Queued,
    deliverable_ids,
    item_key,
    plan,
)
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState, Flags
from jorged.store import codec
from jorged.store.store_protocol import Put, SetAdd

T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
C = "seller-1"
ACTIONS = [
    sio.SendSms(text="hi", reply_to="m1", bot_initiated=False),
    sio.CancelFollowups(),
    sio.AddTags(tags=("Hot-Seller",)),
]
IDS = (f"{C}:00000004:00", f"{C}:00000004:01")


class TestPlan:
    def test_new_turn_adds_its_deliverable_actions(self) -> None:
        """Each deliverable action becomes an item, written and put in the pending set."""
        enq = plan(C, 4, ACTIONS, now=T0, stored={})
        assert [i.id for i in enq.items] == list(IDS)
        assert [i.kind for i in enq.items] == ["sms", "add_tags"]
        stored = {op.key: codec.loads(op.data, OutboxItem) for op in enq.ops[:2]}
        assert isinstance(enq.ops[0], Put)
        assert stored == {item_key(i.id): i for i in enq.items}
        assert enq.ops[2:] == (SetAdd(PENDING_SET, IDS),)
        assert enq.queued == Queued(contact_id=C, ids=IDS)

    def test_replayed_turn_queues_only_what_is_still_pending(self) -> None:
        """Stored items are not added again; the pending one is queued again."""
        stored = {IDS[0]: OutboxStatus.SENT, IDS[1]: OutboxStatus.PENDING}
        enq = plan(C, 4, ACTIONS, now=T0, stored=stored)
        assert enq.items == ()
        assert enq.ops == (SetAdd(PENDING_SET, (IDS[1],)),)
        assert enq.queue == (IDS[1],)

    def test_the_turns_flags_go_with_the_message(self) -> None:
        """`Queued` carries the turn and flags the turn left the conversation with."""
        state = ConversationState(
            contact_id=C,
            created_at=T0,
            updated_at=T0,
            flags=Flags(opted_out=True),
            turn=4,
        )
        enq = plan(C, 4, ACTIONS, now=T0, stored={}, state=state)
        assert enq.queued.latest == (4, Flags(opted_out=True))

    def test_ids_are_those_of_the_deliverable_actions(self) -> None:
        """`deliverable_ids` names the ids `plan` gives the turn's items."""
        assert deliverable_ids(C, 4, ACTIONS) == IDS
