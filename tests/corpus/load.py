"""Load the labeled seller-message corpus (tests/corpus/<lang>/*.toml) into typed records.

One corpus per language of LANGUAGES (en, es), each in its own folder and measured on its own.

Every field is checked against the reader's own enums (jorged.domain.reading.acts and
jorged.domain.conversation.state); unknown keys, duplicate texts and labels that contradict
each other are errors naming the file, the message and the field. The format and how
labels are decided are in tests/corpus/README.md.
"""

from __future__ import annotations

import pathlib
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Final, TypeVar

import attrs

from jorged.domain.conversation.state import Condition, Motivation, Slot
from jorged.domain.reading.acts import ActKind, DismissalKind, QuestionKind

__all__ = [
    "ASKED",
    "CORPUS_DIR",
    "LANGUAGES",
    "LIFE_EVENTS",
    "CorpusError",
    "Labeled",
    "load_corpus",
    "load_file",
    "parse_message",
]

CORPUS_DIR: Final = pathlib.Path(__file__).parent
#: The languages with a corpus folder: English and Spanish (the same labels and rules).
LANGUAGES: Final = ("en", "es")

#: The question last asked: one of the four slots, "none" (no question yet, e.g. a
#: first inbound message) or "qualified" (all four done; only corrections fill slots).
ASKED: Final = frozenset({*(s.value for s in Slot), "none", "qualified"})
LIFE_EVENTS: Final = frozenset(
    {"death", "divorce", "job_loss", "foreclosure", "illness"}
)

_E = TypeVar("_E", bound=StrEnum)

_SLOT_KEYS: Final = (
    "motivation",
    "move_to",
    "timeline_ok",
    "timeline_days",
    "not_moving",
    "condition",
    "price_low",
    "price_high",
    "owed",
    "estimate",
)
_KEYS: Final = frozenset(
    {
        "text",
        "asked",
        "acts",
        "question",
        "dismissal",
        "life_event",
        "hard_negative",
        "note",
        *_SLOT_KEYS,
    }
)


