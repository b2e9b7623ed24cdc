"""A restart with 100,000 conversations on disk: how soon webhooks are journaled again.

The parent writes `N` conversations (bench_data's builder) to a disk store, starts
`python -m jorged` on it once with the bench's Redis (so Redis holds its copy, as
after any earlier run) and stops it; then starts it again and posts a webhook every
20 ms from the moment the process is spawned:

- "first webhook accepted": seconds from spawn to the first 200 (journaled), target
  ≤ 1 s; answers before it are 429 (starting) or a refused connection (the port is
  not yet bound), both counted;
- "ready": seconds from spawn to `/readyz` 200 (every actor up, the index rebuilt).

    python -m bench.run --only restart
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import trio

from bench.bench_data import N, populate
from bench.framework import Context, Row, _free_port

ROOT = Path(__file__).resolve().parent.parent
POLL_S = 0.02
TIMEOUT_S = 300.0


def _env(ctx: Context, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JORGED_")}
    env.update(
        {
            "JORGED_WEB__PORT": str(port),
            "JORGED_STORE__DIR": str(ctx.workdir / "state"),
            "JORGED_CONTROL__SOCKET": str(ctx.workdir / "control.sock"),
            "JORGED_REDIS__URL": ctx.redis.url,
            "JORGED_LOG__LEVEL": "warning",
            "JORGED_LOG__FORMAT": "json",
            "NICEGUI_STORAGE_PATH": str(ctx.workdir / ".nicegui"),
        }
    )
    return env


def _spawn(ctx: Context, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    with (ctx.workdir / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "jorged"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _webhook() -> bytes:
    contact = f"restart-{uuid.uuid4().hex[:10]}"
    return json.dumps(
        {
            "type": "InboundMessage",
            "locationId": "loc-bench",
            "contactId": contact,
            "messageId": f"m-{uuid.uuid4().hex}",
            "messageType": "SMS",
            "direction": "inbound",
            "body": "hi, thinking of selling",
            "dateAdded": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
    ).encode()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], began: float) -> float:
    while time.perf_counter() - began < TIMEOUT_S:
        if proc.poll() is not None:
            msg = f"jorged exited with {proc.returncode}"
            raise RuntimeError(msg)
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(POLL_S)
    msg = f"jorged not ready within {TIMEOUT_S} s"
    raise RuntimeError(msg)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def run(ctx: Context) -> list[Row]:
    trio.run(populate, ctx.workdir / "state", N)
    port = _free_port()
    env = _env(ctx, port)
    url = f"http://127.0.0.1:{port}"
    first = _spawn(ctx, env, "first")
    try:
        _wait_ready(url, first, time.perf_counter())
    finally:
        _stop(first)

    began = time.perf_counter()
    proc = _spawn(ctx, env, "restart")
    refused = starting = 0
    accepted_s: float | None = None
    try:
        with httpx.Client(timeout=10) as http:
            while accepted_s is None and time.perf_counter() - began < TIMEOUT_S:
                try:
                    response = http.post(
                        f"{url}/webhooks/ghl",
                        content=_webhook(),
                        headers={"content-type": "application/json"},
                    )
                except httpx.TransportError:
                    refused += 1
                else:
                    if response.status_code == 200:
                        accepted_s = time.perf_counter() - began
                        break
                    starting += 1
                time.sleep(POLL_S)
        ready_s = _wait_ready(url, proc, began)
    finally:
        _stop(proc)
    if accepted_s is None:
        msg = f"no webhook accepted within {TIMEOUT_S} s"
        raise RuntimeError(msg)
    return [
        Row(
            name=(
                f"restart with {N:,} conversations: first webhook accepted after "
                f"{accepted_s:.2f} s (target ≤ 1 s; {starting} answered 429, "
                f"{refused} refused before)"
            ),
            ops=1,
            seconds=accepted_s,
            unit="restarts/s",
        ),
        Row(
            name=(
                f"restart with {N:,} conversations: ready (index rebuilt) after "
                f"{ready_s:.2f} s"
            ),
            ops=1,
            seconds=ready_s,
            unit="restarts/s",
        ),
    ]
