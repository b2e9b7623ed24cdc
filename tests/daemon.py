"""Start the real daemon (`python -m jorged`) in a subprocess for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs
import httpx
import pytest

from tests.redis_server import free_port


@attrs.define
class DaemonProcess:
    """A running `jorged`, its port, state dir and control socket."""

    workdir: Path
    env: dict[str, str]
    port: int
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def socket(self) -> Path:
        return self.workdir / "run" / "control.sock"

    def start(self, *, wait_ready: bool = True, timeout: float = 30.0) -> None:
        self.log_path = self.workdir / f"daemon-{int(time.time() * 1000)}.log"
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jorged"],
            cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        if wait_ready:
            self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                pytest.fail(f"jorged exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        pytest.fail(f"jorged not ready within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jorged.control.cli", "--socket", str(self.socket),
             *args],
            env=self.env, capture_output=True, text=True, timeout=60, check=False,
        )

    def ctl_json(self, *args: str) -> dict:
        done = self.ctl("--json", *args)
        assert done.returncode == 0, done.stderr + done.stdout
        return json.loads(done.stdout)

    def terminate(self, timeout: float = 15.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None


def daemon_env(workdir: Path, port: int, extra: Mapping[str, str] | None = None
               ) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JORGED_", "NOTIFY_SOCKET", "WATCHDOG_"))}
    env.update({
        "JORGED_WEB__PORT": str(port),
        "JORGED_STORE__DIR": str(workdir / "state"),
        "JORGED_CONTROL__SOCKET": str(workdir / "run" / "control.sock"),
        "JORGED_LOG__FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
        "NICEGUI_STORAGE_PATH": str(workdir / ".nicegui"),
    })
    if not any(k.startswith("JORGED_REDIS__") for k in extra or {}):
        # Never the machine's shared Redis (127.0.0.1:6379, the default): what a
        # test writes there would show up in the next `make run`.
        env["JORGED_REDIS__ENABLED"] = "false"
    env.update(extra or {})
    return env


@pytest.fixture(name="make_daemon")
def _make_daemon(tmp_path: Path) -> Iterator[object]:
    """A factory: `make_daemon(**env)` returns a stopped DaemonProcess."""
    made: list[DaemonProcess] = []

    def make(extra: Mapping[str, str] | None = None) -> DaemonProcess:
        port = free_port()
        d = DaemonProcess(tmp_path, daemon_env(tmp_path, port, extra), port)
        made.append(d)
        return d

    yield make
    for d in made:
        if d.proc is not None:
            d.kill()
