"""A seller's figures as every page shows them, from the one read model.

Temperature, stage, price, timeline, lead score and lead class of a seller come from
the conversation list's row (`ConversationRow`, as `GET /api/conversations` and the
seller view's `figures` give it): the overview counts those rows, the list shows
them, the seller page shows them and the exports write them. `shown` is the one
way they read; no page computes them from anything else.
"""

from __future__ import annotations

from ui import format as fmt
from ui.port import Json

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


def shown(row: Json) -> dict[str, str]:
    """The seller's figures as text, from a row of the read model."""
    score = row.get("lead_score")
    klass = row.get("lead_class")
    return {
        "temperature": fmt.label(fmt.TEMPERATURES, row.get("temperature", "")),
        "stage": fmt.label(fmt.STAGES, row.get("stage", "")),
        "price": fmt.price_range(row.get("price_low"), row.get("price_high")),
        "timeline": fmt.label(fmt.TIMELINES, row.get("timeline") or "unknown"),
        "lead_score": "not scored" if score is None else str(score),
        "lead_class": "" if not klass else fmt.label(fmt.TEMPERATURES, klass),
        "answered": f"{row.get('questions_answered', 0)} of 4",
    }
