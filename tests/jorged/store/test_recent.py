"""Records kept in memory by the disk backend: never older than what is on disk."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jorged.store.disk import DiskBackend
from jorged.store.disk_records import Recent
from jorged.store.store_protocol import Kind, Record


def value(key: str, seq: int, data: bytes) -> Record:
    return Record(key=key, kind=Kind.VALUE, seq=seq, value=data)


def put(data: bytes) -> Callable[[int], Callable[[Record | None], Record]]:
    return lambda seq: lambda live: value("k", seq, data)


class TestRecent:
    def test_a_read_racing_a_commit_does_not_keep_the_older_record(self) -> None:
        recent = Recent()
        since = recent.generation  # a reader begins, reads the old row...
        recent.publish([(value("k", 2, b"new"), math.inf)])  # ...a commit lands
        recent.keep("k", value("k", 1, b"old"), since)  # ...the reader finishes
        record, known = recent.get("k")
        assert known
        assert record is not None
        assert record.value == b"new"

    def test_a_read_is_kept_when_nothing_was_committed_meanwhile(self) -> None:
        recent = Recent()
        recent.keep("k", value("k", 1, b"v"), recent.generation)
        recent.keep("gone", None, recent.generation)
        assert recent.get("k")[0] == value("k", 1, b"v")
        assert recent.get("gone") == (None, True)  # known absent
        assert recent.get("other") == (None, False)  # not known

    def test_expired_entries_are_not_known(self) -> None:
        recent = Recent()
        recent.publish([(value("k", 1, b"v"), 1.0)])  # expired in 1970
        expiring = Record(key="t", kind=Kind.VALUE, seq=1, value=b"v", expires_at=2.0)
        recent.keep("t", expiring, recent.generation)
        assert recent.get("k") == (None, False)
        assert recent.get("t") == (None, False)

    def test_tombstones_read_from_disk_are_not_kept(self) -> None:
        recent = Recent()
        tomb = Record(key="k", kind=Kind.DELETED, seq=3)
        recent.keep("k", tomb, recent.generation)
        assert recent.get("k") == (None, False)

    def test_it_keeps_at_most_its_limit_the_oldest_going_first(self) -> None:
        recent = Recent(limit=3)
        for n in range(5):
            recent.publish([(value(f"k{n}", n + 1, b"v"), math.inf)])
        assert [recent.get(f"k{n}")[1] for n in range(5)] == [
            False,
            False,
            True,
            True,
            True,
        ]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[DiskBackend]:
    backend = DiskBackend.open(tmp_path / "disk", tombstone_ttl_s=60)
    yield backend
    backend.close()


class Boom(RuntimeError):
    pass


def boom(live: Record | None) -> Record:
    raise Boom


async def test_a_rolled_back_transaction_publishes_nothing(disk: DiskBackend) -> None:
    disk.apply([("k", 1, put(b"first")(1))])
    assert (await disk.read("k")) == value("k", 1, b"first")
    with pytest.raises(Boom):
        disk.apply([("k", 2, put(b"second")(2)), ("j", 3, boom)])
    assert (await disk.read("k")) == value("k", 1, b"first")
    disk.apply([("x", 4, lambda live: value("x", 4, b"x"))])  # the next commit
    assert (await disk.read("k")) == value("k", 1, b"first")
    assert disk.whole("k") == value("k", 1, b"first")  # the disk agrees


ops = st.lists(
    st.tuples(
        st.sampled_from(["put", "delete", "read"]),
        st.sampled_from(["a", "b", "c"]),
        st.binary(max_size=8),
    ),
    max_size=40,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=ops)
def test_reads_always_agree_with_the_disk(tmp_path: Path, ops: list) -> None:
    """Whatever was written, deleted or read before, and with a memory of two
    records only, a read returns what the disk holds."""
    disk = DiskBackend.open(
        tmp_path / f"d{len(list(tmp_path.iterdir()))}", tombstone_ttl_s=60
    )
    disk.recent = Recent(limit=2)
    seq = 0

    async def main() -> None:
        nonlocal seq
        for op, key, data in ops:
            seq += 1
            if op == "put":
                rec = value(key, seq, data)
                disk.apply([(key, seq, lambda live, rec=rec: rec)])
            elif op == "delete":
                tomb = Record(key=key, kind=Kind.DELETED, seq=seq)
                disk.apply([(key, seq, lambda live, tomb=tomb: tomb)])
            on_disk = disk.whole(key)
            live = None if on_disk is None or on_disk.kind is Kind.DELETED else on_disk
            assert await disk.read(key) == live
            assert (await disk.read_many([key]))[0] == on_disk

    try:
        trio.run(main)
    finally:
        disk.close()
