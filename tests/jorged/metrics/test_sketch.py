from __future__ import annotations

import random

import pytest
from ddsketch import DDSketch

from jorged.config import TrackerConfig
from jorged.metrics.sketch import SketchData, dump_sketch, load_sketch, merge_all
from jorged.store import codec

ACCURACY = TrackerConfig().relative_accuracy
QS = (0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0)


def _exact(values: list[float], q: float) -> float:
    """The exact value at the rank DDSketch targets: q * (n - 1), rounded down."""
    return sorted(values)[int(q * (len(values) - 1))]


def _sketch(values: list[float], accuracy: float = ACCURACY) -> DDSketch:
    sketch = DDSketch(accuracy)
    for v in values:
        sketch.add(v)
    return sketch


def _lognormal(n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.lognormvariate(-3.0, 1.2) for _ in range(n)]


def _pareto(n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [0.05 * rng.paretovariate(1.5) for _ in range(n)]


class TestAccuracy:
    @pytest.mark.parametrize("draw", [_lognormal, _pareto])
    def test_tail_quantiles_within_one_percent(self, draw):
        """p95 and p99 of 100,000 skewed latencies are within 1 % of the exact value."""
        values = draw(100_000, 20260101)
        sketch = _sketch(values)
        for q in (0.5, 0.95, 0.99):
            exact = _exact(values, q)
            assert abs(sketch.get_quantile_value(q) - exact) <= 0.01 * exact

    def test_merged_sketches_keep_the_accuracy(self):
        """Merging per-hour sketches answers like one sketch of every sample."""
        values = _lognormal(24_000, 7)
        hours = [_sketch(values[i : i + 1000]) for i in range(0, 24_000, 1000)]
        merged = merge_all(hours, ACCURACY)
        for q in (0.95, 0.99):
            exact = _exact(values, q)
            assert abs(merged.get_quantile_value(q) - exact) <= 0.01 * exact
        assert merged.count == 24_000


class TestRoundTrip:
    def test_restored_sketch_answers_identical_quantiles(self):
        """A sketch rebuilt from its plain data gives the very same quantiles."""
        values = [*_pareto(5_000, 3), 0.0, 0.0, -0.25]
        sketch = _sketch(values)
        restored = load_sketch(dump_sketch(sketch), ACCURACY)
        assert [restored.get_quantile_value(q) for q in QS] == [
            sketch.get_quantile_value(q) for q in QS
        ]
        assert (restored.count, restored.sum) == (sketch.count, sketch.sum)

    def test_restored_sketch_survives_the_store_codec(self):
        """The plain data goes through the store's JSON codec without loss."""
        sketch = _sketch(_lognormal(2_000, 11))
        data = codec.loads(codec.dumps(dump_sketch(sketch)), SketchData)
        restored = load_sketch(data, ACCURACY)
        assert [restored.get_quantile_value(q) for q in QS] == [
            sketch.get_quantile_value(q) for q in QS
        ]

    def test_restored_sketch_keeps_taking_values_and_merges(self):
        """A restored sketch grows and merges like one that was never stored."""
        first, second = _lognormal(1_000, 1), [*_lognormal(1_000, 2), 30.0, 1e-6]
        restored = load_sketch(dump_sketch(_sketch(first)), ACCURACY)
        for v in second:
            restored.add(v)
        restored.merge(_sketch([0.5, 120.0]))
        reference = _sketch([*first, *second, 0.5, 120.0])
        assert [restored.get_quantile_value(q) for q in QS] == [
            reference.get_quantile_value(q) for q in QS
        ]

    def test_other_accuracy_is_rebinned_within_both_accuracies(self):
        """A sketch stored at 2 % loads at 0.5 % with quantiles within 2.5 %."""
        values = _lognormal(10_000, 5)
        coarse = _sketch(values, 0.02)
        restored = load_sketch(dump_sketch(coarse), ACCURACY)
        assert restored.count == coarse.count
        for q in (0.5, 0.95, 0.99):
            exact = _exact(values, q)
            assert abs(restored.get_quantile_value(q) - exact) <= 0.025 * exact
        restored.merge(_sketch([1.0]))

    def test_empty_sketch_is_refused(self):
        """An empty sketch has nothing to store and says so."""
        with pytest.raises(ValueError, match=r"^sketch: an empty sketch has no data"):
            dump_sketch(DDSketch(ACCURACY))
