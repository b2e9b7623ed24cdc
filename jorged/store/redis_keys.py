"""Which Redis keys are jorged's: the prefix, the known names, the one-time migration.

Every key and stream jorged writes to Redis is `redis.key_prefix` (default `jorged:`)
followed by the name the rest of jorged uses (`seller:state:C1` is stored at
`jorged:seller:state:C1`, the seq hash `jorged:seq` at `jorged:jorged:seq`, the event
stream `jorged:events` at `jorged:jorged:events`). So several daemons (one per GHL
location) and other programs share one Redis without reading each other's records:
a daemon reads only its own seq hash and streams under its own prefix.

Before the prefix existed jorged wrote the bare names. On first contact with a Redis,
`migrate_unprefixed` moves those once: a record key listed in the old seq hash
`jorged:seq` and matching one of jorged's record patterns, and the known streams,
are renamed under the prefix unless the prefixed key exists already (then the old one
is left as it is). Nothing else is touched: a key is recognised as jorged's by these
patterns and the old seq hash only, never by its looks alone. The run is recorded at
`<prefix>jorged:migrated`, so it happens once. An empty prefix keeps the bare names
(and has nothing to migrate).
"""

from __future__ import annotations

import fnmatch
import time
from typing import Any

import attrs
import orjson
import redis

__all__ = [
    "KNOWN_STREAMS",
    "LEGACY_SEQ_HASH",
    "RECORD_PATTERNS",
    "Migration",
    "is_record_key",
    "migrate_unprefixed",
]

#: The seq hash's name (before the prefix), and where unprefixed jorged kept it.
LEGACY_SEQ_HASH = "jorged:seq"
#: Where a prefix records that the migration ran (before the prefix).
MIGRATED = "jorged:migrated"
#: The record names jorged writes (`fnmatch` patterns, before the prefix).
RECORD_PATTERNS = (
    "seller:state:*",
    "seller:tags:*",
    "seller:active_contacts",
    "seller:stall_checks_set",
    "lead:analysis:*",
    "lead:input:*",
    "lead:llm:*",
    "outbox:*",
    "metrics:snapshot",
    "followups",
    "stall_checks",
    "ui:presets:*",
)
#: The streams jorged writes (before the prefix).
KNOWN_STREAMS = ("jorged:events", "audit:exports")
#: Keys moved per round trip.
_BATCH = 1000

# KEYS: old key, new key, old seq hash, new seq hash. Moves a record and its seq
# when the old seq hash lists it and nothing is at the new name yet.
_MOVE_RECORD = """
local seq = redis.call('HGET', KEYS[3], KEYS[1])
if not seq then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('HEXISTS', KEYS[4], KEYS[2]) == 1
then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
redis.call('HSET', KEYS[4], KEYS[2], seq)
redis.call('HDEL', KEYS[3], KEYS[1])
return 1
"""

# KEYS: old stream, new stream.
_MOVE_STREAM = """
if redis.call('TYPE', KEYS[1])['ok'] ~= 'stream' then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1
"""


@attrs.frozen(kw_only=True)
class Migration:
    """What one run of the migration did."""

    moved: int = 0
    #: Old keys left alone because their prefixed name was taken.
    kept: int = 0
    #: False when an earlier run was recorded (nothing was looked at).
    ran: bool = True


def is_record_key(name: str) -> bool:
    """True for a record name jorged writes (before the prefix)."""
    return any(fnmatch.fnmatchcase(name, p) for p in RECORD_PATTERNS)


def _text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def migrate_unprefixed(client: redis.Redis, prefix: str) -> Migration:
    """Move jorged's unprefixed keys under `prefix`, once (blocking; see module doc)."""
    if not prefix:
        return Migration(ran=False)
    marker = prefix + MIGRATED
    if client.exists(marker):
        return Migration(ran=False)
    move_record = client.register_script(_MOVE_RECORD)
    move_stream = client.register_script(_MOVE_STREAM)
    seq_hash = prefix + LEGACY_SEQ_HASH
    names = [
        n for raw in client.hkeys(LEGACY_SEQ_HASH) if is_record_key(n := _text(raw))
    ]
    results: list[int] = []
    for start in range(0, len(names), _BATCH):
        pipe = client.pipeline(transaction=False)
        for name in names[start : start + _BATCH]:
            keys = [name, prefix + name, LEGACY_SEQ_HASH, seq_hash]
            move_record(keys=keys, client=pipe)
        results.extend(int(r) for r in pipe.execute())
    results.extend(int(move_stream(keys=[n, prefix + n])) for n in KNOWN_STREAMS)
    done = Migration(moved=results.count(1), kept=results.count(-1))
    record = {"moved": done.moved, "kept": done.kept, "at": time.time()}
    client.set(marker, orjson.dumps(record))
    return done
