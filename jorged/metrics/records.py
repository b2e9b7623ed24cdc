"""What the tracker measures: one frozen record per kind of thing that happened.

Producers build a record and hand it to `Tracker.record`. The tracker stamps it with
the time it arrives, so records carry no time of their own. Latencies are seconds,
money is US dollars. A record never names a contact: counts and timings only.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs

from jorged.domain.conversation.state import Temperature

__all__ = [
    "ConversationQualified",
    "GhlCall",
    "LeadResolved",
    "LlmCall",
    "MessageReceived",
    "MetricRecord",
    "ReplyProduced",
    "SmsSent",
    "StoreOperation",
    "WebhookHandled",
]

LeadSource = Literal["pattern", "cache", "llm"]
StoreBackend = Literal["redis", "disk"]


def _non_negative_number(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        msg = f"{attr.name}: must be a finite number of 0 or more, got {value!r}"
        raise ValueError(msg)


def _non_negative_int(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{attr.name}: must be a whole number of 0 or more, got {value!r}"
        raise ValueError(msg)


def _http_status(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        msg = f"{attr.name}: must be an HTTP status from 100 to 599, got {value!r}"
        raise ValueError(msg)


def _optional(check: Any) -> Any:
    return attrs.validators.optional(check)


def _one_of(*choices: str) -> Any:
    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            msg = f"{attr.name}: must be one of {allowed}, got {value!r}"
            raise ValueError(msg)

    return check


def _temperature(value: Any) -> Temperature:
    try:
        return Temperature(value)
    except ValueError:
        allowed = ", ".join(repr(t.value) for t in Temperature)
        msg = f"temperature: must be one of {allowed}, got {value!r}"
        raise ValueError(msg) from None


def _label(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value:
        msg = f"{attr.name}: must be a non-empty string, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class WebhookHandled:
    """A webhook was answered: its event type, the HTTP status and how long it took.

    `duplicate` marks a delivery that was already handled (answered, not an error).
    """

    event_type: str = attrs.field(validator=_label)
    status: int = attrs.field(validator=_http_status)
    latency_s: float = attrs.field(validator=_non_negative_number)
    duplicate: bool = False

    @property
    def error(self) -> bool:
        """A 4xx or 5xx answer to a delivery that was not a duplicate."""
        return self.status >= 400 and not self.duplicate


@attrs.frozen(kw_only=True)
class MessageReceived:
    """An inbound SMS reached a conversation."""


@attrs.frozen(kw_only=True)
class ReplyProduced:
    """The bot's reply to an inbound turn was enqueued; latency from the inbound."""

    latency_s: float = attrs.field(validator=_non_negative_number)


@attrs.frozen(kw_only=True)
class SmsSent:
    """An outbound SMS left through GHL, or was recorded only (sandbox mode)."""

    sandboxed: bool = False


@attrs.frozen(kw_only=True)
class ConversationQualified:
    """A seller answered the last open question and got a temperature."""

    temperature: Temperature = attrs.field(converter=_temperature)


@attrs.frozen(kw_only=True)
class GhlCall:
    """One attempt of one GHL API call.

    `status` is None when no response arrived (`error` then says why);
    `rate_limit_remaining` is GHL's remaining burst allowance when it sent one.
    """

    operation: str = attrs.field(validator=_label)
    status: int | None = attrs.field(validator=_optional(_http_status))
    latency_s: float = attrs.field(validator=_non_negative_number)
    rate_limit_remaining: int | None = attrs.field(
        default=None, validator=_optional(_non_negative_int)
    )
    error: str | None = None

    @property
    def rate_limited(self) -> bool:
        return self.status == 429

    @property
    def failed(self) -> bool:
        """No answer, or an error answer other than 429 (counted as rate limited)."""
        if self.status is None:
            return True
        return self.status >= 400 and not self.rate_limited


@attrs.frozen(kw_only=True)
class LlmCall:
    """One LLM call: model, tokens, latency and what it cost."""

    model: str = attrs.field(validator=_label)
    input_tokens: int = attrs.field(validator=_non_negative_int)
    output_tokens: int = attrs.field(validator=_non_negative_int)
    latency_s: float = attrs.field(validator=_non_negative_number)
    cost_usd: float = attrs.field(validator=_non_negative_number)
    failed: bool = False


@attrs.frozen(kw_only=True)
class LeadResolved:
    """A lead analysis finished; where its answer came from and the cost it saved.

    `source` is "pattern" (patterns alone), "cache" (a stored LLM answer) or "llm".
    `llm_called` is true when an LLM call was made for it (a cache miss), which
    also happens for "pattern" when the call failed and the patterns were kept.
    """

    source: LeadSource = attrs.field(validator=_one_of("pattern", "cache", "llm"))
    saved_usd: float = attrs.field(default=0.0, validator=_non_negative_number)
    llm_called: bool = False

    @property
    def pattern_resolved(self) -> bool:
        return self.source == "pattern" and not self.llm_called


@attrs.frozen(kw_only=True)
class StoreOperation:
    """One store operation: which backend answered, how long it took, and whether
    it fell back to the disk because Redis was unavailable."""

    backend: StoreBackend = attrs.field(validator=_one_of("redis", "disk"))
    op: str = attrs.field(validator=_label)
    latency_s: float = attrs.field(validator=_non_negative_number)
    fallback: bool = False


MetricRecord = (
    WebhookHandled
    | MessageReceived
    | ReplyProduced
    | SmsSent
    | ConversationQualified
    | GhlCall
    | LlmCall
    | LeadResolved
    | StoreOperation
)
