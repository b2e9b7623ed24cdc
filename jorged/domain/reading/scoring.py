"""Scoring a reader on labeled messages: per-act and per-slot precision and recall.

Each labeled message says the question last asked, the exact set of acts it must
give and the slot values it must fill (a slot absent from the label must stay
empty). Per act kind, a predicted act is a true positive when the label has it,
else a false positive; a labeled act not predicted is a false negative. Per slot
field (motivation, move_to, timeline_ok, timeline_days, condition, price, owed,
estimate), a predicted value equal to the label is a true positive, a predicted
value that differs or is not labeled a false positive, and a labeled value not
predicted equal a false negative. `move_to` compares case-insensitively; `price`
is the pair (low, high). The kinds of questions, dismissals and life events are
scored too, as `question:who` and the like, among the acts that were found.

The floors (SPEC 1.4, 1.10): every opt-out read (recall 100 %), no opt-out read
where the label has none, and every act and slot at 95 % precision and recall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol

import attrs

from jorged.domain.conversation.state import Slot
from jorged.domain.reading.acts import ActKind, Context, Reading

__all__ = [
    "FLOOR",
    "SLOT_FIELDS",
    "Labeled",
    "Miss",
    "Report",
    "Row",
    "context_for",
    "score",
]

#: Every act and slot must reach this precision and recall.
FLOOR = 0.95
SLOT_FIELDS = (
    "motivation",
    "move_to",
    "timeline_ok",
    "timeline_days",
    "condition",
    "price",
    "owed",
    "estimate",
)
#: The day corpus messages are read on (fixed, so spans to a season replay).
CORPUS_DAY = date(2026, 3, 1)


class Labeled(Protocol):
    """What the scorer needs of a labeled message (see tests/corpus/load.py)."""

    @property
    def source(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def asked(self) -> str: ...
    @property
    def acts(self) -> frozenset[ActKind]: ...
    @property
    def question(self) -> object: ...
    @property
    def dismissal(self) -> object: ...
    @property
    def life_event(self) -> str | None: ...
    @property
    def motivation(self) -> object: ...
    @property
    def move_to(self) -> str | None: ...
    @property
    def timeline_ok(self) -> bool | None: ...
    @property
    def timeline_days(self) -> int | None: ...
    @property
    def condition(self) -> object: ...
    @property
    def price(self) -> tuple[int, int] | None: ...
    @property
    def owed(self) -> int | None: ...
    @property
    def estimate(self) -> int | None: ...


@attrs.frozen(kw_only=True)
class Row:
    """Counts for one act kind or slot field."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def meets(self, floor: float = FLOOR) -> bool:
        return self.precision >= floor and self.recall >= floor


@attrs.frozen(kw_only=True)
class Miss:
    """One message read wrong: which field, what the label says, what was read."""

    source: str
    text: str
    asked: str
    field: str
    expected: str
    read: str


@attrs.frozen(kw_only=True)
class Report:
    language: str
    messages: int
    acts: tuple[Row, ...]
    kinds: tuple[Row, ...]
    slots: tuple[Row, ...]
    misses: tuple[Miss, ...]

    @property
    def false_opt_outs(self) -> int:
        return next((r.fp for r in self.acts if r.name == ActKind.OPT_OUT), 0)

    @property
    def opt_out_recall(self) -> float:
        return next((r.recall for r in self.acts if r.name == ActKind.OPT_OUT), 1.0)

    def failures(self, floor: float = FLOOR) -> list[str]:
        """Why the report misses its floors; empty when it meets them."""
        out: list[str] = []
        if self.opt_out_recall < 1.0:
            out.append(f"opt_out recall {self.opt_out_recall:.1%} (floor 100 %)")
        if self.false_opt_outs:
            out.append(f"{self.false_opt_outs} false opt-outs (floor 0)")
        out.extend(
            f"{row.name}: precision {row.precision:.1%}, recall {row.recall:.1%}"
            for row in (*self.acts, *self.slots)
            if not row.meets(floor)
        )
        return out


Reader = Callable[[str, Context], Reading]


