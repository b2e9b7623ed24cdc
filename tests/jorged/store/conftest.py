from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import trio

from jorged.config import Config, RedisConfig, StoreConfig

MakeConfig = Callable[..., Config]


def make_config(directory: Path, url: str, *, enabled: bool = True) -> Config:
    """A config with short Redis timeouts and a fast breaker, for tests."""
    return Config(
        store=StoreConfig(dir=str(directory)),
        redis=RedisConfig(
            enabled=enabled,
            url=url,
            connect_timeout_s=0.25,
            socket_timeout_s=0.5,
            breaker_cooldown_s=0.05,
            breaker_max_cooldown_s=0.4,
            resync_interval_s=0.05,
            # These tests look at Redis by the bare names; test_redis_prefix.py
            # covers the prefix.
            key_prefix="",
        ),
    )


@pytest.fixture(name="make_cfg")
def _make_cfg(tmp_path: Path, redis_server) -> MakeConfig:
    def make(name: str = "state", *, enabled: bool = True) -> Config:
        return make_config(tmp_path / name, redis_server.url, enabled=enabled)

    return make


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll `predicate` until it holds (real time, bounded)."""
    with trio.fail_after(timeout):
        while not predicate():
            await trio.sleep(0.01)
