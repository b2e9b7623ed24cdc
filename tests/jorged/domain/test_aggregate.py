from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jorged.config import LeadsConfig
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Flags,
    Slots,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
)
from jorged.domain.dashboard.facts import (
    PriceBucket,
    facts_of,
    price_bucket,
    seller_timeline,
)
from jorged.domain.dashboard.params import parse_query
from jorged.domain.dashboard.query import ConversationQuery, SortField, query
from jorged.domain.dashboard.snapshot import dashboard
from jorged.domain.leads.analysis import (
    Financing,
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
)
from jorged.exceptions import Invalid

CFG = LeadsConfig()
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
H = timedelta(hours=1)


def state(cid: str = "c1", *, created: timedelta = -H, **changes) -> ConversationState:
    return ConversationState(
        contact_id=cid, created_at=NOW + created, updated_at=NOW + created, **changes
    )


def said(direction: Direction, at: timedelta, text: str = "hi", mid=None):
    return TranscriptEntry(direction=direction, text=text, at=NOW + at, message_id=mid)


def lead(cid: str, *, area: str | None = None, price: int | None = None):
    return LeadAnalysis(
        contact_id=cid,
        analyzed_at=NOW,
        price_low=price,
        price_high=price,
        price_bound=None,
        timeline=TimelineBucket.UNKNOWN,
        timeline_days=None,
        area=area,
        financing=Financing.CASH,
        has_phone=False,
        has_email=False,
        score=72,
        classification=LeadClass.WARM,
        reason="r",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.5,
        found=(),
    )


def snap(*states, leads=()):
    return dashboard(states, leads, now=NOW, cfg=CFG)


class TestBuckets:
    @pytest.mark.parametrize(
        ("price", "bucket"),
        [
            (199_999, PriceBucket.UNDER_200K),
            (200_000, PriceBucket.FROM_200K),
            (499_999, PriceBucket.FROM_400K),
            (800_000, PriceBucket.FROM_500K),
            (800_001, PriceBucket.OVER_800K),
        ],
    )
    def test_price_buckets(self, price, bucket):
        """Buckets start at their lower bound; 800k itself is in 500k to 800k."""
        assert price_bucket(price) is bucket

    @pytest.mark.parametrize(
        ("slots", "bucket"),
        [
            (Slots(timeline_ok=True), TimelineBucket.IMMEDIATE),
            (
                Slots(timeline_ok=True, timeline_days=60),
                TimelineBucket.ONE_TO_THREE_MONTHS,
            ),
            (
                Slots(timeline_ok=False, timeline_days=180),
                TimelineBucket.SIX_PLUS_MONTHS,
            ),
            (Slots(timeline_ok=False), TimelineBucket.UNKNOWN),
            (Slots(), TimelineBucket.UNKNOWN),
        ],
    )
    def test_seller_timeline(self, slots, bucket):
        """A stated span decides the bucket; "30 to 45 days is fine" is immediate."""
        assert seller_timeline(slots) is bucket

    def test_price_is_the_midpoint(self):
        """The price of a range is its midpoint, and it lands in that bucket."""
        s = state(slots=Slots(price_low=380_000, price_high=440_000))
        assert facts_of(s).row.price == 410_000
        assert snap(s).price_distribution[PriceBucket.FROM_400K] == 1


class TestHeroKpis:
    def test_empty_system_has_zeros_and_no_data(self):
        """No conversation: counts are zero, rate and reply time are None."""
        kpis = snap().kpis
        assert (kpis.active_conversations.value, kpis.hot_sellers_24h.value) == (0, 0)
        assert kpis.qualification_rate.value is None
        assert kpis.median_first_reply_s.value is None

    def test_active_counts_exclude_closed_conversations(self):
        """Qualified, stopped and opted-out conversations are not active."""
        kpis = snap(
            state("a", created=-30 * H),
            state("b", created=-2 * H),
            state("q", created=-30 * H, stage=Stage.QUALIFIED, qualified_at=NOW - H),
            state("o", flags=Flags(opted_out=True)),
        ).kpis.active_conversations
        assert (kpis.value, kpis.previous, kpis.delta) == (2, 2, 0)

    def test_qualification_rate_against_a_day_before(self):
        """Qualified over created, now and 24 h earlier."""
        rate = snap(
            state("a", created=-30 * H, stage=Stage.QUALIFIED, qualified_at=NOW - H),
            state("b", created=-30 * H),
        ).kpis.qualification_rate
        assert (rate.value, rate.previous, rate.delta) == (0.5, 0.0, 0.5)

    def test_median_first_reply_time(self):
        """The first bot reply after the first inbound, medianed over the window."""
        quick = (
            said(Direction.OUT, -3 * H),
            said(Direction.IN, -2 * H),
            said(Direction.OUT, -2 * H + timedelta(seconds=4)),
        )
        human_first = (
            said(Direction.IN, -H),
            said(Direction.OUT, -H, mid="h1"),
            said(Direction.OUT, -H + timedelta(seconds=10)),
        )
        reply = snap(
            state("a", transcript=quick), state("b", transcript=human_first)
        ).kpis.median_first_reply_s
        assert (reply.value, reply.previous, reply.delta) == (7.0, None, None)

    def test_hot_sellers_count_first_turn_to_hot(self):
        """Sellers first turning HOT in each 24 h window are counted once."""

        def hot(at):
            return TemperatureChange(
                temperature=Temperature.HOT, at=NOW + at, reason="r"
            )

        kpis = snap(
            state("a", temperature_history=(hot(-H), hot(-2 * H))),
            state("b", temperature_history=(hot(-25 * H),)),
            state("c", temperature_history=(hot(-3 * H),)),
        ).kpis.hot_sellers_24h
        assert (kpis.value, kpis.previous, kpis.delta) == (2, 1, 1)


