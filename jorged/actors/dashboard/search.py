"""Text search for the aggregator's index: texts by character width, hits in order.

`TextsByWidth` keeps the search text of each conversation (and each lead's address)
for `q`, in one `TextIndex` per CPython character width. `sort_hits` puts a search's
hits in list order on their own (as `jorged.domain.dashboard.query.sort_facts` orders
them), for when they are few: cheaper than walking the index's sorted list of every
conversation to keep the hits in it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from jorged.domain.dashboard.facts import CATEGORIES, ConversationFacts
from jorged.domain.dashboard.query import STAGE_RANK, TEMPERATURE_RANK, SortField
from jorged.domain.dashboard.textsearch import TextIndex

__all__ = ["TextsByWidth", "char_width", "sort_hits"]

_contact_id = operator.attrgetter("row.contact_id")

#: The rank of a temperature or a stage, by `ConversationFacts.code`.
_RANK_OF_CODE = {
    SortField.TEMPERATURE: bytes(TEMPERATURE_RANK[c[0]] for c in CATEGORIES),
    SortField.STAGE: bytes(STAGE_RANK[c[1]] for c in CATEGORIES),
}
_FIELD: dict[SortField, Callable[[ConversationFacts], Any]] = {
    SortField.LAST_ACTIVITY: operator.attrgetter("last_activity"),
    SortField.NAME: operator.attrgetter("name_key"),
    SortField.PRICE: operator.attrgetter("row.price"),
}


def char_width(text: str) -> int:
    """The bytes per character CPython stores `text` with: 1, 2 or 4."""
    if text.isascii():
        return 1
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        return 1
    return 2 if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text) else 4


@attrs.define
class TextsByWidth:
    """Texts by id for `q`, in one `TextIndex` per character width (1, 2, 4 bytes).

    CPython stores a string at the width of its widest character, and so a joined
    chunk of texts: one emoji or one "ễ" among 512 texts stores the whole chunk at
    4 or 2 bytes a character. Kept apart by width, each text is joined at its own
    (at 100,000 conversations of the data benchmark, 30 MB of joined text instead
    of 58 MB).
    """

    _indexes: dict[int, TextIndex] = attrs.field(
        factory=lambda: {width: TextIndex() for width in (1, 2, 4)}
    )

    def put(self, key: str, text: str) -> None:
        width = char_width(text)
        for other, index in self._indexes.items():
            if other == width:
                index.put(key, text)
            else:
                index.remove(key)

    def remove(self, key: str) -> None:
        for index in self._indexes.values():
            index.remove(key)

    def search(self, needle: str) -> set[str]:
        """The ids whose text contains `needle` (none for an empty needle)."""
        least = char_width(needle)
        found: set[str] = set()
        for width, index in self._indexes.items():
            if width >= least:  # a narrower text cannot hold the needle
                found |= index.search(needle)
        return found


def sort_hits(
    facts: Iterable[ConversationFacts], field: SortField, *, descending: bool
) -> list[ConversationFacts]:
    """`facts` in list order, as `sort_facts` orders them.

    Two stable sorts, by contact id and then by the field (a sort stays stable when
    reversed): each sorts plain numbers or strings, which CPython compares much
    faster than the (field, contact id) tuples.
    """
    by_id = sorted(facts, key=_contact_id, reverse=descending)
    match field:
        case SortField.LAST_ACTIVITY | SortField.NAME:
            by_id.sort(key=_FIELD[field], reverse=descending)
            return by_id
        case SortField.PRICE:
            priced = [f for f in by_id if f.row.price is not None]
            priced.sort(key=_FIELD[field], reverse=descending)
            return priced + [f for f in by_id if f.row.price is None]
        case SortField.TEMPERATURE | SortField.STAGE:
            ranks = _RANK_OF_CODE[field]
            by_id.sort(key=lambda f: ranks[f.code], reverse=descending)
            return by_id
