from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from jorged import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(name="restored_gc")
def _restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class TestSettle:
    def test_survivors_are_frozen_and_thresholds_raised(
        self, restored_gc: None
    ) -> None:
        """What lives at settle time moves to the permanent generation."""
        keep = [Node() for _ in range(1000)]
        stats = heap.settle()
        assert stats.frozen >= len(keep)
        assert stats.frozen == gc.get_freeze_count()
        assert stats.thresholds == (heap.YOUNG_THRESHOLD, *heap.OLDER_THRESHOLDS)
        assert gc.get_threshold() == stats.thresholds

    def test_cycles_made_after_settle_are_still_collected(
        self, restored_gc: None
    ) -> None:
        """Freezing the settled heap does not stop the collector freeing new garbage."""
        heap.settle()
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
