"""`jorgectl test FILE...`: scripted seller conversations, without a daemon (SPEC 1.11).

A script is a TOML file: the seller's messages, one `[[turn]]` each, and what must
hold after each turn. It runs against the pure conversation engine
(`jorged.domain.conversation.step.step`) with the given config, the bot starting the
conversation the way a "Needs Qualifying" tag does (opener and first question)
unless `start = "inbound"`. There is no calendar: a hot seller is told Jorge
will call. The format::

    name = "hot seller, one answer per turn"
    first_name = "Dana"             # optional, default "Dana"
    start = "tag"                   # optional: "tag" (default) or "inbound"
    tags = ["Spanish"]              # optional: tags the contact has when tagged
    skip = "why"                    # optional: not run yet, and why
    [config]                        # optional [seller] overrides
    tone = "friendly"
    [[turn]]
    seller = "hi, got your text. we're relocating to phoenix for work"
    expect.stage = "q_timeline"
    expect.slots = { motivation = "relocation", move_to = "Phoenix" }
    expect.acts = ["life_event"]    # exactly the acts read ([] for none)
    expect.temperature = "cold"
    expect.reply_contains = ["phoenix"]          # case-insensitive
    expect.reply_not_contains = ["Makes sense"]
    expect.no_reply = false
    expect.flags = { opted_out = false }
    expect.language = "es"          # the language the bot writes in: en or es

`seller` may be a list of texts: they arrive together (one batched turn). A slot
expected as "none" must be empty. The words a reply must (not) contain are compared
as the compliance gate sends them ("está" matches the "esta" that goes out). A
file that cannot be read, or has a key or a
value that means nothing here, is a `ScriptError` naming the file, the turn and
the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from jorged.config import Config, SellerConfig, structure
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.qualify import reading_context
from jorged.domain.conversation.state import ConversationState, Flags, Slots, Stage
from jorged.domain.conversation.step import step
from jorged.domain.reading import ActKind, read
from jorged.domain.texting.compliance import gsm7_fold
from jorged.exceptions import ConfigError

__all__ = ["Script", "ScriptError", "TurnResult", "load_script", "run_script"]

#: When a script's conversation starts: a Tuesday, 10:00 in Los Angeles.
START = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
CONTACT = "scripted-contact"
_TOP_KEYS = {"name", "first_name", "start", "tags", "skip", "config", "turn"}
_TURN_KEYS = {"seller", "expect"}
_EXPECT_KEYS = {
    "stage",
    "slots",
    "acts",
    "temperature",
    "reply_contains",
    "reply_not_contains",
    "no_reply",
    "flags",
    "language",
}
_LANGUAGES = {"en", "es"}
_SLOT_KEYS = {f.name for f in attrs.fields(Slots)} - {"unknown"}
_FLAG_KEYS = {f.name for f in attrs.fields(Flags)}
_ACTS = {k.value for k in ActKind}
_STAGES = {s.value for s in Stage}
_TEMPERATURES = {"hot", "warm", "cold"}


class ScriptError(Exception):
    """A script that cannot be run: the message names the file, turn and key."""


@attrs.frozen(kw_only=True)
class Turn:
    seller: tuple[str, ...]
    expect: Mapping[str, Any]


@attrs.frozen(kw_only=True)
class Script:
    path: str
    name: str
    first_name: str
    start: str
    config: Mapping[str, Any]
    turns: tuple[Turn, ...]
    tags: tuple[str, ...] = ()
    skip: str = ""


@attrs.frozen(kw_only=True)
class TurnResult:
    index: int
    seller: tuple[str, ...]
    replies: tuple[str, ...]
    failures: tuple[str, ...]


def _bad(path: str, where: str, what: str) -> ScriptError:
    return ScriptError(f"{path}: {where}: {what}")


def load_script(path: Path) -> Script:
    """Read and check a script file (see the module docstring)."""
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(name, "file", f"cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _bad(name, "file", f"not valid TOML: {exc}") from None
    for key in sorted(set(data) - _TOP_KEYS):
        raise _bad(name, key, "unknown key")
    turns = data.get("turn")
    if not isinstance(turns, list) or not turns:
        raise _bad(name, "turn", "needs at least one [[turn]]")
    start = data.get("start", "tag")
    if start not in {"tag", "inbound"}:
        raise _bad(name, "start", f'must be "tag" or "inbound", got {start!r}')
    config = data.get("config", {})
    if not isinstance(config, dict):
        raise _bad(name, "config", "must be a table of [seller] settings")
    first_name = data.get("first_name", "Dana")
    if not isinstance(first_name, str):
        raise _bad(name, "first_name", "must be a string")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _bad(name, "tags", "must be a list of tag names")
    skip = data.get("skip", "")
    if not isinstance(skip, str):
        raise _bad(name, "skip", "must be the reason the script is not run")
    return Script(
        tags=tuple(tags),
        skip=skip,
        path=name,
        name=str(data.get("name", path.stem)),
        first_name=first_name,
        start=start,
        config=config,
        turns=tuple(_turn(name, i, t) for i, t in enumerate(turns, start=1)),
    )


def _turn(path: str, index: int, raw: Any) -> Turn:
    where = f"turn {index}"
    if not isinstance(raw, dict):
        raise _bad(path, where, "must be a table")
    for key in sorted(set(raw) - _TURN_KEYS):
        raise _bad(path, f"{where}: {key}", "unknown key")
    seller = raw.get("seller")
    if isinstance(seller, str):
        seller = [seller]
    if (
        not isinstance(seller, list)
        or not seller
        or not all(isinstance(s, str) and s.strip() for s in seller)
    ):
        raise _bad(path, f"{where}: seller", "must be a text or a list of texts")
    expect = raw.get("expect", {})
    if not isinstance(expect, dict):
        raise _bad(path, f"{where}: expect", "must be a table")
    for key, value in expect.items():
        _check_expect(path, f"{where}: expect.{key}", key, value)
    return Turn(seller=tuple(seller), expect=expect)


def _check_expect(path: str, where: str, key: str, value: Any) -> None:
    problem = _expect_problem(key, value)
    if problem is not None:
        more, what = problem
        raise _bad(path, where + more, what)


def _expect_problem(key: str, value: Any) -> tuple[str, str] | None:
    """What is wrong with `expect.key = value` (a key suffix and the problem)."""
    if key not in _EXPECT_KEYS:
        return "", f"unknown key (one of {', '.join(sorted(_EXPECT_KEYS))})"
    if key == "stage" and value not in _STAGES:
        return "", f"unknown stage {value!r} (one of {', '.join(sorted(_STAGES))})"
    if key == "temperature" and value not in _TEMPERATURES:
        return "", f"must be hot, warm or cold, got {value!r}"
    if key == "language" and value not in _LANGUAGES:
        return "", f"must be en or es, got {value!r}"
    if key == "no_reply" and not isinstance(value, bool):
        return "", "must be true or false"
    if key in {"reply_contains", "reply_not_contains", "acts"} and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return "", "must be a list of texts"
    if key == "acts":
        unknown = [a for a in value if a not in _ACTS]
        if unknown:
            return "", f"unknown act {unknown[0]!r} (one of {', '.join(sorted(_ACTS))})"
    if key in {"slots", "flags"}:
        if not isinstance(value, dict):
            return "", "must be a table"
        known = _SLOT_KEYS if key == "slots" else _FLAG_KEYS
        for name, one in value.items():
            if name not in known:
                return f".{name}", f"unknown (one of {', '.join(sorted(known))})"
            if key == "flags" and not isinstance(one, bool):
                return f".{name}", "must be true or false"
    return None


def seller_config(script: Script, base: SellerConfig) -> SellerConfig:
    """`base` with the script's `[config]` overrides."""
    if not script.config:
        return base
    data = attrs.asdict(base)
    merged = _merge(data, script.config)
    try:
        return structure({"seller": merged}, f"{script.path} [config]").seller
    except ConfigError as exc:
        raise ScriptError("; ".join(exc.messages)) from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def run_script(script: Script, base: SellerConfig) -> list[TurnResult]:
    """Play the script; one result per turn, in order."""
    cfg = seller_config(script, base)
    now = START
    state: ConversationState | None = None
    if script.start == "tag":
        event: sio.SellerInput = sio.Activate(
            contact_id=CONTACT, first_name=script.first_name
        )
        if script.tags:
            event = sio.TagsChanged(
                contact_id=CONTACT,
                added=(cfg.activation_tag, *script.tags),
                first_name=script.first_name,
            )
        state, _ = step(None, event, now, cfg)
    results = []
    n = 0
    for index, turn in enumerate(script.turns, start=1):
        now += timedelta(minutes=3)
        messages = []
        for text in turn.seller:
            n += 1
            messages.append(sio.InboundMessage(message_id=f"m{n}", text=text, at=now))
        acts = _acts_read(state, turn.seller, now)
        inbound = sio.Inbound(
            contact_id=CONTACT, messages=tuple(messages), first_name=script.first_name
        )
        state, actions = step(state, inbound, now, cfg)
        if state is not None and any(
            isinstance(a, sio.FetchCalendarSlots) for a in actions
        ):
            # No calendar here: the hot hand-off closes with a call.
            no_slots = sio.CalendarSlots(contact_id=CONTACT, slots=())
            state, more = step(state, no_slots, now, cfg)
            actions = (*actions, *more)
        replies = tuple(a.text for a in actions if isinstance(a, sio.SendSms))
        failures = _check(turn.expect, state, replies, acts)
        results.append(
            TurnResult(
                index=index, seller=turn.seller, replies=replies, failures=failures
            )
        )
    return results


