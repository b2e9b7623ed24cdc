"""Persistence: the codec, the `Store` Protocol, `DurableStore` and the inbound journal.

Other packages use these names only; the backends are internal.
"""

from __future__ import annotations

from jorged.store import codec
from jorged.store.base import Store
from jorged.store.breaker import BreakerState, CircuitBreaker
from jorged.store.durable import DurableStore, open_durable_store
from jorged.store.journal import InboundJournal, JournalStatistics, open_inbound_journal
from jorged.store.memory import DictStore
from jorged.store.observe import OperationSample, StoreStatistics, StoreTransition

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
