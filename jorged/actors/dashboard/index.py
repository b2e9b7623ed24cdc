"""The aggregator's in-memory index: dashboard numbers and the conversation list.

`ConversationIndex` holds one `ConversationFacts` per conversation plus running
counters, integer price sums, sorted time lists (for the 24 h KPIs, answered with
bisect) and the facts kept sorted by every sort field, so a dashboard or a page is
answered without touching the store or recomputing per row. The sorted lists hold
the facts themselves, ordered by a key function (bisect's `key=`), not a tuple per
entry: at 100,000 conversations a tuple per entry and list costs tens of MB. Of a
lead analysis only what the list and the dashboard read is kept (`LeadFacts`), and
each row carries its contact's lead score already: pages and exports hand out the
index's own frozen rows, never a copy per read.

The index is updated one conversation at a time (`put`, `remove`, `put_lead`,
`remove_lead`), or many at once when rebuilt (`extend`), and must agree with the
from-scratch definitions in `jorged.domain.dashboard.snapshot` (the dashboard) and
`jorged.domain.dashboard.query` (the list). Its text search is in
`jorged.actors.dashboard.search`.
"""

from __future__ import annotations

import bisect
import operator
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import chain, compress, islice, tee
from typing import Any, NamedTuple, TypeVar

import attrs

from jorged.actors.dashboard.search import TextsByWidth, sort_hits
from jorged.config import LeadsConfig
from jorged.domain.conversation.state import ConversationState, Stage, Temperature
from jorged.domain.dashboard.facts import (
    ConversationFacts,
    ConversationRow,
    PriceBucket,
    facts_of,
    price_bucket,
)
from jorged.domain.dashboard.query import (
    STAGE_RANK,
    TEMPERATURE_RANK,
    ConversationQuery,
    QueryResult,
    SortField,
    category_table,
    filters,
    page_of,
    search_digits,
    search_needle,
)
from jorged.domain.dashboard.snapshot import (
    DAY,
    ConversationSummary,
    CostSavings,
    DashboardSnapshot,
    HeroKpis,
    LeadSummary,
    commission_pipeline,
    kpi,
)
from jorged.domain.leads.analysis import LeadAnalysis, LeadClass, TimelineBucket

__all__ = ["ConversationIndex", "LeadFacts"]

T = TypeVar("T")

_DAY_S = DAY.total_seconds()
_FLAGS = ("stalled", "paused", "opted_out", "stopped", "booked")
_code = operator.attrgetter("code")
_row = operator.attrgetter("row")
_contact_id = operator.attrgetter("row.contact_id")
#: Below 1 in _FEW conversations, a text search's hits are sorted on their own.
_FEW = 4
_TEMPERATURES = sorted(Temperature, key=TEMPERATURE_RANK.__getitem__)
_STAGES = sorted(Stage, key=STAGE_RANK.__getitem__)

Key = Callable[[ConversationFacts], Any]
#: The orders of the sorted lists; each ends with the contact id, which is unique,
#: so an entry's key finds exactly that entry.
_ACTIVITY: Key = operator.attrgetter("last_activity", "row.contact_id")
_NAME: Key = operator.attrgetter("name_key", "row.contact_id")
_PRICE: Key = operator.attrgetter("row.price", "row.contact_id")
_REPLY: Key = operator.attrgetter("first_reply_at", "row.contact_id")
_REPLY_AT: Key = operator.attrgetter("first_reply_at")


class LeadFacts(NamedTuple):
    """What the index keeps of a lead analysis."""

    score: int
    classification: LeadClass
    price: int | None


def _insert(items: list[Any], item: Any, key: Key | None) -> None:
    bisect.insort(items, item, key=key)


def _append(items: list[Any], item: Any, key: Key | None) -> None:  # noqa: ARG001
    items.append(item)


def _delete(items: list[Any], item: Any, key: Key | None) -> None:
    if key is None:
        del items[bisect.bisect_left(items, item)]
    else:
        del items[bisect.bisect_left(items, key(item), key=key)]


