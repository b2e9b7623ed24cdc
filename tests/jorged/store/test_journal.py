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


class TestBatchedAppends:
    async def test_duplicate_keys_are_written_once(self, tmp_path):
        """A dedupe key seen before (in the batch or earlier) gets None, not an entry."""
        async with open_inbound_journal(tmp_path / "j") as journal:
            first = await journal.append_batch([("w1", b"a"), ("w2", b"b"), ("w1", b"a")])
            again = await journal.append_batch([("w2", b"b")])
            assert (first[2], again) == (None, [None])
            assert [d for _, d in await journal.pending()] == [b"a", b"b"]

    async def test_forgotten_keys_are_accepted_again(self, tmp_path):
        """After forget_seen a key older than the cut-off may be written again."""
        async with open_inbound_journal(tmp_path / "j") as journal:
            await journal.append_batch([("w1", b"a")], now=100.0)
            assert await journal.forget_seen(before=200.0) == 1
            assert (await journal.append_batch([("w1", b"a")]))[0] is not None

    async def test_mark_done_many(self, tmp_path):
        """Marking several entries done in one call leaves the rest pending."""
        async with open_inbound_journal(tmp_path / "j") as journal:
            seqs = await journal.append_batch([("a", b"a"), ("b", b"b"), ("c", b"c")])
            await journal.mark_done_many([s for s in seqs[:2] if s is not None])
            assert [d for _, d in await journal.pending()] == [b"c"]
