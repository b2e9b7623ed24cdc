"""Every surface shows a seller's figures from the one read model (property test).

Hypothesis generates conversations, some with a lead analysis that disagrees with
the conversation (scored from the first message: no price, timeline unknown). The
read model is the aggregator's row: temperature and stage of the conversation, its
price and timeline, the lead's score and class. The overview's counts, the list,
the seller page and the CSV, XLSX and PDF exports must all show exactly that.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from jorged.actors.dashboard.index import ConversationIndex
from jorged.config import LeadsConfig
from jorged.domain.conversation.state import (
    ConversationState,
    Flags,
    Slots,
    Stage,
    Temperature,
)
from jorged.domain.dashboard.facts import ConversationRow, facts_of, seller_timeline
from jorged.domain.dashboard.query import ConversationQuery
from jorged.domain.leads.analysis import (
    Financing,
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
)
from jorged.exports import pdf
from jorged.exports.columns import COLUMNS, labelled_cells, texts
from jorged.queries import row_json
from jorged.web.views import SellerView
from ui.pages import conversation, conversations
from ui.seller_figures import shown

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}


@st.composite
def sellers(
    draw: st.DrawFn, index: int
) -> tuple[ConversationState, LeadAnalysis | None]:
    low = draw(st.none() | st.integers(100_000, 1_500_000))
    high = None if low is None else draw(st.none() | st.integers(low, low + 200_000))
    created = NOW - timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
    state = ConversationState(
        contact_id=f"s{index:03d}",
        created_at=created,
        updated_at=created,
        first_name=draw(st.sampled_from(["Maria", "James", ""])),
        stage=draw(st.sampled_from(Stage)),
        temperature=draw(st.sampled_from(Temperature)),
        slots=Slots(
            timeline_ok=draw(st.none() | st.booleans()),
            timeline_days=draw(st.none() | st.integers(0, 400)),
            price_low=low,
            price_high=high,
        ),
        flags=Flags(
            paused=draw(st.booleans()),
            opted_out=draw(st.booleans()),
            booked=draw(st.booleans()),
        ),
    )
    if not draw(st.booleans()):
        return state, None
    # A lead scored from the first message only: it knows no price or timeline.
    lead = LeadAnalysis(
        contact_id=state.contact_id,
        analyzed_at=created,
        price_low=None,
        price_high=None,
        price_bound=None,
        timeline=TimelineBucket.UNKNOWN,
        timeline_days=None,
        area=None,
        financing=Financing.UNKNOWN,
        has_phone=False,
        has_email=False,
        score=draw(st.integers(0, 100)),
        classification=draw(st.sampled_from(LeadClass)),
        reason="from the first message",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.5,
        found=(),
    )
    return state, lead


@st.composite
def populations(
    draw: st.DrawFn,
) -> list[tuple[ConversationState, LeadAnalysis | None]]:
    n = draw(st.integers(1, 12))
    return [draw(sellers(i)) for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(populations())
def test_every_surface_shows_the_read_model(
    population: list[tuple[ConversationState, LeadAnalysis | None]],
) -> None:
    index = ConversationIndex(LeadsConfig())
    for state, lead in population:
        index.put(state)
        if lead is not None:
            index.put_lead(lead)
    listed = index.query(ConversationQuery(page_size=100)).items
    assert len(listed) == len(population)
    by_id = {row.contact_id: row for row in listed}
    latin1 = pdf._Latin1()
    for state, lead in population:
        row = by_id[state.contact_id]
        # The read model: the conversation's figures, the lead's score.
        assert row.temperature is state.temperature
        assert (row.price_low, row.price_high) == (
            state.slots.price_low,
            state.slots.price_high,
        )
        assert row.timeline is seller_timeline(state.slots)
        assert row.lead_score == (None if lead is None else lead.score)
        model = row_json(row)
        figures = shown(row)
        # The list.
        item = conversations._row(row)
        assert (
            item["stage_label"],
            item["price_label"],
            item["timeline_label"],
            item["temperature"],
        ) == (
            figures["stage"],
            figures["price"],
            figures["timeline"],
            model["temperature"],
        )
        assert item["score"] == ("" if lead is None else str(lead.score))
        # The seller page reads the figures, not the state's own fields or the lead's.
        view = SellerView(
            state=attrs.evolve(state, temperature=Temperature.COLD, slots=Slots()),
            figures=index.row(state.contact_id),
        )
        assert conversation._figures(view) == figures
        assert {"price_low", "price_high", "timeline"} <= conversation.LEAD_HIDDEN
        # CSV keeps the codes; XLSX and PDF show the labels.
        csv = texts(row)
        assert csv[COLUMN["temperature"]] == model["temperature"]
        assert csv[COLUMN["timeline"]] == model["timeline"]
        xlsx = labelled_cells(row)
        assert xlsx[COLUMN["temperature"]] == figures["temperature"]
        assert xlsx[COLUMN["stage"]] == figures["stage"]
        assert xlsx[COLUMN["timeline"]] == figures["timeline"]
        assert (xlsx[COLUMN["price_low"]], xlsx[COLUMN["price_high"]]) == (
            row.price_low,
            row.price_high,
        )
        assert xlsx[COLUMN["lead_score"]] == row.lead_score
        line = pdf._line(row, latin1)
        for key in ("temperature", "stage", "timeline"):
            assert figures[key] in line
    # The overview counts the same rows.
    snapshot = index.dashboard(NOW)
    temps = Counter(s.temperature.value for s, _ in population)
    assert {k: v for k, v in snapshot.summary.by_temperature.items() if v} == dict(
        temps
    )
    hot = sum(1 for s, _ in population if s.temperature is Temperature.HOT)
    assert (
        snapshot.commission.hot_count == hot == snapshot.summary.by_temperature["hot"]
    )


def test_a_qualified_hot_seller_never_reads_price_unknown() -> None:
    """The case a new user met: HOT and qualified at $525k, the lead scored from the
    first message. Every surface says $525k and the timeline the seller gave."""
    state = ConversationState(
        contact_id="maria",
        created_at=NOW,
        updated_at=NOW,
        first_name="Maria",
        stage=Stage.QUALIFIED,
        temperature=Temperature.HOT,
        slots=Slots(timeline_ok=True, price_low=525_000),
    )
    index = ConversationIndex(LeadsConfig())
    index.put(state)
    row = index.row("maria")
    assert row is not None
    figures = shown(row)
    assert (figures["temperature"], figures["price"], figures["timeline"]) == (
        "Hot",
        "$525k",
        "Within 30 days",
    )
    assert row.price == 525_000


def test_a_lead_scored_before_the_answers_does_not_contradict_them() -> None:
    """The lead's own reason ("price unknown") is not shown beside a known price."""
    unknown = LeadAnalysis(
        contact_id="maria",
        analyzed_at=NOW,
        price_low=None,
        price_high=None,
        price_bound=None,
        timeline=TimelineBucket.UNKNOWN,
        timeline_days=None,
        area=None,
        financing=Financing.UNKNOWN,
        has_phone=False,
        has_email=False,
        score=40,
        classification=LeadClass.COLD,
        reason="price unknown",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.5,
        found=(),
    )
    known = attrs.evolve(unknown, price_low=525_000, timeline=TimelineBucket.IMMEDIATE)
    assert conversation._stale(unknown, row(Slots(price_low=525_000)))
    assert conversation._stale(unknown, row(Slots(timeline_ok=True)))
    assert not conversation._stale(
        known, row(Slots(price_low=525_000, timeline_ok=True))
    )


def row(slots: Slots) -> ConversationRow:
    """The read model's row of a conversation with these answers."""
    state = ConversationState(
        contact_id="maria", created_at=NOW, updated_at=NOW, slots=slots
    )
    return facts_of(state).row


def test_a_conversation_not_yet_indexed_shows_only_its_own_figures() -> None:
    """Before the read model has its row, the seller page shows the state's
    temperature, stage and answers, and no price, timeline or score."""
    state = ConversationState(
        contact_id="new",
        created_at=NOW,
        updated_at=NOW,
        stage=Stage.Q_PRICE,
        temperature=Temperature.WARM,
        slots=Slots(timeline_ok=True, price_low=300_000),
    )
    figures = conversation._figures(SellerView(state=state, figures=None))
    assert figures == {
        "temperature": "Warm",
        "stage": "Price",
        "price": "unknown",
        "timeline": "Unknown",
        "lead_score": "not scored",
        "lead_class": "",
        "answered": "2 of 4",
    }
