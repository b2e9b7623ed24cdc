"""Dashboard sign-in: the password check, off the event loop, with a backoff.

- scrypt (about 50 ms) runs in one worker thread of its own, so a flood of
  attempts neither blocks the loop the webhooks share nor takes more than a core.
- Every attempt costs the same whether the user name exists or not: the name is
  compared in constant time and scrypt runs either way.
- After `FREE_FAILURES` wrong attempts from one client, or for one user name,
  each further attempt must wait twice as long as the last (1 s, 2 s, 4 s, ...,
  at most `MAX_WAIT_S`); an attempt made while waiting is refused at once without
  running scrypt. A success clears both; failures are forgotten after `FORGET_S`.
- At most `CHECKS_PER_S` checks a second in all (a bucket of `CHECKS_BURST`): a
  guesser spreading over many addresses and names (each one under the backoff)
  gets 429 past that rather than a core's worth of scrypt next to the webhooks.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs

from jorged.config import DashboardConfig
from jorged.passwords import hash_password, verify_password

FREE_FAILURES = 5
BASE_WAIT_S = 1.0
MAX_WAIT_S = 300.0
FORGET_S = 900.0
MAX_TRACKED = 10_000  # clients and names remembered; the oldest go first
CHECKS_PER_S = 4.0
CHECKS_BURST = 8.0


@attrs.frozen
class LoginOutcome:
    ok: bool
    retry_after_s: float = 0.0  # > 0: refused without checking, try again after


@attrs.define
class _Failures:
    count: int = 0
    last: float = 0.0
    blocked_until: float = 0.0


@attrs.define
class LoginGuard:
    """Checks dashboard logins for the current `DashboardConfig`."""

    settings: Callable[[], DashboardConfig]
    clock: Callable[[], float] = time.monotonic
    _failures: OrderedDict[str, _Failures] = attrs.field(factory=OrderedDict)
    _pool: ThreadPoolExecutor = attrs.field(
        factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="jorged-login")
    )
    _decoy: str = attrs.field(factory=lambda: hash_password("not a password"))
    _tokens: float = CHECKS_BURST
    _filled_at: float | None = None

    def wait_s(self, client: str, username: str) -> float:
        """How long `client` (or anyone signing in as `username`) must wait now."""
        now = self.clock()
        waits = [
            f.blocked_until - now
            for key in self._keys(client, username)
            if (f := self._current(key, now)) is not None
        ]
        return max([0.0, *waits])

    async def check(self, client: str, username: str, password: str) -> LoginOutcome:
        cfg = self.settings()
        if not cfg.password_hash:
            return LoginOutcome(ok=True)
        wait = self.wait_s(client, username) or self._take_check()
        if wait > 0:
            return LoginOutcome(ok=False, retry_after_s=wait)
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(
            self._pool, _verify, username, password, cfg, self._decoy
        )
        keys = self._keys(client, username)
        if ok:
            for key in keys:
                self._failures.pop(key, None)
        else:
            for key in keys:
                self._fail(key)
        return LoginOutcome(ok=ok)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _take_check(self) -> float:
        """Take one check from the shared bucket: 0, or how long until one is free."""
        now = self.clock()
        if self._filled_at is not None:
            elapsed = max(0.0, now - self._filled_at)
            self._tokens = min(CHECKS_BURST, self._tokens + elapsed * CHECKS_PER_S)
        self._filled_at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / CHECKS_PER_S

    @staticmethod
    def _keys(client: str, username: str) -> tuple[str, str]:
        return f"client:{client}", f"user:{username.strip().lower()[:64]}"

    def _current(self, key: str, now: float) -> _Failures | None:
        entry = self._failures.get(key)
        if entry is not None and now - entry.last > FORGET_S:
            del self._failures[key]
            return None
        return entry

    def _fail(self, key: str) -> None:
        now = self.clock()
        entry = self._current(key, now) or _Failures()
        entry.count += 1
        entry.last = now
        if entry.count >= FREE_FAILURES:
            extra = entry.count - FREE_FAILURES
            entry.blocked_until = now + min(MAX_WAIT_S, BASE_WAIT_S * 2.0**extra)
        self._failures[key] = entry
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_TRACKED:
            self._failures.popitem(last=False)


def _verify(username: str, password: str, cfg: DashboardConfig, decoy: str) -> bool:
    """Constant work whatever is wrong: both checks always run."""
    name_ok = hmac.compare_digest(
        username.encode("utf-8", "replace"), cfg.username.encode("utf-8", "replace")
    )
    stored = cfg.password_hash if name_ok else decoy
    password_ok = verify_password(password, stored)
    return name_ok and password_ok
