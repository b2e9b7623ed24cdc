"""Sets and sorted sets: one member at a time on disk and in Redis, whole when needed."""

from __future__ import annotations

import pytest
import trio

from jorged.exceptions import StoreError
from jorged.store import open_durable_store
from jorged.store.disk import DiskBackend
from jorged.store.disk_records import encode_record
from jorged.store.members import Delta
from jorged.store.memory import DictStore
from jorged.store.store_protocol import (
    Kind,
    Put,
    Record,
    SetAdd,
    SetRemove,
    ZAdd,
    ZRemove,
)

ACTIVE = "seller:active_contacts"


class TestOnDisk:
    async def test_members_survive_a_reopen(self, make_cfg):
        """Members added and removed one by one are all there after a restart."""
        cfg = make_cfg(enabled=False)
        async with open_durable_store(cfg) as store:
            for i in range(50):
                await store.set_add(ACTIVE, f"c{i}")
            await store.set_remove(ACTIVE, "c3", "c7")
            await store.zset_add("followups", "a", 2.0)
            await store.zset_add("followups", "b", 1.0)
            await store.zset_add("followups", "a", 0.5)
        async with open_durable_store(cfg) as store:
            members = await store.set_members(ACTIVE)
            assert members == {f"c{i}" for i in range(50)} - {"c3", "c7"}
            assert await store.zset_range("followups", max_score=10) == [
                ("a", 0.5),
                ("b", 1.0),
            ]

    async def test_an_emptied_set_is_gone_and_can_come_back(self, make_cfg):
        """Removing the last member deletes the set; adding again starts afresh."""
        cfg = make_cfg(enabled=False)
        async with open_durable_store(cfg) as store:
            await store.set_add(ACTIVE, "a", "b")
            await store.set_remove(ACTIVE, "a", "b")
            assert await store.set_members(ACTIVE) == frozenset()
            await store.set_add(ACTIVE, "c")
        async with open_durable_store(cfg) as store:
            assert await store.set_members(ACTIVE) == {"c"}

    async def test_a_value_replaces_a_set_and_back(self, make_cfg):
        """`put` over a set makes the key a value; `delete` then a new set is empty."""
        cfg = make_cfg(enabled=False)
        async with open_durable_store(cfg) as store:
            await store.set_add("k", "a")
            await store.put("k", b"v")
            assert await store.get("k") == b"v"
            with pytest.raises(StoreError, match=r"^k: holds value, not a set$"):
                await store.set_add("k", "b")
            await store.delete("k")
            await store.set_add("k", "b")
        async with open_durable_store(cfg) as store:
            assert await store.set_members("k") == {"b"}
            with pytest.raises(StoreError, match=r"^k: holds set, not a value$"):
                await store.get("k")

    async def test_a_failed_write_in_a_batch_leaves_the_others(self, make_cfg):
        """Writes committed together: one refused (wrong type) does not undo the rest."""
        cfg = make_cfg(enabled=False)
        async with open_durable_store(cfg) as store:
            await store.put("v", b"1")
            outcomes: dict[str, str] = {}

            async def add(key: str, member: str) -> None:
                try:
                    await store.set_add(key, member)
                except StoreError:
                    outcomes[key + member] = "refused"
                else:
                    outcomes[key + member] = "ok"

            async with trio.open_nursery() as nursery:
                for key, member in (("s", "a"), ("v", "x"), ("s", "b")):
                    nursery.start_soon(add, key, member)
            assert outcomes == {"sa": "ok", "vx": "refused", "sb": "ok"}
            assert await store.set_members("s") == {"a", "b"}
            assert await store.get("v") == b"1"

    async def test_a_rolled_back_transaction_leaves_memory_as_disk(self, tmp_path):
        """When a transaction fails, the in-memory sets are what the disk holds."""
        disk = DiskBackend.open(tmp_path, tombstone_ttl_s=60)
        try:
            disk.apply([("s", 1, Delta(Kind.SET, add=(("a", 0.0),)))])

            def boom(_current: Record | None) -> Record:
                raise RuntimeError("disk full")

            with pytest.raises(RuntimeError, match="disk full"):
                disk.apply(
                    [
                        ("s", 2, Delta(Kind.SET, add=(("b", 0.0),), remove=("a",))),
                        ("v", 3, boom),
                    ]
                )
            assert disk.whole("s") == Record(
                key="s", kind=Kind.SET, seq=1, members=frozenset({"a"})
            )
        finally:
            disk.close()
        reopened = DiskBackend.open(tmp_path, tombstone_ttl_s=60)
        try:
            assert reopened.whole("s") == Record(
                key="s", kind=Kind.SET, seq=1, members=frozenset({"a"})
            )
        finally:
            reopened.close()

    def test_sets_kept_whole_by_an_older_store_move_to_the_table(self, tmp_path):
        """A store that kept a set as one record opens with that set intact."""
        disk = DiskBackend.open(tmp_path, tombstone_ttl_s=60)
        old = Record(key="s", kind=Kind.SET, seq=7, members=frozenset({"a", "b"}))
        disk.cache.set("r:s", encode_record(old))
        disk.db.execute("PRAGMA user_version = 0")
        disk.close()
        reopened = DiskBackend.open(tmp_path, tombstone_ttl_s=60)
        try:
            assert reopened.whole("s") == old
            assert reopened.cache.get("r:s") is None
        finally:
            reopened.close()


