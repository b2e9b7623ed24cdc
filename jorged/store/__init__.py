"""Persistence: the codec, the `Store` Protocol, `DurableStore` and the inbound journal.

Other packages use these names only; the backends are internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jorged.store import codec
from jorged.store.breaker import BreakerState, CircuitBreaker
from jorged.store.durable import DurableStore, open_durable_store
from jorged.store.journal import InboundJournal, JournalStatistics, open_inbound_journal
from jorged.store.memory import DictStore
from jorged.store.observe import OperationSample, StoreStatistics, StoreTransition
from jorged.store.store_protocol import Store

__all__ = [
    "BreakerState",
    "CircuitBreaker",
    "DictStore",
    "DurableStore",
    "InboundJournal",
    "JournalStatistics",
    "OperationSample",
    "Store",
    "StoreStatistics",
    "StoreTransition",
    "codec",
    "open_durable_store",
    "open_inbound_journal",
]

if TYPE_CHECKING:  # mypy proves the implementations keep to the Protocols
    from jorged.store.disk import DiskBackend
    from jorged.store.redis_backend import RedisBackend
    from jorged.store.store_protocol import Backend

    def _conforms(
        durable: DurableStore, memory: DictStore, disk: DiskBackend, redis: RedisBackend
    ) -> tuple[Store, Store, Backend, Backend]:
        return durable, memory, disk, redis
