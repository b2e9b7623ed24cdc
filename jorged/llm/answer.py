"""The question put to the LLM and the defensive reading of its answer.

The model is asked for one JSON object holding only the signals the patterns missed.
`parse_answer` accepts exactly that: a JSON object (optionally inside a Markdown code
fence) with every requested key present, each value `null` or of the right type. Any
other answer is rejected as a whole with the reason, and the caller keeps the pattern
result: a half-read answer is never merged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import orjson

from jorged.domain.leads.analysis import Financing, LeadAnalysis, LeadGaps

#: Which answer keys fill which signal of `LeadAnalysis.missing`.
SIGNAL_KEYS = {
    "price": ("price_low", "price_high"),
    "timeline": ("timeline_days",),
    "area": ("area",),
    "financing": ("financing",),
}
FINANCING_VALUES = tuple(f.value for f in Financing if f is not Financing.UNKNOWN)

SYSTEM_PROMPT = (
    "You read messages from real estate leads and extract facts the lead stated. "
    "Answer with one JSON object and nothing else. Use null for anything the lead "
    "did not clearly state; never guess or fill in typical values."
)

_KEY_HELP = {
    "price_low": "integer dollars, the lower end of the budget or price, or null",
    "price_high": "integer dollars, the upper end (equal to price_low for one "
    "figure), or null",
    "timeline_days": "integer number of days from today until the lead wants to "
    "move, or null",
    "area": "the service area the lead is in or wants, exactly one of {areas}, or null",
    "financing": "exactly one of {financing}, or null",
}
_FENCE = re.compile(r"^```(?:json)?\s*(?P<body>.*?)\s*```$", re.DOTALL | re.IGNORECASE)


class AnswerRejected(ValueError):
    """The LLM's answer cannot be used; the message says why."""


def wanted_keys(partial: LeadAnalysis) -> tuple[str, ...]:
    """The answer keys for the signals `partial` is missing, in a fixed order."""
    return tuple(key for signal in partial.missing for key in SIGNAL_KEYS[signal])


def build_prompt(text: str, partial: LeadAnalysis, areas: Sequence[str]) -> str:
    """The user turn: today's date, the keys wanted, and the lead's own words."""
    keys = wanted_keys(partial)
    lines = [
        f"Today is {partial.analyzed_at.date().isoformat()}.",
        "Return a JSON object with exactly these keys:",
    ]
    lines.extend(
        f'- "{key}": '
        + _KEY_HELP[key].format(
            areas=", ".join(areas), financing=", ".join(FINANCING_VALUES)
        )
        for key in keys
    )
    lines += ["", "The lead:", text]
    return "\n".join(lines)


def parse_answer(raw: str, keys: Sequence[str], areas: Sequence[str]) -> LeadGaps:
    """The gaps filled by `raw`, or `AnswerRejected` naming the first problem."""
    body = raw.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group("body")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        msg = f"malformed JSON: {exc}"
        raise AnswerRejected(msg) from None
    if not isinstance(data, dict):
        msg = f"answer: expected a JSON object, got {type(data).__name__}"
        raise AnswerRejected(msg)
    missing = [key for key in keys if key not in data]
    if missing:
        msg = f"answer: missing key(s) {', '.join(missing)}"
        raise AnswerRejected(msg)
    values = {key: _value(key, data[key], areas) for key in keys}
    low, high = values.get("price_low"), values.get("price_high")
    if (low is None) != (high is None):
        msg = "answer: price_low and price_high must both be given or both be null"
        raise AnswerRejected(msg)
    if low is not None and high is not None and low > high:
        msg = f"answer: price_low ({low}) is above price_high ({high})"
        raise AnswerRejected(msg)
    return LeadGaps(
        price_low=low,
        price_high=high,
        timeline_days=values.get("timeline_days"),
        area=values.get("area"),
        financing=Financing(values["financing"]) if values.get("financing") else None,
    )


def _value(key: str, value: Any, areas: Sequence[str]) -> Any:
    if value is None:
        return None
    if key in {"price_low", "price_high", "timeline_days"}:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"answer: {key}: expected an integer or null, got {value!r}"
            raise AnswerRejected(msg)
        if value < 0 or (key != "timeline_days" and value == 0):
            msg = f"answer: {key}: must be positive, got {value!r}"
            raise AnswerRejected(msg)
        return value
    if not isinstance(value, str):
        msg = f"answer: {key}: expected a string or null, got {value!r}"
        raise AnswerRejected(msg)
    if key == "area":
        # A place outside the service areas is an answer too: no area match.
        wanted = value.strip().casefold()
        return next((a for a in areas if a.casefold() == wanted), None)
    if value not in FINANCING_VALUES:
        allowed = ", ".join(FINANCING_VALUES)
        msg = f"answer: financing: {value!r} is not one of {allowed}"
        raise AnswerRejected(msg)
    return value


def gaps_to_json(gaps: LeadGaps) -> bytes:
    """The cache form of an answer: the same JSON shape `parse_answer` reads."""
    return orjson.dumps(
        {
            "price_low": gaps.price_low,
            "price_high": gaps.price_high,
            "timeline_days": gaps.timeline_days,
            "area": gaps.area,
            "financing": gaps.financing.value if gaps.financing else None,
        }
    )


ALL_KEYS = tuple(key for keys in SIGNAL_KEYS.values() for key in keys)
