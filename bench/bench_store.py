"""DurableStore put/get with Redis up and down, the resync rate, and raw baselines."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import diskcache
import orjson
import trio

from bench.framework import Context, Row, measure_sync, row_from_latencies
from jorged.config import Config, RedisConfig, StoreConfig
from jorged.store import open_durable_store
from jorged.store.redis_keys import migrate_unprefixed

VALUE = orjson.dumps(
    {
        "kind": "seller_state",
        "schema": 1,
        "data": {
            "contact_id": "c-000123",
            "stage": "timeline",
            "slots": {"motivation": "relocating", "price": "450000"},
            "messages": 7,
        },
    }
)  # a small stored conversation state, about 160 bytes


async def measure_async(
    name: str,
    n: int,
    op: Callable[[int], Awaitable[object]],
    *,
    baseline: str | None = None,
) -> Row:
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        await op(i)
        latencies.append(time.perf_counter() - t0)
    return row_from_latencies(
        name, latencies, time.perf_counter() - started, baseline=baseline
    )


async def measure_concurrent(
    name: str,
    n: int,
    tasks: int,
    op: Callable[[int], Awaitable[object]],
    *,
    baseline: str | None = None,
) -> Row:
    latencies: list[float] = []

    async def worker(first: int) -> None:
        for i in range(first, n, tasks):
            t0 = time.perf_counter()
            await op(i)
            latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for first in range(tasks):
            nursery.start_soon(worker, first)
    return row_from_latencies(
        name, latencies, time.perf_counter() - started, baseline=baseline
    )


def baselines(ctx: Context) -> list[Row]:
    n = ctx.n
    rows = []
    with ctx.redis.client() as c:
        rows.append(
            measure_sync("redis-py SET", n, lambda i: c.set(f"base:{i}", VALUE))
        )
        rows.append(measure_sync("redis-py GET", n, lambda i: c.get(f"base:{i}")))
        c.flushall()
    with diskcache.Cache(
        str(ctx.workdir / "dc-normal"), eviction_policy="none"
    ) as cache:
        rows.append(
            measure_sync("diskcache set", n, lambda i: cache.set(f"base:{i}", VALUE))
        )
        rows.append(measure_sync("diskcache get", n, lambda i: cache.get(f"base:{i}")))
    with diskcache.Cache(
        str(ctx.workdir / "dc-full"), eviction_policy="none", sqlite_synchronous=2
    ) as cache:
        rows.append(
            measure_sync(
                "diskcache set (sync FULL)", n, lambda i: cache.set(f"base:{i}", VALUE)
            )
        )
    return rows


async def durable(ctx: Context) -> list[Row]:
    n = ctx.n
    cfg = Config(
        store=StoreConfig(dir=str(ctx.workdir / "state")),
        redis=RedisConfig(
            url=ctx.redis.url,
            breaker_cooldown_s=0.05,
            breaker_max_cooldown_s=0.2,
            resync_interval_s=0.05,
        ),
    )
    rows = []
    async with open_durable_store(cfg) as store, trio.open_nursery() as nursery:
        await nursery.start(store.run)

        async def put(i: int) -> None:
            await store.put(f"seller:state:{i}", VALUE)

        async def get(i: int) -> None:
            await store.get(f"seller:state:{i}")

        rows.append(
            await measure_async(
                "DurableStore put, redis up", n, put, baseline="redis-py SET"
            )
        )
        rows.append(
            await measure_async(
                "DurableStore get, redis up", n, get, baseline="diskcache get"
            )
        )
        rows.append(
            await measure_concurrent(
                "DurableStore put x8 tasks, redis up",
                n,
                8,
                put,
                baseline="DurableStore put, redis up",
            )
        )
        ctx.redis.stop()
        rows.append(
            await measure_async(
                "DurableStore put, redis down",
                n,
                put,
                baseline="diskcache set (sync FULL)",
            )
        )
        rows.append(
            await measure_async(
                "DurableStore get, redis down", n, get, baseline="diskcache get"
            )
        )
        backlog = store.statistics().backlog
        started = time.perf_counter()
        ctx.redis.start()
        with trio.fail_after(60):
            while not (store.statistics().redis_up and store.statistics().backlog == 0):
                await trio.sleep(0.002)
        rows.append(
            Row(
                name="resync after outage (restarted redis)",
                ops=backlog,
                seconds=time.perf_counter() - started,
                unit="records/s",
            )
        )
        nursery.cancel_scope.cancel()
    with ctx.redis.client() as c:
        stored = c.get(f"{cfg.redis.key_prefix}seller:state:{n - 1}")
    if stored != VALUE:
        msg = "resync did not bring the last record back to Redis"
        raise RuntimeError(msg)
    return rows


def key_migration(ctx: Context) -> list[Row]:
    """Moving `n` records written before `redis.key_prefix` existed under it."""
    n = ctx.n
    with ctx.redis.client() as c:
        c.flushall()
        pipe = c.pipeline(transaction=False)
        for i in range(n):
            pipe.set(f"seller:state:m{i}", VALUE)
            pipe.hset("jorged:seq", f"seller:state:m{i}", i + 1)
        pipe.execute()
        started = time.perf_counter()
        done = migrate_unprefixed(c, "jorged:")
        seconds = time.perf_counter() - started
        c.flushall()
    if done.moved != n:
        msg = f"the migration moved {done.moved} of {n} records"
        raise RuntimeError(msg)
    return [
        Row(
            name="redis key prefix migration",
            ops=n,
            seconds=seconds,
            unit="records/s",
        )
    ]


def run(ctx: Context) -> list[Row]:
    return baselines(ctx) + trio.run(durable, ctx) + key_migration(ctx)
