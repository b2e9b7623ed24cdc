"""The Redis backend: sync redis-py in threads, one thread hop per logical operation.

Records keep their natural Redis types (a string, a set, a sorted set) so other tools
can read them; the seq of each record lives in the hash `jorged:seq`. A Lua script
writes a record only when its seq is newer, so replays and duplicates are no-ops.
Every name sent to Redis carries `redis.key_prefix`, and only names under it are
read back (see `jorged.store.redis_keys`); callers use the bare names.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
import redis
import trio
from redis.backoff import NoBackoff
from redis.retry import Retry

from jorged.config import RedisConfig
from jorged.exceptions import StoreUnavailable
from jorged.store.ids import parse_id
from jorged.store.members import Change, Delta
from jorged.store.redis_keys import (
    KNOWN_STREAMS,
    LEGACY_SEQ_HASH,
    Migration,
    migrate_unprefixed,
)
from jorged.store.store_protocol import Kind, Record

T = TypeVar("T")

SEQ_HASH = LEGACY_SEQ_HASH
#: A token the daemon sets when it makes the Redis copy complete; gone after a
#: FLUSHALL, or a restart without persistence, which is how that is noticed
#: (before the prefix, like every name).
MARK_KEY = "jorged:mirror"
_FIELD = b"d"

# KEYS: record key, seq hash. ARGV: seq, kind, ttl ms ("" for none), payload...
_WRITE = """
local cur = tonumber(redis.call('HGET', KEYS[2], KEYS[1]) or '0')
if tonumber(ARGV[1]) <= cur then return 0 end
redis.call('DEL', KEYS[1])
local kind = ARGV[2]
if kind == 'v' then
  redis.call('SET', KEYS[1], ARGV[4])
elseif kind == 's' then
  for i = 4, #ARGV, 1000 do
    redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
