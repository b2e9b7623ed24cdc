"""`jorgectl`: talk to the running daemon over its control socket.

Tables for people (drawn by `jorged.control.cli_format`), `--json` for scripts.
Exit codes: 0 ok, 1 failure (including "the daemon is not running"), 2 usage.

Each command is a function `(socket path, arguments) -> (result, formatter, exit
code)`; `main` parses the command line, runs the command and prints its result.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from jorged import __version__
from jorged import config as config_mod
from jorged.control.cli_format import (
    event_line,
    show_alerts,
    show_check,
    show_conversation,
    show_conversations,
    show_events,
    show_generic,
    show_health,
    show_metrics,
    show_outbox,
    show_quarantine,
    show_quarantined,
    show_status,
)
from jorged.control.protocol import MAX_LINE, Response, decode_response
from jorged.domain.contact_ids import contact_id_problem
from jorged.exceptions import ConfigError
from jorged.plural import plural

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

#: Where jorged.service puts the control socket (`RuntimeDirectory=jorged`).
SYSTEM_SOCKET = Path("/run/jorged/control.sock")


class CliError(Exception):
    """A failure to report on one line, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def call(path: Path, cmd: str, args: Mapping[str, Any] | None = None) -> Response:
    """Send one request to the daemon at `path` and return its response."""
    request = orjson.dumps({"cmd": cmd, "args": dict(args or {})}) + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(str(path))
            sock.sendall(request)
            with sock.makefile("rb") as stream:
                line = stream.readline(MAX_LINE * 64)
    except (FileNotFoundError, ConnectionRefusedError):
        msg = f"jorged is not running (no control socket at {path})"
        raise CliError(msg) from None
    except PermissionError:
        msg = f"permission denied on {path} (run as the daemon's user)"
        raise CliError(msg) from None
    except TimeoutError:
        msg = f"jorged did not answer within 30 s on {path}"
        raise CliError(msg) from None
    if not line:
        msg = "jorged closed the connection without answering"
        raise CliError(msg)
    return decode_response(line)


# --- commands ---------------------------------------------------------------------

Formatter = Callable[[Any], str]


