"""A rolling window of hourly buckets of latency sketches and counters.

Each bucket covers one wall-clock hour (epoch seconds // 3600) and holds a DDSketch
per latency metric and a set of counters. The window at time `now` is the bucket of
`now`'s hour and the `hours - 1` before it; older buckets are forgotten as soon as a
newer hour starts. Percentiles over the window come from merging the buckets'
sketches, never from sorting samples. Totals since `started_at` are kept apart and
never forgotten: the counters, and each latency metric's count and sum.

Counters are keyed by a name and label values (`("webhooks", "InboundMessage",
"200")`); queries sum over the labels or filter on a prefix of them. Each counter
name keeps at most `max_series` label combinations; further ones are counted under
"other" labels, so a stray label value cannot grow memory without bound.

Time is always passed in as wall-clock epoch seconds, so a restored snapshot puts
its buckets back in the right hours. `Window.to_data()` and `Window.from_data()` turn
the whole window into plain records for the store codec and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

import attrs
from ddsketch import DDSketch

from jorged.metrics.sketch import SketchData, dump_sketch, load_sketch, merge_all

__all__ = [
    "HOUR_S",
    "CounterEntry",
    "HourView",
    "Window",
    "WindowData",
    "hour_of",
]

HOUR_S = 3600

CounterKey = tuple[str, ...]

#: The totals counters each latency observation feeds, labelled by metric.
LATENCY_COUNT = "latency_count"
LATENCY_SUM = "latency_sum"


def hour_of(epoch_s: float) -> int:
    """The index of the wall-clock hour holding `epoch_s`."""
    return int(epoch_s // HOUR_S)


@attrs.frozen(kw_only=True)
class CounterEntry:
    name: str
    labels: tuple[str, ...] = ()
    value: float = 0.0


@attrs.frozen(kw_only=True)
class BucketData:
    hour: int
    sketches: dict[str, SketchData] = attrs.field(factory=dict)
    counters: tuple[CounterEntry, ...] = ()


@attrs.frozen(kw_only=True)
class WindowData:
    """A whole window as plain data (the stored metrics snapshot)."""

    record_kind: ClassVar[str] = "metrics_snapshot"

    started_at: float
    saved_at: float
    buckets: tuple[BucketData, ...] = ()
    totals: tuple[CounterEntry, ...] = ()


@attrs.define(kw_only=True)
class _Bucket:
    hour: int
    sketches: dict[str, DDSketch] = attrs.field(factory=dict)
    counters: dict[CounterKey, float] = attrs.field(factory=dict)


def _sum(counters: Mapping[CounterKey, float], name: str, labels: CounterKey) -> float:
    n = len(labels)
    return sum(
        (v for k, v in counters.items() if k[0] == name and k[1 : 1 + n] == labels),
        0.0,
    )


@attrs.frozen(kw_only=True)
class HourView:
    """One hour of the window, read-only: its counters and merged-on-read sketches."""

    hour: int
    _counters: Mapping[CounterKey, float]
    _sketches: Mapping[str, DDSketch]

    @property
    def start(self) -> float:
        """The hour's first second, in epoch seconds."""
        return float(self.hour * HOUR_S)

    def count(self, name: str, *labels: str) -> float:
        return _sum(self._counters, name, labels)

    def quantile(self, metric: str, q: float) -> float | None:
        sketch = self._sketches.get(metric)
        return None if sketch is None else sketch.get_quantile_value(q)


