"""Host readings the sandbox hides (`ProcSubset=pid` hides /proc/stat and
/proc/meminfo) are reported as unreadable, never a crash."""

from __future__ import annotations

import psutil

from jorged import config as c
from jorged.actors.monitor import Readings, checks_of, host_percent


def _readings(**host: float | None) -> Readings:
    return Readings(
        cpu_percent=host.get("cpu"),
        memory_percent=host.get("memory"),
        disk_percent=host.get("disk"),
        redis_enabled=False,
        redis_up=False,
        journal_backlog=0,
        reply_p95_s=None,
        webhook_error_rate=None,
        queues={},
        restarts={},
        failed_actors=(),
    )


def test_an_unreadable_host_file_reads_as_none(tmp_path):
    """A psutil reading whose file is missing gives None instead of raising."""
    missing = tmp_path / "gone"
    assert host_percent(lambda: psutil.disk_usage(str(missing)).percent) is None


def test_a_readable_host_value_passes_through(tmp_path):
    assert host_percent(lambda: psutil.disk_usage(str(tmp_path)).percent) == (
        psutil.disk_usage(str(tmp_path)).percent
    )


def test_unreadable_readings_are_named_not_graded():
    """Hidden CPU and memory are said to be unreadable; the disk is still graded."""
    checks = {ch.name: ch for ch in checks_of(_readings(disk=97.0), c.load(env={}))}
    assert checks["cpu"].value is None
    assert checks["cpu"].level == "ok"
    assert checks["cpu"].message == "CPU: not readable on this host"
    assert checks["memory"].message == "memory: not readable on this host"
    assert checks["disk"].level == "critical"
    assert checks["disk"].message == "disk of the state directory at 97 %"
