"""`make systemd-check`: jorged installed by the README on a real systemd 252.

Boots Debian 12 in systemd-nspawn (tests/systemd/container.py), runs the README's
"Running under systemd" code blocks as written (read from README.md now, so a changed
README is what gets checked), then checks what the unit promises, printing each step's
result. Exit 0 when every step passed, 1 at the first failure (the container is powered
off and removed either way).

    sudo python3 tests/systemd/check.py
"""

from __future__ import annotations

import json
import re
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from container import CheckFailed, Container, booted, log, preflight

REPO = Path(__file__).resolve().parents[2]
SECTION = "## Running under systemd"
#: What the README's blocks leave for the reader to fill in, and what the check uses.
FILL_IN = {"<this repository>": "/srv/jorged", "YOUR-GHL-TOKEN": "check-ghl-token"}
CONFIG = "/etc/jorged/jorged.toml"
DROP_INS = "/etc/systemd/system/jorged.service.d"
URL = "http://127.0.0.1:8080"


def readme_blocks() -> list[str]:
    """The ```sh blocks of the README's systemd section, in order."""
    text = (REPO / "README.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    blocks = re.findall(
        r"```sh\n(.*?)```", text[start : end if end > 0 else None], re.DOTALL
    )
    if len(blocks) != 3:
        msg = (
            f"README.md: {SECTION!r} should hold three sh blocks: the install, "
            f"live mode and a second location; it holds {len(blocks)}"
        )
        raise CheckFailed(msg)
    return blocks


def run_block(box: Container, name: str, block: str) -> None:
    for placeholder, value in FILL_IN.items():
        block = block.replace(placeholder, value)
    log(f"--- README, {name}:\n{block.rstrip()}\n---")
    box.write(f"/root/{name}.sh", block)
    box.sh(f"bash -e -o pipefail /root/{name}.sh", timeout=600)


def show(box: Container, unit: str, *props: str) -> dict[str, str]:
    text = box.out(f"systemctl show {unit} -p {','.join(props)}")
    return dict(line.split("=", 1) for line in text.splitlines())


