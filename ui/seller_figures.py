"""A seller's figures as every page shows them, from the one read model.

Temperature, stage, price, timeline, lead score and lead class of a seller come from
the conversation list's row (`ConversationRow`, as `GET /api/conversations` and the
seller view's `figures` give it): the overview counts those rows, the list shows
them, the seller page shows them and the exports write them. `shown` is the one
way they read; no page computes them from anything else.
"""

from __future__ import annotations

from enum import Enum

from ui import format as fmt
from ui.daemon_port import ConversationRow, ConversationState, Slots

#: (key, title) of the figures, in the order a page shows them.
FIGURES = (
    ("temperature", "Temperature"),
    ("stage", "Stage"),
    ("price", "Price"),
    ("timeline", "Timeline"),
    ("lead_score", "Lead score"),
    ("lead_class", "Lead class"),
    ("answered", "Questions answered"),
)


def shown(row: ConversationRow) -> dict[str, str]:
    """The seller's figures as text, from a row of the read model."""
    score, klass = row.lead_score, row.lead_class
    return {
        "temperature": fmt.label(fmt.TEMPERATURES, row.temperature),
        "stage": fmt.label(fmt.STAGES, row.stage),
        "price": fmt.price_range(row.price_low, row.price_high),
        "timeline": fmt.label(fmt.TIMELINES, row.timeline),
        "lead_score": "not scored" if score is None else str(score),
        "lead_class": "" if not klass else fmt.label(fmt.TEMPERATURES, klass),
        "answered": f"{row.questions_answered} of 4",
    }


def unindexed(state: ConversationState) -> dict[str, str]:
    """The figures of a conversation the read model has no row for yet: only its
    temperature, stage and answers; no price, timeline or score until it has one."""
    return {
        "temperature": fmt.label(fmt.TEMPERATURES, state.temperature),
        "stage": fmt.label(fmt.STAGES, state.stage),
        "price": fmt.price_range(None, None),
        "timeline": fmt.label(fmt.TIMELINES, "unknown"),
        "lead_score": "not scored",
        "lead_class": "",
        "answered": f"{state.slots.answered_count} of 4",
    }


#: The seller's answers in the order `GET /api/conversations/{id}` lists them.
ANSWERS = (
    "motivation",
    "move_to",
    "urgency",
    "timeline_ok",
    "timeline_days",
    "condition",
    "price_low",
    "price_high",
    "owed",
    "estimate",
)


def answers(slots: Slots) -> dict[str, object]:
    """The seller's answers by name, codes as their text (`relocation`)."""
    return {key: _code(getattr(slots, key)) for key in ANSWERS}


def _code(value: object) -> object:
    return value.value if isinstance(value, Enum) else value
