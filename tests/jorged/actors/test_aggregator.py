from __future__ import annotations

from datetime import UTC, datetime, timedelta

import hypothesis.strategies as st
import pytest
import trio
import trio.testing
from hypothesis import HealthCheck, given, settings

from jorged.actors.dashboard.aggregator import (
    LEAD_PREFIX,
    PUBLISH_EVERY_S,
    SELLER_PREFIX,
    Aggregator,
)
from jorged.actors.dashboard.index import ConversationIndex
from jorged.actors.dashboard.search import TextsByWidth, char_width
from jorged.actors.event_bus import EventsActor
from jorged.clock import TrioWallClock
from jorged.config import EventsConfig, LeadsConfig
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Flags,
    Motivation,
    Slots,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
)
from jorged.domain.dashboard import facts as aggregate_facts
from jorged.domain.dashboard import query as aggregate_query
from jorged.domain.dashboard import snapshot as aggregate
from jorged.domain.dashboard.query import ConversationQuery, SortField
from jorged.domain.leads.analysis import (
    Financing,
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
)
from jorged.events import Event, EventKind
from jorged.store.codec import dumps
from jorged.store.memory import DictStore

CFG = LeadsConfig()
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
IDS = [f"c{i}" for i in range(6)]

times = st.integers(-80 * 3600, 2 * 3600).map(lambda s: NOW + timedelta(seconds=s))
maybe_price = st.none() | st.integers(50_000, 1_500_000)

entries = st.builds(
    TranscriptEntry,
    direction=st.sampled_from(Direction),
    text=st.sampled_from(
        ["yes", "Sell by June", "call 909-555-1234", "Müller", "", "Nguyễn 🏠 yes"]
    ),
    at=times,
    message_id=st.none() | st.just("m1"),
)
slots = st.builds(
    Slots,
    motivation=st.none() | st.sampled_from(Motivation),
    timeline_ok=st.none() | st.booleans(),
    timeline_days=st.none() | st.integers(0, 400),
    price_low=maybe_price,
    price_high=maybe_price,
)
flags = st.builds(
    Flags,
    opted_out=st.booleans(),
    paused=st.booleans(),
    stopped=st.booleans(),
    stalled=st.booleans(),
    booked=st.booleans(),
)
changes = st.builds(
    TemperatureChange,
    temperature=st.sampled_from(Temperature),
    at=times,
    reason=st.just("r"),
)
states = st.builds(
    ConversationState,
    contact_id=st.sampled_from(IDS),
    created_at=times,
    updated_at=times,
    first_name=st.sampled_from(["Ann", "bob", "Émile", "", "ann"]),
    phone=st.sampled_from(["", "+19095551234", "(909) 555-0000"]),
    stage=st.sampled_from(Stage),
    slots=slots,
    flags=flags,
    temperature=st.sampled_from(Temperature),
    transcript=st.lists(entries, max_size=5).map(tuple),
    temperature_history=st.lists(changes, max_size=3).map(tuple),
    qualified_at=st.none() | times,
)
leads = st.builds(
    LeadAnalysis,
    contact_id=st.sampled_from(IDS),
    analyzed_at=times,
    price_low=maybe_price,
    price_high=maybe_price,
    price_bound=st.none(),
    timeline=st.sampled_from(TimelineBucket),
    timeline_days=st.none(),
    area=st.none() | st.sampled_from(["Rancho Cucamonga", "Fontana"]),
    financing=st.sampled_from(Financing),
    has_phone=st.booleans(),
    has_email=st.booleans(),
    score=st.integers(0, 100),
    classification=st.sampled_from(LeadClass),
    reason=st.just("r"),
    in_price_band=st.none(),
    estimated_commission=st.none(),
    confidence=st.just(0.5),
    found=st.just(()),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), states),
        st.tuples(st.just("remove"), st.sampled_from(IDS)),
        st.tuples(st.just("lead"), leads),
        st.tuples(st.just("unlead"), st.sampled_from(IDS)),
    ),
    max_size=25,
)


