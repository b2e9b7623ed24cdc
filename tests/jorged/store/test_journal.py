from __future__ import annotations

import sqlite3

from jorged.store import open_inbound_journal


class TestInboundJournal:
    async def test_pending_in_order_until_done(self, tmp_path):
        """Entries are pending in append order until marked done."""
        async with open_inbound_journal(tmp_path / "inbound.sqlite3") as journal:
            seqs = [await journal.append(b"w%d" % i) for i in range(3)]
            await journal.mark_done(seqs[1])
            assert await journal.pending() == [(seqs[0], b"w0"), (seqs[2], b"w2")]

    async def test_entries_survive_reopening(self, tmp_path):
        """What was appended is pending again after the journal is reopened."""
        path = tmp_path / "inbound.sqlite3"
        async with open_inbound_journal(path) as journal:
            seq = await journal.append(b"webhook")
        async with open_inbound_journal(path) as journal:
            assert await journal.pending() == [(seq, b"webhook")]

    async def test_compact_removes_done_entries(self, tmp_path):
        """Compaction removes done entries and keeps sequence numbers increasing."""
        async with open_inbound_journal(tmp_path / "j") as journal:
            first = await journal.append(b"a")
            await journal.mark_done(first)
            assert await journal.compact() == 1
            assert await journal.append(b"b") > first
            stats = await journal.statistics()
            assert (stats.pending, stats.appended, stats.done) == (1, 2, 1)

    async def test_writes_use_full_sync(self, tmp_path):
        """The journal database commits with synchronous=FULL in WAL mode."""
        async with open_inbound_journal(tmp_path / "j") as journal:
            await journal.append(b"a")
            mode = journal._call(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0])
            sync = journal._call(lambda db: db.execute("PRAGMA synchronous").fetchone()[0])
        assert (mode, sync) == ("wal", 2)
        with sqlite3.connect(tmp_path / "j") as db:
            assert db.execute("SELECT data FROM inbound").fetchall() == [(b"a",)]
        db.close()
