"""Dashboard numbers and the conversation list, computed from stored records.

Pure functions over `ConversationState`s (and `LeadAnalysis`es) and a `now`: no I/O.
The aggregator actor keeps the same numbers up to date incrementally; this module is
the definition it must agree with.

Each conversation is first reduced to `ConversationFacts` (`facts_of`): the flat
`ConversationRow` shown in the list, the lower-cased search text, and the moments the
hero KPIs count (POSIX seconds):

- created: `created_at`;
- ended: when the conversation stopped being active — `qualified_at` for a qualified
  one; for a stopped or opted-out one the state records no time of its own, so the
  time of its last change (`updated_at`) stands in (the latest it can have happened);
- qualified: `qualified_at` of a qualified conversation (`updated_at` if missing);
- hot: the first change to HOT in the temperature history;
- first reply: the first bot message (outbound without a GHL message id) after the
  first inbound message, and how many seconds after it.

Ended and qualified are never before created. The hero KPIs, each against the value
24 h earlier (`Kpi.previous`):

- active conversations at `t`: created at or before `t` and not ended by `t`;
- qualification rate at `t`: qualified by `t` / created by `t` (a fraction; None
  with no conversation);
- median first-reply time: over first replies in the 24 h up to `t` (None without);
- hot sellers: conversations first turning HOT in the 24 h up to `t`.

First names (and their sort keys) are interned: many sellers share a first name,
and an index of every conversation keeps one copy of each.

Windows are half-open, `(t - 24 h, t]`. Prices are the midpoint of `price_low` and
`price_high`. A seller's timeline bucket comes from `timeline_days` (a minimum when
the seller said 30 to 45 days is a problem), else `immediate` when 30 to 45 days is
fine, else `unknown`.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs

from jorged.config import LeadsConfig
from jorged.domain.leads import LeadAnalysis, LeadClass, TimelineBucket, timeline_bucket
from jorged.domain.seller_models import (
    ConversationState,
    Direction,
    Slots,
    Stage,
    Temperature,
)
from jorged.exceptions import BadRequest

__all__ = [
    "CATEGORIES",
    "DAY",
    "CommissionPipeline",
    "ConversationFacts",
    "ConversationQuery",
    "ConversationRow",
    "ConversationSummary",
    "CostSavings",
    "DashboardSnapshot",
    "HeroKpis",
    "Kpi",
    "LeadSummary",
    "PriceBucket",
    "QueryResult",
    "SortField",
    "category_table",
    "commission_pipeline",
    "dashboard",
    "facts_of",
    "filters",
    "kpi",
    "matches",
    "page_of",
    "parse_query",
    "price_bucket",
    "price_of",
    "query",
    "seller_timeline",
    "sort_facts",
    "with_lead",
]

DAY = timedelta(hours=24)
MAX_PAGE_SIZE = 200

STAGE_RANK = {stage: rank for rank, stage in enumerate(Stage)}
#: Ascending temperature order is coldest first.
TEMPERATURE_RANK = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}


class PriceBucket(StrEnum):
    UNDER_200K = "lt_200k"
    FROM_200K = "200k_300k"
    FROM_300K = "300k_400k"
    FROM_400K = "400k_500k"
    FROM_500K = "500k_800k"
    OVER_800K = "gt_800k"


#: Lower bounds (inclusive) of the price buckets above the first; 800,000 itself is
#: in 500k_800k, "over 800k" starts above it.
_PRICE_BOUNDS = (
    (800_001, PriceBucket.OVER_800K),
    (500_000, PriceBucket.FROM_500K),
    (400_000, PriceBucket.FROM_400K),
    (300_000, PriceBucket.FROM_300K),
    (200_000, PriceBucket.FROM_200K),
)


class SortField(StrEnum):
    LAST_ACTIVITY = "last_activity"
    TEMPERATURE = "temperature"
    STAGE = "stage"
    PRICE = "price"
    NAME = "name"


def price_of(low: int | None, high: int | None) -> int | None:
    """The midpoint of a price range (the low end alone when no high end)."""
    if low is None:
        return None
    return (low + (low if high is None else high)) // 2


def price_bucket(price: int) -> PriceBucket:
    for bound, bucket in _PRICE_BOUNDS:
        if price >= bound:
            return bucket
    return PriceBucket.UNDER_200K


def seller_timeline(slots: Slots) -> TimelineBucket:
    if slots.timeline_days is not None:
        return timeline_bucket(slots.timeline_days, at_least=slots.timeline_ok is False)
    if slots.timeline_ok is True:
        return TimelineBucket.IMMEDIATE
    return TimelineBucket.UNKNOWN


# --- rows and facts -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ConversationRow:
    """One line of the conversation list."""

    contact_id: str
    first_name: str
    phone: str
    stage: Stage
    temperature: Temperature
    stalled: bool
    paused: bool
    opted_out: bool
    stopped: bool
    booked: bool
    price_low: int | None
    price_high: int | None
    price: int | None
    timeline: TimelineBucket
    questions_answered: int
    last_activity: datetime
    created_at: datetime
    lead_score: int | None = None
    lead_class: LeadClass | None = None


@attrs.frozen(kw_only=True)
class ConversationFacts:
    """A conversation reduced to what the dashboard counts (times in POSIX seconds)."""

    row: ConversationRow
    search: str
    created: float
    ended: float | None
    qualified: float | None
    hot: float | None
    first_reply_at: float | None
    first_reply_s: float | None
    last_activity: float
    name_key: str
    #: The row's temperature, stage, timeline and filter flags as one number (an
    #: index into `CATEGORIES`), so those filters are one table lookup.
    code: int


def facts_of(state: ConversationState) -> ConversationFacts:
    slots, flags = state.slots, state.flags
    created = state.created_at.timestamp()
    qualified: float | None = None
    if state.stage is Stage.QUALIFIED:
        qualified = max(created, (state.qualified_at or state.updated_at).timestamp())
    ends = [] if qualified is None else [qualified]
    if flags.stopped or flags.opted_out:
        ends.append(max(created, state.updated_at.timestamp()))
    hot = next(
        (
            c.at.timestamp()
            for c in state.temperature_history
            if c.temperature is Temperature.HOT
        ),
        None,
    )
    first_in = next(
        (i for i, e in enumerate(state.transcript) if e.direction is Direction.IN),
        None,
    )
    inbound = reply = None
    if first_in is not None:
        inbound = state.transcript[first_in]
        reply = next(
            (
                e
                for e in state.transcript[first_in + 1 :]
                if e.direction is Direction.OUT and e.message_id is None
            ),
            None,
        )
    last = max([state.created_at, *(e.at for e in state.transcript)])
    digits = re.sub(r"\D", "", state.phone)
    search = "\n".join(
        [state.first_name, state.phone, digits, *(e.text for e in state.transcript)]
    ).casefold()
    row = ConversationRow(
        contact_id=state.contact_id,
        first_name=sys.intern(state.first_name),
        phone=state.phone,
        stage=state.stage,
        temperature=state.temperature,
        stalled=flags.stalled,
        paused=flags.paused,
        opted_out=flags.opted_out,
        stopped=flags.stopped,
        booked=flags.booked,
        price_low=slots.price_low,
        price_high=slots.price_high,
        price=price_of(slots.price_low, slots.price_high),
        timeline=seller_timeline(slots),
        questions_answered=slots.answered_count,
        last_activity=last,
        created_at=state.created_at,
    )
    return ConversationFacts(
        row=row,
        search=search,
        created=created,
        ended=min(ends) if ends else None,
        qualified=qualified,
        hot=hot,
        first_reply_at=None if reply is None else reply.at.timestamp(),
        first_reply_s=(
            None
            if reply is None or inbound is None
            else (reply.at - inbound.at).total_seconds()
        ),
        last_activity=last.timestamp(),
        name_key=sys.intern(state.first_name.casefold()),
        code=_CODES[
            row.temperature,
            row.stage,
            row.timeline,
            row.stalled,
            row.paused,
            row.opted_out,
        ],
    )


def with_lead(row: ConversationRow, lead: LeadAnalysis | None) -> ConversationRow:
    """The row with the contact's lead score, when the contact has been scored."""
    if lead is None:
        return row
    return attrs.evolve(row, lead_score=lead.score, lead_class=lead.classification)