@st.composite
def queries(draw: st.DrawFn) -> ConversationQuery:
    low, high = sorted(draw(st.lists(times, min_size=2, max_size=2)))
    prices = sorted(draw(st.lists(st.integers(0, 1_600_000), min_size=2, max_size=2)))
    return ConversationQuery(
        temperature=draw(st.frozensets(st.sampled_from(Temperature))),
        stage=draw(st.frozensets(st.sampled_from(Stage), max_size=2)),
        timeline=draw(st.frozensets(st.sampled_from(TimelineBucket), max_size=2)),
        stalled=draw(st.none() | st.booleans()),
        paused=draw(st.none() | st.booleans()),
        opted_out=draw(st.none() | st.booleans()),
        since=draw(st.none() | st.just(low)),
        until=draw(st.none() | st.just(high)),
        price_min=draw(st.none() | st.just(prices[0])),
        price_max=draw(st.none() | st.just(prices[1])),
        q=draw(
            st.sampled_from(
                ["", "YES", "909", "ann", "rancho", "5551234", "ü", "ễn", "🏠 y"]
            )
        ),
        sort=draw(st.sampled_from(SortField)),
        descending=draw(st.booleans()),
        page=draw(st.integers(1, 3)),
        page_size=draw(st.integers(1, 4)),
    )


def apply(ops) -> tuple[ConversationIndex, dict, dict]:
    """Run `ops` on a fresh index and on plain dicts of the final records."""
    index = ConversationIndex(CFG)
    sellers: dict[str, ConversationState] = {}
    analyses: dict[str, LeadAnalysis] = {}
    for op, value in ops:
        if op == "put":
            index.put(value)
            sellers[value.contact_id] = value
        elif op == "remove":
            index.remove(value)
            sellers.pop(value, None)
        elif op == "lead":
            index.put_lead(value)
            analyses[value.contact_id] = value
        else:
            index.remove_lead(value)
            analyses.pop(value, None)
    return index, sellers, analyses


def brute_rows(sellers, analyses, query):
    check = aggregate_query.matches(
        query,
        {c: a.area.casefold() for c, a in analyses.items() if a.area is not None},
    )
    found = aggregate_query.sort_facts(
        (f for f in map(aggregate_facts.facts_of, sellers.values()) if check(f)),
        query.sort,
        descending=query.descending,
    )
    return [
        aggregate_facts.with_lead(f.row, analyses.get(f.row.contact_id)) for f in found
    ]


def dict_store(sellers, analyses) -> DictStore:
    store = DictStore()
    for cid, state in sellers.items():
        store._values[SELLER_PREFIX + cid] = dumps(state)
    for cid, analysis in analyses.items():
        store._values[LEAD_PREFIX + cid] = dumps(analysis)
    return store


class TestIncrementalIndex:
    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations, hours=st.integers(-30, 30))
    def test_dashboard_equals_recomputation(self, ops, hours):
        """Every KPI, summary and distribution equals a from-scratch computation."""
        index, sellers, analyses = apply(ops)
        now = NOW + timedelta(hours=hours)
        expected = aggregate.dashboard(
            sellers.values(), analyses.values(), now=now, cfg=CFG
        )
        assert index.dashboard(now) == expected

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations, query=queries())
    def test_query_equals_recomputation(self, ops, query):
        """Every page, total and full export order equals a from-scratch query."""
        index, sellers, analyses = apply(ops)
        assert index.query(query) == aggregate_query.query(
            sellers.values(), analyses.values(), query
        )
        assert list(index.rows(query)) == brute_rows(sellers, analyses, query)

    @settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations, query=queries())
    def test_rebuild_from_store_equals_incremental(self, ops, query):
        """After a restart, the index rebuilt from a DictStore answers the same."""
        index, sellers, analyses = apply(ops)
        aggregator = Aggregator(
            cfg=CFG,
            store=dict_store(sellers, analyses),
            subscribe=lambda: None,
            now=lambda: NOW,
        )
        trio.run(aggregator.rebuild)
        assert aggregator.snapshot.dashboard == index.dashboard(NOW)
        assert aggregator.query(query) == index.query(query)
        assert list(aggregator.rows(query)) == list(index.rows(query))


class TestTextsByWidth:
    @pytest.mark.parametrize(
        ("text", "width"), [("", 1), ("ann", 1), ("Zoë", 1), ("Nguyễn", 2), ("🏠", 4)]
    )
    def test_char_width(self, text, width):
        """A text's width is the bytes per character of its widest character."""
        assert char_width(text) == width

    def test_a_text_that_changes_width_is_found_once(self):
        """A text re-put at another width is found there only, and once."""
        texts = TextsByWidth()
        texts.put("c1", "ann 🏠")
        texts.put("c2", "annie")
        texts.put("c1", "ann")
        assert texts.search("ann") == {"c1", "c2"}
        assert texts.search("🏠") == set()
        texts.remove("c2")
        assert texts.search("ann") == {"c1"}