elseif kind == 'z' then
  for i = 4, #ARGV, 1000 do
    redis.call('ZADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
end
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
redis.call('HSET', KEYS[2], KEYS[1], ARGV[1])
return 1
"""


# The change from the previous seq to this one, for a set or sorted set that Redis
# holds at that previous seq (returns -1 when it does not: send the whole record).
# KEYS: record key, seq hash. ARGV: seq, previous seq, kind, number of additions,
# additions (members, or score and member pairs), then removed members.
_DELTA = """
local cur = tonumber(redis.call('HGET', KEYS[2], KEYS[1]) or '0')
if tonumber(ARGV[1]) <= cur then return 0 end
if cur ~= tonumber(ARGV[2]) then return -1 end
local kind, nadd = ARGV[3], tonumber(ARGV[4])
local first, last = 5, 4 + nadd
local add = kind == 's' and 'SADD' or 'ZADD'
local rem = kind == 's' and 'SREM' or 'ZREM'
for i = first, last, 1000 do
  redis.call(add, KEYS[1], unpack(ARGV, i, math.min(i + 999, last)))
end
for i = last + 1, #ARGV, 1000 do
  redis.call(rem, KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('HSET', KEYS[2], KEYS[1], ARGV[1])
return 1
"""


def _delta_args(change: Change, delta: Delta) -> list[Any]:
    """The arguments of `_DELTA` for a change of a set or sorted set."""
    if delta.kind is Kind.SET:
        added: list[Any] = [member for member, _score in delta.add]
    else:
        added = [x for member, score in delta.add for x in (repr(score), member)]
    return [
        change.seq,
        change.before_seq,
        delta.kind.value,
        len(added),
        *added,
        *delta.remove,
    ]


def _write_args(record: Record) -> list[Any]:
    ttl = record.ttl_s()
    ttl_ms = "" if ttl is None else str(max(int(ttl * 1000), 1))
    args: list[Any] = [record.seq, record.kind.value, ttl_ms]
    if record.kind is Kind.VALUE:
        args.append(record.value)
    elif record.kind is Kind.SET:
        args.extend(sorted(record.members))
    elif record.kind is Kind.ZSET:
        for member, score in record.scores:
            args.extend((repr(score), member))
    return args


@attrs.define(kw_only=True)
class RedisBackend:
    """Records and streams in Redis; every failure is a `StoreUnavailable`."""

    client: redis.Redis
    limiter: trio.CapacityLimiter
    #: `redis.key_prefix`, put before every key and stream name.
    prefix: str = "jorged:"
    _script: Any = attrs.field(init=False)
    _delta: Any = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._script = self.client.register_script(_WRITE)
        self._delta = self.client.register_script(_DELTA)

    def _k(self, key: str) -> str:
        """The Redis name of `key`."""
        return self.prefix + key

    @property
    def _seq_hash(self) -> str:
        return self.prefix + SEQ_HASH

    @classmethod
    def from_config(cls, cfg: RedisConfig) -> RedisBackend:
        """A client with short timeouts and one quick retry (no reconnect storm)."""
        pool = redis.BlockingConnectionPool.from_url(
            cfg.url,
            max_connections=cfg.max_connections,
            timeout=cfg.socket_timeout_s,
            socket_connect_timeout=cfg.connect_timeout_s,
            socket_timeout=cfg.socket_timeout_s,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        return cls(
            client=redis.Redis(connection_pool=pool),
            limiter=trio.CapacityLimiter(cfg.max_connections),
            prefix=cfg.key_prefix,
        )

    async def _run(self, what: str, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await trio.to_thread.run_sync(fn, *args, limiter=self.limiter)
        except (redis.RedisError, OSError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            raise StoreUnavailable(key=what, reason=reason) from exc

    def _server_id(self) -> str:
        pipe = self.client.pipeline(transaction=False)
        pipe.info("server")
        pipe.get(self.prefix + MARK_KEY)
        info, mark = pipe.execute()
        return f"{info['run_id']}/{_text(mark) if mark is not None else '-'}"

    async def server_id(self) -> str:
        """The Redis server's run id and the copy's mark (`mark_copy`): it changes
        when Redis restarts or loses its data (FLUSHALL)."""
        return await self._run("INFO", self._server_id)

    async def mark_copy(self) -> str:
        """Set a new mark on the Redis copy; the `server_id` it makes."""
        token = secrets.token_hex(8)
        await self._run(MARK_KEY, self.client.set, self.prefix + MARK_KEY, token)
        return await self.server_id()

    async def migrate(self) -> Migration:
        """Move keys written before the prefix existed under it, once."""
        return await self._run("MIGRATE", migrate_unprefixed, self.client, self.prefix)

    # --- records -----------------------------------------------------------------

    def _write(self, records: list[Record]) -> None:
        # EVALSHA straight away: a pipeline of Script objects asks SCRIPT EXISTS
        # first, one more round trip on every write. A Redis that lost the script
        # (restarted, flushed) answers NOSCRIPT: load it once and write again.
        try:
            self._evalsha(records)
        except redis.exceptions.NoScriptError:
            self._script.sha = self.client.script_load(_WRITE)
            self._evalsha(records)

    def _evalsha(self, records: list[Record]) -> None:
        if len(records) == 1:
            record = records[0]
            self.client.evalsha(
                self._script.sha,
                2,
                self._k(record.key),
                self._seq_hash,
                *_write_args(record),
            )
            return
        pipe = self.client.pipeline(transaction=False)
        for record in records:
            pipe.evalsha(
                self._script.sha,
                2,
                self._k(record.key),
                self._seq_hash,
                *_write_args(record),
            )
        pipe.execute()

    async def write(self, records: list[Record]) -> None:
        if records:
            await self._run(records[0].key, self._write, records)

    def push(
        self,
        changes: Sequence[Change],
        streams: Sequence[tuple[str, list[tuple[str, bytes]], int]],
        *,
        whole: Callable[[str], Record | None],
    ) -> None:
        """Send new writes in one pipeline (blocking; call it in a thread).

        Meant for live writes, whose seqs and stream ids are newer than anything in
        Redis: a set or sorted set is sent as its change (a large set is not
        rewritten for one member) when Redis holds it at the seq before; otherwise
        `whole(key)` gives the record to send. Stream entries are added without
        looking at the stream's last id. Raises `StoreUnavailable` when a command
        failed; the seq guard makes a retry of the whole lot harmless.
        """
        try:
            self._push(changes, streams, whole)
        except (redis.RedisError, OSError) as exc:
            key = changes[0].key if changes else streams[0][0] if streams else "-"
            reason = f"{type(exc).__name__}: {exc}"
            raise StoreUnavailable(key=key, reason=reason) from exc

    def _push(
        self,
        changes: Sequence[Change],
        streams: Sequence[tuple[str, list[tuple[str, bytes]], int]],
        whole: Callable[[str], Record | None],
    ) -> None:
        pipe = self.client.pipeline(transaction=False)
        for change in changes:
            if change.delta is not None:
                args = _delta_args(change, change.delta)
                key = self._k(change.key)
                pipe.evalsha(self._delta.sha, 2, key, self._seq_hash, *args)
            elif change.record is not None:
                args = _write_args(change.record)
                key = self._k(change.key)
                pipe.evalsha(self._script.sha, 2, key, self._seq_hash, *args)
        for key, entries, maxlen in streams:
            for entry_id, data in entries:
                pipe.xadd(
                    self._k(key),
                    {_FIELD: data},
                    id=entry_id,
                    maxlen=maxlen,
                    approximate=False,
                )
        results = pipe.execute(raise_on_error=False)
        resend: dict[str, None] = {}
        for change, result in zip(changes, results, strict=False):
            if isinstance(result, redis.exceptions.NoScriptError) or result == -1:
                resend[change.key] = None
        failed = [
            r
            for r in results
            if isinstance(r, Exception)
            and not isinstance(r, redis.exceptions.NoScriptError)
        ]
        if failed:
            raise failed[0]
        if resend:
            # Redis lost the scripts (restarted, flushed) or a collection's state
            # before this change: send those records whole, as they are now.
            self._delta.sha = self.client.script_load(_DELTA)
            records = [r for k in resend if (r := whole(k)) is not None]
            self._write(records)

    async def seqs(self) -> dict[str, int]:
        raw = await self._run(SEQ_HASH, self.client.hgetall, self._seq_hash)
        cut = len(self.prefix)
        return {
            name[cut:]: int(v)
            for k, v in raw.items()
            if (name := _text(k)).startswith(self.prefix)
        }

    async def forget(self, keys: list[str]) -> None:
        """Drop the seqs of `keys` (records that expired everywhere)."""
        if keys:
            names = [self._k(k) for k in keys]
            await self._run(SEQ_HASH, self.client.hdel, self._seq_hash, *names)

    def _read_many(
        self, keys: list[str], seqs: list[int | None]
    ) -> list[Record | None]:
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.type(self._k(key))
            pipe.pttl(self._k(key))
        meta = pipe.execute()
        for i, key in enumerate(keys):
            kind, name = meta[2 * i], self._k(key)
            if kind == b"string":
                pipe.get(name)
            elif kind == b"set":
                pipe.smembers(name)
            elif kind == b"zset":
                pipe.zrange(name, 0, -1, withscores=True)
            else:
                pipe.exists(name)
        bodies = pipe.execute()
        out: list[Record | None] = []
        for i, key in enumerate(keys):
            kind, pttl, body, seq = meta[2 * i], meta[2 * i + 1], bodies[i], seqs[i]
            expires_at = None if pttl < 0 else _now() + pttl / 1000
            common: dict[str, Any] = {"key": key, "seq": seq or 0}
            if kind == b"string":
                out.append(
                    Record(kind=Kind.VALUE, value=body, expires_at=expires_at, **common)
                )
            elif kind == b"set":
                members = frozenset(m.decode() for m in body)
                out.append(Record(kind=Kind.SET, members=members, **common))
            elif kind == b"zset":
                scores = tuple((m.decode(), float(s)) for m, s in body)
                out.append(Record(kind=Kind.ZSET, scores=scores, **common))
            elif seq is not None:
                out.append(Record(kind=Kind.DELETED, **common))
            else:
                out.append(None)
        return out

    async def read_many(self, keys: list[str]) -> list[Record | None]:
        """Records with their seqs from `jorged:seq` (tombstones when only a seq)."""
        if not keys:
            return []

        def read() -> list[Record | None]:
            raw = self.client.hmget(self._seq_hash, [self._k(k) for k in keys])
            seqs = [None if s is None else int(s) for s in raw]
            return self._read_many(keys, seqs)

        return await self._run(keys[0], read)

    async def read(self, key: str) -> Record | None:
        (record,) = await self.read_many([key])
        return None if record is None or record.kind is Kind.DELETED else record

    async def existing(self, keys: list[str]) -> set[str]:
        """Which of `keys` exist in Redis now."""

        def check() -> set[str]:
            pipe = self.client.pipeline(transaction=False)
            for key in keys:
                pipe.exists(self._k(key))
            return {k for k, n in zip(keys, pipe.execute(), strict=True) if n}

        return await self._run("EXISTS", check) if keys else set()

    # --- streams -----------------------------------------------------------------

    def _last_id(self, key: str) -> str | None:
        rows = self.client.xrevrange(self._k(key), count=1)
        return _text(rows[0][0]) if rows else None

    def _stream_add(
        self, key: str, entries: list[tuple[str, bytes]], maxlen: int
    ) -> None:
        last = self._last_id(key)
        floor = parse_id(last) if last else (-1, -1)
        pipe = self.client.pipeline(transaction=False)
        for entry_id, data in entries:
            if parse_id(entry_id) > floor:
                pipe.xadd(
                    self._k(key),
                    {_FIELD: data},
                    id=entry_id,
                    maxlen=maxlen,
                    approximate=False,
                )
        pipe.execute()

    async def stream_add(
        self, key: str, entries: list[tuple[str, bytes]], *, maxlen: int
    ) -> None:
        await self._run(key, self._stream_add, key, entries, maxlen)

    @staticmethod
    def _entries(rows: Any) -> list[tuple[str, bytes]]:
        return [(i.decode(), fields[_FIELD]) for i, fields in rows]

    async def stream_range(
        self, key: str, *, after: str, limit: int
    ) -> list[tuple[str, bytes]]:
        rows = await self._run(
            key, self.client.xrange, self._k(key), f"({after}", "+", limit
        )
        return self._entries(rows)

    async def stream_tail(self, key: str, *, count: int) -> list[tuple[str, bytes]]:
        rows = await self._run(
            key, self.client.xrevrange, self._k(key), "+", "-", count
        )
        return self._entries(rows)[::-1]

    async def stream_last_id(self, key: str) -> str | None:
        return await self._run(key, self._last_id, key)

    async def stream_names(self) -> list[str]:
        """jorged's streams under the prefix (one SCAN, used when reconciling).

        Only the known stream names count: another daemon's prefix may start with
        this one (`jorged:` and `jorged:loc2:`).
        """

        def names() -> list[str]:
            found = self.client.scan_iter(
                match=self.prefix + "*", _type="STREAM", count=1000
            )
            cut = len(self.prefix)
            return [name for k in found if (name := _text(k)[cut:]) in KNOWN_STREAMS]

        return await self._run("SCAN", names)

    def close(self) -> None:
        """Close every pooled connection (the client does not own its pool)."""
        self.client.close()
        self.client.connection_pool.disconnect()

    async def aclose(self) -> None:
        await trio.to_thread.run_sync(self.close, limiter=self.limiter)


def _now() -> float:
    return time.time()


def _text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)