def _acts_read(
    state: ConversationState | None, texts: Sequence[str], now: datetime
) -> frozenset[str]:
    """The acts the engine reads in a turn's messages (each, and all together)."""
    context = (
        reading_context(state, now)
        if state is not None
        else reading_context(
            ConversationState(contact_id=CONTACT, created_at=now, updated_at=now), now
        )
    )
    readings = [read(t, context) for t in texts]
    if len(texts) > 1:
        readings.append(read("\n".join(texts), context))
    return frozenset(a.kind.value for r in readings for a in r.acts)


def _same(got: Any, want: Any) -> bool:
    if want == "none":
        return got is None
    if hasattr(got, "value"):
        got = got.value
    if isinstance(want, str) and isinstance(got, str):
        return got.casefold() == want.casefold()
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    return bool(got == want)


def _check(
    expect: Mapping[str, Any],
    state: ConversationState | None,
    replies: tuple[str, ...],
    acts: frozenset[str],
) -> tuple[str, ...]:
    if state is None:
        return ("no conversation was started",)
    failures = []
    said = gsm7_fold("\n".join(replies)).casefold()
    for key, want in expect.items():
        if key == "stage" and state.stage.value != want:
            failures.append(f"expect.stage: wanted {want}, got {state.stage.value}")
        elif key == "temperature" and state.temperature.value != want:
            failures.append(
                f"expect.temperature: wanted {want}, got {state.temperature.value}"
            )
        elif key == "slots":
            for name, value in want.items():
                got = getattr(state.slots, name)
                if not _same(got, value):
                    shown = getattr(got, "value", got)
                    failures.append(
                        f"expect.slots.{name}: wanted {value!r}, got {shown!r}"
                    )
        elif key == "flags":
            for name, value in want.items():
                got = getattr(state.flags, name)
                if got is not value:
                    failures.append(f"expect.flags.{name}: wanted {value}, got {got}")
        elif key == "language" and state.language.value != want:
            failures.append(
                f"expect.language: wanted {want}, got {state.language.value}"
            )
        elif key == "acts" and frozenset(want) != acts:
            failures.append(f"expect.acts: wanted {sorted(want)}, read {sorted(acts)}")
        elif key == "reply_contains":
            failures.extend(
                f"expect.reply_contains: {w!r} not in the reply"
                for w in want
                if gsm7_fold(w).casefold() not in said
            )
        elif key == "reply_not_contains":
            failures.extend(
                f"expect.reply_not_contains: {w!r} is in the reply"
                for w in want
                if gsm7_fold(w).casefold() in said
            )
        elif key == "no_reply" and want is bool(replies):
            failures.append(
                "expect.no_reply: wanted no text, one was sent"
                if want
                else "expect.no_reply: wanted a text, none was sent"
            )
    return tuple(failures)