# --- dashboard ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Kpi:
    """A hero number now and 24 h earlier; None means there was nothing to count."""

    value: float | None
    previous: float | None
    delta: float | None


def kpi(value: float | None, previous: float | None) -> Kpi:
    delta = None if value is None or previous is None else value - previous
    return Kpi(value=value, previous=previous, delta=delta)


@attrs.frozen(kw_only=True)
class HeroKpis:
    active_conversations: Kpi
    qualification_rate: Kpi
    median_first_reply_s: Kpi
    hot_sellers_24h: Kpi


@attrs.frozen(kw_only=True)
class ConversationSummary:
    total: int
    by_stage: Mapping[str, int]
    by_temperature: Mapping[str, int]
    stalled: int
    paused: int
    opted_out: int
    stopped: int
    booked: int


@attrs.frozen(kw_only=True)
class CommissionPipeline:
    """Commission on priced HOT and WARM sellers, and its weighted expectation."""

    hot_count: int
    warm_count: int
    hot_value: float
    warm_value: float
    weighted: float
    #: HOT and WARM sellers without a price (not in the sums).
    unpriced: int


@attrs.frozen(kw_only=True)
class LeadSummary:
    total: int
    by_class: Mapping[str, int]
    budget_distribution: Mapping[str, int]
    average_score: float | None


