"""`read(text, context)`: what a seller's message is, then what it answers (SPEC 1.10).

Consent comes first: an opt-out (or a message that may be one) is all that
matters, and HELP / START are answered as what they are. Then the other acts are
read (questions back, dismissals, call requests, corrections, life events,
complaints, instructions to the bot), and last the slot values, against the
question last asked and the slots still open. An instruction's words are never
read as values; a message that only asks, complains or refuses fills nothing;
after qualification only a correction fills slots.

Every act and value keeps its evidence (the seller's words) and a confidence. A
reading with nothing in it while a question was open is unsure (low confidence),
so an LLM, when configured, may read the message too.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from jorged.domain.conversation.state import Motivation, Slot
from jorged.domain.reading.acts import (
    Act,
    ActKind,
    Context,
    Evidence,
    QuestionKind,
    Reading,
    SlotValues,
)
from jorged.domain.reading.calls import read_call
from jorged.domain.reading.condition import HOUSE_TALK, find_condition
from jorged.domain.reading.consent import read_consent
from jorged.domain.reading.corrections import read_correction
from jorged.domain.reading.destination import find_move_to
from jorged.domain.reading.dismissals import read_dismissal
from jorged.domain.reading.hostility import read_complaint
from jorged.domain.reading.instructions import read_instruction
from jorged.domain.reading.life_events import read_life_event
from jorged.domain.reading.motivation import find_motivation, is_reason
from jorged.domain.reading.price import read_price
from jorged.domain.reading.questions import read_questions
from jorged.domain.reading.spans import find_span
from jorged.domain.reading.text import Clause, Text
from jorged.domain.reading.timeline import (
    TIMING_TALK,
    find_timeline,
    read_urgency,
)

__all__ = ["UNSURE", "read"]

#: A reading at or below this confidence is unsure: the LLM, if any, reads it too.
UNSURE = 0.6

#: A time phrase fills the timeline only when the clause speaks of the sale or move.
_SALE_TALK = re.compile(
    r"\b(?:sell|selling|sold|sale|move|moving|moved out|out|list|listing|close"
    r"|closing|escrow|ready|leave|leaving|relocat\w*|transfer\w*|need to|have to"
    r"|gotta|got to|want to|hoping|plan|planning|timeline|timeframe|time frame|done"
    r"|gone|start|report|asap|soon|works|work|fine|problem|issue|ok|okay|within"
    r"|by|until|till|til|before|after|at least|no sooner|earliest|wait|more like"
    r"|need|give us|give me)\b"
)
#: Questions whose clauses hold no answer (an offer asked for is no price).
_NO_ANSWER_QUESTIONS = frozenset({QuestionKind.OFFER, QuestionKind.COMMISSION})


#: A message is read up to this many characters (an SMS batch is far shorter).
MAX_CHARS = 2000


def read(text: str, context: Context) -> Reading:
    """Read one inbound message (or a batch joined with newlines)."""
    t = Text.of(text[:MAX_CHARS])
    consent = read_consent(t, None if context.qualified else context.asking)
    if consent:
        dismissal = read_dismissal(t)
        if consent[0].kind is ActKind.OPT_OUT and dismissal is not None:
            consent.append(dismissal)
        return Reading(acts=tuple(consent), confidence=consent[0].confidence)
    instruction, masked = read_instruction(t)
    acts: list[Act] = []
    if instruction is not None:
        acts.append(instruction)
    questions = read_questions(t, masked)
    call = read_call(t, masked)
    if call is not None:
        questions = [q for q in questions if q.question is not QuestionKind.OTHER]
    acts.extend(questions)
    acts.extend(
        found
        for found in (
            read_dismissal(t, masked),
            call,
            read_life_event(t, masked),
            read_complaint(t, masked),
        )
        if found is not None
    )
    kinds = {a.kind for a in acts}
    masked = masked + [
        _norm_span(t, q.evidence)
        for q in questions
        if q.question in _NO_ANSWER_QUESTIONS and q.evidence is not None
    ]
    values = SlotValues()
    correction = read_correction(t, masked, qualified=context.qualified)
    if not kinds & {ActKind.DISMISSAL, ActKind.COMPLAINT}:
        values = _values(t, context, masked, acts, correcting=correction is not None)
    if correction is not None and _any_slot(values):
        acts.append(correction)
    elif context.qualified:
        values = SlotValues()
    confidence = min((a.confidence for a in acts), default=1.0)
    if (
        not acts
        and context.asking is not None
        and context.asking in context.open_slots
        and not _fills(values, context.asking)
    ):
        confidence = 0.4
    return Reading(acts=tuple(acts), values=values, confidence=confidence)


def _norm_span(t: Text, ev: Evidence) -> tuple[int, int]:
    """The copy's span over the evidence `ev` (the inverse of `Text.evidence`)."""
    last = len(t.index) - 1
    start = next((i for i in range(1, last) if t.index[i] >= ev.start), last)
    end = next((i for i in range(start, last) if t.index[i] >= ev.end), last)
    return start, end


def _any_slot(values: SlotValues) -> bool:
    """Whether the values answer any of the four questions."""
    return any(_fills(values, slot) for slot in Slot)


def _fills(values: SlotValues, slot: Slot) -> bool:
    if slot is Slot.MOTIVATION:
        return values.motivation is not None
    if slot is Slot.TIMELINE:
        return values.timeline_ok is not None
    if slot is Slot.CONDITION:
        return values.condition is not None
    return values.price_low is not None