class TestMirror:
    async def test_redis_gets_the_change_not_the_whole_set(
        self, make_cfg, redis_server
    ):
        """Each set_add reaches Redis as it is; the mirror equals the disk."""
        async with open_durable_store(make_cfg()) as store:
            for i in range(30):
                await store.set_add(ACTIVE, f"c{i}")
            await store.set_remove(ACTIVE, "c0")
            await store.zset_add("followups", "a", 3.0)
            await store.zset_add("followups", "a", 1.0)
            await store.zset_remove("followups", "a")
            await store.zset_add("followups", "b", 2.0)
            assert store.statistics().backlog == 0
            disk = await store.set_members(ACTIVE)
        with redis_server.client() as c:
            assert {m.decode() for m in c.smembers(ACTIVE)} == disk
            assert c.zrange("followups", 0, -1, withscores=True) == [(b"b", 2.0)]

    async def test_a_set_redis_lost_is_sent_whole(self, make_cfg, redis_server):
        """If Redis no longer holds a set as it was, the next change sends it whole."""
        async with open_durable_store(make_cfg()) as store:
            await store.set_add(ACTIVE, "a", "b")
            with redis_server.client() as c:
                c.delete(ACTIVE)
                c.hdel("jorged:seq", ACTIVE)
            await store.set_add(ACTIVE, "c")
            with redis_server.client() as c:
                assert c.smembers(ACTIVE) == {b"a", b"b", b"c"}
            await store.zset_add("followups", "x", 1.0)
            with redis_server.client() as c:
                c.flushall()
            await store.zset_add("followups", "y", 2.0)
        with redis_server.client() as c:
            assert c.zrange("followups", 0, -1, withscores=True) == [
                (b"x", 1.0),
                (b"y", 2.0),
            ]


class TestGroupCommit:
    async def test_concurrent_changes_to_one_set_all_land(self, make_cfg, redis_server):
        """Many tasks adding to one set at once lose no member, on disk or in Redis."""
        async with open_durable_store(make_cfg()) as store:
            async with trio.open_nursery() as nursery:
                for i in range(200):
                    nursery.start_soon(store.set_add, ACTIVE, f"c{i}")
                    nursery.start_soon(store.put, f"seller:state:c{i}", b"%d" % i)
            assert len(await store.set_members(ACTIVE)) == 200
            stats = store.statistics()
            assert stats.writes == 400
            assert stats.redis_writes == 400
        with redis_server.client() as c:
            assert c.scard(ACTIVE) == 200
            assert c.get("seller:state:c199") == b"199"

    async def test_a_cancelled_writer_still_finishes_its_write(self, make_cfg):
        """Cancelling a task waiting on its write does not lose the write."""
        cfg = make_cfg(enabled=False)
        async with open_durable_store(cfg) as store:
            async with trio.open_nursery() as nursery:
                for i in range(20):
                    nursery.start_soon(store.put, f"k{i}", b"v")
                await trio.lowlevel.checkpoint()
                nursery.cancel_scope.cancel()
            assert [await store.get(f"k{i}") for i in range(20)] == [b"v"] * 20


