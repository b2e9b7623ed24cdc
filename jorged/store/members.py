"""Sets and sorted sets on disk: one row per member, changed one member at a time.

A set that holds every active conversation, or every text waiting to be sent, can
hold thousands of members. Rewriting it whole for each member added (encode, write,
mirror) made every write O(n) and the store slower the more it held, so members
live in their own table: a change writes the members it adds or removes and the
collection's new seq. Every collection is also held in memory (the members are short
ids); `Collections` keeps the two in step, and undoes its memory when a transaction
rolls back.

An emptied collection becomes a tombstone row that keeps its seq (as a deleted value
does) until `tombstone_ttl_s` has passed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator

import attrs

from jorged.store.store_protocol import Kind, Record, expect_kind

SCHEMA = """
CREATE TABLE IF NOT EXISTS coll (
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, seq INTEGER NOT NULL, deleted_at REAL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS member (
    key TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL,
    PRIMARY KEY (key, member)
) WITHOUT ROWID;
"""

_WHAT = {Kind.SET: "a set", Kind.ZSET: "a sorted set"}


@attrs.frozen
class Delta:
    """Members to add (with their scores; 0.0 in a set) and members to remove."""

    kind: Kind
    add: tuple[tuple[str, float], ...] = ()
    remove: tuple[str, ...] = ()


@attrs.frozen
class Change:
    """One write as the mirror needs it: the whole new record, or a collection's delta.

    `before_seq` is the seq the key had before (0 when it never had one): a mirror
    that holds the key at that seq can take the delta.
    """

    key: str
    seq: int
    before_seq: int
    record: Record | None = None
    delta: Delta | None = None


@attrs.define
class _Collection:
    kind: Kind
    seq: int
    members: dict[str, float]
    deleted_at: float | None = None
    view: Record | None = None

    def record(self, key: str) -> Record:
        if self.view is None or self.view.seq != self.seq:
            self.view = _as_record(key, self.kind, self.seq, self.members)
        return self.view


def _as_record(key: str, kind: Kind, seq: int, members: dict[str, float]) -> Record:
    if kind is Kind.SET:
        return Record(key=key, kind=kind, seq=seq, members=frozenset(members))
    if kind is Kind.ZSET:
        items = tuple(sorted(members.items(), key=lambda item: (item[1], item[0])))
        return Record(key=key, kind=kind, seq=seq, scores=items)
    return Record(key=key, kind=Kind.DELETED, seq=seq)


@attrs.define
class Collections:
    """The sets and sorted sets of one store (used by one thread at a time)."""

    tombstone_ttl_s: float
    _all: dict[str, _Collection] = attrs.field(factory=dict)
    _undo: list[Callable[[], None]] = attrs.field(factory=list)

    def load(self, db: sqlite3.Connection) -> None:
        """Read every collection into memory, dropping tombstones past their ttl."""
        db.execute(
            "DELETE FROM coll WHERE deleted_at IS NOT NULL AND deleted_at < ?",
            (time.time() - self.tombstone_ttl_s,),
        )
        self._all = {
            key: _Collection(Kind(kind), int(seq), {}, deleted_at)
            for key, kind, seq, deleted_at in db.execute("SELECT * FROM coll")
        }
        for key, member, score in db.execute("SELECT * FROM member"):
            if key in self._all:
                self._all[key].members[member] = float(score)

    def get(self, key: str) -> Record | None:
        found = self._all.get(key)
        return None if found is None else found.record(key)

    def seq(self, key: str) -> int | None:
        found = self._all.get(key)
        return None if found is None else found.seq

    def max_seq(self) -> int:
        return max((c.seq for c in self._all.values()), default=0)

    def records(self, prefix: str) -> Iterator[Record]:
        for key, found in list(self._all.items()):
            if key.startswith(prefix):
                yield found.record(key)

    # --- changes, inside a transaction of `db` ----------------------------------

    def apply(
        self,
        db: sqlite3.Connection,
        key: str,
        seq: int,
        delta: Delta,
        other: Record | None,
    ) -> Change:
        """Apply `delta` at `seq`; `other` is the key's record outside this table.

        A live record there (a value) means the key is no collection: StoreError.
        """
        found = self._all.get(key)
        before_seq = 0
        if other is not None:
            if other.kind is not Kind.DELETED:
                expect_kind(other, delta.kind, _WHAT[delta.kind])
            before_seq = other.seq
        if found is not None and found.seq > before_seq:
            if found.kind not in (delta.kind, Kind.DELETED):
                expect_kind(found.record(key), delta.kind, _WHAT[delta.kind])
            before_seq = found.seq
        else:
            found = None
        if found is None or found.kind is Kind.DELETED:
            self._reset(db, key, delta.kind)
            found = self._all[key]
        self._note_change(found, delta)
        members = found.members
        for member, score in delta.add:
            members[member] = score
        for member in delta.remove:
            members.pop(member, None)
        if delta.add:
            db.executemany(
                "INSERT OR REPLACE INTO member VALUES (?, ?, ?)",
                [(key, m, s) for m, s in delta.add],
            )
        if delta.remove:
            db.executemany(
                "DELETE FROM member WHERE key = ? AND member = ?",
                [(key, m) for m in delta.remove],
            )
        found.seq = seq
        if members:
            found.kind, found.deleted_at = delta.kind, None
            db.execute(
                "INSERT OR REPLACE INTO coll VALUES (?, ?, ?, NULL)",
                (key, delta.kind.value, seq),
            )
            return Change(key=key, seq=seq, before_seq=before_seq, delta=delta)
        found.kind, found.deleted_at = Kind.DELETED, time.time()
        db.execute(
            "INSERT OR REPLACE INTO coll VALUES (?, ?, ?, ?)",
            (key, Kind.DELETED.value, seq, found.deleted_at),
        )
        tombstone = Record(key=key, kind=Kind.DELETED, seq=seq)
        return Change(key=key, seq=seq, before_seq=before_seq, record=tombstone)

    def replace(self, db: sqlite3.Connection, record: Record) -> None:
        """Hold `record` (a set or sorted set, whole) at its seq."""
        self._reset(db, record.key, record.kind)
        found = self._all[record.key]
        if record.kind is Kind.SET:
            found.members.update(dict.fromkeys(record.members, 0.0))
        else:
            found.members.update(record.scores)
        found.seq = record.seq
        db.executemany(
            "INSERT INTO member VALUES (?, ?, ?)",
            [(record.key, m, s) for m, s in found.members.items()],
        )
        db.execute(
            "INSERT OR REPLACE INTO coll VALUES (?, ?, ?, NULL)",
            (record.key, record.kind.value, record.seq),
        )

    def drop(self, db: sqlite3.Connection, key: str) -> None:
        """Forget `key` here (it is a value now, kept elsewhere)."""
        old = self._all.pop(key, None)
        if old is not None:
            self._undo.append(lambda: self._all.__setitem__(key, old))
            db.execute("DELETE FROM member WHERE key = ?", (key,))
            db.execute("DELETE FROM coll WHERE key = ?", (key,))

    def _reset(self, db: sqlite3.Connection, key: str, kind: Kind) -> None:
        """Start `key` afresh (the old object stays as it was, for an undo)."""
        old = self._all.get(key)
        if old is None:
            self._undo.append(lambda: self._forget(key))
        else:
            self._undo.append(lambda: self._all.__setitem__(key, old))
            db.execute("DELETE FROM member WHERE key = ?", (key,))
        self._all[key] = _Collection(kind, 0 if old is None else old.seq, {})

    def _forget(self, key: str) -> None:
        self._all.pop(key, None)

    # --- memory follows the transaction ------------------------------------------

    def _note_change(self, found: _Collection, delta: Delta) -> None:
        """Note how to undo `delta` on `found` (its touched members only)."""
        kind, seq, deleted_at = found.kind, found.seq, found.deleted_at
        touched = {m for m, _ in delta.add} | set(delta.remove)
        saved = {m: found.members.get(m) for m in touched}

        def restore() -> None:
            found.kind, found.seq, found.deleted_at = kind, seq, deleted_at
            for member, score in saved.items():
                if score is None:
                    found.members.pop(member, None)
                else:
                    found.members[member] = score

        self._undo.append(restore)

    def committed(self) -> None:
        self._undo.clear()

    def rolled_back(self) -> None:
        while self._undo:
            self._undo.pop()()