class CorpusError(ValueError):
    """The corpus does not follow its format; one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@attrs.frozen(kw_only=True)
class Labeled:
    """One labeled message: the text, the question it answers, the reading it must give."""

    source: str  # "file.toml#N" (N counts messages from 1)
    text: str
    asked: str
    acts: frozenset[ActKind]
    question: QuestionKind | None = None
    dismissal: DismissalKind | None = None
    life_event: str | None = None
    motivation: Motivation | None = None
    move_to: str | None = None
    timeline_ok: bool | None = None
    timeline_days: int | None = None
    not_moving: bool = False
    condition: Condition | None = None
    price_low: int | None = None
    price_high: int | None = None
    owed: int | None = None
    estimate: int | None = None
    hard_negative: bool = False
    note: str | None = None

    @property
    def price(self) -> tuple[int, int] | None:
        if self.price_low is None or self.price_high is None:
            return None
        return (self.price_low, self.price_high)

    def filled(self) -> frozenset[str]:
        """The slot fields this message must fill (every other one must stay empty)."""
        return frozenset(
            k
            for k in _SLOT_KEYS
            if (self.not_moving if k == "not_moving" else getattr(self, k) is not None)
        )


class _Problems:
    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[str] = []

    def add(self, field: str, problem: str) -> None:
        self.items.append(f"{self.where}: {field}: {problem}")


def _text(raw: Mapping[str, Any], key: str, bad: _Problems) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        bad.add(key, f"must be a non-empty string, got {value!r}")
        return None
    return value


def _bool(raw: Mapping[str, Any], key: str, bad: _Problems) -> bool | None:
    value = raw.get(key)
    if value is None or isinstance(value, bool):
        return value
    bad.add(key, f"must be true or false, got {value!r}")
    return None


def _amount(
    raw: Mapping[str, Any], key: str, bad: _Problems, *, top: int
) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= top:
        bad.add(key, f"must be a whole number in 1..{top}, got {value!r}")
        return None
    return value


def _enum(
    kind: type[_E], raw: Mapping[str, Any], key: str, bad: _Problems
) -> _E | None:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        bad.add(key, f"{value!r} is not one of: {allowed}")
        return None


def _acts(raw: Mapping[str, Any], bad: _Problems) -> frozenset[ActKind]:
    value = raw.get("acts")
    if not isinstance(value, list):
        bad.add("acts", f"must be a list of act kinds (may be empty), got {value!r}")
        return frozenset()
    acts: list[ActKind] = []
    for item in value:
        try:
            acts.append(ActKind(item))
        except ValueError:
            allowed = ", ".join(k.value for k in ActKind)
            bad.add("acts", f"{item!r} is not one of: {allowed}")
    if len(set(acts)) != len(acts):
        bad.add("acts", "lists an act twice")
    return frozenset(acts)


def _check_kinds(msg: Labeled, bad: _Problems) -> None:
    """Each kind field goes with its act and the act with it."""
    pairs = (
        (ActKind.QUESTION, "question", msg.question),
        (ActKind.DISMISSAL, "dismissal", msg.dismissal),
        (ActKind.LIFE_EVENT, "life_event", msg.life_event),
    )
    for act, field, value in pairs:
        if act in msg.acts and value is None:
            bad.add(field, f"act {act.value!r} needs its {field} kind")
        if act not in msg.acts and value is not None:
            bad.add(field, f"given without the {act.value!r} act")


def _check_consistency(msg: Labeled, bad: _Problems) -> None:
    _check_kinds(msg, bad)
    if {ActKind.OPT_OUT, ActKind.OPT_OUT_UNSURE} <= msg.acts:
        bad.add("acts", "opt_out and opt_out_unsure exclude each other")
    if ActKind.OPT_OUT in msg.acts and ActKind.COMPLAINT in msg.acts:
        bad.add(
            "acts", "hostility in an opt-out is the opt-out: no complaint act with it"
        )
    if (msg.price_low is None) != (msg.price_high is None):
        bad.add(
            "price_low", "price_low and price_high go together (a single price: equal)"
        )
    elif (
        msg.price_low is not None
        and msg.price_high is not None
        and (msg.price_low > msg.price_high)
    ):
        bad.add("price_low", f"{msg.price_low} is above price_high {msg.price_high}")
    if msg.timeline_days is not None and msg.timeline_ok is None:
        bad.add("timeline_days", "a span needs timeline_ok (true or false) with it")
    if msg.move_to is not None and msg.motivation is None:
        bad.add("move_to", "a destination is read with the motivation it belongs to")
    if msg.asked == "qualified" and msg.filled() and ActKind.CORRECTION not in msg.acts:
        bad.add("asked", "after qualification only a correction fills slots")
    if ActKind.CORRECTION in msg.acts and not msg.filled():
        bad.add("acts", "a correction changes a slot: give the new value")
    if ActKind.INSTRUCTION in msg.acts and msg.price is not None:
        bad.add(
            "price_low", "a number inside an instruction to the bot is never a price"
        )


def parse_message(
    raw: Mapping[str, Any], source: str
) -> tuple[Labeled | None, list[str]]:
    """One [[message]] table into a record, or None and the problems found."""
    bad = _Problems(source)
    for key in sorted(set(raw) - _KEYS):
        bad.add(key, "unknown key")
    text = _text(raw, "text", bad)
    if text is None and "text" not in raw:
        bad.add("text", "missing")
    asked = raw.get("asked")
    if asked not in ASKED:
        bad.add("asked", f"{asked!r} is not one of: {', '.join(sorted(ASKED))}")
    acts = _acts(raw, bad)
    life_event = _text(raw, "life_event", bad)
    if life_event is not None and life_event not in LIFE_EVENTS:
        bad.add(
            "life_event",
            f"{life_event!r} is not one of: {', '.join(sorted(LIFE_EVENTS))}",
        )
    not_moving = _bool(raw, "not_moving", bad)
    if not_moving is False:
        bad.add("not_moving", "write it only when true (absent means not said)")
    hard_negative = _bool(raw, "hard_negative", bad)
    record = Labeled(
        source=source,
        text=text or "",
        asked=str(asked),
        acts=acts,
        question=_enum(QuestionKind, raw, "question", bad),
        dismissal=_enum(DismissalKind, raw, "dismissal", bad),
        life_event=life_event,
        motivation=_enum(Motivation, raw, "motivation", bad),
        move_to=_text(raw, "move_to", bad),
        timeline_ok=_bool(raw, "timeline_ok", bad),
        timeline_days=_amount(raw, "timeline_days", bad, top=3650),
        not_moving=bool(not_moving),
        condition=_enum(Condition, raw, "condition", bad),
        price_low=_amount(raw, "price_low", bad, top=50_000_000),
        price_high=_amount(raw, "price_high", bad, top=50_000_000),
        owed=_amount(raw, "owed", bad, top=50_000_000),
        estimate=_amount(raw, "estimate", bad, top=50_000_000),
        hard_negative=bool(hard_negative),
        note=_text(raw, "note", bad),
    )
    if not bad.items:
        _check_consistency(record, bad)
    return (None if bad.items else record), bad.items


def load_file(path: pathlib.Path) -> tuple[Labeled, ...]:
    """The messages of one corpus file; CorpusError lists every problem in it."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError([f"{path.name}: not valid TOML: {exc}"]) from exc
    problems = [
        f"{path.name}: {key}: unknown top-level key" for key in doc if key != "message"
    ]
    tables = doc.get("message", [])
    if not isinstance(tables, list) or not tables:
        problems.append(f"{path.name}: message: needs [[message]] tables")
        tables = []
    records: list[Labeled] = []
    for n, raw in enumerate(tables, start=1):
        record, found = parse_message(raw, f"{path.name}#{n}")
        problems.extend(found)
        if record is not None:
            records.append(record)
    if problems:
        raise CorpusError(problems)
    return tuple(records)


def load_corpus(
    language: str = "en", root: pathlib.Path = CORPUS_DIR
) -> tuple[Labeled, ...]:
    """Every message of one language; CorpusError lists every problem, duplicates included."""
    files = sorted((root / language).glob("*.toml"))
    if not files:
        raise CorpusError([f"{root / language}: no corpus files"])
    problems: list[str] = []
    records: list[Labeled] = []
    for path in files:
        try:
            records.extend(load_file(path))
        except CorpusError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for record in records:
        key = record.text.strip()
        if key in seen:
            problems.append(f"{record.source}: text: duplicate of {seen[key]}: {key!r}")
        else:
            seen[key] = record.source
    if problems:
        raise CorpusError(problems)
    return tuple(records)