class TestSummaries:
    def test_commission_pipeline_weights_hot_and_warm(self):
        """6 % of HOT and WARM prices, weighted 0.6 and 0.25; COLD is left out."""
        price = Slots(price_low=400_000, price_high=400_000)
        pipe = snap(
            state("h", temperature=Temperature.HOT, slots=price),
            state("w", temperature=Temperature.WARM, slots=price),
            state("x", temperature=Temperature.WARM),
            state("c", temperature=Temperature.COLD, slots=price),
        ).commission
        assert (pipe.hot_value, pipe.warm_value, pipe.unpriced) == (24_000, 24_000, 1)
        assert pipe.weighted == pytest.approx(24_000 * 0.85)

    def test_stage_temperature_and_flags(self):
        """Counts by stage and temperature cover every value, zeros included."""
        summary = snap(state(stage=Stage.Q_PRICE, flags=Flags(stalled=True))).summary
        assert summary.by_stage["q_price"] == 1
        assert summary.by_stage["new"] == 0
        assert summary.by_temperature == {"hot": 0, "warm": 0, "cold": 1}
        assert summary.stalled == 1

    def test_lead_summary(self):
        """Lead analyses give counts by class, a budget distribution and a mean score."""
        leads = snap(leads=[lead("a", price=900_000), lead("b")]).leads
        assert (leads.total, leads.by_class["warm"], leads.average_score) == (2, 2, 72)
        assert leads.budget_distribution[PriceBucket.OVER_800K] == 1


class TestQuery:
    def test_text_search_covers_name_phone_address_and_transcript(self):
        """q matches, case-insensitively, the name, phone digits, area or messages."""
        states = [
            state("a", first_name="Maria"),
            state("b", phone="+1 (909) 555-1234"),
            state("c", transcript=(said(Direction.IN, -H, "Roof LEAKS"),)),
            state("d"),
        ]
        leads = [lead("d", area="Rancho Cucamonga")]
        for q, cid in [
            ("maria", "a"),
            ("9095551234", "b"),
            ("leaks", "c"),
            ("RANCHO", "d"),
        ]:
            found = query(states, leads, ConversationQuery(q=q))
            assert [r.contact_id for r in found.items] == [cid]

    def test_price_sort_keeps_unpriced_last(self):
        """Sorted by price either way, conversations without a price come last."""

        def priced(cid, p):
            return state(cid, slots=Slots(price_low=p, price_high=p))

        states = [priced("a", 300_000), state("n"), priced("b", 500_000)]
        for descending, order in [(False, "abn"), (True, "ban")]:
            q = ConversationQuery(sort=SortField.PRICE, descending=descending)
            assert "".join(r.contact_id for r in query(states, [], q).items) == order

    def test_filters_and_pages(self):
        """Filters narrow the rows; total and pages count all matches."""
        states = [state(f"c{i}", temperature=Temperature.WARM) for i in range(5)]
        result = query(
            [*states, state("x")],
            [],
            ConversationQuery(
                temperature=frozenset({Temperature.WARM}), page=2, page_size=2
            ),
        )
        assert (result.total, result.pages, len(result.items)) == (5, 3, 2)


class TestParseQuery:
    def test_parses_request_parameters(self):
        """Comma lists, booleans, numbers, dates and the order are read."""
        q = parse_query(
            {
                "temperature": "hot,warm",
                "stage": ["q_price"],
                "stalled": "false",
                "since": "2025-05-01",
                "price_min": "300,000",
                "sort": "price",
                "order": "asc",
                "page_size": "20",
            }
        )
        assert q.temperature == {Temperature.HOT, Temperature.WARM}
        assert (q.stalled, q.price_min, q.sort, q.descending) == (
            False,
            300_000,
            SortField.PRICE,
            False,
        )
        assert q.since == datetime(2025, 5, 1, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ({"page": "0"}, r"^page: must be between 1 and 1000000$"),
            (
                {"page": "1085118782331542306816000"},
                r"^page: must be between 1 and 1000000$",
            ),
            ({"price_max": "1e400"}, r"^price_max: must be a whole number"),
            ({"price_min": "-1"}, r"^price_min: must be between 0 and 1000000000000$"),
            ({"price_max": "9" * 30}, r"^price_max: must be between 0 and 10"),
            ({"q": "x" * 201}, r"^q: at most 200 characters$"),
            (
                {"since": "0001-01-01T00:00:00+14:00"},
                r"^since: must be between 1970-01-01 and 2100-01-01$",
            ),
            (
                {"until": "9999-12-31T23:59:59-14:00"},
                r"^until: must be between 1970-01-01 and 2100-01-01$",
            ),
            ({"page_size": "500"}, r"^page_size: must be between 1 and 200$"),
            ({"page": "two"}, r"^page: must be a whole number, got 'two'$"),
            ({"temperature": "lukewarm"}, r"^temperature: unknown value 'lukewarm'"),
            ({"stalled": "maybe"}, r"^stalled: must be true or false"),
            ({"since": "last week"}, r"^since: must be an ISO 8601 date or time"),
            (
                {"since": "2025-06-02", "until": "2025-06-01"},
                r"^until: must not be before since$",
            ),
            (
                {"price_min": "9", "price_max": "1"},
                r"^price_max: must not be below price_min$",
            ),
            ({"sort": "zip"}, r"^sort: must be one of last_activity, temperature"),
            ({"order": "up"}, r"^order: must be asc or desc$"),
            ({"colour": "red"}, r"^colour: unknown parameter$"),
        ],
    )
    def test_errors_name_the_parameter(self, raw, message):
        """Each invalid parameter raises Invalid naming it and the problem."""
        with pytest.raises(Invalid, match=message):
            parse_query(raw)
