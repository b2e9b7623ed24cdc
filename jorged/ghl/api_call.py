"""One GHL call as the client makes it: rate limited, recorded and retried.

Every request carries `Authorization: Bearer <token>`, the `Version` its API's OpenAPI
spec demands and `Accept: application/json`. Before each attempt the rate limiter is
asked for a slot; after it, GHL's rate-limit headers tighten the limiter. 429 and 5xx
answers are retried up to `max_retries` times, waiting what `Retry-After` or the
rate-limit headers say, else `retry_backoff_s` doubling per attempt, plus a random
jitter of up to `retry_jitter_s` (so calls that failed together do not come back
together). GHL asking for a wait longer than `retry_after_max_s` is not waited for
(jorged's own doubling stops growing there), and no wait may end past
`call_deadline_s` from the call's start (rate-limit queueing included): the call
fails instead. Other 4xx answers are final. A lost connection is retried when the
request cannot have been processed (it never left) or the operation is idempotent; a
timed-out SMS send or booking is not retried, since GHL may have acted on it (the
outbox's idempotency keys rely on this). Every attempt is reported to `on_call`; a
call that fails for good raises `GhlError`.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import attrs
import httpx
import orjson
import stamina
import trio

from jorged.config import GhlConfig
from jorged.exceptions import GhlError
from jorged.ghl.models import GhlCallRecord
from jorged.ghl.payload import PayloadError, Reader
from jorged.ghl.ratelimit import DailyCapReached, RateLimiter

__all__ = [
    "Caller",
    "Operation",
    "ghl_wait",
    "read_result",
    "retry_after_s",
    "retry_delay",
]

_T = TypeVar("_T")


@attrs.frozen
class Operation:
    """One GHL endpoint as the client calls it."""

    name: str
    method: str
    path: str
    version: str
    idempotent: bool


#: Connection failures after which the request surely never reached GHL.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def retry_after_s(headers: httpx.Headers, now: datetime) -> float | None:
    """The wait `Retry-After` asks for (seconds or an HTTP date), if it is readable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


def retry_delay(
    headers: httpx.Headers, attempt: int, cfg: GhlConfig, now: datetime
) -> float:
    """How long to wait before retrying a 429 or 5xx answer to attempt `attempt`.

    `Retry-After` wins; else, when GHL says the burst window is used up
    (`X-RateLimit-Remaining: 0`), its `X-RateLimit-Interval-Milliseconds`; else
    `retry_backoff_s` doubled per attempt.
    """
    asked = ghl_wait(headers, now)
    return asked if asked is not None else _backoff(cfg, attempt)


def ghl_wait(headers: httpx.Headers, now: datetime) -> float | None:
    """The wait GHL asks for: `Retry-After`, else its rate-limit interval when
    `X-RateLimit-Remaining` is 0; None when it asks for none."""
    after = retry_after_s(headers, now)
    if after is not None:
        return after
    interval_ms = _int_header(headers, "x-ratelimit-interval-milliseconds")
    if _int_header(headers, "x-ratelimit-remaining") == 0 and interval_ms is not None:
        return interval_ms / 1000
    return None


def _backoff(cfg: GhlConfig, attempt: int) -> float:
    """jorged's own wait after attempt `attempt`: `retry_backoff_s`, doubling."""
    return float(cfg.retry_backoff_s * 2 ** (attempt - 1))


def _error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        message = data.get("message")
        if isinstance(message, list):
            message = "; ".join(str(m) for m in message)
        if message:
            return str(message)
    return response.text[:200] or response.reason_phrase


