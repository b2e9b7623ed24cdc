"""Dashboard numbers, computed from stored records.

Pure functions over `ConversationState`s (and `LeadAnalysis`es) and a `now`: no I/O.
The aggregator actor keeps the same numbers up to date incrementally; `dashboard` is
the definition it must agree with. Each conversation is counted through its
`ConversationFacts` (`jorged.domain.dashboard.facts`); the conversation list is in
`jorged.domain.dashboard.query`.

The hero KPIs, each against the value 24 h earlier (`Kpi.previous`):

- active conversations at `t`: created at or before `t` and not ended by `t`;
- qualification rate at `t`: qualified by `t` / created by `t` (a fraction; None
  with no conversation);
- median first-reply time: over first replies in the 24 h up to `t` (None without);
- hot sellers: conversations first turning HOT in the 24 h up to `t`.

Windows are half-open, `(t - 24 h, t]`. Below the KPIs: counts by stage, temperature
and flag, the price and timeline distributions of the conversations, the commission
pipeline of the priced HOT and WARM sellers, and the lead analyses' classes, budgets
and average score.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

import attrs

from jorged.config import LeadsConfig
from jorged.domain.conversation.state import ConversationState, Stage, Temperature
from jorged.domain.dashboard.facts import (
    ConversationFacts,
    PriceBucket,
    facts_of,
    price_bucket,
)
from jorged.domain.leads.analysis import LeadAnalysis, LeadClass, TimelineBucket

__all__ = [
    "DAY",
    "CommissionPipeline",
    "ConversationSummary",
    "CostSavings",
    "DashboardSnapshot",
    "HeroKpis",
    "Kpi",
    "LeadSummary",
    "commission_pipeline",
    "dashboard",
    "kpi",
]

DAY = timedelta(hours=24)


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
