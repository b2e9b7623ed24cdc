"""Spanish (and Spanglish) read through the same readers: a phrase lexicon.

Sellers write Spanish, English, and both in one message, so every message is read
in both languages. The normalized copy of a message (`Text.norm`) has its Spanish
phrases written as the English phrases the readers already know ("dame de baja"
→ "unsubscribe me", "quise decir" → "i meant", "450 mil" → "450 thousand",
"¿sería un problema?" answered "no hay bronca" → "no problem"), while the
evidence still points at the seller's own Spanish words.

Only phrases and words that are Spanish and not English are written out, so an
English message is untouched; a Spanish word with another meaning is written out
only in the phrase that gives it its meaning ("para" is "stop" only as a whole
message, "alto" and "baja" stay prices and floors, "llamar" is a call only as a
request). The tables are grouped by what they feed (consent, questions,
dismissals, calls, corrections, life events, complaints, instructions, motivation,
timeline, condition, amounts), and applied in order: abbreviations first, then
the longer phrases, then single words.
"""

from __future__ import annotations

import re

from jorged.domain.reading.lexicon_es.acts_es import (
    CALLS,
    CORRECTIONS,
    DISMISSALS,
    QUESTIONS,
)
from jorged.domain.reading.lexicon_es.consent_es import CONSENT
from jorged.domain.reading.lexicon_es.events_es import EVENTS, HOSTILITY
from jorged.domain.reading.lexicon_es.house_es import AMOUNTS, CONDITION
from jorged.domain.reading.lexicon_es.reasons_es import MOTIVATION, TIMELINE
from jorged.domain.reading.lexicon_es.words_es import (
    ABBREVIATIONS,
    GENERAL,
    Rewrite,
    Table,
)

__all__ = ["REWRITES", "Rewrite", "Rule"]

#: One rewrite: the pattern and the English words for its match.
Rule = tuple[re.Pattern[str], Rewrite]


def _compiled(table: Table) -> tuple[re.Pattern[str], tuple[Rule, ...]]:
    """The table's rules, and one pattern that finds whether any of them applies.

    A message that none of a table's patterns matches skips the whole table (the
    rules of a table are applied in order, so if the first finds nothing, the
    text the next sees is the same).
    """
    rules = tuple((re.compile(pattern), repl) for pattern, repl in table)
    anywhere = "|".join(f"(?:{_unnamed(pattern)})" for pattern, _ in table)
    return re.compile(anywhere), rules


def _unnamed(pattern: str) -> str:
    """The pattern with its named groups plain (names repeat across patterns)."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


#: Every table of rewrites, in the order they are applied: abbreviations first,
#: then the phrases of each act, then the slots' words, then general words.
REWRITES = tuple(
    _compiled(table)
    for table in (
        ABBREVIATIONS,
        CONSENT,
        QUESTIONS,
        DISMISSALS,
        CORRECTIONS,
        CALLS,
        EVENTS,
        HOSTILITY,
        CONDITION,
        AMOUNTS,
        MOTIVATION,
        TIMELINE,
        GENERAL,
    )
)
