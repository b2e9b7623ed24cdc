"""Synthetic conversations for the export tests, and the from-scratch expectation."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from jorged.actors.dashboard.index import ConversationIndex
from jorged.config import LeadsConfig
from jorged.domain.conversation.state import (
    ConversationState,
    Direction,
    Flags,
    Slots,
    Stage,
    Temperature,
    TranscriptEntry,
)
from jorged.domain.dashboard.facts import ConversationRow, facts_of, with_lead
from jorged.domain.dashboard.query import ConversationQuery, matches, sort_facts
from jorged.domain.dashboard.snapshot import dashboard
from jorged.domain.leads.analysis import (
    Financing,
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
)

CFG = LeadsConfig()
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
#: Names that break naive writers: separators, quotes, newlines, emoji, formulas.
NAMES = (
    "Ann",
    'Bob "the, builder"',
    "Zoë 😀",
    "line\nbreak",
    "李小龍",
    '=HYPERLINK("http://x")',
    "-2+3",
    "@sum",
    "",
    "O'Brien; Jr.",
)


def conversations(n: int, seed: int = 7) -> list[ConversationState]:
    """`n` varied conversations (stages, temperatures, flags, prices, names)."""
    rnd = random.Random(seed)
    states = []
    for i in range(n):
        created = NOW - timedelta(minutes=rnd.randint(0, 60 * 24 * 40))
        low = rnd.choice([None, rnd.randrange(150_000, 950_000, 5_000)])
        states.append(
            ConversationState(
                contact_id=f"c{i:04d}",
                created_at=created,
                updated_at=created + timedelta(minutes=5),
                first_name=NAMES[i % len(NAMES)],
                phone=rnd.choice(["", f"+1909555{i:04d}", f"(909) 555-{i:04d}"]),
                stage=rnd.choice(list(Stage)),
                temperature=rnd.choice(list(Temperature)),
                slots=Slots(
                    timeline_ok=rnd.choice([None, True, False]),
                    timeline_days=rnd.choice([None, 20, 60, 120, 300]),
                    price_low=low,
                    price_high=None if low is None else low + 40_000,
                ),
                flags=Flags(
                    stalled=rnd.random() < 0.2,
                    paused=rnd.random() < 0.1,
                    opted_out=rnd.random() < 0.05,
                    booked=rnd.random() < 0.1,
                ),
                transcript=(
                    TranscriptEntry(
                        direction=Direction.IN,
                        text=rnd.choice(["sell soon", "moving to Austin", "maybe"]),
                        at=created + timedelta(minutes=1),
                    ),
                ),
            )
        )
    return states


def lead_for(state: ConversationState, score: int) -> LeadAnalysis:
    return LeadAnalysis(
        contact_id=state.contact_id,
        analyzed_at=NOW,
        price_low=None,
        price_high=None,
        price_bound=None,
        timeline=TimelineBucket.UNKNOWN,
        timeline_days=None,
        area="Fontana" if score % 2 else None,
        financing=Financing.CASH,
        has_phone=True,
        has_email=False,
        score=score,
        classification=LeadClass.WARM,
        reason="r",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.5,
        found=(),
    )


def index_of(
    states: list[ConversationState], leads: list[LeadAnalysis]
) -> ConversationIndex:
    index = ConversationIndex(CFG)
    for s in states:
        index.put(s)
    for a in leads:
        index.put_lead(a)
    return index


def expected_rows(
    states: list[ConversationState],
    leads: list[LeadAnalysis],
    query: ConversationQuery,
) -> list[ConversationRow]:
    """The filtered, sorted rows, computed from scratch by the domain definitions."""
    by_contact = {a.contact_id: a for a in leads}
    addresses = {a.contact_id: a.area.casefold() for a in leads if a.area}
    check = matches(query, addresses)
    found = sort_facts(
        (f for f in map(facts_of, states) if check(f)),
        query.sort,
        descending=query.descending,
    )
    return [with_lead(f.row, by_contact.get(f.row.contact_id)) for f in found]


def snapshot_of(states: list[ConversationState], leads: list[LeadAnalysis]):
    return dashboard(states, leads, now=NOW, cfg=CFG)


def generated_rows(n: int) -> Iterator[ConversationRow]:
    """`n` distinct rows made one at a time (nothing keeps them)."""
    temperatures, stages = list(Temperature), list(Stage)
    for i in range(n):
        yield ConversationRow(
            contact_id=f"contact-{i:06d}",
            first_name=f"Seller {i}",
            phone=f"+1909{i:07d}",
            stage=stages[i % len(stages)],
            temperature=temperatures[i % 3],
            stalled=i % 5 == 0,
            paused=False,
            opted_out=False,
            stopped=False,
            booked=i % 7 == 0,
            price_low=200_000 + i,
            price_high=240_000 + i,
            price=220_000 + i,
            timeline=TimelineBucket.UNKNOWN,
            questions_answered=i % 5,
            last_activity=NOW - timedelta(seconds=i),
            created_at=NOW - timedelta(days=1, seconds=i),
            lead_score=i % 101,
            lead_class=LeadClass.COLD,
        )
