from __future__ import annotations

import pytest

from jorged.metrics.window import HOUR_S, Window, WindowData
from jorged.store import codec

T0 = 1_800_000_000.0  # an hour boundary (epoch seconds)
ACC = 0.005


def _window(hours: int = 24, **kw) -> Window:
    return Window(hours=hours, relative_accuracy=ACC, started_at=T0, **kw)


def _state(w: Window, now: float) -> tuple:
    """Everything a reader can see of a window at `now`."""
    return (
        w.started_at,
        w.bucket_hours(),
        w.quantiles("reply", (0.5, 0.95, 0.99), now=now),
        w.count("webhooks", now=now),
        w.totals_by_labels("webhooks"),
        w.total("latency_count", "reply"),
        w.total("latency_sum", "reply"),
        [(v.hour, v.count("webhooks"), v.quantile("reply", 0.95)) for v in w.hourly(now=now, hours=24)],
    )


class TestRolling:
    def test_samples_older_than_the_window_are_forgotten(self):
        """A sample leaves the percentiles and window counts 24 hours later."""
        w = _window()
        w.observe("reply", 9.0, at=T0 + 10)
        w.add("webhooks", "InboundMessage", "200", at=T0 + 10)
        w.observe("reply", 0.2, at=T0 + 5 * HOUR_S)
        later = T0 + 24 * HOUR_S + 1
        assert w.quantiles("reply", (1.0,), now=later - 2)[0] == pytest.approx(9.0, rel=ACC)
        assert w.quantiles("reply", (1.0,), now=later)[0] == pytest.approx(0.2, rel=ACC)
        assert w.count("webhooks", now=later) == 0.0

    def test_totals_outlive_the_window(self):
        """Totals since start keep what the window forgot."""
        w = _window()
        w.add("webhooks", "InboundMessage", "200", at=T0)
        w.observe("reply", 1.5, at=T0)
        w.add("webhooks", "InboundMessage", "500", at=T0 + 30 * HOUR_S)
        assert w.bucket_hours() == [int(T0 // HOUR_S) + 30]
        assert w.total("webhooks") == 2.0
        assert w.total("webhooks", "InboundMessage", "500") == 1.0
        assert (w.total("latency_count", "reply"), w.total("latency_sum", "reply")) == (1.0, 1.5)

    def test_percentiles_merge_every_hour_of_the_window(self):
        """p50 over the window reflects samples spread over many hours."""
        w = _window()
        for hour in range(24):
            w.observe("reply", 1.0 if hour < 12 else 3.0, at=T0 + hour * HOUR_S)
        now = T0 + 23 * HOUR_S
        p0, p100 = w.quantiles("reply", (0.0, 1.0), now=now)
        assert (p0, p100) == (pytest.approx(1.0, rel=ACC), pytest.approx(3.0, rel=ACC))
        assert w.sketch("reply", now=now).count == 24

    def test_a_late_sample_for_a_forgotten_hour_counts_in_totals_only(self):
        """A sample stamped before the window lands in the totals, not a bucket."""
        w = _window(hours=2)
        w.add("messages_in", at=T0 + 5 * HOUR_S)
        w.add("messages_in", at=T0)
        assert w.count("messages_in", now=T0 + 5 * HOUR_S) == 1.0
        assert w.total("messages_in") == 2.0

    def test_hourly_views_include_empty_hours(self):
        """Each hour of the chart is present, oldest first, zero when idle."""
        w = _window()
        w.add("messages_in", at=T0 + HOUR_S + 5)
        views = w.hourly(now=T0 + 2 * HOUR_S, hours=3)
        assert [(v.start, v.count("messages_in")) for v in views] == [
            (T0, 0.0),
            (T0 + HOUR_S, 1.0),
            (T0 + 2 * HOUR_S, 0.0),
        ]


class TestLabels:
    def test_counts_sum_over_trailing_labels(self):
        """A query names a prefix of the labels and sums over the rest."""
        w = _window()
        w.add("ghl_calls", "send_sms", "200", at=T0)
        w.add("ghl_calls", "send_sms", "429", at=T0)
        w.add("ghl_calls", "add_tags", "200", at=T0)
        assert w.count("ghl_calls", now=T0) == 3.0
        assert w.count("ghl_calls", "send_sms", now=T0) == 2.0
        assert w.count("ghl_calls", "send_sms", "429", now=T0) == 1.0

    def test_label_combinations_are_capped(self):
        """Past `max_series` combinations, new label values count as "other"."""
        w = _window(max_series=2)
        for event in ("A", "B", "C", "D"):
            w.add("webhooks", event, "200", at=T0)
        assert w.totals_by_labels("webhooks") == {
            ("A", "200"): 1.0,
            ("B", "200"): 1.0,
            ("other", "other"): 2.0,
        }

    def test_bad_settings_are_refused(self):
        """Window sizes and accuracies out of range name the setting."""
        with pytest.raises(ValueError, match=r"^hours: must be at least 1, got 0$"):
            Window(hours=0, relative_accuracy=ACC, started_at=T0)
        with pytest.raises(ValueError, match=r"^relative_accuracy: must be between"):
            Window(hours=1, relative_accuracy=1.0, started_at=T0)


class TestData:
    def _filled(self) -> Window:
        w = _window()
        for i in range(600):
            at = T0 + i * 137.0
            w.observe("reply", 0.01 * (1 + i % 37), at=at)
            w.add("webhooks", "InboundMessage", "200" if i % 9 else "500", at=at)
        return w

    def test_round_trip_restores_the_same_state(self):
        """A window rebuilt from its stored data answers exactly like the original."""
        w = self._filled()
        now = T0 + 600 * 137.0
        data = codec.loads(codec.dumps(w.to_data(now=now)), WindowData)
        back = Window.from_data(data, hours=24, relative_accuracy=ACC, now=now)
        assert _state(back, now) == _state(w, now)

    def test_restore_drops_buckets_outside_the_window(self):
        """Buckets older than the window at restore time are not brought back."""
        w = self._filled()
        data = w.to_data(now=T0 + 600 * 137.0)
        later = T0 + 40 * HOUR_S
        back = Window.from_data(data, hours=24, relative_accuracy=ACC, now=later)
        assert back.bucket_hours() == [h for h in w.bucket_hours() if h > later // HOUR_S - 24]
        assert back.total("webhooks") == 600.0
