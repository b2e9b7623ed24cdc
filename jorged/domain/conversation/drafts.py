"""What the seller handlers hand back to `seller._finish`, and the helpers they share.

A handler returns the next state and a list of drafts (`Draft`): actions to take,
and `Say`, a text it would like to send. Only `_finish` turns drafts into actions;
it alone decides whether a `Say` goes out (see the rules in `seller.py`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation.inputs import Emit, SellerAction
from jorged.domain.conversation.state import ConversationState, TemperatureChange
from jorged.domain.conversation.temperature import classify
from jorged.domain.language import Language, LanguageSource
from jorged.domain.texting.compliance import contact_zone

__all__ = [
    "Draft",
    "Result",
    "Say",
    "retemper",
    "set_language",
    "zone_of",
]


@attrs.frozen(kw_only=True)
class Say:
    """A text drafted by a handler; `_finish` decides whether and how it goes out."""

    text: str
    fallback: str
    reply_to: str | None
    bot_initiated: bool
    #: Opt-out / opt-in confirmations and HELP: sent even when paused or capped.
    compliance: bool = False
    opt_out_confirmation: bool = False
    #: Answers "is this a bot?": may say it is automated (SPEC 1.4).
    disclose: bool = False
    #: The last words of a step that pauses or stops the bot (a dismissal, a call
    #: request): sent although the step ends paused or stopped, not past the cap.
    closing: bool = False


Draft = SellerAction | Say
Result = tuple[ConversationState | None, list[Draft]]


def zone_of(state: ConversationState, cfg: SellerConfig) -> ZoneInfo:
    return contact_zone(state.timezone, cfg.default_timezone, phone=state.phone)


def retemper(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reason: str = "",
) -> ConversationState:
    """Record a change of temperature, with its time and reason."""
    temp, why = classify(
        state.slots, state.flags, warm_timeline_max_days=cfg.warm_timeline_max_days
    )
    if temp is state.temperature and not reason:
        return state
    why = reason or why
    if temp is not state.temperature:
        drafts.append(
            Emit(
                kind="seller.temperature_changed",
                data={"from": state.temperature.value, "to": temp.value, "reason": why},
            )
        )
    change = TemperatureChange(temperature=temp, at=now, reason=why)
    return attrs.evolve(
        state,
        temperature=temp,
        temperature_history=(*state.temperature_history, change),
    )


def set_language(
    state: ConversationState,
    language: Language,
    source: LanguageSource,
    drafts: list[Draft],
) -> ConversationState:
    """`state` written in `language` from now on, the change told as an event."""
    if state.language is language and state.language_source is source:
        return state
    if state.language is not language:
        drafts.append(
            Emit(
                kind="seller.language_changed",
                data={"language": language.value, "source": source.value},
            )
        )
    return attrs.evolve(state, language=language, language_source=source)
