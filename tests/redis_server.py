"""A real redis-server for the test session, on a free port, that tests may stop and restart."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from bench.framework import RedisProcess, _free_port

#: One redis-server process: `stop()` and `start()` simulate an outage. The same
#: class starts the benchmarks' Redis (bench/ must not need pytest).
RedisServer = RedisProcess


def free_port() -> int:
    return _free_port()


@pytest.fixture(scope="session", name="redis_server_session")
def _redis_server_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (make test installs it)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(name="redis_server")
def _redis_server(redis_server_session: RedisServer) -> Iterator[RedisServer]:
    """The session's redis-server, running and empty at the start of the test."""
    if not redis_server_session.running:
        redis_server_session.start()
    with redis_server_session.client() as c:
        c.flushall()
    yield redis_server_session
    if not redis_server_session.running:
        redis_server_session.start()