class TestIndexReads:
    def test_empty_index_shows_zeros_and_no_data(self):
        """An empty system shows zero counts and None where nothing can be computed."""
        snap = ConversationIndex(CFG).dashboard(NOW)
        assert snap.kpis.active_conversations.value == 0
        assert snap.kpis.qualification_rate.value is None
        assert snap.kpis.median_first_reply_s.delta is None
        assert snap.commission.weighted == 0
        assert set(snap.price_distribution.values()) == {0}

    def test_row_carries_the_lead_score(self):
        """A row of a scored contact carries its lead score; an unknown id is None."""
        index = ConversationIndex(CFG)
        index.put(ConversationState(contact_id="c1", created_at=NOW, updated_at=NOW))
        index.put_lead(_lead("c1", score=85))
        assert index.row("c1").lead_score == 85
        assert index.row("nope") is None

    def test_rows_are_the_index_own_and_scored(self):
        """Rows are handed out as stored, with the score in, and lose it with the lead."""
        index = ConversationIndex(CFG)
        index.put(_state("c1"))
        index.put_lead(_lead("c1", score=85))
        (listed,) = index.rows(ConversationQuery())
        assert listed is index.row("c1") is index.query(ConversationQuery()).items[0]
        assert listed.lead_score == 85
        index.remove_lead("c1")
        assert index.row("c1").lead_score is None

    def test_page_past_the_end_is_empty(self):
        """A page beyond the last one has no items but the right totals."""
        index = ConversationIndex(CFG)
        for cid in IDS:
            index.put(ConversationState(contact_id=cid, created_at=NOW, updated_at=NOW))
        result = index.query(ConversationQuery(page=5, page_size=2))
        assert (result.items, result.total, result.pages) == ((), 6, 3)


def _lead(cid: str, *, score: int) -> LeadAnalysis:
    return LeadAnalysis(
        contact_id=cid,
        analyzed_at=NOW,
        price_low=None,
        price_high=None,
        price_bound=None,
        timeline=TimelineBucket.UNKNOWN,
        timeline_days=None,
        area="Upland",
        financing=Financing.UNKNOWN,
        has_phone=False,
        has_email=False,
        score=score,
        classification=LeadClass.HOT,
        reason="r",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.5,
        found=(),
    )


def _state(cid: str, **changes) -> ConversationState:
    return ConversationState(contact_id=cid, created_at=NOW, updated_at=NOW, **changes)


@pytest.fixture(name="store")
def _store() -> DictStore:
    return DictStore()


@pytest.fixture(name="events")
def _events(store) -> EventsActor:
    return EventsActor(cfg=EventsConfig(subscriber_buffer=4), store=store)


