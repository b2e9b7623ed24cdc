"""Exports stream: rows go by one at a time and memory stays flat."""

from __future__ import annotations

import tracemalloc
import weakref
from collections.abc import Iterator

import pytest

from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import ConversationQuery
from jorged.exports import write_csv, write_json, write_pdf, write_xlsx
from tests.jorged.exports.sample import NOW, generated_rows, snapshot_of

QUERY = ConversationQuery()


class Sink:
    """A binary file that throws the bytes away and counts them."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class Watched:
    """Rows from `generated_rows`, noting the most that were alive at once."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.alive: weakref.WeakSet[ConversationRow] = weakref.WeakSet()
        self.most = 0

    def __iter__(self) -> Iterator[ConversationRow]:
        for row in generated_rows(self.n):
            self.alive.add(row)
            self.most = max(self.most, len(self.alive))
            yield row
            del row


WRITERS = {
    "csv": write_csv,
    "json": lambda rows, out: write_json(rows, out, filters=QUERY, generated_at=NOW),
    "xlsx": lambda rows, out: write_xlsx(rows, out, filters=QUERY, generated_at=NOW),
    "pdf": lambda rows, out: write_pdf(
        rows,
        out,
        snapshot=snapshot_of([], []),
        filters=QUERY,
        generated_at=NOW,
        table_limit=500,
    ),
}


def list_size(n: int) -> int:
    """Bytes a list of `n` rows takes, measured on a tenth and scaled."""
    tracemalloc.start()
    try:
        rows = list(generated_rows(n // 10))
        size = tracemalloc.get_traced_memory()[0] * 10
        del rows
    finally:
        tracemalloc.stop()
    return size


class TestStreaming:
    @pytest.mark.parametrize(
        ("fmt", "n"),
        [("csv", 20_000), ("json", 20_000), ("pdf", 20_000), ("xlsx", 2_000)],
    )
    def test_rows_are_never_kept(self, fmt, n):
        """At most two rows are alive at once: the one written and the next."""
        rows = Watched(n)
        assert WRITERS[fmt](iter(rows), Sink()) == n
        assert rows.most == 2

    def test_csv_of_100k_rows_peaks_far_below_a_list_of_them(self):
        """Tracemalloc's peak for 100,000 rows is under a tenth of their list."""
        limit = list_size(100_000) // 10
        tracemalloc.start()
        try:
            assert write_csv(generated_rows(100_000), Sink()) == 100_000
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < limit

    @pytest.mark.parametrize(
        ("fmt", "n"), [("json", 1_000), ("xlsx", 300), ("pdf", 1_000)]
    )
    def test_peak_does_not_grow_with_rows(self, fmt, n):
        """Ten times the rows does not double the peak (a PDF table past its cap)."""
        peaks = []
        for size in (n, 10 * n):
            tracemalloc.start()
            try:
                WRITERS[fmt](generated_rows(size), Sink())
                peaks.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
        assert peaks[1] < 2 * peaks[0]