@attrs.frozen(kw_only=True)
class CostSavings:
    """Money not spent on the LLM, as counted by the tracker."""

    saved_usd: float
    pattern_resolved: int
    cache_hits: int
    llm_calls: int
    llm_cost_usd: float


@attrs.frozen(kw_only=True)
class DashboardSnapshot:
    at: datetime
    kpis: HeroKpis
    summary: ConversationSummary
    price_distribution: Mapping[str, int]
    timeline_distribution: Mapping[str, int]
    commission: CommissionPipeline
    leads: LeadSummary
    savings: CostSavings | None


def commission_pipeline(
    cfg: LeadsConfig,
    *,
    hot_count: int,
    warm_count: int,
    hot_price_sum: int,
    warm_price_sum: int,
    unpriced: int,
) -> CommissionPipeline:
    hot_value = cfg.commission_rate * hot_price_sum
    warm_value = cfg.commission_rate * warm_price_sum
    return CommissionPipeline(
        hot_count=hot_count,
        warm_count=warm_count,
        hot_value=hot_value,
        warm_value=warm_value,
        weighted=cfg.hot_pipeline_weight * hot_value
        + cfg.warm_pipeline_weight * warm_value,
        unpriced=unpriced,
    )


def _in_window(t: float | None, end: float) -> bool:
    return t is not None and end - DAY.total_seconds() < t <= end


def _active(facts: Sequence[ConversationFacts], t: float) -> int:
    return sum(
        f.created <= t and not (f.ended is not None and f.ended <= t) for f in facts
    )


def _rate(facts: Sequence[ConversationFacts], t: float) -> float | None:
    created = sum(f.created <= t for f in facts)
    qualified = sum(f.qualified is not None and f.qualified <= t for f in facts)
    return qualified / created if created else None


def _median_reply(facts: Sequence[ConversationFacts], t: float) -> float | None:
    values = [
        f.first_reply_s
        for f in facts
        if f.first_reply_s is not None and _in_window(f.first_reply_at, t)
    ]
    return statistics.median(values) if values else None


def dashboard(
    states: Iterable[ConversationState],
    leads: Iterable[LeadAnalysis],
    *,
    now: datetime,
    cfg: LeadsConfig,
    savings: CostSavings | None = None,
) -> DashboardSnapshot:
    """Every dashboard number, computed from scratch."""
    facts = [facts_of(s) for s in states]
    rows = [f.row for f in facts]
    t = now.timestamp()
    before = t - DAY.total_seconds()
    kpis = HeroKpis(
        active_conversations=kpi(_active(facts, t), _active(facts, before)),
        qualification_rate=kpi(_rate(facts, t), _rate(facts, before)),
        median_first_reply_s=kpi(_median_reply(facts, t), _median_reply(facts, before)),
        hot_sellers_24h=kpi(
            sum(_in_window(f.hot, t) for f in facts),
            sum(_in_window(f.hot, before) for f in facts),
        ),
    )
    summary = ConversationSummary(
        total=len(rows),
        by_stage={s.value: sum(r.stage is s for r in rows) for s in Stage},
        by_temperature={
            x.value: sum(r.temperature is x for r in rows) for x in Temperature
        },
        stalled=sum(r.stalled for r in rows),
        paused=sum(r.paused for r in rows),
        opted_out=sum(r.opted_out for r in rows),
        stopped=sum(r.stopped for r in rows),
        booked=sum(r.booked for r in rows),
    )
    piped = [r for r in rows if r.temperature is not Temperature.COLD]
    commission = commission_pipeline(
        cfg,
        hot_count=sum(r.temperature is Temperature.HOT for r in piped),
        warm_count=sum(r.temperature is Temperature.WARM for r in piped),
        hot_price_sum=sum(
            r.price
            for r in piped
            if r.price is not None and r.temperature is Temperature.HOT
        ),
        warm_price_sum=sum(
            r.price
            for r in piped
            if r.price is not None and r.temperature is Temperature.WARM
        ),
        unpriced=sum(r.price is None for r in piped),
    )
    lead_list = list(leads)
    scores = [a.score for a in lead_list]
    return DashboardSnapshot(
        at=now,
        kpis=kpis,
        summary=summary,
        price_distribution=_distribution(r.price for r in rows),
        timeline_distribution={
            b.value: sum(r.timeline is b for r in rows) for b in TimelineBucket
        },
        commission=commission,
        leads=LeadSummary(
            total=len(lead_list),
            by_class={
                c.value: sum(a.classification is c for a in lead_list)
                for c in LeadClass
            },
            budget_distribution=_distribution(a.price for a in lead_list),
            average_score=sum(scores) / len(scores) if scores else None,
        ),
        savings=savings,
    )