@attrs.define
class ConversationIndex:
    """Every conversation's facts and the running totals over them."""

    cfg: LeadsConfig
    _facts: dict[str, ConversationFacts] = attrs.field(factory=dict)
    _leads: dict[str, LeadFacts] = attrs.field(factory=dict)
    #: The search text of each conversation, and each lead's address, for `q`.
    _texts: TextsByWidth = attrs.field(factory=TextsByWidth)
    _address_texts: TextsByWidth = attrs.field(factory=TextsByWidth)
    _stages: Counter[Stage] = attrs.field(factory=Counter)
    _temperatures: Counter[Temperature] = attrs.field(factory=Counter)
    _flags: Counter[str] = attrs.field(factory=Counter)
    _prices: Counter[PriceBucket] = attrs.field(factory=Counter)
    _timelines: Counter[TimelineBucket] = attrs.field(factory=Counter)
    _price_sums: Counter[Temperature] = attrs.field(factory=Counter)
    _unpriced: Counter[Temperature] = attrs.field(factory=Counter)
    _created: list[float] = attrs.field(factory=list)
    _ended: list[float] = attrs.field(factory=list)
    _qualified: list[float] = attrs.field(factory=list)
    _hot: list[float] = attrs.field(factory=list)
    # Facts in the order of a key: first replies by `_REPLY`; the list orders by
    # `_ACTIVITY`, `_NAME`, `_PRICE` (priced ones), or by contact id (the unpriced
    # ones, and within a temperature or a stage).
    _replies: list[ConversationFacts] = attrs.field(factory=list)
    _by_activity: list[ConversationFacts] = attrs.field(factory=list)
    _by_name: list[ConversationFacts] = attrs.field(factory=list)
    _by_price: list[ConversationFacts] = attrs.field(factory=list)
    _no_price: list[ConversationFacts] = attrs.field(factory=list)
    _by_temperature: dict[Temperature, list[ConversationFacts]] = attrs.field(
        factory=lambda: {t: [] for t in Temperature}
    )
    _by_stage: dict[Stage, list[ConversationFacts]] = attrs.field(
        factory=lambda: {s: [] for s in Stage}
    )
    _lead_classes: Counter[LeadClass] = attrs.field(factory=Counter)
    _budgets: Counter[PriceBucket] = attrs.field(factory=Counter)
    _score_sum: int = 0

    def __len__(self) -> int:
        return len(self._facts)

    # --- updates ----------------------------------------------------------------
    @property
    def lead_count(self) -> int:
        """How many contacts have a lead analysis."""
        return len(self._leads)

    def put(self, state: ConversationState) -> None:
        """Index `state`, replacing what was known of its contact."""
        facts = self._scored(facts_of(state))
        old = self._facts.get(state.contact_id)
        if old == facts:
            return
        if old is not None:
            self._change(old, -1)
        self._change(facts, 1)

    def extend(self, facts: Iterable[ConversationFacts]) -> None:
        """Index many conversations at once (one sort per list, for rebuilds)."""
        fresh = {f.row.contact_id: self._scored(f) for f in facts}
        for cid in fresh.keys() & self._leads.keys():
            self._leads[cid] = self._leads.pop(cid)  # keyed by the facts' copy of cid
        for contact_id in fresh.keys() & self._facts.keys():
            self._change(self._facts[contact_id], -1)
        for f in fresh.values():
            self._change(f, 1, edit=_append)
        for items, key in self._sorted_lists():
            items.sort(key=key)

    def _sorted_lists(self) -> list[tuple[list[Any], Key | None]]:
        return [
            (self._created, None),
            (self._ended, None),
            (self._qualified, None),
            (self._hot, None),
            (self._replies, _REPLY),
            (self._by_activity, _ACTIVITY),
            (self._by_name, _NAME),
            (self._by_price, _PRICE),
            (self._no_price, _contact_id),
            *((items, _contact_id) for items in self._by_temperature.values()),
            *((items, _contact_id) for items in self._by_stage.values()),
        ]

    def remove(self, contact_id: str) -> None:
        old = self._facts.get(contact_id)
        if old is not None:
            self._change(old, -1)

    def put_lead(self, analysis: LeadAnalysis) -> None:
        cid = analysis.contact_id
        self.remove_lead(cid)
        if (known := self._facts.get(cid)) is not None:
            cid = known.row.contact_id  # one copy of the id for both
        lead = LeadFacts(analysis.score, analysis.classification, analysis.price)
        self._leads[cid] = lead
        if analysis.area is not None:
            self._address_texts.put(cid, sys.intern(analysis.area.casefold()))
        self._lead_change(lead, 1)
        self._rescore(cid)

    def remove_lead(self, contact_id: str) -> None:
        old = self._leads.pop(contact_id, None)
        if old is not None:
            self._address_texts.remove(contact_id)
            self._lead_change(old, -1)
            self._rescore(contact_id)

    def _scored(self, f: ConversationFacts) -> ConversationFacts:
        """`f` with its row carrying the contact's lead score and class (or none)."""
        lead = self._leads.get(f.row.contact_id)
        score, cls = (None, None) if lead is None else (lead.score, lead.classification)
        if (f.row.lead_score, f.row.lead_class) == (score, cls):
            return f
        return attrs.evolve(
            f, row=attrs.evolve(f.row, lead_score=score, lead_class=cls)
        )

    def _rescore(self, contact_id: str) -> None:
        """Swap the contact's facts for ones scored by its lead, in place.

        A score changes no sort key and no count, so each list keeps its order.
        """
        old = self._facts.get(contact_id)
        if old is None or (new := self._scored(old)) is old:
            return
        self._facts[contact_id] = new
        for items, key in self._places(old):
            items[bisect.bisect_left(items, key(old), key=key)] = new

    def _places(self, f: ConversationFacts) -> list[tuple[list[Any], Key]]:
        """The sorted lists holding `f` (or to hold it), with their keys."""
        r = f.row
        places = [
            (self._by_price, _PRICE)
            if r.price is not None
            else (self._no_price, _contact_id),
            (self._by_activity, _ACTIVITY),
            (self._by_name, _NAME),
            (self._by_temperature[r.temperature], _contact_id),
            (self._by_stage[r.stage], _contact_id),
        ]
        if f.first_reply_at is not None and f.first_reply_s is not None:
            places.append((self._replies, _REPLY))
        return places

    def _change(
        self,
        f: ConversationFacts,
        sign: int,
        edit: Callable[[list[Any], Any, Key | None], None] | None = None,
    ) -> None:
        r, cid = f.row, f.row.contact_id
        if edit is None:
            edit = _insert if sign > 0 else _delete
        if sign > 0:
            self._facts[cid] = f
            self._texts.put(cid, f.search)
        else:
            del self._facts[cid]
            self._texts.remove(cid)
        self._stages[r.stage] += sign
        self._temperatures[r.temperature] += sign
        for flag in _FLAGS:
            self._flags[flag] += sign * getattr(r, flag)
        self._timelines[r.timeline] += sign
        if r.price is not None:
            self._prices[price_bucket(r.price)] += sign
            self._price_sums[r.temperature] += sign * r.price
        else:
            self._unpriced[r.temperature] += sign
        for items, key in self._places(f):
            edit(items, f, key)
        edit(self._created, f.created, None)
        for moment, items in (
            (f.ended, self._ended),
            (f.qualified, self._qualified),
            (f.hot, self._hot),
        ):
            if moment is not None:
                edit(items, moment, None)

    def _lead_change(self, a: LeadFacts, sign: int) -> None:
        self._lead_classes[a.classification] += sign
        if a.price is not None:
            self._budgets[price_bucket(a.price)] += sign
        self._score_sum += sign * a.score

    # --- reads ------------------------------------------------------------------

    def dashboard(
        self, now: datetime, savings: CostSavings | None = None
    ) -> DashboardSnapshot:
        t = now.timestamp()
        before = t - _DAY_S
        n = len(self._facts)
        hot, warm = Temperature.HOT, Temperature.WARM
        return DashboardSnapshot(
            at=now,
            kpis=HeroKpis(
                active_conversations=kpi(self._active(t), self._active(before)),
                qualification_rate=kpi(self._rate(t), self._rate(before)),
                median_first_reply_s=kpi(self._median(t), self._median(before)),
                hot_sellers_24h=kpi(self._hot_in(t), self._hot_in(before)),
            ),
            summary=ConversationSummary(
                total=n,
                by_stage={s.value: self._stages[s] for s in Stage},
                by_temperature={x.value: self._temperatures[x] for x in Temperature},
                **{flag: self._flags[flag] for flag in _FLAGS},
            ),
            price_distribution={b.value: self._prices[b] for b in PriceBucket},
            timeline_distribution={b.value: self._timelines[b] for b in TimelineBucket},
            commission=commission_pipeline(
                self.cfg,
                hot_count=self._temperatures[hot],
                warm_count=self._temperatures[warm],
                hot_price_sum=self._price_sums[hot],
                warm_price_sum=self._price_sums[warm],
                unpriced=self._unpriced[hot] + self._unpriced[warm],
            ),
            leads=LeadSummary(
                total=len(self._leads),
                by_class={c.value: self._lead_classes[c] for c in LeadClass},
                budget_distribution={b.value: self._budgets[b] for b in PriceBucket},
                average_score=(
                    self._score_sum / len(self._leads) if self._leads else None
                ),
            ),
            savings=savings,
        )

    def _active(self, t: float) -> int:
        return bisect.bisect_right(self._created, t) - bisect.bisect_right(
            self._ended, t
        )

    def _rate(self, t: float) -> float | None:
        created = bisect.bisect_right(self._created, t)
        qualified = bisect.bisect_right(self._qualified, t)
        return qualified / created if created else None

    def _hot_in(self, t: float) -> int:
        return bisect.bisect_right(self._hot, t) - bisect.bisect_right(
            self._hot, t - _DAY_S
        )

    def _median(self, t: float) -> float | None:
        lo = bisect.bisect_right(self._replies, t - _DAY_S, key=_REPLY_AT)
        hi = bisect.bisect_right(self._replies, t, key=_REPLY_AT)
        values = [
            f.first_reply_s for f in self._replies[lo:hi] if f.first_reply_s is not None
        ]
        return statistics.median(values) if values else None

    def row(self, contact_id: str) -> ConversationRow | None:
        facts = self._facts.get(contact_id)
        return None if facts is None else facts.row

    def query(self, params: ConversationQuery) -> QueryResult:
        start = (params.page - 1) * params.page_size
        stop = start + params.page_size
        if params.filtered:
            found = list(self._matching(params))
            total, page = len(found), found[start:stop]
        else:
            total = len(self._facts)
            page = list(islice(self._ordered(params), start, stop))
        return page_of([f.row for f in page], total, params)

    def rows(self, params: ConversationQuery) -> Iterator[ConversationRow]:
        """Every matching row in list order (pages ignored), for exports.

        The rows are the index's own (frozen) objects, with the lead score in.
        """
        found = self._matching(params) if params.filtered else self._ordered(params)
        return map(_row, found)

    def _matching(self, params: ConversationQuery) -> Iterator[ConversationFacts]:
        hits = self._search(params)
        if hits is not None and len(hits) * _FEW < len(self._facts):
            # Few hits: test and sort them alone rather than walk the whole list.
            found: Iterable[ConversationFacts] = map(self._facts.__getitem__, hits)
            for check in filters(params, {}, text=False):
                found = filter(check, found)
            return iter(sort_hits(found, params.sort, descending=params.descending))
        found = self._ordered(params)
        table = category_table(params)
        if table is not None:  # one C-level pass for all categorical filters
            codes = map(_code, self._ordered(params))
            found = compress(found, map(table.__getitem__, codes))
        for check in filters(params, {}, categorical=False, text=False):
            found = filter(check, found)
        if hits is not None:
            mine, ids = tee(found)
            found = compress(mine, map(hits.__contains__, map(_contact_id, ids)))
        return iter(found)

    def _search(self, params: ConversationQuery) -> set[str] | None:
        """The contacts whose text or address holds `q`; None when `q` is empty."""
        if not (needle := search_needle(params)):
            return None
        hits = self._texts.search(needle) | self._address_texts.search(needle)
        if digits := search_digits(needle):
            hits |= self._texts.search(digits)
        return hits & self._facts.keys()

    def _ordered(self, params: ConversationQuery) -> Iterable[ConversationFacts]:
        """All facts in list order (C-level iterators: no Python step per row)."""
        desc = params.descending

        def way(items: list[T]) -> Iterable[T]:
            return reversed(items) if desc else items

        match params.sort:
            case SortField.LAST_ACTIVITY:
                return way(self._by_activity)
            case SortField.NAME:
                return way(self._by_name)
            case SortField.PRICE:
                return chain(way(self._by_price), way(self._no_price))
            case SortField.TEMPERATURE:
                groups = [self._by_temperature[x] for x in _TEMPERATURES]
            case SortField.STAGE:
                groups = [self._by_stage[s] for s in _STAGES]
        return chain.from_iterable(map(way, way(groups)))
