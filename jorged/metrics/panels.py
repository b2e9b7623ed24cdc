"""Dashboard panels whose update failed: counted per panel, served on `/metrics`.

A panel that cannot load or draw its data says so in the page and tries again on its
next refresh; each such failure is counted here so a page that stopped showing live
numbers is visible from outside the browser too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import attrs
from prometheus_client.metrics_core import CounterMetricFamily, Metric

__all__ = ["PanelFailures", "PanelFailuresCollector"]

#: Where a panel failed: loading its data, or drawing it.
STAGES = ("load", "draw")


@attrs.define
class PanelFailures:
    """Failures by (panel title, stage) since the daemon started."""

    counts: Counter[tuple[str, str]] = attrs.field(factory=Counter)

    def record(self, panel: str, stage: str) -> None:
        if stage not in STAGES:
            msg = f"stage: must be one of {', '.join(STAGES)}, got {stage!r}"
            raise ValueError(msg)
        self.counts[panel or "untitled", stage] += 1

    def total(self) -> int:
        return sum(self.counts.values())


class PanelFailuresCollector:
    """`jorged_dashboard_panel_failures_total{panel, stage}` at each scrape."""

    def __init__(self, failures: PanelFailures) -> None:
        self.failures = failures

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "jorged_dashboard_panel_failures",
            "Dashboard panel updates that failed (then retried), by panel and stage.",
            labels=("panel", "stage"),
        )
        for (panel, stage), count in sorted(self.failures.counts.items()):
            family.add_metric([panel, stage], count)
        yield family
