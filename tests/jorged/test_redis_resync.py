"""The Redis copy is repaired while the daemon runs, after a FLUSHALL or an empty restart."""

from __future__ import annotations

import re

import httpx

from tests.daemon import _make_daemon  # noqa: F401 - the fixture
from tests.jorged.test_conversations_http import (
    API_TOKEN,
    SANDBOX_ENV,
    Client,
    contact_id,
    wait_for,
)

#: Keys of Redis that are not records of the store (seqs, the event stream, the mark,
#: the migration's note), under the default prefix `jorged:`.
MARK, MIGRATED = b"jorged:jorged:mirror", b"jorged:jorged:migrated"
NOT_RECORDS = {b"jorged:jorged:seq", b"jorged:jorged:events", MARK, MIGRATED}
RESYNC_ENV = {**SANDBOX_ENV, "JORGED_REDIS__RESYNC_INTERVAL_S": "0.2"}


def metric(url: str, name: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=5).text
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert found, f"{name} not in /metrics"
    return float(found.group(1))


def copy_of(redis_client) -> dict[bytes, bytes | None]:
    """Every key of Redis, with the value of the string ones."""
    return {
        key: redis_client.get(key) if redis_client.type(key) == b"string" else None
        for key in redis_client.keys("*")
    }


class TestRedisCopyRepaired:
    def test_flushall_while_running(self, make_daemon, redis_server):
        """After FLUSHALL every key comes back within 30 s, counted in /metrics."""
        daemon = make_daemon({**RESYNC_ENV, "JORGED_REDIS__URL": redis_server.url})
        daemon.start(timeout=60)
        client = Client(daemon, api_token=API_TOKEN)
        try:
            for name in ("one", "two", "three"):
                c = contact_id(name)
                client.say(c, "hi, thinking of selling")
                client.say(c, "divorce")
            with redis_server.client() as r:
                before = wait_for(
                    "a settled Redis copy",
                    lambda: (a := copy_of(r)) == copy_of(r) and a,
                )
                assert any(k.startswith(b"jorged:seller:state:") for k in before)
                resyncs = metric(daemon.url, "jorged_redis_resyncs_total")
                r.flushall()

                def complete() -> bool:
                    now = copy_of(r)
                    return all(
                        k in now and (v is None or now[k] == v)
                        for k, v in before.items()
                        if k not in (MARK, MIGRATED)
                    )

                wait_for("the Redis copy to be complete again", complete, timeout=30)
            assert metric(daemon.url, "jorged_redis_resyncs_total") == resyncs + 1
            records = [k for k in before if k not in NOT_RECORDS]
            written = metric(daemon.url, "jorged_redis_resync_keys_total")
            assert written >= len(records)
            # Replies go on meanwhile and afterwards.
            c = contact_id("after")
            assert client.say(c, "hello")[0].startswith("Hey, it's Jorge.")
        finally:
            client.close()
        assert daemon.terminate() == 0
