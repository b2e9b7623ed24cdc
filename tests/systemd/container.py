"""A Debian 12 container booting a real systemd 252, for `make systemd-check`.

The rootfs is built once with debootstrap and cached outside the clone (keyed by its
package list); each run boots a throwaway overlay of it with systemd-nspawn on a private
network, so the cache stays clean. The container has no network: the wheels jorged
needs are built on the host (cached by pyproject.toml) and offered through pip.conf.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

CACHE = Path(os.environ.get("JORGED_SYSTEMD_CACHE", "/var/cache/jorged-systemd"))
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
PACKAGES = "systemd,systemd-sysv,dbus,python3,python3-venv,redis-server,curl,git,sudo"
#: Debian 12's python is 3.11.2: redis-py then needs async-timeout, which a host on a
#: later 3.11 does not download (marker python_full_version < "3.11.3").
EXTRA_WHEELS = ("async-timeout", "setuptools>=75", "wheel")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class CheckFailed(Exception):
    """A step of the check failed; the message says what was seen."""


def log(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - the check reports as it goes


def preflight() -> None:
    """Root and the host tools, or a clear reason why not."""
    if os.geteuid() != 0:
        msg = "needs root (debootstrap, overlay mounts, systemd-nspawn): run as root"
        raise CheckFailed(msg)
    missing = [
        t for t in ("debootstrap", "systemd-nspawn", "nsenter") if not shutil.which(t)
    ]
    if missing:
        msg = f"missing {', '.join(missing)}: `make systemd-deps` installs them"
        raise CheckFailed(msg)


def _key(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def rootfs() -> Path:
    """The cached Debian 12 rootfs, built with debootstrap the first time (~2 min)."""
    path = CACHE / f"rootfs-{_key(SUITE, MIRROR, PACKAGES)}"
    if (path / "usr/lib/systemd/systemd").exists():
        return path
    staging = Path(f"{path}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"building the Debian 12 rootfs in {path} (debootstrap, once)")
    cmd = [
        "debootstrap",
        "--variant=minbase",
        f"--include={PACKAGES}",
        SUITE,
        str(staging),
        MIRROR,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"debootstrap failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"
        raise CheckFailed(msg)
    staging.rename(path)
    return path


def wheels(repo: Path) -> Path:
    """Wheels of jorged's dependencies (not of jorged: the README builds it)."""
    pyproject = (repo / "pyproject.toml").read_bytes()
    path = CACHE / f"wheels-{_key(pyproject.decode(), *EXTRA_WHEELS)}"
    if (path / ".complete").exists():
        path.touch()  # in use
        return path
    # Wheels of other pyproject.toml versions unused for a week (another clone's run
    # may be using a newer set right now).
    for old in CACHE.glob("wheels-*"):
        if time.time() - old.stat().st_mtime > 7 * 86400:
            shutil.rmtree(old, ignore_errors=True)
    path.mkdir(parents=True)
    deps = tomllib.loads(pyproject.decode())["project"]["dependencies"]
    log(f"building wheels for the container in {path} (once per pyproject.toml)")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "-w",
        str(path),
        *deps,
        *EXTRA_WHEELS,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(path, ignore_errors=True)
        msg = f"pip wheel failed: {done.stderr[-3000:]}"
        raise CheckFailed(msg)
    (path / ".complete").touch()
    return path