class TestAggregatorActor:
    async def test_starts_from_the_store(self, nursery, store, events):
        """On start the index holds every stored conversation and lead analysis."""
        await store.put(SELLER_PREFIX + "c1", dumps(_state("c1", first_name="Ann")))
        await store.put(LEAD_PREFIX + "c1", dumps(_lead("c1", score=70)))
        agg = Aggregator(cfg=CFG, store=store, subscribe=events.subscribe)
        await nursery.start(agg.run)
        # Started at once (webhooks need not wait), loading until rebuilt.
        assert agg.loading
        assert agg.snapshot.loading
        assert agg.row("c1") is None
        await trio.testing.wait_all_tasks_blocked()
        assert not agg.loading
        assert not agg.snapshot.loading
        assert agg.snapshot.dashboard.summary.total == 1
        assert agg.row("c1").first_name == "Ann"
        assert agg.row("c1").lead_score == 70

    async def test_follows_seller_and_lead_events(self, nursery, store, events):
        """A seller or lead event makes it re-read that contact from the store."""
        await nursery.start(events.run)
        agg = Aggregator(cfg=CFG, store=store, subscribe=events.subscribe)
        await nursery.start(agg.run)
        await store.put(SELLER_PREFIX + "c1", dumps(_state("c1", stage=Stage.Q_PRICE)))
        await store.put(LEAD_PREFIX + "c1", dumps(_lead("c1", score=61)))
        events.publish(Event(kind=EventKind.SELLER_UPDATED, at=NOW, contact_id="c1"))
        events.publish(Event(kind=EventKind.LEAD_ANALYZED, at=NOW, contact_id="c1"))
        await trio.testing.wait_all_tasks_blocked()
        assert (agg.row("c1").stage, agg.row("c1").lead_score) == (Stage.Q_PRICE, 61)
        await store.delete(SELLER_PREFIX + "c1")
        events.publish(Event(kind=EventKind.SELLER_FORGOTTEN, at=NOW, contact_id="c1"))
        await trio.testing.wait_all_tasks_blocked()
        assert agg.row("c1") is None

    async def test_reads_a_turn_once_at_its_end(self, nursery, store, events):
        """The events a turn publishes before `seller.updated` cost no store read."""
        await nursery.start(events.run)
        agg = Aggregator(cfg=CFG, store=store, subscribe=events.subscribe)
        await nursery.start(agg.run)
        await store.put(SELLER_PREFIX + "c1", dumps(_state("c1", stage=Stage.Q_PRICE)))
        for kind in (
            EventKind.SELLER_MESSAGE_RECEIVED,
            EventKind.SELLER_SLOT_FILLED,
            EventKind.SELLER_UPDATED,
        ):
            events.publish(Event(kind=kind, at=NOW, contact_id="c1"))
            await trio.testing.wait_all_tasks_blocked()
        assert agg.statistics().refreshes == 1
        assert agg.row("c1").stage is Stage.Q_PRICE

    async def test_forgetting_drops_the_lead_too(self, nursery, store, events):
        """A forgotten contact's lead leaves the dashboard with its conversation."""
        await nursery.start(events.run)
        await store.put(SELLER_PREFIX + "c1", dumps(_state("c1")))
        await store.put(LEAD_PREFIX + "c1", dumps(_lead("c1", score=61)))
        agg = Aggregator(
            cfg=CFG, store=store, subscribe=events.subscribe, now=lambda: NOW
        )
        await nursery.start(agg.run)
        await trio.testing.wait_all_tasks_blocked()
        assert agg.snapshot.dashboard.leads.average_score == 61
        await store.delete(SELLER_PREFIX + "c1")
        await store.delete(LEAD_PREFIX + "c1")
        events.publish(Event(kind=EventKind.SELLER_FORGOTTEN, at=NOW, contact_id="c1"))
        await trio.testing.wait_all_tasks_blocked()
        assert agg.snapshot.dashboard.leads.average_score is None

    async def test_publishes_the_dashboard_as_time_passes(
        self, nursery, store, events, autojump_clock
    ):
        """With no event, the published dashboard is renewed every PUBLISH_EVERY_S."""
        clock = TrioWallClock.start(epoch=NOW.timestamp())
        agg = Aggregator(
            cfg=CFG, store=store, subscribe=events.subscribe, now=clock.now
        )
        await nursery.start(agg.run)
        await trio.testing.wait_all_tasks_blocked()
        assert agg.snapshot.dashboard.at == NOW
        # Half a period past the third renewal: the test never wakes at the very
        # instant the actor does, whose turn might come after it.
        await trio.sleep(PUBLISH_EVERY_S * 3.5)
        later = NOW + timedelta(seconds=PUBLISH_EVERY_S * 3)
        assert agg.snapshot.dashboard.at == later

    async def test_rebuilds_after_its_subscription_is_dropped(self, store, events):
        """Fallen behind and dropped, it subscribes again and rebuilds from the store."""
        agg = Aggregator(cfg=CFG, store=store, subscribe=events.subscribe)
        async with trio.open_nursery() as nursery:
            await nursery.start(agg.run)
            for i in range(10):
                await store.put(SELLER_PREFIX + f"c{i}", dumps(_state(f"c{i}")))
            # Ten events at once into a buffer of four, with no checkpoint between.
            for i in range(10):
                events._fan_out(
                    Event(kind=EventKind.SELLER_UPDATED, at=NOW, contact_id=f"c{i}")
                )
            await trio.testing.wait_all_tasks_blocked()
            stats = agg.statistics()
            nursery.cancel_scope.cancel()
        assert (stats.resubscribes, stats.rebuilds, stats.conversations) == (1, 2, 10)
