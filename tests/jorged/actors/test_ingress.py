"""Ingress: journaled before answered, duplicates answered as such, replay on start."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
import trio

from jorged.actors.seller.inbox import Deliver
from jorged.actors.seller.ingress import Accept, Ingress, JournalEntry, accept
from jorged.clock import TrioWallClock
from jorged.config import Config
from jorged.domain.conversation import inputs as sio
from jorged.exceptions import WebhookRejected
from jorged.ghl import webhook_events as wh
from jorged.store import codec
from jorged.store.journal import InboundJournal, open_inbound_journal

NOW = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


def entry(contact: str, message_id: str, text: str = "hello") -> JournalEntry:
    event = wh.InboundMessage(
        location_id="loc",
        dedupe_key=f"message:{message_id}",
        auth="loopback",
        contact_id=contact,
        message_type="SMS",
        date_added=NOW,
        body=text,
        message_id=message_id,
    )
    return JournalEntry(received_at=NOW, event=event)


@pytest.fixture(name="journal")
async def _journal(tmp_path: Path) -> AsyncIterator[InboundJournal]:
    async with open_inbound_journal(tmp_path / "inbound.db") as journal:
        yield journal


class Running:
    """An ingress actor over a real journal, collecting what it passes on."""

    def __init__(self, journal: InboundJournal) -> None:
        self.delivered: list[Deliver] = []
        self.send, recv = trio.open_memory_channel[Accept](64)
        self.ingress = Ingress(
            cfg=Config(),
            journal=journal,
            clock=TrioWallClock.start(),
            inbox=recv,
            deliver=self._deliver,
        )

    async def _deliver(self, item: Deliver) -> None:
        self.delivered.append(item)

    def message_ids(self) -> list[str]:
        out = []
        for d in self.delivered:
            assert isinstance(d.input, sio.Inbound)
            out.extend(m.message_id for m in d.input.messages)
        return out


class TestAccept:
    async def test_accepted_then_duplicate(self, journal: InboundJournal):
        """A delivery is journaled and passed on once; its repeat is a duplicate."""
        running = Running(journal)
        async with trio.open_nursery() as nursery:
            await nursery.start(running.ingress.run)
            assert await accept(running.send, entry("c1", "m1")) == "accepted"
            assert await accept(running.send, entry("c1", "m1")) == "duplicate"
            assert await accept(running.send, entry("c1", "m2", "hello")) == "accepted"
            nursery.cancel_scope.cancel()
        assert running.message_ids() == ["m1", "m2"]
        assert [seq for seq, _d in await journal.pending()] == [
            d.seqs[0] for d in running.delivered
        ]

    async def test_journal_failure_is_429(self, journal: InboundJournal):
        """When the journal cannot be written the webhook is refused with 429."""
        running = Running(journal)
        async with trio.open_nursery() as nursery:
            await nursery.start(running.ingress.run)
            journal.close()
            with pytest.raises(WebhookRejected) as info:
                await accept(running.send, entry("c1", "m1"))
            nursery.cancel_scope.cancel()
        assert info.value.status == 429
        assert running.delivered == []


class TestReplay:
    async def test_every_unhandled_entry_is_passed_on_in_order(
        self, journal: InboundJournal
    ):
        """A backlog larger than one read of the journal is replayed whole, in order."""
        ids = [f"m{k:05d}" for k in range(2500)]
        await journal.append_batch(
            [(f"message:{i}", codec.dumps(entry("c1", i))) for i in ids]
        )
        running = Running(journal)
        async with trio.open_nursery() as nursery:
            await nursery.start(running.ingress.run)
            nursery.cancel_scope.cancel()
        assert running.message_ids() == ids


class TestUnrecordable:
    async def test_an_event_that_cannot_be_journaled_is_refused_alone(
        self, journal: InboundJournal
    ):
        """An event no journal entry can hold (year 1 at +14:00, from a path that
        skipped the webhook's checks) gets 422; the ingress goes on."""
        running = Running(journal)
        never = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
        bad = entry("c1", "m-bad")
        bad = attrs.evolve(bad, event=attrs.evolve(bad.event, date_added=never))
        async with trio.open_nursery() as nursery:
            await nursery.start(running.ingress.run)
            with pytest.raises(WebhookRejected) as info:
                await accept(running.send, bad)
            assert info.value.status == 422
            assert info.value.reason.startswith("payload: cannot be recorded")
            assert await accept(running.send, entry("c2", "m2")) == "accepted"
            nursery.cancel_scope.cancel()
        assert running.message_ids() == ["m2"]