def wait_for(what: str, test: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if test():
            return time.monotonic() - start
        time.sleep(0.5)
    msg = f"{what}: not within {timeout:.0f} s"
    raise CheckFailed(msg)


def running(box: Container) -> dict[str, str]:
    """jorged is active and READY with its status text; its properties."""
    props = show(
        box,
        "jorged",
        "ActiveState",
        "SubState",
        "StatusText",
        "MainPID",
        "NRestarts",
        "Result",
    )
    if props["ActiveState"] != "active" or props["StatusText"] != "all actors started":
        msg = f"jorged is not active and ready: {props}"
        raise CheckFailed(msg)
    return props


def readyz(box: Container) -> str:
    return box.out(f"curl -s -o /dev/null -w '%{{http_code}}' {URL}/readyz")


def health(box: Container) -> dict[str, dict]:
    """`jorgectl --json health`'s checks by name."""
    done = box.sh("jorgectl --json health", check=False)
    result = json.loads(done.stdout)
    return {c["name"]: c for c in result["checks"]}


def restart(box: Container) -> dict[str, str]:
    box.sh("systemctl daemon-reload && systemctl restart jorged", check=False)
    return running(box)


def exposure(box: Container, unit: str = "jorged.service") -> float:
    text = box.out(f"systemd-analyze security {unit} --no-pager")
    found = re.search(
        rf"Overall exposure level for {re.escape(unit)}: (\d+\.\d+)", text
    )
    if not found:
        raise CheckFailed(text[-1000:])
    return float(found.group(1))


# --- the steps ----------------------------------------------------------------------


def documentation_path(uri: str) -> str:
    """Where a unit's Documentation= entry lives: `file:PATH`, or `man:NAME(S)` as
    the README installs man pages (/usr/local/share/man/manS/NAME.S)."""
    if uri.startswith("man:"):
        name, _, section = uri.removeprefix("man:").rstrip(")").partition("(")
        return f"/usr/local/share/man/man{section}/{name}.{section}"
    return uri.removeprefix("file:")


def step_install(box: Container, blocks: list[str]) -> str:
    run_block(box, "install", blocks[0])
    props = running(box)
    socket = box.out("systemctl is-active jorged.socket")
    docs = box.out("systemctl show jorged -p Documentation --value")
    for doc in shlex.split(docs):  # systemctl quotes each entry
        box.sh(f"test -f {documentation_path(doc)}")
    verify = box.sh(
        "systemd-analyze verify --man=no /etc/systemd/system/jorged.service 2>&1",
        check=False,
    ).stdout.strip()
    if verify:
        raise CheckFailed(f"systemd-analyze verify: {verify}")
    return (
        f"active, Status={props['StatusText']!r}, jorged.socket {socket}, "
        f"no secrets; Documentation {docs} exists; verify clean"
    )


def step_readyz(box: Container) -> str:
    code = readyz(box)
    if code != "200":
        raise CheckFailed(f"/readyz answered {code}")
    return "/readyz 200"


def step_jorgectl(box: Container) -> str:
    status = box.sh("jorgectl status", check=False)
    if status.returncode != 0 or "ready" not in status.stdout:
        raise CheckFailed(f"jorgectl status: {status.stdout}{status.stderr}")
    done = box.sh("jorgectl health", check=False)
    if done.returncode not in (0, 1) or not done.stdout.startswith(
        ("healthy", "unhealthy")
    ):
        raise CheckFailed(
            f"jorgectl health exited {done.returncode}: {done.stdout}{done.stderr}"
        )
    first = status.stdout.splitlines()[:3]
    said = " ".join(line.strip() for line in done.stdout.strip().splitlines()[:3])
    return f"{' | '.join(first)}; health (exit {done.returncode}): {said}"


def step_host_readings(box: Container) -> str:
    cpu = health(box)["cpu"]
    if cpu["value"] is None:
        raise CheckFailed(f"the unit hides the CPU reading: {cpu}")
    box.write(f"{DROP_INS}/check-procsubset.conf", "[Service]\nProcSubset=pid\n")
    try:
        restart(box)
        hidden = health(box)["cpu"]
        if hidden["value"] is not None or readyz(box) != "200":
            raise CheckFailed(f"with ProcSubset=pid: {hidden}")
    finally:
        box.sh(f"rm -f {DROP_INS}/check-procsubset.conf")
    restart(box)
    return (
        f"CPU {cpu['value']} % read under the unit; with ProcSubset=pid it runs, "
        f"ready, {hidden['message']!r}"
    )


def step_reload(box: Container) -> str:
    pid = running(box)["MainPID"]
    since = box.out("date +%s.%N")
    box.sh(f'sed -i \'s/^tone = "direct"/tone = "friendly"/\' {CONFIG}')
    box.sh("systemctl reload jorged")
    logged = box.out(f"journalctl -u jorged --since @{since} -o cat --no-pager")
    reloaded = [line for line in logged.splitlines() if "config_reloaded" in line]
    if not reloaded or "seller" not in reloaded[-1]:
        raise CheckFailed(
            f"no config_reloaded naming seller in the journal: {logged[-800:]}"
        )
    box.sh(f"sed -i 's/^port = 8080/port = \"eighty\"/' {CONFIG}")
    bad = box.sh("systemctl reload jorged", check=False)
    box.sh(f"sed -i 's/^port = \"eighty\"/port = 8080/' {CONFIG}")
    after = running(box)
    if bad.returncode == 0 or after["MainPID"] != pid:
        raise CheckFailed(
            f"a bad config reloaded (exit {bad.returncode}) or restarted jorged"
        )
    return (
        "edited seller.tone taken on `systemctl reload` (config_reloaded: seller); "
        "a bad config fails the reload and jorged runs on (same pid)"
    )


def step_watchdog(box: Container) -> str:
    before = running(box)
    box.sh(f"kill -STOP {before['MainPID']}")

    def replaced() -> bool:
        now = show(box, "jorged", "MainPID", "ActiveState", "StatusText")
        return (
            now["MainPID"] not in ("0", before["MainPID"])
            and now["ActiveState"] == "active"
            and now["StatusText"] == "all actors started"
        )

    took = wait_for("the watchdog restarting a SIGSTOPped jorged", replaced, 90)
    logged = box.out(
        "journalctl -u jorged -o cat --no-pager | grep -i watchdog | tail -1"
    )
    after = running(box)
    return (
        f"SIGSTOP pid {before['MainPID']}: {logged!r}; restarted as pid "
        f"{after['MainPID']} after {took:.0f} s (NRestarts {after['NRestarts']})"
    )


def step_restart_under_stream(box: Container) -> str:
    box.write("/root/stream.py", (Path(__file__).parent / "stream.py").read_text())
    box.sh(
        "rm -f /root/stream.stop /root/stream.json && systemd-run -q --unit=check-stream "
        "python3 /root/stream.py 8080 /root/stream.stop /root/stream.json"
    )
    time.sleep(3)
    t0 = time.time()
    box.sh("systemctl restart jorged")
    t1 = time.time()
    time.sleep(3)
    box.sh("touch /root/stream.stop")
    wait_for(
        "the webhook stream to finish",
        lambda: box.sh("test -f /root/stream.json", check=False).returncode == 0,
        60,
    )
    seen = json.loads(box.out("cat /root/stream.json"))
    problems = {k: seen[k][:5] for k in ("refused", "errors", "statuses") if seen[k]}
    if problems:
        raise CheckFailed(f"during `systemctl restart`: {problems}")
    acked = seen["acked"]
    during = sum(1 for _c, _m, at in acked if t0 <= at <= t1)
    lost = box.out(
        "python3 -c " + _quote(_LOST) + f" {URL} /root/stream.json", timeout=120
    )
    if lost:
        raise CheckFailed(f"acknowledged webhooks missing after the restart: {lost}")
    return (
        f"{len(acked)} webhooks acknowledged, {during} of them during the "
        f"{t1 - t0:.1f} s of `systemctl restart`; {seen['429']} answered 429 and "
        "were retried; 0 refused, 0 lost"
    )


#: Run in the container: every acknowledged message is in its conversation.
_LOST = """
import json, sys, time, urllib.error, urllib.request
url, path = sys.argv[1], sys.argv[2]
by_contact = {}
for contact, message, _at in json.load(open(path))["acked"]:
    by_contact.setdefault(contact, set()).add(message)
deadline = time.monotonic() + 120
while by_contact and time.monotonic() < deadline:
    for contact, messages in list(by_contact.items()):
        try:
            with urllib.request.urlopen(f"{url}/api/conversations/{contact}") as r:
                view = json.load(r)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:  # 404: its first turn is not handled yet
                raise
            continue
        messages -= {e.get("message_id") for e in view["transcript"]}
        if not messages:
            del by_contact[contact]
    time.sleep(1)
print(" ".join(sorted(m for ms in by_contact.values() for m in ms)[:10]))
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def step_stop(box: Container) -> str:
    start = time.monotonic()
    box.sh("systemctl stop jorged")
    took = time.monotonic() - start
    props = show(box, "jorged", "ActiveState", "Result", "ExecMainStatus")
    left = box.out("grep -la '[/]opt/jorged/' /proc/[0-9]*/cmdline 2>/dev/null || true")
    if (
        props != {"ActiveState": "inactive", "Result": "success", "ExecMainStatus": "0"}
        or left
    ):
        raise CheckFailed(f"systemctl stop: {props}, processes left: {left}")
    box.sh("systemctl start jorged")
    running(box)
    return f"stopped in {took:.1f} s, exit 0, Result=success, no process left"


def step_config_error(box: Container) -> str:
    box.sh(f"sed -i 's/^port = 8080/port = \"eighty\"/' {CONFIG}")
    box.sh("systemctl restart jorged", check=False)
    time.sleep(6)  # RestartSec=2: a restart loop would show by now
    props = show(box, "jorged", "ActiveState", "ExecMainStatus", "NRestarts")
    box.sh(f"sed -i 's/^port = \"eighty\"/port = 8080/' {CONFIG}")
    box.sh("systemctl reset-failed jorged && systemctl start jorged")
    running(box)
    if props["ActiveState"] != "failed" or props["ExecMainStatus"] != "2":
        raise CheckFailed(f"a config error: {props}")
    return f"a bad config exits 2 and stays failed, no restart loop ({props})"


def step_security(box: Container) -> str:
    level = exposure(box)
    if level >= 2.0:
        raise CheckFailed(f"exposure {level}")
    return f"systemd-analyze security jorged.service: {level}"


def step_secret_later(box: Container, blocks: list[str]) -> str:
    # The operator's edit ("then edit it"): live mode needs the location.
    box.sh(f'sed -i \'s/^location_id = ""/location_id = "loc-check"/\' {CONFIG}')
    run_block(box, "live", blocks[1])
    running(box)
    status = json.loads(box.out("jorgectl --json status"))
    if status["sandbox"]:
        raise CheckFailed("the GHL token added later did not take effect")
    level = exposure(box)
    if level >= 2.0:
        raise CheckFailed(f"exposure with the live drop-in: {level}")
    return f"ghl.token added later: live mode after restart; exposure {level}"


def _stop(signum: int, _frame: object) -> None:
    # A SIGTERM (make interrupted, CI cancelled) unwinds like an error, so the
    # container is powered off and removed (a second one does not cut that short).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise CheckFailed(f"stopped by signal {signum}")


def step_instances(box: Container, blocks: list[str]) -> str:
    run_block(box, "instance", blocks[2])
    props = show(box, "jorged@east", "ActiveState", "StatusText")
    if props != {"ActiveState": "active", "StatusText": "all actors started"}:
        raise CheckFailed(f"jorged@east: {props}")
    running(box)
    for port, contact in ((8081, "east-1"), (8080, "main-1")):
        body = json.dumps(
            {
                "type": "InboundMessage",
                "locationId": "loc-check",
                "contactId": contact,
                "messageId": f"m-{contact}",
                "conversationId": f"conv-{contact}",
                "messageType": "SMS",
                "direction": "inbound",
                "contentType": "text/plain",
                "body": "thinking about selling",
                "dateAdded": "2026-12-07T10:00:00Z",
            }
        )
        box.sh(
            f"curl -sf -H 'content-type: application/json' -d '{body}' "
            f"http://127.0.0.1:{port}/webhooks/ghl"
        )

    def exists(*keys: str) -> list[str]:
        return [k for k in keys if box.out(f"redis-cli exists {k}") == "1"]

    mine = ("jorged:east:seller:state:east-1", "jorged:seller:state:main-1")
    wait_for(
        "each location's seller state in Redis", lambda: exists(*mine) == list(mine), 60
    )
    crossed = exists("jorged:seller:state:east-1", "jorged:east:seller:state:main-1")
    if crossed:
        raise CheckFailed(f"a location's record under the other's prefix: {crossed}")
    level = exposure(box, "jorged@east.service")
    if level >= 2.0:
        raise CheckFailed(f"jorged@east exposure {level}")
    return (
        "jorged@east ready on 8081 beside jorged on 8080, each one's records under "
        f"its own prefix ({', '.join(mine)}); jorged@east.service exposure {level}"
    )


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _stop)
    try:
        preflight()
        blocks = readme_blocks()
        with booted(REPO) as box:
            steps: list[tuple[str, Callable[[], str]]] = [
                ("enable --now, no secrets", lambda: step_install(box, blocks)),
                ("/readyz", lambda: step_readyz(box)),
                ("jorgectl from a root shell", lambda: step_jorgectl(box)),
                ("health readings", lambda: step_host_readings(box)),
                ("systemctl reload", lambda: step_reload(box)),
                ("watchdog", lambda: step_watchdog(box)),
                ("restart under webhooks", lambda: step_restart_under_stream(box)),
                ("systemctl stop", lambda: step_stop(box)),
                ("config error", lambda: step_config_error(box)),
                ("sandboxing", lambda: step_security(box)),
                ("a second GHL location", lambda: step_instances(box, blocks)),
                ("secret added later", lambda: step_secret_later(box, blocks)),
            ]
            for name, run in steps:
                t = time.monotonic()
                try:
                    detail = run()
                except CheckFailed as exc:
                    log(f"FAIL  {name}: {exc}")
                    journal = box.sh(
                        "journalctl -u jorged -n 30 --no-pager -o cat", check=False
                    ).stdout
                    log(f"--- journalctl -u jorged (last 30 lines):\n{journal}")
                    raise
                log(f"ok    {name} ({time.monotonic() - t:.1f} s): {detail}")
    except CheckFailed as exc:
        log(
            f"systemd-check FAILED after {time.monotonic() - started:.0f} s: "
            f"{str(exc).splitlines()[0] if str(exc) else exc}"
        )
        return 1
    log(f"systemd-check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
