from __future__ import annotations

import trio

from jorged.store import DictStore


class TestDictStore:
    async def test_values_round_trip_and_delete(self):
        """A put value is read back, and gone after delete."""
        store = DictStore()
        await store.put("seller:state:1", b"{}")
        assert await store.get("seller:state:1") == b"{}"
        await store.delete("seller:state:1")
        assert await store.get("seller:state:1") is None

    async def test_ttl_expires_on_trio_clock(self, autojump_clock):
        """A value with a ttl disappears once trio's clock passes it."""
        store = DictStore()
        await store.put("k", b"v", ttl_s=60)
        await trio.sleep(59)
        assert await store.get("k") == b"v"
        await trio.sleep(2)
        assert await store.get("k") is None

    async def test_scan_returns_prefix_sorted(self):
        """Scan lists the values under a prefix, sorted by key."""
        store = DictStore()
        for key in ("seller:state:2", "seller:state:1", "lead:analysis:1"):
            await store.put(key, key.encode())
        assert [k for k, _ in await store.scan("seller:state:")] == ["seller:state:1", "seller:state:2"]

    async def test_sets_and_sorted_sets(self):
        """Set and sorted-set operations behave like Redis."""
        store = DictStore()
        await store.set_add("active", "a", "b")
        await store.set_remove("active", "a")
        await store.zset_add("followups", "c1", 30)
        await store.zset_add("followups", "c2", 10)
        await store.zset_add("followups", "c3", 50)
        assert await store.set_members("active") == {"b"}
        assert await store.zset_range("followups", max_score=40) == [("c2", 10.0), ("c1", 30.0)]

    async def test_stream_is_bounded_and_readable_after_an_id(self):
        """A stream keeps maxlen entries; reads resume after a given id."""
        store = DictStore()
        ids = [await store.stream_append("events", b"%d" % i, maxlen=3) for i in range(5)]
        assert [d for _, d in await store.stream_read("events")] == [b"2", b"3", b"4"]
        assert await store.stream_read("events", after=ids[3]) == [(ids[4], b"4")]
        assert [d for _, d in await store.stream_tail("events", count=2)] == [b"3", b"4"]
