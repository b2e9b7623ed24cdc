"""Two daemons with different `redis.key_prefix` on one real Redis, over HTTP."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.daemon import DaemonProcess, daemon_env
from tests.redis_server import RedisServer, free_port


def start(workdir: Path, redis: RedisServer, prefix: str) -> DaemonProcess:
    """A sandbox daemon on its own state dir, keeping its Redis keys under `prefix`."""
    workdir.mkdir(parents=True)
    env = {
        "JORGED_REDIS__URL": redis.url,
        "JORGED_REDIS__KEY_PREFIX": prefix,
        "JORGED_SELLER__BATCH_WINDOW_S": "0.1",
    }
    port = free_port()
    daemon = DaemonProcess(workdir, daemon_env(workdir, port, env), port)
    daemon.start(timeout=60)
    return daemon


def conversation(daemon: DaemonProcess, contact: str) -> int:
    """The status of `GET /api/conversations/<contact>` (loopback needs no token)."""
    return httpx.get(f"{daemon.url}/api/conversations/{contact}").status_code


def text_from(daemon: DaemonProcess, contact: str) -> None:
    """An inbound SMS webhook from `contact`, then wait until its conversation exists."""
    payload = {
        "type": "InboundMessage",
        "locationId": "loc",
        "contactId": contact,
        "messageId": uuid.uuid4().hex,
        "messageType": "SMS",
        "direction": "inbound",
        "body": "thinking about selling my house",
        "dateAdded": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    response = httpx.post(f"{daemon.url}/webhooks/ghl", json=payload)
    assert response.status_code == 200, response.text
    deadline = time.monotonic() + 20
    while conversation(daemon, contact) != 200:
        if time.monotonic() > deadline:
            pytest.fail(f"no conversation for {contact}:\n{daemon.output()}")
        time.sleep(0.05)


def test_daemons_keep_apart(tmp_path: Path, redis_server: RedisServer):
    """A daemon on a fresh disk does not read the records another prefix holds."""
    contact = f"c-{uuid.uuid4().hex[:8]}"
    first = start(tmp_path / "loc1", redis_server, "loc1:")
    text_from(first, contact)
    assert first.terminate() == 0
    other = start(tmp_path / "loc2", redis_server, "loc2:")
    try:
        assert conversation(other, contact) == 404
    finally:
        assert other.terminate() == 0
    with redis_server.client() as c:
        assert c.exists(f"loc1:seller:state:{contact}")
        assert not c.exists(f"seller:state:{contact}")
