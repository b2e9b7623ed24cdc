"""DDSketch as plain data, so a sketch can be stored and rebuilt exactly.

The package's protobuf form needs a protobuf runtime jorged does not ship, so a
sketch is stored as its bins: for the positive and the negative store, the key of
the first non-empty bin and the counts from there to the last one; plus the zero
count and the exact count, sum, minimum and maximum. Rebuilding with the same
relative accuracy gives a sketch that answers the same quantiles and merges like the
original. A sketch stored with another accuracy (the setting changed between runs)
is re-binned: each stored bin's value is added with its count, within the new
accuracy.

This is the only module that touches DDSketch's internals (its stores and counters
have no public setters); ddsketch is pinned in pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from ddsketch import DDSketch
from ddsketch.mapping import LogarithmicMapping
from ddsketch.store import DenseStore

__all__ = ["BinsData", "SketchData", "dump_sketch", "load_sketch", "merge_all"]


@attrs.frozen(kw_only=True)
class BinsData:
    """The non-empty span of one dense store: counts from key `first_key` on."""

    first_key: int = 0
    counts: tuple[float, ...] = ()


@attrs.frozen(kw_only=True)
class SketchData:
    """One non-empty DDSketch as plain numbers."""

    relative_accuracy: float
    positive: BinsData
    negative: BinsData
    zero_count: float
    count: float
    sum: float
    min: float
    max: float


def new_sketch(relative_accuracy: float) -> DDSketch:
    return DDSketch(relative_accuracy=relative_accuracy)


def merge_all(sketches: Iterable[DDSketch], relative_accuracy: float) -> DDSketch:
    """A new sketch holding every value of `sketches` (which are left unchanged)."""
    out = new_sketch(relative_accuracy)
    for sketch in sketches:
        out.merge(sketch)
    return out


def _dump_store(store: DenseStore) -> BinsData:
    if store.count == 0 or not store.bins:
        return BinsData()
    start = store.min_key - store.offset
    stop = store.max_key - store.offset + 1
    return BinsData(first_key=store.min_key, counts=tuple(store.bins[start:stop]))


def _load_store(data: BinsData) -> DenseStore:
    store = DenseStore()
    if data.counts:
        store.bins = list(data.counts)
        store.offset = data.first_key
        store.min_key = data.first_key
        store.max_key = data.first_key + len(data.counts) - 1
        store.count = sum(data.counts)
    return store


def dump_sketch(sketch: DDSketch) -> SketchData:
    """The plain data of a non-empty sketch."""
    if sketch.count == 0:
        msg = "sketch: an empty sketch has no data to store"
        raise ValueError(msg)
    positive, negative = sketch._store, sketch._negative_store  # noqa: SLF001
    if not isinstance(positive, DenseStore) or not isinstance(negative, DenseStore):
        msg = "sketch: only sketches with dense stores can be stored"
        raise TypeError(msg)
    return SketchData(
        relative_accuracy=float(sketch._relative_accuracy),  # noqa: SLF001
        positive=_dump_store(positive),
        negative=_dump_store(negative),
        zero_count=float(sketch._zero_count),  # noqa: SLF001
        count=float(sketch.count),
        sum=float(sketch.sum),
        min=float(sketch._min),  # noqa: SLF001
        max=float(sketch._max),  # noqa: SLF001
    )


def load_sketch(data: SketchData, relative_accuracy: float) -> DDSketch:
    """Rebuild a stored sketch with `relative_accuracy` (re-binned if it differs)."""
    sketch = new_sketch(relative_accuracy)
    if data.relative_accuracy == relative_accuracy:
        sketch._store = _load_store(data.positive)  # noqa: SLF001
        sketch._negative_store = _load_store(data.negative)  # noqa: SLF001
        sketch._zero_count = data.zero_count  # noqa: SLF001
        sketch._count = data.count  # noqa: SLF001
    else:
        old = LogarithmicMapping(data.relative_accuracy)
        for bins, sign in ((data.positive, 1.0), (data.negative, -1.0)):
            for i, weight in enumerate(bins.counts):
                if weight > 0:
                    sketch.add(sign * old.value(bins.first_key + i), weight)
        if data.zero_count > 0:
            sketch.add(0.0, data.zero_count)
    sketch._sum = data.sum  # noqa: SLF001
    sketch._min = data.min  # noqa: SLF001
    sketch._max = data.max  # noqa: SLF001
    return sketch
