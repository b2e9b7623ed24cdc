"""An LLM's reading, kept only where the seller's words back it, merged into the rules'.

`ground(text, answer)` turns the answer of the reading tool (see
`jorged.llm.reading`) into a `Reading`: an act or a value is kept only when its
evidence, the seller's words it was read from, appears in the message (ignoring
case and spacing), and only when its kind and value are ones the contract knows.
Anything else is dropped, never guessed.

`merge(rules, llm)` joins the two readings (SPEC 1.10): an opt-out from either
reader counts (and fills nothing); otherwise the rules' acts and values stand and
the LLM adds the acts and fills the values the rules did not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from jorged.domain.conversation.state import Condition, Motivation
from jorged.domain.reading.acts import (
    Act,
    ActKind,
    DismissalKind,
    Evidence,
    QuestionKind,
    Reading,
    SlotValues,
)

__all__ = ["LIFE_EVENTS", "ground", "merge"]

LIFE_EVENTS = frozenset({"death", "divorce", "job_loss", "foreclosure", "illness"})
#: The confidence given to what the LLM read (and the seller's words confirm).
LLM_CONFIDENCE = 0.8
_E = TypeVar("_E", bound=StrEnum)
_AMOUNT_MAX = 100_000_000
_DAYS_MAX = 3650


def ground(text: str, answer: Mapping[str, Any]) -> Reading:
    """The LLM's answer as a Reading, keeping only what the text backs."""
    acts: list[Act] = []
    raw_acts = answer.get("acts")
    for raw in raw_acts if isinstance(raw_acts, list) else []:
        act = _act(text, raw) if isinstance(raw, Mapping) else None
        if act is not None and all(a.kind is not act.kind for a in acts):
            acts.append(act)
    values = _values(text, answer.get("values"))
    found = bool(acts) or values != SlotValues()
    return Reading(
        acts=tuple(acts), values=values, confidence=LLM_CONFIDENCE if found else 0.0
    )


def merge(rules: Reading, llm: Reading) -> Reading:
    """The rules' reading, with what the LLM adds; an opt-out from either counts."""
    for reading in (rules, llm):
        if reading.has(ActKind.OPT_OUT):
            out = next(a for a in reading.acts if a.kind is ActKind.OPT_OUT)
            extra = [
                a for a in (*rules.acts, *llm.acts) if a.kind is ActKind.DISMISSAL
            ][:1]
            return Reading(acts=(out, *extra), confidence=max(out.confidence, 0.8))
    acts = list(rules.acts)
    acts.extend(a for a in llm.acts if not rules.has(a.kind))
    if any(a.kind is ActKind.OPT_OUT_UNSURE for a in acts):
        keep = {ActKind.OPT_OUT_UNSURE, ActKind.DISMISSAL}
        unsure = [a for a in acts if a.kind in keep]
        return Reading(acts=tuple(unsure), confidence=0.5)
    return Reading(
        acts=tuple(acts),
        values=_merge_values(rules.values, llm.values),
        confidence=max(rules.confidence, llm.confidence),
    )


def _merge_values(rules: SlotValues, llm: SlotValues) -> SlotValues:
    fields = (
        "motivation",
        "move_to",
        "timeline_ok",
        "timeline_days",
        "condition",
        "owed",
        "estimate",
    )
    changes: dict[str, Any] = {}
    taken: list[str] = []
    for name in fields:
        if getattr(rules, name) is None and getattr(llm, name) is not None:
            changes[name] = getattr(llm, name)
            taken.append(name)
    if rules.price_low is None and llm.price_low is not None:
        changes["price_low"], changes["price_high"] = llm.price_low, llm.price_high
        taken.append("price")
    if "timeline_ok" in taken:
        changes["not_moving"] = llm.not_moving
    evidence = rules.evidence + tuple(
        (name, ev) for name, ev in llm.evidence if _field(name) in taken
    )
    return attrs.evolve(rules, **changes, evidence=evidence)


def _field(evidence_name: str) -> str:
    return "timeline_ok" if evidence_name == "timeline" else evidence_name


def _find(text: str, quote: object) -> Evidence | None:
    """Where `quote` stands in `text` (case and spacing ignored), if it does."""
    if not isinstance(quote, str) or not quote.strip():
        return None
    words = [re.escape(w) for w in quote.split()]
    m = re.search(r"\s+".join(words), text, re.IGNORECASE)
    if m is None:
        return None
    return Evidence(start=m.start(), end=m.end(), text=text[m.start() : m.end()])


def _enum(kind: type[_E], value: object) -> _E | None:
    try:
        return kind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _act(text: str, raw: Mapping[str, Any]) -> Act | None:
    kind = _enum(ActKind, raw.get("kind"))
    evidence = _find(text, raw.get("evidence"))
    if kind is None or evidence is None:
        return None
    question = _enum(QuestionKind, raw.get("question"))
    dismissal = _enum(DismissalKind, raw.get("dismissal"))
    event = raw.get("life_event")
    if kind is ActKind.QUESTION and question is None:
        question = QuestionKind.OTHER
    if kind is ActKind.DISMISSAL and dismissal is None:
        return None
    if kind is ActKind.LIFE_EVENT and event not in LIFE_EVENTS:
        return None
    when = _find(text, raw.get("call_time")) if kind is ActKind.CALL_REQUEST else None
    return Act(
        kind=kind,
        evidence=evidence,
        confidence=LLM_CONFIDENCE,
        question=question if kind is ActKind.QUESTION else None,
        dismissal=dismissal if kind is ActKind.DISMISSAL else None,
        life_event=event if kind is ActKind.LIFE_EVENT else None,
        call_time=when.text if when is not None else None,
    )


def _values(text: str, raw: object) -> SlotValues:
    if not isinstance(raw, Mapping):
        return SlotValues()
    out: dict[str, Any] = {}
    evidence: list[tuple[str, Evidence]] = []

    def take(name: str, value: object, ev_name: str | None = None) -> None:
        entry = raw.get(name)
        if value is None or not isinstance(entry, Mapping):
            return
        found = _find(text, entry.get("evidence"))
        if found is not None:
            out[name] = value
            evidence.append((ev_name or name, found))

    take("motivation", _enum(Motivation, _inner(raw, "motivation")))
    take("move_to", _text(_inner(raw, "move_to")))
    take("timeline_ok", _bool(_inner(raw, "timeline_ok")), "timeline")
    if "timeline_ok" in out:
        take("timeline_days", _int(_inner(raw, "timeline_days"), _DAYS_MAX))
    take("condition", _enum(Condition, _inner(raw, "condition")))
    take("owed", _int(_inner(raw, "owed"), _AMOUNT_MAX))
    take("estimate", _int(_inner(raw, "estimate"), _AMOUNT_MAX))
    price = raw.get("price")
    if isinstance(price, Mapping):
        low = _int(price.get("low"), _AMOUNT_MAX)
        high = _int(price.get("high"), _AMOUNT_MAX)
        found = _find(text, price.get("evidence"))
        if low is not None and high is not None and low <= high and found:
            out["price_low"], out["price_high"] = low, high
            evidence.append(("price", found))
    if "motivation" not in out:
        out.pop("move_to", None)
        evidence = [e for e in evidence if e[0] != "move_to"]
    return SlotValues(**out, evidence=tuple(evidence))


def _inner(raw: Mapping[str, Any], name: str) -> object:
    entry = raw.get(name)
    return entry.get("value") if isinstance(entry, Mapping) else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _int(value: object, top: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= top else None