@attrs.define(kw_only=True)
class Window:
    """Hourly buckets over the last `hours` hours, plus totals since `started_at`."""

    hours: int
    relative_accuracy: float
    started_at: float
    max_series: int = 200
    _buckets: dict[int, _Bucket] = attrs.field(factory=dict, init=False)
    _totals: dict[CounterKey, float] = attrs.field(factory=dict, init=False)
    _series: dict[str, int] = attrs.field(factory=dict, init=False)
    _latest: int | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        for name in ("hours", "max_series"):
            value = getattr(self, name)
            if value < 1:
                msg = f"{name}: must be at least 1, got {value!r}"
                raise ValueError(msg)
        if not 0 < self.relative_accuracy < 1:
            msg = (
                "relative_accuracy: must be between 0 and 1 (exclusive), "
                f"got {self.relative_accuracy!r}"
            )
            raise ValueError(msg)

    # --- recording -------------------------------------------------------------

    def observe(self, metric: str, value: float, *, at: float) -> None:
        """Add one latency sample (seconds) of `metric`, seen at epoch `at`."""
        bucket = self._bucket(at)
        if bucket is not None:
            sketch = bucket.sketches.get(metric)
            if sketch is None:
                sketch = bucket.sketches[metric] = DDSketch(self.relative_accuracy)
            sketch.add(value)
        self._add_total((LATENCY_COUNT, metric), 1.0)
        self._add_total((LATENCY_SUM, metric), value)

    def add(self, name: str, *labels: str, at: float, amount: float = 1.0) -> None:
        """Add `amount` to the counter `name` with `labels`, seen at epoch `at`."""
        key = self._key(name, labels)
        self._add_total(key, amount)
        bucket = self._bucket(at)
        if bucket is not None:
            bucket.counters[key] = bucket.counters.get(key, 0.0) + amount

    def forget(self, now: float) -> None:
        """Drop the buckets that fell out of the window at `now`."""
        self._advance(hour_of(now))

    # --- queries ---------------------------------------------------------------

    def sketch(self, metric: str, *, now: float) -> DDSketch:
        """A new sketch of every `metric` sample in the window at `now`."""
        return merge_all(
            (b.sketches[metric] for b in self._live(now) if metric in b.sketches),
            self.relative_accuracy,
        )

    def quantiles(
        self, metric: str, qs: Iterable[float], *, now: float
    ) -> tuple[float | None, ...]:
        """The `qs` quantiles of `metric` over the window (None when empty)."""
        sketch = self.sketch(metric, now=now)
        return tuple(sketch.get_quantile_value(q) for q in qs)

    def count(self, name: str, *labels: str, now: float) -> float:
        """The counter `name` over the window, summed over labels after `labels`."""
        return sum((_sum(b.counters, name, labels) for b in self._live(now)), 0.0)

    def total(self, name: str, *labels: str) -> float:
        """The counter `name` since `started_at`, summed over labels after `labels`."""
        return _sum(self._totals, name, labels)

    def totals_by_labels(self, name: str) -> dict[tuple[str, ...], float]:
        """Every label combination of counter `name` since `started_at`."""
        return {k[1:]: v for k, v in self._totals.items() if k[0] == name}

    def hourly(self, *, now: float, hours: int) -> list[HourView]:
        """The last `hours` hours up to `now`'s, oldest first (empty ones included)."""
        last = hour_of(now)
        first = max(last - hours + 1, last - self.hours + 1)
        views = []
        for hour in range(first, last + 1):
            bucket = self._buckets.get(hour) or _Bucket(hour=hour)
            views.append(
                HourView(
                    hour=hour,
                    counters=dict(bucket.counters),
                    sketches=dict(bucket.sketches),
                )
            )
        return views

    def bucket_hours(self) -> list[int]:
        """The hours that hold a bucket, oldest first."""
        return sorted(self._buckets)

    # --- snapshots -------------------------------------------------------------

    def to_data(self, *, now: float) -> WindowData:
        """The window as plain data (buckets outside the window at `now` left out)."""
        return WindowData(
            started_at=self.started_at,
            saved_at=now,
            buckets=tuple(
                BucketData(
                    hour=b.hour,
                    sketches={
                        m: dump_sketch(s) for m, s in b.sketches.items() if s.count
                    },
                    counters=_entries(b.counters),
                )
                for b in self._live(now)
            ),
            totals=_entries(self._totals),
        )

    @classmethod
    def from_data(
        cls,
        data: WindowData,
        *,
        hours: int,
        relative_accuracy: float,
        now: float,
        max_series: int = 200,
    ) -> Window:
        """Rebuild a window; buckets outside the window at `now` are dropped."""
        window = cls(
            hours=hours,
            relative_accuracy=relative_accuracy,
            started_at=data.started_at,
            max_series=max_series,
        )
        for entry in data.totals:
            window._add_total((entry.name, *entry.labels), entry.value)
        window._latest = hour_of(now)
        for b in data.buckets:
            if not window._in_window(b.hour, window._latest):
                continue
            window._buckets[b.hour] = _Bucket(
                hour=b.hour,
                sketches={
                    m: load_sketch(s, relative_accuracy) for m, s in b.sketches.items()
                },
                counters={(e.name, *e.labels): e.value for e in b.counters},
            )
        return window

    # --- internals -------------------------------------------------------------

    def _in_window(self, hour: int, latest: int) -> bool:
        return latest - self.hours < hour <= latest

    def _advance(self, hour: int) -> int:
        """Move the window up to `hour` (never back); the latest hour seen."""
        if self._latest is not None and hour <= self._latest:
            return self._latest
        self._latest = hour
        for old in [h for h in self._buckets if not self._in_window(h, hour)]:
            del self._buckets[old]
        return hour

    def _bucket(self, at: float) -> _Bucket | None:
        """The bucket for epoch `at`, or None when that hour is already forgotten."""
        hour = hour_of(at)
        latest = self._advance(hour)
        if hour <= latest - self.hours:
            return None
        bucket = self._buckets.get(hour)
        if bucket is None:
            bucket = self._buckets[hour] = _Bucket(hour=hour)
        return bucket

    def _live(self, now: float) -> list[_Bucket]:
        latest = hour_of(now)
        return [
            self._buckets[h]
            for h in sorted(self._buckets)
            if self._in_window(h, latest)
        ]

    def _key(self, name: str, labels: tuple[str, ...]) -> CounterKey:
        key = (name, *labels)
        if key in self._totals or self._series.get(name, 0) < self.max_series:
            return key
        return (name, *("other" for _ in labels))

    def _add_total(self, key: CounterKey, amount: float) -> None:
        if key not in self._totals:
            self._series[key[0]] = self._series.get(key[0], 0) + 1
            self._totals[key] = 0.0
        self._totals[key] += amount


def _entries(counters: Mapping[CounterKey, float]) -> tuple[CounterEntry, ...]:
    return tuple(
        CounterEntry(name=k[0], labels=k[1:], value=v)
        for k, v in sorted(counters.items())
    )