class TestScan:
    async def test_scan_returns_the_live_values_under_a_prefix(self, make_cfg):
        """Only values whose key has the prefix, none deleted or expired, in order."""
        async with open_durable_store(make_cfg(enabled=False)) as store:
            await store.put("seller:state:2", b"b")
            await store.put("seller:state:1", b"a")
            await store.put("seller:statf", b"next prefix")
            await store.put("seller:state:3", b"gone")
            await store.delete("seller:state:3")
            await store.put("seller:state:4", b"old", ttl_s=0.001)
            await store.set_add("seller:state:set", "m")
            await trio.sleep(0.01)
            assert await store.scan("seller:state:") == [
                ("seller:state:1", b"a"),
                ("seller:state:2", b"b"),
            ]


class TestWrite:
    async def test_a_turns_writes_land_together(self, make_cfg, redis_server):
        """Values and set changes in one write are all stored and mirrored."""
        async with open_durable_store(make_cfg()) as store:
            await store.set_add(ACTIVE, "c0")
            await store.write(
                [
                    Put("outbox:c1:1:0", b"item"),
                    SetAdd("outbox:pending", ("c1:1:0",)),
                    Put("seller:state:c1", b"state"),
                    SetAdd(ACTIVE, ("c1",)),
                    SetRemove(ACTIVE, ("c0",)),
                ]
            )
            assert await store.get("seller:state:c1") == b"state"
            assert await store.set_members(ACTIVE) == {"c1"}
        with redis_server.client() as c:
            assert c.get("outbox:c1:1:0") == b"item"
            assert c.smembers("outbox:pending") == {b"c1:1:0"}
            assert c.smembers(ACTIVE) == {b"c1"}

    @pytest.mark.parametrize("durable", [True, False])
    async def test_sorted_set_changes_apply_in_order(
        self, make_cfg, redis_server, durable
    ):
        """Adds, rescores and removes of one write apply in order, mirrored."""
        async with open_durable_store(make_cfg()) as durable_store:
            store = durable_store if durable else DictStore()
            await store.zset_add("followups", "c0|0", 5.0)
            await store.write(
                [
                    ZRemove("followups", ("c0|0",)),
                    ZAdd("followups", "c0|1", 9.0),
                    ZAdd("followups", "c1|0", 3.0),
                    ZAdd("followups", "c1|0", 4.0),
                    ZAdd("followups", "c2|0", 1.0),
                    ZRemove("followups", ("c2|0", "never")),
                ]
            )
            assert await store.zset_range("followups", max_score=100) == [
                ("c1|0", 4.0),
                ("c0|1", 9.0),
            ]
        if durable:
            with redis_server.client() as c:
                assert c.zrange("followups", 0, -1, withscores=True) == [
                    (b"c1|0", 4.0),
                    (b"c0|1", 9.0),
                ]

    @pytest.mark.parametrize("durable", [True, False])
    async def test_a_bad_value_writes_nothing(self, make_cfg, durable):
        """A batch with a value that is not bytes is refused whole, naming the key."""
        store_cm = open_durable_store(make_cfg(enabled=False))
        async with store_cm as durable_store:
            store = durable_store if durable else DictStore()
            with pytest.raises(
                TypeError, match=r"^put k2: data must be bytes, got str$"
            ):
                await store.write([Put("k1", b"ok"), Put("k2", "text")])  # type: ignore[arg-type]
            assert await store.get("k1") is None