def _mask(norm: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    return norm


def _values(
    t: Text,
    context: Context,
    masked: list[tuple[int, int]],
    acts: list[Act],
    *,
    correcting: bool,
) -> SlotValues:
    norm = _mask(t.norm, masked)
    asking = None if context.qualified else context.asking
    open_slots = set(Slot) if context.qualified else set(context.open_slots)
    today = context.today or datetime.now(UTC).date()
    evidence: list[tuple[str, Evidence]] = []
    out: dict[str, Any] = {}
    kinds = {a.kind for a in acts}

    if Slot.MOTIVATION in open_slots:
        _motivation(
            t,
            _mask(norm, _question_clauses(t, acts)),
            asking=asking,
            kinds=kinds,
            out=out,
            evidence=evidence,
        )
    if Slot.TIMELINE in open_slots:
        _timeline(
            t,
            _mask(norm, _question_clauses(t, acts, ActKind.CALL_REQUEST)),
            asking=asking,
            any_span=correcting,
            today=today,
            out=out,
            evidence=evidence,
        )
    if Slot.CONDITION in open_slots and (
        asking is Slot.CONDITION or HOUSE_TALK.search(norm)
    ):
        found = find_condition(norm, asking=asking)
        if found is not None:
            out["condition"] = found[0]
            evidence.append(("condition", t.evidence(*found[1])))
    if Slot.PRICE in open_slots:
        price = read_price(
            t, at_price_question=asking is Slot.PRICE or correcting, masked=masked
        )
        if price.asking is not None and price.asking_at is not None:
            out["price_low"] = price.asking.low
            out["price_high"] = price.asking.high
            evidence.append(("price", t.evidence(*price.asking_at)))
        if price.owed is not None and price.owed_at is not None:
            out["owed"] = price.owed
            evidence.append(("owed", t.evidence(*price.owed_at)))
        if price.estimate is not None and price.estimate_at is not None:
            out["estimate"] = price.estimate
            evidence.append(("estimate", t.evidence(*price.estimate_at)))
    urgency = read_urgency(
        norm,
        out.get("timeline_days"),
        out.get("motivation"),
    )
    return SlotValues(**out, urgency=urgency, evidence=tuple(evidence))


def _motivation(
    t: Text,
    norm: str,
    *,
    asking: Slot | None,
    kinds: set[ActKind],
    out: dict[str, Any],
    evidence: list[tuple[str, Evidence]],
) -> None:
    found = find_motivation(norm, asking=asking)
    place = find_move_to(_original_without(t, norm))
    if found is not None:
        out["motivation"] = found[0]
        evidence.append(("motivation", t.evidence(*found[1])))
    elif place is not None:
        out["motivation"] = Motivation.RELOCATION
    elif asking is Slot.MOTIVATION and not kinds & _NOT_AN_ANSWER and is_reason(norm):
        out["motivation"] = Motivation.OTHER
        evidence.append(("motivation", t.evidence(1, len(norm) - 1)))
    if place is not None:
        out["move_to"] = place[0]
        start, end = place[1]
        evidence.append(
            ("move_to", Evidence(start=start, end=end, text=t.original[start:end]))
        )


def _question_clauses(
    t: Text, acts: list[Act], *also: ActKind
) -> list[tuple[int, int]]:
    """The clauses of the copy that hold a question back (or an act of `also`)."""
    kinds = {ActKind.QUESTION, *also}
    spans = [
        _norm_span(t, a.evidence)
        for a in acts
        if a.kind in kinds and a.evidence is not None
    ]
    return [
        (c.start, c.end)
        for c in t.clauses()
        if any(c.start <= start < c.end + 1 for start, _ in spans)
    ]


def _original_without(t: Text, norm: str) -> str:
    """The original message with what is blanked in `norm` blanked too."""
    chars = list(t.original)
    for i, ch in enumerate(norm):
        if ch == " " and t.norm[i] != " " and 0 < i < len(t.index) - 1:
            chars[t.index[i]] = " "
    return "".join(chars)


_NOT_AN_ANSWER = frozenset(
    {
        ActKind.QUESTION,
        ActKind.COMPLAINT,
        ActKind.INSTRUCTION,
        ActKind.DISMISSAL,
        ActKind.CALL_REQUEST,
    }
)


def _timeline(
    t: Text,
    norm: str,
    *,
    asking: Slot | None,
    today: date,
    out: dict[str, Any],
    evidence: list[tuple[str, Evidence]],
    any_span: bool = False,
) -> None:
    span = find_span(norm, today)
    if span is not None and asking is not Slot.TIMELINE and not any_span:
        start, end = span[1]
        clause = next((c for c in t.clauses() if c.start <= start < c.end + 1), None)
        if clause is None or not (
            _SALE_TALK.search(_without(clause, start, end))
            or TIMING_TALK.search(_without(clause, start, end))
        ):
            span = None
    days = span[0] if span is not None else None
    ok, not_moving, where = find_timeline(norm, days, asking=asking, talk=any_span)
    if not_moving:
        out["not_moving"] = True
    if ok is None:
        return
    out["timeline_ok"] = ok
    if days is not None:
        out["timeline_days"] = days
    at = where or (span[1] if span is not None else None)
    if at is not None:
        evidence.append(("timeline", t.evidence(*at)))


def _without(clause: Clause, start: int, end: int) -> str:
    """The clause's text without `norm[start:end]` ("in 3 weeks" is no sale talk)."""
    first = max(0, start - clause.start + 1)
    last = max(first, end - clause.start + 1)
    return clause.text[:first] + " " * (last - first) + clause.text[last:]
