"""A full disk under the real daemon: 429 and a critical alert, then recovery by itself.

Each test mounts a small tmpfs (a real filesystem that really fills up) as the
state directory, runs `python -m jorged` on it, fills it with a file, and frees it
again. Mounting needs root: the tests are skipped, with that reason, otherwise.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.daemon import DaemonProcess, daemon_env
from tests.jorged.test_conversations_http import (
    API_TOKEN,
    SANDBOX_ENV,
    Client,
    contact_id,
    wait_for,
)
from tests.redis_server import free_port

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a tmpfs for the full disk needs root"
)

DISK_ENV = {
    **SANDBOX_ENV,
    "JORGED_REDIS__ENABLED": "false",
    "JORGED_MONITOR__INTERVAL_S": "0.3",
    # Quick restarts and a low restart limit: an actor that crashed on the full
    # disk instead of waiting would take the daemon down within the test.
    "JORGED_SUPERVISE__BACKOFF_INITIAL_S": "0.05",
    "JORGED_SUPERVISE__BACKOFF_MAX_S": "0.2",
    "JORGED_SUPERVISE__MAX_RESTARTS": "3",
    # Acknowledged before the disk fills, handled after: the seller's writes fail.
    "JORGED_SELLER__BATCH_WINDOW_S": "1.0",
}
#: How long the disk stays full while the daemon must stay up.
FULL_FOR_S = 4.0


@pytest.fixture(name="small_disk")
def _small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs mounted for the test, unmounted after it whatever happened."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mount)],
        check=True,
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the filesystem has no space left; the file."""
    filler = disk / "filler"
    for size in (65536, 512):  # big blocks, then the last partial one
        with filler.open("ab", buffering=0) as f, pytest.raises(OSError) as raised:
            _write_forever(f.write, b"\0" * size)
        assert raised.value.errno == errno.ENOSPC
    return filler


def _write_forever(write: Callable[[bytes], object], block: bytes) -> None:
    while True:
        write(block)


def start(workdir: Path, disk: Path, *, wait_ready: bool = True) -> DaemonProcess:
    env = daemon_env(workdir, free_port(), {**DISK_ENV})
    env["JORGED_STORE__DIR"] = str(disk / "state")
    daemon = DaemonProcess(workdir, env, int(env["JORGED_WEB__PORT"]))
    daemon.start(wait_ready=wait_ready, timeout=60)
    return daemon


def post_until(
    client: Client, contact: str, text: str, status: int
) -> tuple[httpx.Response, str]:
    """Post one message, again as GHL retries it, until it is answered `status`;
    the answer and the message id."""
    payload = client.inbound(contact, text)

    def attempt() -> httpx.Response | None:
        response = client.post(payload)
        return response if response.status_code == status else None

    answer = wait_for(f"a webhook answered {status}", attempt, timeout=30)
    return answer, payload["messageId"]


def alive_for(daemon: DaemonProcess, seconds: float) -> None:
    """The process stays up and /healthz answers for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert daemon.proc is not None
        assert daemon.proc.poll() is None, daemon.output()[-3000:]
        assert httpx.get(f"{daemon.url}/healthz", timeout=5).status_code == 200
        time.sleep(0.2)


class TestDiskFull:
    def test_refuses_then_recovers_without_restart(self, tmp_path, small_disk):
        """Full disk: 429 + Retry-After, a critical alert, nothing acknowledged lost."""
        daemon = start(tmp_path, small_disk)
        client = Client(daemon, api_token=API_TOKEN)
        acked: list[tuple[str, str]] = []
        try:
            pid = daemon.ctl_json("status")["pid"]
            for _ in range(5):
                c = contact_id("before")
                acked.append((c, client.text(c, "hi, thinking of selling")))
            filler = fill(small_disk)

            refused, _ = post_until(client, contact_id("full"), "hello?", 429)
            assert refused.headers["retry-after"].isdigit()
            assert "disk" in refused.json()["error"]

            def critical() -> list[dict] | None:
                alerts = daemon.ctl_json("alerts")["active_alerts"]
                found = [a for a in alerts if a["check"] == "disk_write"]
                return found if found and found[0]["level"] == "critical" else None

            (alert,) = wait_for("the critical disk alert", critical)
            assert "cannot be written" in alert["message"]
            alive_for(daemon, FULL_FOR_S)
            not_ready = httpx.get(f"{daemon.url}/readyz", timeout=5)
            assert not_ready.status_code == 503
            assert "disk is full" in not_ready.json()["disk_write_error"]
            # Still full: still refused, nothing acknowledged.
            again = client.post(client.inbound(contact_id("full"), "anyone?"))
            assert again.status_code == 429

            filler.unlink()
            c = contact_id("after")
            accepted, message_id = post_until(client, c, "divorce, need to move", 200)
            assert accepted.json() == {"status": "accepted"}
            acked.append((c, message_id))
            for contact, message_id in acked:
                client.handled(contact, message_id)
            wait_for(
                "the disk alert to end",
                lambda: (
                    not any(
                        a["check"] == "disk_write"
                        for a in daemon.ctl_json("alerts")["active_alerts"]
                    )
                ),
            )
            status = daemon.ctl_json("status")
            assert status["pid"] == pid
            assert all(a["state"] == "running" for a in status["actors"])
            assert "actor_gave_up" not in daemon.output()
        finally:
            client.close()
            if daemon.proc is not None:
                daemon.kill()

    def test_start_on_a_full_disk(self, tmp_path, small_disk):
        """Started on a full disk: /healthz 200, webhooks 429, then ready with space."""
        first = start(tmp_path, small_disk)
        client = Client(first, api_token=API_TOKEN)
        c = contact_id("earlier")
        try:
            client.handled(c, client.text(c, "hi there"))
            assert first.terminate() == 0
        finally:
            client.close()
            if first.proc is not None:
                first.kill()
        filler = fill(small_disk)
        daemon = start(tmp_path, small_disk, wait_ready=False)
        client = Client(daemon, api_token=API_TOKEN)
        try:
            wait_for(
                "/healthz",
                lambda: _get(daemon, "/healthz") == 200,
            )
            refused, _ = post_until(client, c, "still there?", 429)
            assert refused.headers["retry-after"].isdigit()
            ready = httpx.get(f"{daemon.url}/readyz", timeout=5)
            assert ready.status_code == 503
            assert ready.json()["disk_write_error"]
            alive_for(daemon, FULL_FOR_S)

            filler.unlink()
            accepted, message_id = post_until(client, c, "divorce", 200)
            assert accepted.json() == {"status": "accepted"}
            wait_for("ready", lambda: _get(daemon, "/readyz") == 200)
            view = client.handled(c, message_id)
            assert view["slots"]["motivation"] == "divorce"
        finally:
            client.close()
            if daemon.proc is not None:
                daemon.kill()


def _get(daemon: DaemonProcess, path: str) -> int:
    try:
        return httpx.get(f"{daemon.url}{path}", timeout=2).status_code
    except httpx.HTTPError:
        return 0
