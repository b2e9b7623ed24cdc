from __future__ import annotations

import os
import signal
import time

import pytest
import trio
from structlog.testing import capture_logs

from jorged.exceptions import StoreError
from jorged.store import open_durable_store
from jorged.store.disk import DiskBackend
from jorged.store.redis_backend import RedisBackend
from jorged.store.store_protocol import Kind, Record

from .conftest import wait_until


def synced(store) -> bool:
    stats = store.statistics()
    return stats.redis_up and stats.backlog == 0


class TestWithRedis:
    async def test_writes_reach_redis(self, make_cfg, redis_server):
        """Values, sets, sorted sets and streams are mirrored to Redis."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("seller:state:1", b"s1")
            await store.set_add("seller:active_contacts", "1", "2")
            await store.zset_add("followups", "1", 100.0)
            entry = await store.stream_append("jorged:events", b"e", maxlen=10)
            assert store.statistics().backend == "redis"
        with redis_server.client() as c:
            assert c.get("seller:state:1") == b"s1"
            assert c.smembers("seller:active_contacts") == {b"1", b"2"}
            assert c.zrange("followups", 0, -1, withscores=True) == [(b"1", 100.0)]
            assert c.xrange("jorged:events")[0][0].decode() == entry

    async def test_ttl_is_set_in_redis(self, make_cfg, redis_server):
        """A value with a ttl expires in Redis too."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("seller:state:closed", b"x", ttl_s=7 * 86400)
        with redis_server.client() as c:
            assert 7 * 86400 - 5 < c.ttl("seller:state:closed") <= 7 * 86400

    async def test_wrong_type_is_refused(self, make_cfg):
        """A set operation on a value key raises StoreError naming the key."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("k", b"v")
            with pytest.raises(StoreError, match=r"^k: holds value, not a set$"):
                await store.set_add("k", "m")


class TestPutMany:
    async def test_put_many_reaches_redis_and_disk(self, make_cfg, redis_server):
        """Several values written together are all readable and all in Redis."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("outbox:c:1", b"old")
            await store.put_many([(f"outbox:c:{i}", b"v%d" % i) for i in range(5)])
            assert [await store.get(f"outbox:c:{i}") for i in range(5)] == [
                b"v%d" % i for i in range(5)
            ]
        with redis_server.client() as c:
            assert c.get("outbox:c:1") == b"v1"
            assert c.get("outbox:c:4") == b"v4"

    async def test_put_many_during_an_outage_replays(self, make_cfg, redis_server):
        """Values written together while Redis is down all reach it when it is back."""
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            await nursery.start(store.run)
            redis_server.stop()
            with trio.fail_after(5):
                await store.put_many([(f"k{i}", b"%d" % i) for i in range(4)])
            assert await store.get("k3") == b"3"
            redis_server.start()
            await wait_until(lambda: synced(store))
            nursery.cancel_scope.cancel()
        with redis_server.client() as c:
            assert [c.get(f"k{i}") for i in range(4)] == [b"0", b"1", b"2", b"3"]