def _simple(
    cmd: str, fmt: Formatter = show_generic
) -> Callable[..., tuple[Any, Formatter, int]]:
    def run(path: Path, _ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
        response = _checked(call(path, cmd))
        return response.result, fmt, EXIT_OK

    return run


def _checked(response: Response) -> Response:
    if not response.ok:
        raise CliError(response.error or "failed", response.code or EXIT_FAIL)
    return response


def _health(path: Path, _ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    result = _checked(call(path, "health")).result
    return result, show_health, EXIT_OK if result["healthy"] else EXIT_FAIL


def _config_check(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    if ns.file is not None or not path.exists():
        # Checking a file needs no daemon.
        try:
            config_mod.load(ns.file)
        except ConfigError as exc:
            result = {"valid": False, "problems": list(exc.messages)}
        else:
            result = {"valid": True, "problems": []}
    else:
        result = _checked(call(path, "config_check")).result
    return result, show_check, EXIT_OK if result["valid"] else EXIT_USAGE


def _reload(path: Path, _ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    result = _checked(call(path, "reload")).result
    if not result["reloaded"]:
        return result, lambda r: "\n".join(r["problems"]), EXIT_USAGE
    changed = ", ".join(result["changed"]) or "nothing changed"
    return result, lambda _r: f"reloaded: {changed}", EXIT_OK


def _simulate(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    sent = _checked(
        call(path, "simulate", {"contact_id": ns.contact, "text": ns.text})
    ).result
    if ns.no_wait:
        return sent, show_generic, EXIT_OK
    # Show the conversation once the bot has answered (or after the batch window).
    deadline = time.monotonic() + ns.wait
    view: Any = None
    while time.monotonic() < deadline:
        response = call(path, "conversation", {"contact_id": ns.contact})
        if response.ok:
            view = response.result
            last = view["transcript"][-1] if view["transcript"] else None
            handled = any(
                e.get("message_id") == sent["message_id"] for e in view["transcript"]
            )
            if handled and last is not None and last["direction"] == "out":
                break
        time.sleep(0.1)
    if view is None:
        return sent, show_generic, EXIT_OK
    return view, show_conversation, EXIT_OK


def _conversation(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    result = _checked(call(path, "conversation", {"contact_id": ns.contact})).result
    return result, show_conversation, EXIT_OK


def _seller(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    args: dict[str, Any] = {"contact_id": ns.contact}
    if ns.action == "start":
        cmd = "seller.start"
        for key in ("first_name", "phone", "timezone"):
            if getattr(ns, key, None):
                args[key] = getattr(ns, key)
    elif ns.action == "language":
        if ns.value not in {"en", "es"}:
            msg = "seller language CONTACT en|es: give en or es"
            raise CliError(msg, EXIT_USAGE)
        cmd = "seller.language"
        args["language"] = ns.value
    elif ns.action == "forget":
        cmd = "seller.forget"
    else:
        cmd = "seller.change"
        args["action"] = ns.action
    result = _checked(call(path, cmd, args)).result
    if ns.action == "forget":
        return result, lambda r: f"{r['forgotten']}: forgotten", EXIT_OK
    return result, show_conversation, EXIT_OK


def _outbox(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    args = {"contact_id": ns.contact} if ns.contact else {}
    return _checked(call(path, "outbox", args)).result, show_outbox, EXIT_OK


def _quarantine(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    if ns.action == "list":
        result = _checked(call(path, "quarantine.list")).result
        return result, show_quarantine, EXIT_OK
    if ns.id is None:
        msg = f"quarantine {ns.action} needs the ID of an item (see quarantine list)"
        raise CliError(msg, EXIT_USAGE)
    result = _checked(call(path, f"quarantine.{ns.action}", {"id": ns.id})).result
    if ns.action == "show":
        return result, show_quarantined, EXIT_OK
    done = "retried" if ns.action == "retry" else "dropped"
    return result, lambda r: f"{r[done]['id']}: {done}", EXIT_OK


def _metrics(path: Path, _ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    return _checked(call(path, "metrics")).result, show_metrics, EXIT_OK


def _alerts(path: Path, _ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    result = _checked(call(path, "alerts")).result
    return result, show_alerts, EXIT_OK


def _conversations(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    args = {k: v for k, v in vars(ns).items() if k in FILTERS and v is not None}
    return _checked(call(path, "conversations", args)).result, show_conversations, 0


def _events(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    result = _checked(call(path, "events", {"limit": ns.limit})).result
    if not ns.follow:
        return result, show_events, EXIT_OK
    since = result["items"][-1]["id"] if result["items"] else None
    for e in result["items"]:
        print(json.dumps(e) if ns.json else event_line(e), flush=True)
    try:
        while True:
            got = _checked(call(path, "events", {"since": since, "limit": 500})).result
            for e in got["items"]:
                print(json.dumps(e) if ns.json else event_line(e), flush=True)
                since = e["id"]
            time.sleep(0.5)
    except KeyboardInterrupt:
        return None, lambda _r: "", EXIT_OK


def _hash_password(_path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    import getpass

    from jorged.passwords import hash_password

    if ns.password is not None:
        first = ns.password
    elif not sys.stdin.isatty():
        # Piped: the first line of standard input, no confirmation.
        line = sys.stdin.readline()
        if not line:
            msg = "no password on standard input"
            raise CliError(msg, EXIT_USAGE)
        first = line.rstrip("\r\n")
    else:
        try:
            first = getpass.getpass("Password: ")
            again = getpass.getpass("Again: ")
        except (EOFError, KeyboardInterrupt):
            msg = "no password given"
            raise CliError(msg, EXIT_USAGE) from None
        if again != first:
            msg = "the passwords differ"
            raise CliError(msg, EXIT_USAGE)
    if len(first) < 8:
        msg = "use at least 8 characters"
        raise CliError(msg, EXIT_USAGE)
    hashed = hash_password(first)
    return {"password_hash": hashed}, lambda r: r["password_hash"], EXIT_OK


def _export(path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    filters = {k: v for k, v in vars(ns).items() if k in FILTERS and v is not None}
    started = _checked(
        call(path, "export_start", {"format": ns.format, "filters": filters})
    ).result
    total, offset = started["bytes"], 0
    out = Path(ns.output)
    progress = sys.stderr.isatty() and not ns.json
    try:
        with out.open("wb") as f:
            while True:
                got = _checked(
                    call(path, "export_fetch", {"id": started["id"], "offset": offset})
                ).result
                if got["done"]:
                    break
                data = bytes.fromhex(got["data"])
                f.write(data)
                offset += len(data)
                if progress:
                    pct = 100 * offset // max(total, 1)
                    line = f"\r{offset:,} of {total:,} bytes ({pct} %)"
                    print(line, end="", file=sys.stderr, flush=True)
    except OSError as exc:
        msg = f"cannot write {out}: {exc.strerror or exc}"
        raise CliError(msg) from None
    if progress:
        print(file=sys.stderr)
    result = {"file": str(out), "rows": started["rows"], "bytes": offset}
    return (
        result,
        lambda r: f"{plural(r['rows'], 'row')}, {r['bytes']:,} bytes -> {r['file']}",
        EXIT_OK,
    )


FILTERS = (
    "temperature",
    "stage",
    "stalled",
    "paused",
    "opted_out",
    "since",
    "until",
    "price_min",
    "price_max",
    "timeline",
    "language",
    "q",
    "sort",
    "order",
    "page",
    "page_size",
)


def _filter_options() -> dict[str, dict[str, Any]]:
    """argparse keywords of each filter: help text, and choices where there are some."""
    from jorged.domain.conversation.state import Stage, Temperature
    from jorged.domain.dashboard.query import SortField
    from jorged.domain.language import Language
    from jorged.domain.leads.analysis import TimelineBucket

    def listed(enum: Any) -> str:
        return ", ".join(m.value for m in enum)

    flag = {"choices": ["true", "false"], "metavar": "true|false"}
    return {
        "temperature": {
            "metavar": "T[,T]",
            "help": f"temperatures, comma separated: {listed(Temperature)}",
        },
        "stage": {"metavar": "S[,S]", "help": f"stages: {listed(Stage)}"},
        "stalled": {**flag, "help": "only stalled (true) or not stalled (false)"},
        "paused": {**flag, "help": "only paused (true) or not paused (false)"},
        "opted_out": {**flag, "help": "only opted out (true) or not (false)"},
        "since": {"metavar": "TIME", "help": "last activity at or after (ISO 8601)"},
        "until": {"metavar": "TIME", "help": "last activity before (ISO 8601)"},
        "price_min": {"metavar": "USD", "help": "lowest price, dollars"},
        "price_max": {"metavar": "USD", "help": "highest price, dollars"},
        "timeline": {
            "metavar": "B[,B]",
            "help": f"timeline buckets: {listed(TimelineBucket)}",
        },
        "language": {
            "choices": [m.value for m in Language],
            "help": f"the conversation's language: {listed(Language)}",
        },
        "q": {"metavar": "TEXT", "help": "search name, phone, address, transcript"},
        "sort": {"choices": [f.value for f in SortField], "help": "sort by"},
        "order": {"choices": ["asc", "desc"], "help": "sort direction"},
        "page": {"metavar": "N", "help": "page number, from 1"},
        "page_size": {"metavar": "N", "help": "rows a page"},
    }


def _add_filters(p: argparse.ArgumentParser) -> None:
    options = _filter_options()
    for name in FILTERS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, **options[name])


COMMANDS: dict[str, tuple[str, Callable[..., tuple[Any, Formatter, int]]]] = {
    "status": (
        "actors, uptime, store backend, Redis and journal backlog",
        _simple("status", show_status),
    ),
    "health": ("exit 0 when healthy, 1 with the problems otherwise", _health),
    "reload": ("re-read the config file (like SIGHUP)", _reload),
    "snapshot": ("write every actor's snapshot to the store now", _simple("snapshot")),
    "metrics": ("latency percentiles, counts and savings (24 h window)", _metrics),
    "alerts": ("active and recent alerts", _alerts),
}


def _eval(_path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    """Measure the reader on the labeled corpus (no daemon needed)."""
    from jorged.control import evaluate as ev

    corpus = Path(ns.corpus) if ns.corpus else ev.DEFAULT_CORPUS
    try:
        reports = ev.evaluate(corpus)
    except ev.CorpusUnavailableError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    ev.write_json(reports, Path(ns.output) if ns.output else ev.DEFAULT_OUTPUT)
    failed = any(r.failures() for r in reports)
    return (
        ev.report_json(reports),
        lambda _result: ev.format_reports(reports, misses=ns.misses),
        EXIT_FAIL if failed else EXIT_OK,
    )


def _test(_path: Path, ns: argparse.Namespace) -> tuple[Any, Formatter, int]:
    """Run scripted conversations against the engine (no daemon needed)."""
    from jorged.control import scripted

    try:
        cfg = config_mod.load(ns.config)
    except ConfigError as exc:
        raise CliError("; ".join(exc.messages), EXIT_USAGE) from None
    report, code = scripted.run_files(ns.files, cfg)
    return report, scripted.format_results, code


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jorgectl", description="Control the running jorged daemon."
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--version", action="version", version=f"jorgectl {__version__}")
    p.add_argument(
        "--socket",
        metavar="PATH",
        help="control socket (default: from the config, else $RUNTIME_DIRECTORY, "
        "/run/jorged or ./var)",
    )
    p.add_argument("--config", metavar="PATH", help="config file to find the socket in")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, (help_text, _fn) in COMMANDS.items():
        sub.add_parser(name, help=help_text)
    sim = sub.add_parser(
        "simulate", help='simulate CONTACT "text": play an inbound SMS'
    )
    sim.add_argument("contact", type=_contact, help="the contact id")
    sim.add_argument("text", help="the message text")
    sim.add_argument("--no-wait", action="store_true", help="don't wait for the reply")
    sim.add_argument("--wait", type=float, default=10.0, help="seconds to wait (10)")
    conv = sub.add_parser("conversation", help="conversation CONTACT: show it")
    conv.add_argument("contact", type=_contact, help="the contact id")
    seller = sub.add_parser(
        "seller",
        help="seller start|pause|resume|restart|stop|forget CONTACT, "
        "seller language CONTACT en|es",
    )
    seller.add_argument(
        "action",
        choices=["start", "pause", "resume", "restart", "stop", "forget", "language"],
        help="what to do",
    )
    seller.add_argument("contact", type=_contact, help="the contact id")
    seller.add_argument(
        "value", nargs="?", help="with language: en or es (the bot writes in it)"
    )
    seller.add_argument(
        "--first-name", dest="first_name", metavar="NAME", help="with start: the name"
    )
    seller.add_argument("--phone", metavar="PHONE", help="with start: the phone")
    seller.add_argument(
        "--timezone", metavar="ZONE", help="with start: IANA zone (America/Denver)"
    )
    out = sub.add_parser("outbox", help="outbox [CONTACT]: outbound actions")
    out.add_argument(
        "contact", nargs="?", type=_contact, help="only this contact's actions"
    )
    convs = sub.add_parser("conversations", help="conversations [filters]: the list")
    _add_filters(convs)
    ev = sub.add_parser("events", help="events [--follow]: the activity feed")
    ev.add_argument("--follow", "-f", action="store_true", help="keep printing")
    ev.add_argument(
        "--limit", type=int, default=50, metavar="N", help="how many to show (50)"
    )
    exp = sub.add_parser("export", help="export FORMAT [filters] -o FILE")
    exp.add_argument(
        "format", choices=["csv", "xlsx", "json", "pdf"], help="the file format"
    )
    exp.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="where to write it"
    )
    _add_filters(exp)
    quar = sub.add_parser(
        "quarantine", help="quarantine list|show ID|retry ID|drop ID: held inputs"
    )
    quar.add_argument(
        "action",
        choices=["list", "show", "retry", "drop"],
        help="list the held inputs; show, retry or drop the one with ID",
    )
    quar.add_argument("id", nargs="?", help="the item's id, as quarantine list shows")
    hp = sub.add_parser("hash-password", help="print a dashboard.password_hash")
    hp.add_argument(
        "--password",
        help="the password (else read from a pipe, or prompted for twice)",
    )
    check = sub.add_parser("config", help="config check [FILE]: validate a config file")
    check_sub = check.add_subparsers(
        dest="config_command", required=True, metavar="check", help="what to do"
    )
    c = check_sub.add_parser("check", help="validate FILE, or the daemon's config")
    c.add_argument("file", nargs="?", help="file to check (default: the daemon's)")
    ev_read = sub.add_parser(
        "eval", help="eval [--corpus DIR] [-o FILE]: measure the reader on the corpus"
    )
    ev_read.add_argument("--corpus", metavar="DIR", help="corpus directory")
    ev_read.add_argument("-o", "--output", metavar="FILE", help="JSON report file")
    ev_read.add_argument("--misses", type=int, default=20, help="misses to print (20)")
    test = sub.add_parser(
        "test", help="test FILE... [--config PATH]: run scripted conversations"
    )
    test.add_argument("files", nargs="+", metavar="FILE", help="conversation TOML")
    test.add_argument("--config", metavar="PATH", help="config file to test with")
    return p


def _contact(text: str) -> str:
    """A CONTACT argument: refused at parsing (exit 2) unless it is a contact id."""
    problem = contact_id_problem(text)
    if problem is not None:
        msg = f"not a contact id: {problem}"
        raise argparse.ArgumentTypeError(msg)
    return text


def _socket_path(ns: argparse.Namespace) -> Path:
    if ns.command in {"hash-password", "eval", "test"}:
        return Path()
    if ns.socket:
        return Path(ns.socket)
    try:
        cfg = config_mod.load(ns.config)
    except ConfigError as exc:
        raise CliError("\n".join(exc.messages), EXIT_USAGE) from None
    if cfg.control.socket:
        return Path(cfg.control.socket)
    return find_socket(os.environ)


def find_socket(env: Mapping[str, str], system: Path = SYSTEM_SOCKET) -> Path:
    """The daemon's socket: `$RUNTIME_DIRECTORY`, then `/run/jorged` (the unit's, for
    an admin shell), then `./var`; the first that exists, else `./var`'s."""
    candidates = [system, Path("var/control.sock")]
    if runtime := env.get("RUNTIME_DIRECTORY"):
        candidates.insert(0, Path(runtime.split(":")[0]) / "control.sock")
    return next((p for p in candidates if p.exists()), candidates[-1])


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`jorgectl events | head -1`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code


def _main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = list(sys.argv[1:] if argv is None else argv)
    # `--json` is taken anywhere on the line (`jorgectl status --json`).
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    try:
        ns = parser.parse_args(args)
        ns.json = as_json
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    try:
        path = _socket_path(ns)
        extra = {
            "config": _config_check,
            "simulate": _simulate,
            "conversation": _conversation,
            "seller": _seller,
            "outbox": _outbox,
            "conversations": _conversations,
            "events": _events,
            "hash-password": _hash_password,
            "export": _export,
            "eval": _eval,
            "test": _test,
            "quarantine": _quarantine,
        }
        if ns.command in extra:
            result, fmt, code = extra[ns.command](path, ns)
        else:
            result, fmt, code = COMMANDS[ns.command][1](path, ns)
    except CliError as exc:
        if ns.json:
            print(json.dumps({"ok": False, "error": str(exc)}))
        else:
            print(f"jorgectl: {exc}", file=sys.stderr)
        return exc.code
    if ns.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(fmt(result))
    return code


if __name__ == "__main__":
    sys.exit(main())
