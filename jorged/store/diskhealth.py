"""A disk that cannot be written (full, failing): noticed, reported, waited out.

SQLite and the OS report a full or failing disk in several ways (`SQLITE_FULL`,
`SQLITE_IOERR_*`, `ENOSPC`, ...). `disk_failure` names them; everything else is a
bug and stays one. `DiskHealth` is what the daemon knows right now: the last write
failed (and since when), or writes go through. The monitor turns a failure into a
critical alert; the webhooks answer 429 meanwhile (nothing is acknowledged that is
not on disk), and actors that must persist wait with `retry_while_unwritable`
instead of crashing, so the daemon recovers by itself when space returns.
"""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs
import structlog
import trio

from jorged.exceptions import DiskUnavailable

log = structlog.get_logger("jorged.store")

T = TypeVar("T")

#: SQLite primary result codes that mean "the disk, not the query".
_SQLITE_DISK = {
    8: "read-only database",  # SQLITE_READONLY
    10: "disk I/O error",  # SQLITE_IOERR
    13: "database or disk is full",  # SQLITE_FULL
    14: "unable to open the database file",  # SQLITE_CANTOPEN
}
_OS_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})
#: Waits between retries of a write the disk refused: doubling, up to the last.
RETRY_INITIAL_S = 0.1
RETRY_MAX_S = 5.0


def disk_failure(exc: BaseException) -> str | None:
    """Why `exc` means the disk cannot be written now, or None for any other error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskUnavailable):
            return current.reason
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _SQLITE_DISK:
                return str(current) or _SQLITE_DISK[code & 0xFF]
        if isinstance(current, OSError) and current.errno in _OS_DISK:
            return current.strerror or str(current)
        current = current.__cause__ or current.__context__
    return None


@attrs.define(kw_only=True)
class DiskHealth:
    """Whether the state directory takes writes now; shared by every disk writer."""

    error: str | None = None
    #: Wall-clock time of the first failure of the current outage.
    since: float | None = None
    failures: int = 0
    outages: int = 0

    @property
    def writable(self) -> bool:
        return self.error is None

    def failed(self, reason: str) -> None:
        """A write was refused by the disk."""
        self.failures += 1
        if self.error is None:
            self.since = time.time()
            self.outages += 1
            log.error("disk_unwritable", error=reason)
        self.error = reason

    def written(self) -> None:
        """A write reached the disk."""
        if self.error is not None:
            outage = None if self.since is None else round(time.time() - self.since, 3)
            log.info("disk_writable_again", outage_s=outage, failures=self.failures)
            self.error = None
            self.since = None


async def retry_while_unwritable(
    what: str,
    fn: Callable[[], Awaitable[T]],
    *,
    health: DiskHealth | None = None,
) -> T:
    """`await fn()`, again and again with a growing wait while the disk refuses it.

    Any other error is raised at once. Cancellation ends the wait.
    """
    delay = RETRY_INITIAL_S
    attempt = 0
    while True:
        try:
            result = await fn()
        except Exception as exc:
            reason = disk_failure(exc)
            if reason is None:
                raise
            if health is not None:
                health.failed(reason)
            attempt += 1
            if attempt == 1 or delay >= RETRY_MAX_S:
                log.warning(
                    "disk_write_waiting", what=what, error=reason, retry_in_s=delay
                )
            await trio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)
            continue
        if attempt:
            log.info("disk_write_done", what=what, attempts=attempt + 1)
        return result