class TestOutage:
    async def test_outage_writes_replay_to_redis(self, make_cfg, redis_server):
        """Writes made while Redis is down are all in Redis after it is back."""
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            await nursery.start(store.run)
            await store.put("seller:state:0", b"before")
            redis_server.stop()
            with trio.fail_after(5):
                for i in range(30):
                    await store.put(f"seller:state:{i % 5}", b"v%d" % i)
                await store.set_add("active", "a", "b")
                await store.set_remove("active", "a")
                await store.set_add("active", "c")
                await store.zset_add("followups", "x", 5)
                await store.zset_add("followups", "x", 7)
                ids = [await store.stream_append("ev", b"%d" % i, maxlen=100) for i in range(5)]
            assert await store.get("seller:state:4") == b"v29"
            assert store.statistics().backend == "disk"
            redis_server.start()
            await wait_until(lambda: synced(store))
            nursery.cancel_scope.cancel()
        with redis_server.client() as c:
            assert [c.get(f"seller:state:{i}") for i in range(5)] == [b"v25", b"v26", b"v27", b"v28", b"v29"]
            assert c.smembers("active") == {b"b", b"c"}
            assert c.zrange("followups", 0, -1, withscores=True) == [(b"x", 7.0)]
            assert [i.decode() for i, _ in c.xrange("ev")] == ids

    async def test_journal_replays_in_order_to_a_paused_redis(self, make_cfg, redis_server):
        """A Redis that hangs (SIGSTOP) and comes back with its data gets the journal in order."""
        pid = redis_server._proc.pid
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            await nursery.start(store.run)
            await store.put("seller:state:1", b"before")
            os.kill(pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                await store.put("seller:state:1", b"first")
                assert time.monotonic() - started < 2.0
                await store.set_add("active", "a")
                await store.put("seller:state:1", b"last")
                await store.set_remove("active", "a")
                await store.set_add("active", "b")
            finally:
                os.kill(pid, signal.SIGCONT)
            await wait_until(lambda: synced(store))
            stats = store.statistics()
            nursery.cancel_scope.cancel()
        assert (stats.reconciled_to_redis, stats.replayed) == (0, 5)
        with redis_server.client() as c:
            assert (c.get("seller:state:1"), c.smembers("active")) == (b"last", {b"b"})

    async def test_redis_restart_between_writes_is_refilled(self, make_cfg, redis_server):
        """A Redis that restarts empty while the store is idle gets every record back."""
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            await nursery.start(store.run)
            await store.put("seller:state:1", b"s1")
            redis_server.stop()
            redis_server.start()
            with redis_server.client() as c:
                await wait_until(lambda: c.get("seller:state:1") == b"s1")
            nursery.cancel_scope.cancel()

    async def test_expired_records_leave_no_seq_behind(self, make_cfg, redis_server):
        """The seq of a record expired in both copies is dropped when reconciling."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("gone", b"x", ttl_s=0.05)
            with redis_server.client() as c:
                await wait_until(lambda: not c.exists("gone") and store.disk.cache.get("r:gone") is None)
        async with open_durable_store(make_cfg()):
            pass
        with redis_server.client() as c:
            assert c.hkeys("jorged:seq") == []

    async def test_calls_fail_fast_while_open(self, make_cfg, redis_server):
        """With the breaker open, writes skip Redis: one failure, then no more tries."""
        async with open_durable_store(make_cfg()) as store:
            redis_server.stop()
            started = time.monotonic()
            for i in range(50):
                await store.put("k", b"%d" % i)
            assert time.monotonic() - started < 2.0
            stats = store.statistics()
            assert (stats.redis_failures, stats.backlog) == (1, 50)
            assert stats.breaker in {"open", "half_open"}

    async def test_failed_probes_back_off(self, make_cfg, redis_server):
        """Probes against a dead Redis double the breaker cooldown up to the max."""
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            await nursery.start(store.run)
            redis_server.stop()
            await store.put("k", b"v")
            await wait_until(lambda: store.breaker.cooldown_s_now == 0.4)
            assert store.statistics().breaker in {"open", "half_open"}
            nursery.cancel_scope.cancel()

    async def test_transitions_are_reported_once(self, make_cfg, redis_server):
        """store_degraded and store_recovered are logged and reported once each."""
        seen = []
        with capture_logs() as logs:
            async with open_durable_store(make_cfg(), on_transition=seen.append) as store, trio.open_nursery() as nursery:
                await nursery.start(store.run)
                redis_server.stop()
                for i in range(5):
                    await store.put("k", b"%d" % i)
                await wait_until(lambda: store.statistics().redis_failures >= 3)
                redis_server.start()
                await wait_until(lambda: synced(store))
                nursery.cancel_scope.cancel()
        events = [e["event"] for e in logs if e["event"].startswith("store_")]
        assert [t.degraded for t in seen] == [True, False]
        assert events.count("store_degraded") == 1
        assert events.count("store_recovered") == 1

    async def test_operation_hook_marks_fallback(self, make_cfg, redis_server):
        """The operation hook names the backend used and whether it fell back."""
        samples = []
        async with open_durable_store(make_cfg(), on_operation=samples.append) as store:
            await store.put("a", b"1")
            redis_server.stop()
            await store.put("b", b"2")
        assert [(s.op, s.backend, s.fallback) for s in samples] == [("put", "redis", False), ("put", "disk", True)]
        assert all(s.latency_s > 0 for s in samples)


class TestStartup:
    async def test_flushall_while_closed_is_repaired(self, make_cfg, redis_server):
        """State written before a FLUSHALL (store closed) is pushed back on reopen."""
        async with open_durable_store(make_cfg()) as store:
            await store.put("seller:state:1", b"s1")
            await store.set_add("seller:active_contacts", "1")
            await store.stream_append("jorged:events", b"e", maxlen=10)
        with redis_server.client() as c:
            c.flushall()
        async with open_durable_store(make_cfg()) as store:
            assert store.statistics().reconciled_to_redis == 2
        with redis_server.client() as c:
            assert c.get("seller:state:1") == b"s1"
            assert c.smembers("seller:active_contacts") == {b"1"}
            assert c.xlen("jorged:events") == 1

    async def test_newer_redis_records_come_to_disk(self, make_cfg):
        """A fresh disk takes the records Redis holds (a daemon moved hosts)."""
        async with open_durable_store(make_cfg("first")) as store:
            await store.put("seller:state:1", b"s1")
            await store.zset_add("followups", "1", 3)
            await store.stream_append("jorged:events", b"e", maxlen=10)
        async with open_durable_store(make_cfg("second")) as store:
            assert await store.get("seller:state:1") == b"s1"
            assert await store.zset_range("followups", max_score=10) == [("1", 3.0)]
            assert [d for _, d in await store.stream_tail("jorged:events", count=5)] == [b"e"]
            await store.put("seller:state:1", b"s2")
            assert store.statistics().writes == 1

    async def test_redis_absent_at_start(self, make_cfg, redis_server):
        """With Redis down at start the store runs on disk and syncs when it appears."""
        redis_server.stop()
        async with open_durable_store(make_cfg()) as store, trio.open_nursery() as nursery:
            assert store.statistics().backend == "disk"
            await store.put("k", b"v")
            await nursery.start(store.run)
            redis_server.start()
            await wait_until(lambda: synced(store))
            nursery.cancel_scope.cancel()
        with redis_server.client() as c:
            assert c.get("k") == b"v"

    async def test_redis_disabled(self, make_cfg, redis_server):
        """With Redis disabled nothing goes to Redis and no journal builds up."""
        async with open_durable_store(make_cfg(enabled=False)) as store:
            await store.put("k", b"v")
            stats = store.statistics()
            assert (stats.backend, stats.redis_enabled, stats.backlog) == ("disk", False, 0)
            assert await store.get("k") == b"v"
        with redis_server.client() as c:
            assert c.exists("k") == 0


class TestReplaysAreHarmless:
    async def test_redis_keeps_the_newest_seq(self, make_cfg, redis_server):
        """A replayed older or equal-seq record does not overwrite Redis."""
        backend = RedisBackend.from_config(make_cfg().redis)
        try:
            await backend.write([Record(key="k", kind=Kind.VALUE, seq=5, value=b"new")])
            await backend.write([Record(key="k", kind=Kind.VALUE, seq=3, value=b"old")])
            await backend.write([Record(key="k", kind=Kind.VALUE, seq=5, value=b"dup")])
            assert (await backend.read("k")).value == b"new"
        finally:
            await backend.aclose()

    async def test_disk_keeps_the_newest_seq(self, tmp_path):
        """The disk copy also ignores older and equal-seq records."""
        disk = await trio.to_thread.run_sync(lambda: DiskBackend.open(tmp_path, tombstone_ttl_s=60))
        try:
            await disk.write([Record(key="k", kind=Kind.SET, seq=5, members=frozenset({"a"}))])
            await disk.write([Record(key="k", kind=Kind.DELETED, seq=4)])
            await disk.write([Record(key="k", kind=Kind.SET, seq=5, members=frozenset({"b"}))])
            assert (await disk.read("k")).members == {"a"}
        finally:
            await disk.aclose()

    async def test_duplicate_stream_entries_are_skipped(self, make_cfg, redis_server):
        """Re-sending stream entries Redis already has adds nothing."""
        backend = RedisBackend.from_config(make_cfg().redis)
        try:
            entries = [("1-0", b"a"), ("2-0", b"b")]
            await backend.stream_add("s", entries, maxlen=10)
            await backend.stream_add("s", entries, maxlen=10)
            assert await backend.stream_range("s", after="0-0", limit=10) == entries
        finally:
            await backend.aclose()
