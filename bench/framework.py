"""What benchmark modules share: rows, timing, percentiles and a private redis-server."""

from __future__ import annotations

import resource
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import redis


def percentile(samples: list[float], q: float) -> float:
    """The exact `q` percentile (0-100) of `samples`, linearly interpolated."""
    if not samples:
        msg = "percentile of an empty sample list"
        raise ValueError(msg)
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@attrs.frozen(kw_only=True)
class Row:
    """One measured line of the table; `baseline` names the row it is compared to."""

    name: str
    ops: int
    seconds: float
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    peak_rss_mb: float = attrs.field(factory=peak_rss_mb)
    baseline: str | None = None
    unit: str = "ops/s"

    @property
    def throughput(self) -> float:
        return self.ops / self.seconds if self.seconds > 0 else float("inf")


def row_from_latencies(
    name: str, latencies_s: list[float], seconds: float, *, baseline: str | None = None
) -> Row:
    """A row from per-operation latencies (seconds) and the loop's wall time."""
    return Row(
        name=name,
        ops=len(latencies_s),
        seconds=seconds,
        p50_ms=percentile(latencies_s, 50) * 1000,
        p95_ms=percentile(latencies_s, 95) * 1000,
        p99_ms=percentile(latencies_s, 99) * 1000,
        baseline=baseline,
    )


def measure_sync(
    name: str, n: int, op: Callable[[int], object], *, baseline: str | None = None
) -> Row:
    """Call `op(i)` for i in range(n), timing each call."""
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        op(i)
        latencies.append(time.perf_counter() - t0)
    return row_from_latencies(
        name, latencies, time.perf_counter() - started, baseline=baseline
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@attrs.define
class RedisProcess:
    """A throwaway redis-server on a free port (no persistence); stop/start at will."""

    workdir: Path
    port: int = attrs.field(factory=_free_port)
    _proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            msg = "redis-server is not installed"
            raise RuntimeError(msg)
        self._proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with self.client() as c:
                    if c.ping():
                        return
            except redis.ConnectionError:
                time.sleep(0.02)
        msg = f"redis-server did not start on port {self.port}"
        raise RuntimeError(msg)

    @property
    def running(self) -> bool:
        return self._proc is not None

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(10)
            self._proc = None

    def version(self) -> str:
        with self.client() as c:
            return str(c.info("server")["redis_version"])


@contextmanager
def running_redis(workdir: Path) -> Iterator[RedisProcess]:
    workdir.mkdir(parents=True, exist_ok=True)
    server = RedisProcess(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@attrs.frozen(kw_only=True)
class Context:
    """What `run(ctx)` gets: a private Redis, a scratch directory, and the size knob."""

    redis: RedisProcess
    workdir: Path
    n: int