def read_result(op: Operation, data: Any, read: Callable[[Reader], _T]) -> _T:
    """What `read` makes of an answer, or a GhlError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise GhlError(
            operation=op.name, status=200, detail="response is not a JSON object"
        )
    try:
        return read(Reader(data))
    except PayloadError as exc:
        raise GhlError(
            operation=op.name, status=200, detail=f"unexpected response: {exc}"
        ) from None


class Caller:
    """Sends one client's calls: its HTTP connections, limiter and `on_call`."""

    def __init__(
        self,
        cfg: GhlConfig,
        *,
        limiter: RateLimiter,
        on_call: Callable[[GhlCallRecord], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.cfg = cfg
        self.on_call = on_call
        self.limiter = limiter
        self._http = httpx.AsyncClient(
            base_url=cfg.base_url,
            headers={
                "Authorization": f"Bearer {cfg.token}",
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(cfg.timeout_s),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _record(self, record: GhlCallRecord) -> None:
        if self.on_call is not None:
            self.on_call(record)

    async def call(
        self,
        op: Operation,
        path_params: Mapping[str, str],
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        """Call `op` and return its decoded JSON answer; raise GhlError for good.

        stamina runs the attempts (and logs each retry); every wait is planned by
        the failed attempt itself (`_Retry`), so its record says what was waited.
        """
        url = op.path.format_map({k: quote(v, safe="") for k, v in path_params.items()})
        request = _Request(op, url, json, params)
        deadline = trio.current_time() + self.cfg.call_deadline_s
        try:
            async for attempt in stamina.retry_context(
                on=_planned_wait,
                attempts=self.cfg.max_retries + 1,
                # The deadline is kept on trio's clock (`_plan`), not stamina's.
                timeout=None,
            ):
                with attempt:
                    return await self._attempt(request, attempt.num, deadline)
        except _Retry as exc:  # only when stamina itself stops retrying
            raise exc.error from None
        msg = "stamina made no attempt"  # unreachable: the first attempt always runs
        raise AssertionError(msg)

    async def _attempt(self, request: _Request, attempt: int, deadline: float) -> Any:
        """One attempt: the answer, a `_Retry` with its wait, or a final GhlError."""
        op = request.op
        try:
            with trio.fail_at(deadline):
                await self.limiter.acquire(self.cfg.location_id)
        except (DailyCapReached, trio.TooSlowError) as exc:
            detail = (
                str(exc)
                if isinstance(exc, DailyCapReached)
                else f"no rate limit slot before the {self._deadline_text()}"
            )
            self._record(
                GhlCallRecord(
                    operation=op.name,
                    method=op.method,
                    path=op.path,
                    status=None,
                    latency_s=0.0,
                    rate_limit_remaining=None,
                    attempt=attempt,
                    error=detail,
                )
            )
            raise GhlError(operation=op.name, status=None, detail=detail) from None
        started = trio.current_time()
        try:
            response = await self._http.request(
                op.method,
                request.url,
                json=request.json,
                params=request.params,
                headers={"Version": op.version},
            )
        except httpx.TransportError as exc:
            latency = trio.current_time() - started
            retryable = op.idempotent or isinstance(exc, _NOT_SENT)
            error = (
                f"timed out after {self.cfg.timeout_s:g} s"
                if isinstance(exc, httpx.TimeoutException)
                else f"{type(exc).__name__}: {exc}"
            )
            wait, why = None, "; not retried, GHL may have processed the request"
            if retryable:
                base = _backoff(self.cfg, attempt)
                wait, why = self._plan(base, attempt, deadline, asked=False)
            self._record(
                GhlCallRecord(
                    operation=op.name,
                    method=op.method,
                    path=op.path,
                    status=None,
                    latency_s=latency,
                    rate_limit_remaining=None,
                    attempt=attempt,
                    error=error,
                    backoff_s=wait or 0.0,
                )
            )
            failure = GhlError(operation=op.name, status=None, detail=error + why)
            if wait is not None:
                raise _Retry(failure, wait) from None
            raise failure from None
        latency = trio.current_time() - started
        outcome = self._outcome(op, response, attempt, deadline)
        self._record(attrs.evolve(outcome.record, latency_s=latency))
        if outcome.error is None:
            return outcome.data
        if outcome.wait is not None:
            raise _Retry(outcome.error, outcome.wait)
        raise outcome.error

    def _deadline_text(self) -> str:
        return f"{self.cfg.call_deadline_s:g} s deadline (ghl.call_deadline_s)"

    def _plan(
        self, base: float, attempt: int, deadline: float, *, asked: bool
    ) -> tuple[float | None, str]:
        """The wait before the next attempt (base plus jitter), or None and why not.

        `asked`: GHL asked for `base`; more than `retry_after_max_s` is not waited
        for. jorged's own backoff stops growing at that cap instead.
        """
        cap = self.cfg.retry_after_max_s
        if attempt > self.cfg.max_retries:
            return None, f" (gave up after {attempt} attempts)"
        if asked and base > cap:
            return None, (
                f" (GHL asked to wait {base:g} s, more than ghl.retry_after_max_s "
                f"= {cap:g} s)"
            )
        wait = min(base, cap) + random.uniform(0.0, self.cfg.retry_jitter_s)  # noqa: S311 -- jitter, not a secret
        if trio.current_time() + wait > deadline:
            late = f"a retry in {wait:.2f} s would pass the {self._deadline_text()}"
            return None, f" (gave up: {late})"
        return wait, ""

    def _outcome(
        self, op: Operation, response: httpx.Response, attempt: int, deadline: float
    ) -> _Outcome:
        headers = response.headers
        remaining = _int_header(headers, "x-ratelimit-remaining")
        daily_remaining = _int_header(headers, "x-ratelimit-daily-remaining")
        interval_ms = _int_header(headers, "x-ratelimit-interval-milliseconds")
        self.limiter.observe(
            self.cfg.location_id,
            remaining=remaining,
            interval_s=interval_ms / 1000 if interval_ms is not None else None,
            daily_remaining=daily_remaining,
        )
        status = response.status_code
        record = GhlCallRecord(
            operation=op.name,
            method=op.method,
            path=op.path,
            status=status,
            latency_s=0.0,
            rate_limit_remaining=remaining,
            attempt=attempt,
            daily_remaining=daily_remaining,
        )
        if response.is_success:
            try:
                data = orjson.loads(response.content) if response.content else {}
            except orjson.JSONDecodeError:
                error = GhlError(
                    operation=op.name, status=status, detail="response is not JSON"
                )
                return _Outcome(attrs.evolve(record, error=str(error)), None, error)
            return _Outcome(record, data, None)
        detail = _error_detail(response)
        retryable = status == 429 or status >= 500
        if status == 429 and daily_remaining == 0:
            retryable = False
            detail = f"daily limit reached: {detail}"
        wait = None
        if retryable:
            now = datetime.now(UTC)
            base = retry_delay(headers, attempt, self.cfg, now)
            asked = ghl_wait(headers, now) is not None
            wait, why = self._plan(base, attempt, deadline, asked=asked)
            detail += why
        error = GhlError(operation=op.name, status=status, detail=detail)
        return _Outcome(
            attrs.evolve(record, error=str(error), backoff_s=wait or 0.0),
            None,
            error,
            wait,
        )


@attrs.frozen
class _Outcome:
    record: GhlCallRecord
    data: Any
    error: GhlError | None
    wait: float | None = None


@attrs.frozen
class _Request:
    op: Operation
    url: str
    json: Any
    params: Mapping[str, str | int] | None


class _Retry(Exception):
    """An attempt failed and the call goes on after `wait` seconds."""

    def __init__(self, error: GhlError, wait: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


def _planned_wait(exc: Exception) -> bool | float:
    """stamina's hook: retry a `_Retry` after its planned wait; nothing else."""
    return exc.wait if isinstance(exc, _Retry) else False