def context_for(asked: str, today: date = CORPUS_DAY, language: str = "en") -> Context:
    """The context a labeled message is read in: all four slots open."""
    if asked == "qualified":
        return Context(asking=None, qualified=True, today=today, language=language)
    asking = None if asked == "none" else Slot(asked)
    return Context(asking=asking, today=today, language=language)


def _spoken(language: str) -> str:
    """The conversation language of a report's messages ("heldout_es" is Spanish)."""
    return "es" if language == "es" or language.endswith("_es") else "en"


def score(
    messages: Iterable[Labeled], reader: Reader, *, language: str = "en"
) -> Report:
    """Read every message and count hits and misses per act, kind and slot."""
    acts = {kind.value: [0, 0, 0] for kind in ActKind}
    kinds: dict[str, list[int]] = {}
    slots = {name: [0, 0, 0] for name in SLOT_FIELDS}
    misses: list[Miss] = []
    count = 0
    spoken = _spoken(language)
    for msg in messages:
        count += 1
        reading = reader(msg.text, context_for(msg.asked, language=spoken))
        got = {a.kind for a in reading.acts}
        for kind in ActKind:
            want, have = kind in msg.acts, kind in got
            _count(acts[kind.value], want=want, have=have, same=True)
            if want != have:
                misses.append(_miss(msg, kind.value, want, have))
        for name, want_kind, have_kind in _kinds(msg, reading):
            row = kinds.setdefault(name, [0, 0, 0])
            _count(row, want=want_kind, have=have_kind, same=True)
        for name in SLOT_FIELDS:
            want_v, have_v = _label(msg, name), _value(reading, name)
            same = _same(name, want_v, have_v)
            _count(
                slots[name], want=want_v is not None, have=have_v is not None, same=same
            )
            if not same:
                misses.append(_slot_miss(msg, name, want_v, have_v))
    return Report(
        language=language,
        messages=count,
        acts=_rows(acts),
        kinds=_rows(dict(sorted(kinds.items()))),
        slots=_rows(slots),
        misses=tuple(misses),
    )


def _rows(counts: dict[str, list[int]]) -> tuple[Row, ...]:
    return tuple(Row(name=n, tp=c[0], fp=c[1], fn=c[2]) for n, c in counts.items())


def _count(row: list[int], *, want: bool, have: bool, same: bool) -> None:
    if want and have and same:
        row[0] += 1
        return
    if have:
        row[1] += 1
    if want:
        row[2] += 1


def _kinds(msg: Labeled, reading: Reading) -> list[tuple[str, bool, bool]]:
    """(name, labeled, read) for each question / dismissal / life event kind."""
    out: list[tuple[str, bool, bool]] = []
    for act, field in (
        (ActKind.QUESTION, "question"),
        (ActKind.DISMISSAL, "dismissal"),
        (ActKind.LIFE_EVENT, "life_event"),
    ):
        want = getattr(msg, field)
        have = {str(getattr(a, field)) for a in reading.acts if a.kind is act}
        names = {str(want)} | have if want is not None else have
        out.extend(
            (f"{field}:{name}", want is not None and str(want) == name, name in have)
            for name in names
        )
    return out


def _label(msg: Labeled, name: str) -> object:
    return getattr(msg, name)


def _value(reading: Reading, name: str) -> object:
    values = reading.values
    if name == "price":
        if values.price_low is None or values.price_high is None:
            return None
        return (values.price_low, values.price_high)
    return getattr(values, name)


def _same(name: str, want: object, have: object) -> bool:
    if want is None or have is None:
        return want is None and have is None
    if name == "move_to":
        return str(want).casefold() == str(have).casefold()
    return str(want) == str(have)


def _miss(msg: Labeled, name: str, want: bool, have: bool) -> Miss:
    return Miss(
        source=msg.source,
        text=msg.text,
        asked=msg.asked,
        field=name,
        expected="yes" if want else "no",
        read="yes" if have else "no",
    )


def _slot_miss(msg: Labeled, name: str, want: object, have: object) -> Miss:
    return Miss(
        source=msg.source,
        text=msg.text,
        asked=msg.asked,
        field=name,
        expected="-" if want is None else str(want),
        read="-" if have is None else str(have),
    )
