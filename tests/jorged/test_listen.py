"""The web port across restarts: taken from systemd (fd 3) or bound first, never refused."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from jorged.web.listen import bind, inherited_socket
from tests.daemon import DaemonProcess, daemon_env
from tests.jorged.test_conversations_http import (
    API_TOKEN,
    SANDBOX_ENV,
    Client,
    contact_id,
    wait_for,
)
from tests.redis_server import free_port


class TestInheritedSocket:
    def test_only_for_this_process(self):
        """LISTEN_PID naming another process: no socket taken, the variables gone."""
        env = {"LISTEN_FDS": "1", "LISTEN_PID": "1", "LISTEN_FDNAMES": "web"}
        assert inherited_socket(env, pid=os.getpid()) is None
        assert env == {}

    def test_none_without_systemd(self):
        assert inherited_socket({}, pid=os.getpid()) is None

    def test_bind_listens(self):
        sock = bind("127.0.0.1", 0)
        try:
            port = sock.getsockname()[1]
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                pass  # accepted by the kernel's backlog
        finally:
            sock.close()


class TestSocketActivation:
    def test_serves_on_the_socket_systemd_passes(self, tmp_path):
        """A socket bound before the daemon, passed as fd 3 with LISTEN_FDS/LISTEN_PID:
        every request from the first on is answered (429 while starting, then 200)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        configured = free_port()  # what the daemon would bind without systemd
        env = daemon_env(tmp_path, configured, {**SANDBOX_ENV})
        env["LISTEN_FDS"] = "1"
        # What systemd does: the socket as fd 3, LISTEN_PID the daemon's own pid
        # (`exec` keeps the shell's pid for python).
        fd = sock.fileno()

        def as_fd_3() -> None:
            os.dup2(fd, 3)

        with (tmp_path / "daemon.log").open("wb") as log:
            proc = subprocess.Popen(
                ["/bin/sh", "-c", 'export LISTEN_PID=$$; exec "$0" -m jorged',
                 sys.executable],
                cwd=tmp_path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=as_fd_3,  # noqa: PLW1509 - the fd must be 3 in the child
                pass_fds=(3,),
            )
        sock.close()  # the daemon holds it now
        daemon = DaemonProcess(tmp_path, env, port, proc=proc)
        daemon.log_path = tmp_path / "daemon.log"
        client = Client(daemon, api_token=API_TOKEN)
        c = contact_id("activated")
        payload = client.inbound(c, "hi, thinking of selling")
        answers: list[int] = []
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                response = client.post(payload)  # a refused connection raises
                answers.append(response.status_code)
                if response.status_code == 200:
                    break
                assert response.status_code == 429, response.text
                assert response.headers["retry-after"].isdigit()
                time.sleep(0.05)
            assert answers[-1] == 200, answers
            # The dashboard mounts behind the webhooks: "starting" until it is there.
            page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
            assert page.status_code in {200, 503}
            if page.status_code == 503:
                assert page.headers["retry-after"] == "1"
                assert "starting" in page.text
            wait_for("the dashboard", lambda: _status(port, "/") == 200, timeout=60)
            client.handled(c, payload["messageId"])
            wait_for("ready", lambda: _status(port, "/readyz") == 200, timeout=60)
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", configured), timeout=1).close()
        finally:
            client.close()
            proc.terminate()
            assert proc.wait(15) == 0, daemon.output()[-3000:]


def _status(port: int, path: str) -> int:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code
    except httpx.HTTPError:
        return 0