def _distribution(prices: Iterable[int | None]) -> dict[str, int]:
    counts = dict.fromkeys((b.value for b in PriceBucket), 0)
    for price in prices:
        if price is not None:
            counts[price_bucket(price).value] += 1
    return counts


# --- the conversation query ---------------------------------------------------------


def _check_query(query: ConversationQuery) -> None:
    if query.page < 1:
        raise BadRequest(field="page", problem="must be 1 or more")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise BadRequest(
            field="page_size", problem=f"must be between 1 and {MAX_PAGE_SIZE}"
        )
    for name in ("price_min", "price_max"):
        value = getattr(query, name)
        if value is not None and value < 0:
            raise BadRequest(field=name, problem="must not be negative")
    if (
        query.price_min is not None
        and query.price_max is not None
        and (query.price_min > query.price_max)
    ):
        raise BadRequest(field="price_max", problem="must not be below price_min")
    for name in ("since", "until"):
        value = getattr(query, name)
        if value is not None and value.tzinfo is None:
            raise BadRequest(field=name, problem="must carry a time zone")
    if (
        query.since is not None
        and query.until is not None
        and (query.since > query.until)
    ):
        raise BadRequest(field="until", problem="must not be before since")


@attrs.frozen(kw_only=True)
class ConversationQuery:
    """Filters, sort and page of the conversation list; empty sets filter nothing."""

    temperature: frozenset[Temperature] = frozenset()
    stage: frozenset[Stage] = frozenset()
    timeline: frozenset[TimelineBucket] = frozenset()
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
#: Every combination of the categorical fields, numbered by `ConversationFacts.code`.
_BOOLS = (False, True)
CATEGORIES = tuple(
    itertools.product(Temperature, Stage, TimelineBucket, _BOOLS, _BOOLS, _BOOLS)
)
_CODES = {combo: code for code, combo in enumerate(CATEGORIES)}


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


# --- query parameters ---------------------------------------------------------------

RawParams = Mapping[str, "str | Sequence[str]"]

_BOOL = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_SETS: dict[str, type[StrEnum]] = {
    "temperature": Temperature,
    "stage": Stage,
    "timeline": TimelineBucket,
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
        raise BadRequest(field=name, problem="must be given once")
    return value[0].strip()


def _choices(
    name: str, value: str | Sequence[str], enum: type[StrEnum]
) -> frozenset[Any]:
    texts = [value] if isinstance(value, str) else list(value)
    words = [w.strip().lower() for text in texts for w in text.split(",") if w.strip()]
    allowed = [m.value for m in enum]
    for word in words:
        if word not in allowed:
            raise BadRequest(
                field=name,
                problem=f"unknown value {word!r}, expected one of {', '.join(allowed)}",
            )
    return frozenset(enum(w) for w in words)


def _int(name: str, text: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise BadRequest(
            field=name, problem=f"must be a whole number, got {text!r}"
        ) from None


def _time(name: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(
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
            raise BadRequest(field=name, problem="unknown parameter")
        if name in _SETS:
            fields[name] = _choices(name, value, _SETS[name])
            continue
        text = _one(name, value)
        if not text:
            continue
        if name in {"stalled", "paused", "opted_out"}:
            if text.lower() not in _BOOL:
                raise BadRequest(
                    field=name, problem=f"must be true or false, got {text!r}"
                )
            fields[name] = _BOOL[text.lower()]
        elif name in {"since", "until"}:
            fields[name] = _time(name, text)
        elif name in {"price_min", "price_max", "page", "page_size"}:
            fields[name] = _int(name, text)
        elif name == "sort":
            if text not in {f.value for f in SortField}:
                raise BadRequest(
                    field=name,
                    problem="must be one of " + ", ".join(f.value for f in SortField),
                )
            fields[name] = SortField(text)
        elif name == "order":
            if text.lower() not in _ORDER:
                raise BadRequest(field=name, problem="must be asc or desc")
            fields["descending"] = _ORDER[text.lower()]
        else:
            fields[name] = text
    return ConversationQuery(**fields)  # type: ignore[arg-type]