def results_json(script: Script, results: Sequence[TurnResult]) -> dict[str, Any]:
    return {
        "file": script.path,
        "name": script.name,
        "passed": not any(r.failures for r in results),
        "turns": [
            {
                "turn": r.index,
                "seller": list(r.seller),
                "replies": list(r.replies),
                "failures": list(r.failures),
            }
            for r in results
        ],
    }


def format_results(report: Mapping[str, Any]) -> str:
    """Per file, per turn: ok or FAIL, the seller's words, the reply, what failed."""
    lines = []
    for one in report["files"]:
        if "error" in one:
            lines.append(f"ERROR {one['error']}")
            continue
        if one.get("skipped"):
            lines.append(f"SKIP {one['file']}: {one['name']}: {one['skipped']}")
            continue
        lines.append(f"{one['file']}: {one['name']}")
        for t in one["turns"]:
            mark = "ok  " if not t["failures"] else "FAIL"
            seller = " / ".join(t["seller"])
            reply = " / ".join(t["replies"]) or "(no reply)"
            lines.append(f"  {mark} turn {t['turn']}: {seller!r}")
            lines.append(f"         bot: {reply}")
            lines.extend(
                f"         {one['file']}: turn {t['turn']}: {f}" for f in t["failures"]
            )
    ran = [one for one in report["files"] if not one.get("skipped")]
    passed = sum(1 for one in ran if one.get("passed"))
    skipped = len(report["files"]) - len(ran)
    tail = f", {skipped} skipped" if skipped else ""
    lines.append(f"{passed} of {len(ran)} conversations passed{tail}")
    return "\n".join(lines)


def run_files(paths: Sequence[str], base: Config) -> tuple[dict[str, Any], int]:
    """Run every file; the report and the exit code (0 pass, 1 fail, 2 bad file)."""
    files: list[dict[str, Any]] = []
    code = 0
    for name in paths:
        try:
            script = load_script(Path(name))
            if script.skip:
                files.append(
                    {
                        "file": name,
                        "name": script.name,
                        "skipped": script.skip,
                        "passed": True,
                    }
                )
                continue
            results = run_script(script, base.seller)
        except ScriptError as exc:
            files.append({"file": name, "error": str(exc), "passed": False})
            code = 2
            continue
        one = results_json(script, results)
        files.append(one)
        if not one["passed"] and code == 0:
            code = 1
    return {"files": files, "passed": code == 0}, code
