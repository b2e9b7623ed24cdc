"""A stand-in reader built on the keyword rules and `extract`, until `reading.read`."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from jorged.domain.compliance import is_help, is_opt_in, is_opt_out
from jorged.domain.extract import extract
from jorged.domain.reading.acts import (
    Act,
    ActKind,
    Context,
    QuestionKind,
    Reading,
    SlotValues,
)

_WHO = re.compile(r"\bwho(?:s| is| are)? (?:this|you|that)\b", re.IGNORECASE)
_BOT = re.compile(r"\b(?:bot|robot|real person|automated)\b", re.IGNORECASE)


def read(text: str, context: Context) -> Reading:
    if is_opt_out(text):
        return Reading(acts=(Act(kind=ActKind.OPT_OUT),))
    if is_opt_in(text):
        return Reading(acts=(Act(kind=ActKind.OPT_IN),))
    if is_help(text):
        return Reading(acts=(Act(kind=ActKind.HELP),))
    acts: list[Act] = []
    if _WHO.search(text):
        acts.append(Act(kind=ActKind.QUESTION, question=QuestionKind.WHO))
    elif _BOT.search(text) and "?" in text:
        acts.append(Act(kind=ActKind.QUESTION, question=QuestionKind.BOT))
    open_slots = () if context.qualified else context.open_slots
    ex = extract(
        text, open_slots, now=datetime(2026, 3, 2, tzinfo=UTC), asking=context.asking
    )
    values = SlotValues(
        motivation=ex.motivation,
        move_to=ex.move_to,
        urgency=ex.urgency,
        timeline_ok=ex.timeline_ok,
        timeline_days=ex.timeline_days,
        not_moving=ex.not_moving,
        condition=ex.condition,
        price_low=ex.price.low if ex.price else None,
        price_high=ex.price.high if ex.price else None,
    )
    return Reading(acts=tuple(acts), values=values)
