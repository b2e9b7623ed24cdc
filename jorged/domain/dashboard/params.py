"""Request parameters of the conversation list, read into a `ConversationQuery`.

`parse_query` takes the parameters as a request carries them (text, or lists of
text for repeated ones) and raises `Invalid` naming the parameter it cannot read;
`PARAMETERS` are the names it knows. The query itself, and what it matches, is in
`jorged.domain.dashboard.query`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard.query import ConversationQuery, SortField
from jorged.domain.language import Language
from jorged.domain.leads.analysis import TimelineBucket
from jorged.exceptions import Invalid

__all__ = ["parse_query"]

RawParams = Mapping[str, "str | Sequence[str]"]

_BOOL = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_SETS: dict[str, type[StrEnum]] = {
    "temperature": Temperature,
    "stage": Stage,
    "timeline": TimelineBucket,
    "language": Language,
}
_ORDER = {"asc": False, "desc": True}
PARAMETERS = frozenset(
    {
        *_SETS,
        "stalled",
        "paused",
        "opted_out",
        "since",
        "until",
        "price_min",
        "price_max",
        "q",
        "sort",
        "order",
        "page",
        "page_size",
    }
)


def _one(name: str, value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value.strip()
    if len(value) != 1:
        raise Invalid(field=name, problem="must be given once")
    return value[0].strip()


def _choices(
    name: str, value: str | Sequence[str], enum: type[StrEnum]
) -> frozenset[Any]:
    texts = [value] if isinstance(value, str) else list(value)
    words = [w.strip().lower() for text in texts for w in text.split(",") if w.strip()]
    allowed = [m.value for m in enum]
    for word in words:
        if not word.isascii() or word not in allowed:
            raise Invalid(
                field=name,
                problem=f"unknown value {word!r}, expected one of {', '.join(allowed)}",
            )
    return frozenset(enum(w) for w in words)


def _int(name: str, text: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise Invalid(
            field=name, problem=f"must be a whole number, got {text!r}"
        ) from None


def _time(name: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(
            field=name, problem=f"must be an ISO 8601 date or time, got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parse_query(raw: RawParams) -> ConversationQuery:
    """A `ConversationQuery` from request parameters (text, or lists of text).

    Sets take repeated or comma-separated values; booleans true/false/1/0/yes/no;
    times ISO 8601 (a time without a zone is UTC). Empty values are ignored.
    """
    fields: dict[str, object] = {}
    for name, value in raw.items():
        if name not in PARAMETERS:
            raise Invalid(field=name, problem="unknown parameter")
        if name in _SETS:
            fields[name] = _choices(name, value, _SETS[name])
            continue
        text = _one(name, value)
        if not text:
            continue
        if name in {"stalled", "paused", "opted_out"}:
            if text.lower() not in _BOOL:
                raise Invalid(
                    field=name, problem=f"must be true or false, got {text!r}"
                )
            fields[name] = _BOOL[text.lower()]
        elif name in {"since", "until"}:
            fields[name] = _time(name, text)
        elif name in {"price_min", "price_max", "page", "page_size"}:
            fields[name] = _int(name, text)
        elif name == "sort":
            if text not in {f.value for f in SortField}:
                raise Invalid(
                    field=name,
                    problem="must be one of " + ", ".join(f.value for f in SortField),
                )
            fields[name] = SortField(text)
        elif name == "order":
            if text.lower() not in _ORDER:
                raise Invalid(field=name, problem="must be asc or desc")
            fields["descending"] = _ORDER[text.lower()]
        else:
            fields[name] = text
    return ConversationQuery(**fields)  # type: ignore[arg-type]
