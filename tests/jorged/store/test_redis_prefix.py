"""`redis.key_prefix`: every key and stream under it; the old bare names moved once."""

from __future__ import annotations

import json

import attrs
import pytest
from structlog.testing import capture_logs

from jorged.actors.event_bus import STREAM_KEY
from jorged.actors.outbox.items import PENDING_SET, item_key
from jorged.actors.seller.inbox import ACTIVE_SET, state_key, tags_key
from jorged.actors.seller.llm_turns import cache_key
from jorged.actors.seller.scheduler import FOLLOWUPS, STALLS
from jorged.actors.seller.seller_actor import STALL_CHECKS_SET
from jorged.actors.tracker import SNAPSHOT_KEY
from jorged.config import Config, RedisConfig
from jorged.domain.reading import Context
from jorged.exceptions import ConfigError
from jorged.exports.files import AUDIT_STREAM
from jorged.store import open_durable_store
from jorged.store.redis_keys import KNOWN_STREAMS, is_record_key
from jorged.web.bridge_port import PRESETS_KEY

from .conftest import MakeConfig


def prefixed(make_cfg: MakeConfig, name: str, prefix: str) -> Config:
    """The test config of state dir `name`, with Redis keys under `prefix`."""
    cfg = make_cfg(name)
    return attrs.evolve(cfg, redis=attrs.evolve(cfg.redis, key_prefix=prefix))


async def fill(cfg: Config, text: bytes) -> None:
    """A value, a set, a sorted set and a stream, as a daemon writes them."""
    async with open_durable_store(cfg) as store:
        await store.put("seller:state:C1", text)
        await store.set_add("seller:active_contacts", "C1")
        await store.zset_add("followups", "C1", 5.0)
        await store.stream_append("jorged:events", text, maxlen=10)


class TestPrefix:
    async def test_every_key_is_under_the_prefix(self, make_cfg, redis_server):
        """Records, their seqs and streams live under the prefix; "" keeps bare names."""
        await fill(prefixed(make_cfg, "p", "jorged:"), b"mine")
        await fill(make_cfg(), b"bare")
        with redis_server.client() as c:
            bare = {"jorged:seq", "jorged:events", "jorged:mirror"}
            mine = {k.decode() for k in c.keys("jorged:*")} - bare
            assert mine == {
                "jorged:seller:state:C1",
                "jorged:seller:active_contacts",
                "jorged:followups",
                "jorged:jorged:events",
                "jorged:jorged:seq",
                "jorged:jorged:migrated",
                "jorged:jorged:mirror",
            }
            assert c.get("jorged:seller:state:C1") == b"mine"
            assert c.get("seller:state:C1") == b"bare"

    async def test_two_daemons_do_not_see_each_other(self, make_cfg, redis_server):
        """Stores with different prefixes on one Redis keep apart, even on fresh disks."""
        await fill(prefixed(make_cfg, "a", "loc1:"), b"one")
        await fill(prefixed(make_cfg, "b", "loc1:loc2:"), b"two")
        for prefix, text in [("loc1:", b"one"), ("loc1:loc2:", b"two")]:
            cfg = prefixed(make_cfg, f"fresh-{prefix}", prefix)
            async with open_durable_store(cfg) as store:
                assert store.statistics().reconciled_from_redis == 3
                assert await store.get("seller:state:C1") == text
                tail = await store.stream_tail("jorged:events", count=5)
                assert [d for _, d in tail] == [text]

    async def test_foreign_keys_are_never_read(self, make_cfg, redis_server):
        """Another program's jorged-looking keys, bare or under its prefix, stay unread."""
        with redis_server.client() as c:
            c.set("acme:seller:state:X", b"foreign")
            c.hset("acme:jorged:seq", "acme:seller:state:X", 99)
            c.set("seller:state:Y", b"foreign, no seq")
            c.xadd("acme:jorged:events", {"d": b"foreign"})
        async with open_durable_store(prefixed(make_cfg, "s", "jorged:")) as store:
            stats = store.statistics()
            assert (stats.reconciled_from_redis, stats.reconciled_to_redis) == (0, 0)
            assert await store.get("seller:state:X") is None
            assert await store.get("seller:state:Y") is None
            assert await store.disk.stream_names() == []
        with redis_server.client() as c:
            assert c.get("seller:state:Y") == b"foreign, no seq"
            assert c.get("acme:seller:state:X") == b"foreign"

    async def test_a_set_change_is_sent_as_a_change(self, make_cfg, redis_server):
        """Set changes under a prefix apply to the prefixed set, whole or as a delta."""
        cfg = prefixed(make_cfg, "d", "t:")
        async with open_durable_store(cfg) as store:
            await store.set_add("seller:active_contacts", "a", "b")
            await store.set_remove("seller:active_contacts", "a")
            await store.set_add("seller:active_contacts", "c")
        with redis_server.client() as c:
            assert c.smembers("t:seller:active_contacts") == {b"b", b"c"}
            assert not c.exists("seller:active_contacts")


