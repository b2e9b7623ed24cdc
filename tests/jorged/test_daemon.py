from __future__ import annotations

import json

import httpx

from tests.daemon import _make_daemon  # noqa: F401 - the fixture


class TestDaemonProcess:
    def test_starts_serves_and_stops_cleanly(self, make_daemon, redis_server):
        """From nothing: /healthz, /readyz, jorgectl status; SIGTERM exits 0."""
        d = make_daemon({"JORGED_REDIS__URL": redis_server.url})
        d.start()
        assert httpx.get(f"{d.url}/healthz").json() == {"status": "ok"}
        ready = httpx.get(f"{d.url}/readyz").json()
        assert ready["ready"] is True
        assert ready["store"]["backend"] == "redis"
        status = d.ctl_json("status")
        assert {a["name"] for a in status["actors"]} >= {"store"}
        assert all(a["state"] == "running" for a in status["actors"])
        assert status["sandbox"] is True
        after = d.ctl("status", "--json")
        assert after.returncode == 0
        assert json.loads(after.stdout)["pid"] == status["pid"]
        assert d.terminate() == 0

    def test_runs_without_redis(self, make_daemon):
        """With Redis unreachable the daemon runs on the disk store and says so."""
        d = make_daemon({"JORGED_REDIS__URL": "redis://127.0.0.1:1/0"})
        d.start()
        status = d.ctl_json("status")
        assert status["store"]["backend"] == "disk"
        assert status["store"]["redis_up"] is False
        health = d.ctl("health")
        assert health.returncode == 1
        assert "redis is down" in health.stdout
        assert d.terminate() == 0

    def test_jorgectl_without_daemon(self, make_daemon):
        """jorgectl says the daemon is not running and exits 1."""
        d = make_daemon()
        done = d.ctl("status")
        assert done.returncode == 1
        assert done.stderr.startswith("jorgectl: jorged is not running (no control socket at ")

    def test_bad_config_exits_2(self, make_daemon):
        """A bad override stops the daemon before it starts, naming the variable."""
        d = make_daemon({"JORGED_SELLER__TONE": "rude"})
        d.start(wait_ready=False)
        assert d.proc.wait(30) == 2
        assert ("environment: JORGED_SELLER__TONE: must be one of 'direct', "
                "'friendly', got 'rude'") in d.output()