def snapshot_source(repo: Path, dest: Path) -> None:
    """The working tree as it is (tracked and new files), as a git repository to clone."""
    listed = (
        subprocess.run(
            [
                "git",
                "-C",
                str(repo),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        src = repo / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git = [
        "git",
        "-C",
        str(dest),
        "-c",
        "user.name=check",
        "-c",
        "user.email=check@localhost",
    ]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "working tree"], check=True)


class Container:
    """One booted container; `sh()` runs a command in it as a root shell would."""

    def __init__(self, root: Path, nspawn: subprocess.Popen[bytes], pid1: int) -> None:
        self.root = root
        self.nspawn = nspawn
        self.pid1 = pid1

    def sh(
        self, script: str, *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run `script` with bash in the container: root, no environment but PATH."""
        cmd = [
            "nsenter",
            "-t",
            str(self.pid1),
            "-a",
            "--",
            "/usr/bin/env",
            "-i",
            f"PATH={PATH}",
            "HOME=/root",
            "LANG=C.UTF-8",
            "/bin/bash",
            "-c",
            f"cd /root && {script}",
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, check=False, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            msg = f"`{script}` did not finish within {timeout:.0f} s"
            raise CheckFailed(msg) from None
        if check and done.returncode != 0:
            msg = (
                f"`{script}` exited {done.returncode}:\n"
                f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
            raise CheckFailed(msg)
        return done

    def out(self, script: str, *, timeout: float = 120) -> str:
        return self.sh(script, timeout=timeout).stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _pid1(nspawn: subprocess.Popen[bytes], deadline: float) -> int:
    """The container's PID 1: the nspawn process's child, once it runs systemd."""
    while time.monotonic() < deadline:
        if nspawn.poll() is not None:
            msg = f"systemd-nspawn exited {nspawn.returncode} during boot"
            raise CheckFailed(msg)
        children = Path(f"/proc/{nspawn.pid}/task/{nspawn.pid}/children")
        with contextlib.suppress(OSError):
            for pid in children.read_text().split():
                if Path(f"/proc/{pid}/comm").read_text().strip() == "systemd":
                    return int(pid)
        time.sleep(0.1)
    msg = "the container's systemd did not start within 60 s"
    raise CheckFailed(msg)


@contextlib.contextmanager
def booted(repo: Path) -> Iterator[Container]:
    """Boot an overlay of the cached rootfs; power it off and remove it afterwards."""
    lower, wheel_dir = rootfs(), wheels(repo)
    run_dir = Path(tempfile.mkdtemp(prefix="jorged-systemd-", dir="/var/tmp"))
    merged = run_dir / "root"
    mounted = False
    nspawn: subprocess.Popen[bytes] | None = None
    try:
        for d in ("upper", "work", "root"):
            (run_dir / d).mkdir()
        subprocess.run(
            [
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                f"lowerdir={lower},upperdir={run_dir / 'upper'},workdir={run_dir / 'work'}",
                str(merged),
            ],
            check=True,
            capture_output=True,
        )
        mounted = True
        snapshot_source(repo, merged / "srv/jorged")
        # sudo wants its host name resolvable.
        (merged / "etc/hostname").write_text("jorged-check\n")
        (merged / "etc/hosts").write_text(
            "127.0.0.1 localhost\n127.0.1.1 jorged-check\n::1 localhost\n"
        )
        (merged / "etc/pip.conf").write_text(
            "[global]\nno-index = true\nfind-links = /opt/wheels\n"
            "disable-pip-version-check = true\n"
        )
        with (run_dir / "nspawn.log").open("wb") as out:
            nspawn = subprocess.Popen(
                [
                    "systemd-nspawn",
                    "-D",
                    str(merged),
                    "--boot",
                    "--register=no",
                    "--private-network",
                    "--console=passive",
                    "--keep-unit",
                    f"--bind-ro={wheel_dir}:/opt/wheels",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            box = Container(merged, nspawn, _pid1(nspawn, time.monotonic() + 60))
        except CheckFailed as exc:
            tail = (run_dir / "nspawn.log").read_text(errors="replace")[-1500:]
            msg = f"{exc}; can this host run systemd-nspawn? Its output:\n{tail}"
            raise CheckFailed(msg) from None
        log(
            f"container booted: {box.out('systemctl --version | head -1')}, "
            f"system {_wait_running(box)}"
        )
        yield box
    finally:
        if nspawn is not None:
            _power_off(nspawn)
        if mounted:
            subprocess.run(["umount", str(merged)], check=False, capture_output=True)
        shutil.rmtree(run_dir, ignore_errors=True)


def _wait_running(box: Container) -> str:
    """Wait for the container's boot to finish; its state (running, degraded)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        state = box.sh("systemctl is-system-running --wait", check=False, timeout=90)
        if state.stdout.strip() in ("running", "degraded"):
            return state.stdout.strip()
        time.sleep(0.2)
    msg = f"the container did not finish booting: {state.stdout}{state.stderr}"
    raise CheckFailed(msg)


def _power_off(nspawn: subprocess.Popen[bytes]) -> None:
    """`systemctl poweroff` inside; nspawn exits with the container."""
    if nspawn.poll() is None:
        with contextlib.suppress(OSError, subprocess.SubprocessError, CheckFailed):
            box_pid = _pid1(nspawn, time.monotonic() + 5)
            subprocess.run(
                ["nsenter", "-t", str(box_pid), "-a", "--", "systemctl", "poweroff"],
                capture_output=True,
                timeout=15,
                check=False,
            )
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None and nspawn.poll() is None:
            nspawn.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            nspawn.wait(timeout=30)
            break
    log(f"container powered off (systemd-nspawn exited {nspawn.returncode})")
