"""The conversation list: its query, the tests and orders it stands for, its pages.

Pure functions over `ConversationState`s (and `LeadAnalysis`es): no I/O. `query`
computes one page from scratch; it is the definition the aggregator actor's index
must agree with. The index answers from its own sorted lists but reuses the pieces
`query` is built from: `filters` and `category_table` (the filters as tests over
`ConversationFacts`), `search_needle` and `search_digits` (what `q` looks for),
`page_of` (the page), and the orders of `sort_facts`.

An empty set filters nothing; a conversation without a price never matches a price
filter and comes last when sorting by price, either way. Request parameters become
a `ConversationQuery` in `jorged.domain.dashboard.params`.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import attrs

from jorged.domain.conversation.state import ConversationState, Stage, Temperature
from jorged.domain.dashboard.facts import (
    CATEGORIES,
    ConversationFacts,
    ConversationRow,
    facts_of,
    with_lead,
)
from jorged.domain.language import Language
from jorged.domain.leads.analysis import LeadAnalysis, TimelineBucket
from jorged.exceptions import Invalid

__all__ = [
    "ConversationQuery",
    "QueryResult",
    "SortField",
    "category_table",
    "filters",
    "matches",
    "page_of",
    "query",
    "sort_facts",
]

MAX_PAGE_SIZE = 200
#: Bounds of the other query values: far past any real list, price or date, and
#: small enough for every JSON reader (integers within 53 bits) and for `datetime`.
MAX_PAGE = 1_000_000
MAX_PRICE = 10**12
MAX_QUERY_TEXT = 200
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

STAGE_RANK = {stage: rank for rank, stage in enumerate(Stage)}
#: Ascending temperature order is coldest first.
TEMPERATURE_RANK = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}


class SortField(StrEnum):
    LAST_ACTIVITY = "last_activity"
    TEMPERATURE = "temperature"
    STAGE = "stage"
    PRICE = "price"
    NAME = "name"


def _check_query(query: ConversationQuery) -> None:
    if not 1 <= query.page <= MAX_PAGE:
        raise Invalid(field="page", problem=f"must be between 1 and {MAX_PAGE}")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise Invalid(
            field="page_size", problem=f"must be between 1 and {MAX_PAGE_SIZE}"
        )
    for name in ("price_min", "price_max"):
        value = getattr(query, name)
        if value is not None and not 0 <= value <= MAX_PRICE:
            raise Invalid(field=name, problem=f"must be between 0 and {MAX_PRICE}")
    if len(query.q) > MAX_QUERY_TEXT:
        raise Invalid(field="q", problem=f"at most {MAX_QUERY_TEXT} characters")
    if (
        query.price_min is not None
        and query.price_max is not None
        and (query.price_min > query.price_max)
    ):
        raise Invalid(field="price_max", problem="must not be below price_min")
    for name in ("since", "until"):
        value = getattr(query, name)
        if value is not None and value.tzinfo is None:
            raise Invalid(field=name, problem="must carry a time zone")
        if value is not None and not _within_dates(value):
            raise Invalid(
                field=name,
                problem=f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}",
            )
    if (
        query.since is not None
        and query.until is not None
        and (query.since > query.until)
    ):
        raise Invalid(field="until", problem="must not be before since")


def _within_dates(value: datetime) -> bool:
    """True when the date as written (its own zone) is from 1970 to 2099."""
    local = value.replace(tzinfo=None)
    return EARLIEST.replace(tzinfo=None) <= local < LATEST.replace(tzinfo=None)


@attrs.frozen(kw_only=True)
class ConversationQuery:
    """Filters, sort and page of the conversation list; empty sets filter nothing."""

    temperature: frozenset[Temperature] = frozenset()
    stage: frozenset[Stage] = frozenset()
    timeline: frozenset[TimelineBucket] = frozenset()
    #: The language of the conversation (en, es).
    language: frozenset[Language] = frozenset()
    stalled: bool | None = None
    paused: bool | None = None
    opted_out: bool | None = None
    #: Bounds (inclusive) on the last activity.
    since: datetime | None = None
    until: datetime | None = None
    #: Bounds (inclusive) on the price; a conversation without a price never matches.
    price_min: int | None = None
    price_max: int | None = None
    #: Case-insensitive text in the name, phone, address or transcript.
    q: str = ""
    sort: SortField = SortField.LAST_ACTIVITY
    descending: bool = True
    page: int = 1
    page_size: int = 50

    def __attrs_post_init__(self) -> None:
        _check_query(self)

    @property
    def filtered(self) -> bool:
        """True when some filter is set (else every conversation matches)."""
        return bool(
            self.temperature
            or self.stage
            or self.timeline
            or self.language
            or self.q.strip()
            or any(
                v is not None
                for v in (
                    self.stalled,
                    self.paused,
                    self.opted_out,
                    self.since,
                    self.until,
                    self.price_min,
                    self.price_max,
                )
            )
        )


@attrs.frozen(kw_only=True)
class QueryResult:
    items: tuple[ConversationRow, ...]
    total: int
    page: int
    page_size: int
    pages: int


_PHONE_CHARS = re.compile(r"^[\d\s()+.-]+$")


def _member(name: str, allowed: frozenset[Any]) -> Callable[[ConversationFacts], bool]:
    get = operator.attrgetter(f"row.{name}")
    return lambda f: get(f) in allowed


def _flag(name: str, wanted: bool) -> Callable[[ConversationFacts], bool]:
    get = operator.attrgetter(f"row.{name}")
    return lambda f: get(f) is wanted


def _text(
    needle: str, digits: str, addresses: Mapping[str, str]
) -> Callable[[ConversationFacts], bool]:
    if not addresses and (not digits or digits == needle):
        return lambda f: needle in f.search
    return lambda f: (
        needle in f.search
        or needle in addresses.get(f.row.contact_id, "")
        or bool(digits and digits in f.search)
    )


_CATEGORICAL = ("temperature", "stage", "timeline")
_FLAGS = ("stalled", "paused", "opted_out")


def category_table(query: ConversationQuery) -> bytes | None:
    """Per `ConversationFacts.code`, 1 if the categorical filters pass, else 0.

    None when `query` sets none of them (temperature, stage, timeline, flags).
    """
    sets = [getattr(query, name) for name in _CATEGORICAL]
    flags = [getattr(query, name) for name in _FLAGS]
    if not any(sets) and all(flag is None for flag in flags):
        return None
    return bytes(
        all(
            not allowed or value in allowed
            for allowed, value in zip(sets, combo[:3], strict=True)
        )
        and all(
            wanted is None or value is wanted
            for wanted, value in zip(flags, combo[3:], strict=True)
        )
        for combo in CATEGORIES
    )


def filters(
    query: ConversationQuery,
    addresses: Mapping[str, str],
    *,
    categorical: bool = True,
    text: bool = True,
) -> list[Callable[[ConversationFacts], bool]]:
    """One test per filter set in `query`; a conversation matches if all pass.

    `addresses` maps a contact id to its lower-cased address text (the service area
    of its lead analysis), searched with the rest by `q`. Without `categorical`,
    the tests of temperature, stage, timeline and flags are left out (for callers
    that use `category_table`); without `text`, the `q` test (for callers with a
    text index: see `search_needle`). The cheapest tests come first.
    """
    tests: list[Callable[[ConversationFacts], bool]] = []
    if categorical:
        tests.extend(
            _member(name, allowed)
            for name in _CATEGORICAL
            if (allowed := getattr(query, name))
        )
        tests.extend(
            _flag(name, wanted)
            for name in _FLAGS
            if (wanted := getattr(query, name)) is not None
        )
    if query.language:
        tests.append(_member("language", query.language))
    if query.since is not None:
        since = query.since.timestamp()
        tests.append(lambda f: f.last_activity >= since)
    if query.until is not None:
        until = query.until.timestamp()
        tests.append(lambda f: f.last_activity <= until)
    low, high = query.price_min, query.price_max
    if low is not None or high is not None:
        lowest = 0 if low is None else low
        tests.append(
            lambda f: (
                f.row.price is not None
                and lowest <= f.row.price
                and (high is None or f.row.price <= high)
            )
        )
    if text and (needle := search_needle(query)):
        tests.append(_text(needle, search_digits(needle), addresses))
    return tests


def search_needle(query: ConversationQuery) -> str:
    """The text `q` looks for, as searched (lower-cased); empty for none."""
    return query.q.strip().casefold()


def search_digits(needle: str) -> str:
    """The digits of a needle that looks like a phone number, also searched; else ""."""
    return re.sub(r"\D", "", needle) if _PHONE_CHARS.match(needle) else ""


def matches(
    query: ConversationQuery, addresses: Mapping[str, str]
) -> Callable[[ConversationFacts], bool]:
    """The whole filter of `query` as one test (see `filters`)."""
    tests = filters(query, addresses)
    return lambda f: all(test(f) for test in tests)


def sort_key(field: SortField) -> Callable[[ConversationFacts], tuple[object, str]]:
    """The ascending order of `field`, ties broken by contact id.

    The price key is only for priced conversations; the others come last.
    """
    getters: dict[SortField, Callable[[ConversationFacts], object]] = {
        SortField.LAST_ACTIVITY: lambda f: f.last_activity,
        SortField.TEMPERATURE: lambda f: TEMPERATURE_RANK[f.row.temperature],
        SortField.STAGE: lambda f: STAGE_RANK[f.row.stage],
        SortField.PRICE: lambda f: f.row.price,
        SortField.NAME: lambda f: f.name_key,
    }
    get = getters[field]
    return lambda f: (get(f), f.row.contact_id)


def sort_facts(
    facts: Iterable[ConversationFacts], field: SortField, *, descending: bool
) -> list[ConversationFacts]:
    """`facts` in list order: by `field`, then contact id, both in one direction.

    Conversations without a price come last when sorting by price, either way.
    """
    facts = list(facts)
    unpriced: list[ConversationFacts] = []
    if field is SortField.PRICE:
        unpriced = sorted(
            (f for f in facts if f.row.price is None),
            key=lambda f: f.row.contact_id,
            reverse=descending,
        )
        facts = [f for f in facts if f.row.price is not None]
    key = sort_key(field)
    return sorted(facts, key=key, reverse=descending) + unpriced


def pages_for(total: int, page_size: int) -> int:
    return math.ceil(total / page_size)


def page_of(
    rows: Sequence[ConversationRow], total: int, query: ConversationQuery
) -> QueryResult:
    return QueryResult(
        items=tuple(rows),
        total=total,
        page=query.page,
        page_size=query.page_size,
        pages=pages_for(total, query.page_size),
    )


def query(
    states: Iterable[ConversationState],
    leads: Iterable[LeadAnalysis],
    params: ConversationQuery,
) -> QueryResult:
    """One page of the conversation list, computed from scratch."""
    by_contact = {a.contact_id: a for a in leads}
    addresses = {
        cid: a.area.casefold() for cid, a in by_contact.items() if a.area is not None
    }
    check = matches(params, addresses)
    found = sort_facts(
        (f for f in map(facts_of, states) if check(f)),
        params.sort,
        descending=params.descending,
    )
    start = (params.page - 1) * params.page_size
    items = [
        with_lead(f.row, by_contact.get(f.row.contact_id))
        for f in found[start : start + params.page_size]
    ]
    return page_of(items, len(found), params)