class TestMigration:
    async def test_bare_keys_move_once(self, make_cfg, redis_server):
        """Keys written before the prefix move under it, once, with seqs and TTLs."""
        await fill(make_cfg("old"), b"old")
        with redis_server.client() as c:
            c.expire("seller:state:C1", 3600)
        cfg = prefixed(make_cfg, "new", "jorged:")
        with capture_logs() as logs:
            async with open_durable_store(cfg) as store:
                assert await store.get("seller:state:C1") == b"old"
                with redis_server.client() as c:
                    assert 3500 < c.ttl("jorged:seller:state:C1") <= 3600
                await store.put("seller:state:C1", b"newer")
        moved = [e for e in logs if e["event"] == "store_keys_migrated"]
        assert [(e["moved"], e["kept"]) for e in moved] == [(4, 0)]
        with redis_server.client() as c:
            assert c.keys("seller:*") == []
            assert c.hkeys("jorged:seq") == []
            assert c.get("jorged:seller:state:C1") == b"newer"
            assert c.xlen("jorged:jorged:events") == 1
            assert json.loads(c.get("jorged:jorged:migrated"))["moved"] == 4

    async def test_second_start_does_not_migrate_again(self, make_cfg, redis_server):
        """Bare keys appearing after the recorded run are left where they are."""
        await fill(prefixed(make_cfg, "p", "jorged:"), b"mine")
        await fill(make_cfg("late"), b"late")
        async with open_durable_store(prefixed(make_cfg, "p", "jorged:")) as store:
            assert await store.get("seller:state:C1") == b"mine"
        with redis_server.client() as c:
            assert c.get("seller:state:C1") == b"late"
            assert c.get("jorged:seller:state:C1") == b"mine"

    async def test_taken_names_and_foreign_keys_are_left(self, make_cfg, redis_server):
        """An old key whose prefixed name exists, and keys not jorged's, stay put."""
        with redis_server.client() as c:
            c.set("jorged:seller:state:C1", b"current")
            c.set("seller:state:C1", b"stale")
            c.hset("jorged:seq", mapping={"seller:state:C1": 1, "session:9": 1})
            c.set("session:9", b"another program's")
        async with open_durable_store(prefixed(make_cfg, "p", "jorged:")) as store:
            assert await store.get("session:9") is None
        with redis_server.client() as c:
            assert c.get("seller:state:C1") == b"stale"
            assert c.get("jorged:seller:state:C1") == b"current"
            assert c.get("session:9") == b"another program's"
            migrated = json.loads(c.get("jorged:jorged:migrated"))
            assert (migrated["moved"], migrated["kept"]) == (0, 1)


class TestKnownNames:
    def test_every_record_name_is_known(self):
        """The migration's patterns cover every record name the daemon writes."""
        names = [
            state_key("C"),
            tags_key("C"),
            ACTIVE_SET,
            STALL_CHECKS_SET,
            item_key("C:1:0"),
            PENDING_SET,
            FOLLOWUPS,
            STALLS,
            SNAPSHOT_KEY,
            "lead:analysis:C",
            "lead:input:C",
            "lead:llm:abc",
            cache_key("model", "text", Context()),
            PRESETS_KEY.format(user="jorge"),
        ]
        assert [n for n in names if not is_record_key(n)] == []
        assert not is_record_key("session:9")

    def test_every_stream_is_known(self):
        """The streams the daemon writes are the ones read back from Redis."""
        assert set(KNOWN_STREAMS) == {STREAM_KEY, AUDIT_STREAM}


class TestConfig:
    @pytest.mark.parametrize("prefix", ["", "jorged:", "jorged:loc-1:", "a.b_c:"])
    def test_valid(self, prefix):
        """Empty, or parts ending with ':' are accepted."""
        assert RedisConfig(key_prefix=prefix).key_prefix == prefix

    @pytest.mark.parametrize("prefix", ["jorged", "a*:", "a b:", ":", "x" * 70 + ":"])
    def test_invalid(self, prefix):
        """Anything else is refused, naming the setting."""
        with pytest.raises(ValueError, match=r"^key_prefix: must be empty or parts"):
            RedisConfig(key_prefix=prefix)

    def test_loaded_config_names_the_section(self, tmp_path):
        """From a file, the error names redis.key_prefix."""
        from jorged.config import load

        path = tmp_path / "jorged.toml"
        path.write_text('[redis]\nkey_prefix = "no colon"\n')
        with pytest.raises(ConfigError) as info:
            load(path, env={})
        assert any("redis.key_prefix" in m for m in info.value.messages)
