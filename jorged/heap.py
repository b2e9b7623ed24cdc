"""The garbage collector, set for a long-running server with a large, settled heap.

After start-up the heap holds some 300,000 objects that live as long as the process
(modules, the dashboard, the rebuilt conversation index). Python's default collector
walks all of them on every full collection, and under load that means a pause of
about 150 ms every few seconds: the tail of every latency the daemon measures.
`settle` collects once, then moves what survived into the permanent generation
(`gc.freeze`), so later collections only walk what was made since; young objects
are collected less often, each run still short.
"""

from __future__ import annotations

import gc

import attrs

#: Allocations (net of frees) between young collections; the default is 700.
YOUNG_THRESHOLD = 20_000
#: Young collections between middle ones, and middle ones between full ones.
OLDER_THRESHOLDS = (20, 20)


@attrs.frozen(kw_only=True)
class HeapStatistics:
    frozen: int
    thresholds: tuple[int, int, int]
    collections: tuple[int, int, int]


def settle() -> HeapStatistics:
    """Collect, freeze the survivors, and raise the collection thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
    return statistics()


def statistics() -> HeapStatistics:
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = (s["collections"] for s in gc.get_stats())
    return HeapStatistics(
        frozen=gc.get_freeze_count(), thresholds=(t0, t1, t2), collections=(c0, c1, c2)
    )
