"""A writer process killed with SIGKILL loses none of the writes it acknowledged."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import trio

from jorged.store import open_durable_store

from .conftest import make_config

ROOT = Path(__file__).resolve().parents[3]

WRITER = """
import sys, trio
from tests.jorged.store.conftest import make_config
from jorged.store import open_durable_store

async def main(directory, url, enabled):
    cfg = make_config(__import__("pathlib").Path(directory), url, enabled=enabled == "1")
    async with open_durable_store(cfg) as store:
        i = 0
        while True:
            await store.put(f"seller:state:{i}", b"v%d" % i)
            await store.set_add("seller:active_contacts", str(i))
            seq = await store.inbound.append(b"w%d" % i)
            print(f"ack {i} {seq}", flush=True)
            i += 1

trio.run(main, *sys.argv[1:])
"""


def run_and_kill(directory: Path, url: str, *, enabled: bool, acks: int = 40) -> list[tuple[int, int]]:
    """Start the writer, SIGKILL it after `acks` acknowledgements; every ack it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(directory), url, "1" if enabled else "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines = []
    deadline = time.monotonic() + 30
    try:
        while sum(x.startswith("ack ") for x in lines) < acks and time.monotonic() < deadline:
            line = proc.stdout.readline().decode()
            if not line:
                break
            lines.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    lines.extend(rest.decode().splitlines(keepends=True))
    acked = [(int(m[1]), int(m[2])) for line in lines if (m := re.match(r"^ack (\d+) (\d+)\n$", line))]
    assert len(acked) >= acks, f"writer acknowledged only {len(acked)} writes"
    return acked


async def read_back(cfg) -> tuple[dict[int, bytes | None], frozenset[str], list[bytes]]:
    async with open_durable_store(cfg) as store:
        active = await store.set_members("seller:active_contacts")
        values = {int(k.rpartition(":")[2]): v for k, v in await store.scan("seller:state:")}
        pending = [d for _, d in await store.inbound.pending(limit=100_000)]
    return values, active, pending


class TestKilledWriter:
    @pytest.mark.parametrize("enabled", [True, False], ids=["with-redis", "disk-only"])
    def test_acknowledged_writes_survive_sigkill(self, tmp_path, redis_server, enabled):
        """Every write acknowledged before SIGKILL is there when the store reopens."""
        acked = run_and_kill(tmp_path, redis_server.url, enabled=enabled)
        cfg = make_config(tmp_path, redis_server.url, enabled=enabled)
        values, active, pending = trio.run(read_back, cfg)
        for i, _seq in acked:
            assert values[i] == b"v%d" % i
            assert str(i) in active
            assert b"w%d" % i in pending

    def test_acknowledged_writes_reach_redis_after_reopen(self, tmp_path, redis_server):
        """After a SIGKILL and a reopen, Redis holds every acknowledged write."""
        acked = run_and_kill(tmp_path, redis_server.url, enabled=True)
        trio.run(read_back, make_config(tmp_path, redis_server.url))
        with redis_server.client() as c:
            missing = [i for i, _ in acked if c.get(f"seller:state:{i}") != b"v%d" % i]
            active = c.smembers("seller:active_contacts")
        assert missing == []
        assert {str(i).encode() for i, _ in acked} <= active
