"""The contact's consent in the seller conversation: opt-out, opt-in, HELP, DND.

STOP (or DND set in the CRM) opts the contact out; START / UNSTOP (or DND lifted,
when DND was the cause) opts them back in. The confirmations and the HELP reply are
compliance texts, which `_finish` sends even when paused or capped.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.drafts import Draft, Result, Say, retemper
from jorged.domain.conversation.followup import restart_cadence
from jorged.domain.conversation.inputs import CancelFollowups, DndChanged, Emit, SetDnd
from jorged.domain.conversation.state import ConversationState
from jorged.domain.language import Language
from jorged.domain.texting.compliance import is_opt_in, is_opt_out

__all__ = [
    "net_opt_out",
    "on_dnd",
    "opt_in",
    "opt_out",
    "say_help",
]


def net_opt_out(texts: list[str]) -> bool | None:
    """True when the turn ends opted out, False when it ends opted in, else None."""
    result: bool | None = None
    for text in texts:
        if is_opt_out(text):
            result = True
        elif is_opt_in(text):
            result = False
    return result


def say_help(cfg: SellerConfig, reply_to: str | None, lang: Language) -> Say:
    text = tpl.render(
        "help",
        cfg.tone,
        lang=lang,
        agent_name=cfg.agent_name,
        business_name=cfg.business_name,
    )
    return Say(
        text=text,
        fallback=f"{cfg.business_name}: reply STOP to opt out.",
        reply_to=reply_to,
        bot_initiated=False,
        compliance=True,
    )


def opt_out(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    source: str,
    reply_to: str | None,
) -> Result:
    state = attrs.evolve(
        state,
        flags=attrs.evolve(state.flags, opted_out=True),
        opt_out_source=source,
        followup_due=None,
        hold=None,
        offered_slots=(),
        booking_slot=None,
    )
    if source == "sms":
        drafts.append(
            Say(
                text=tpl.render("opt_out", cfg.tone, lang=state.language),
                fallback=tpl.OPT_OUT_CONFIRMATION,
                reply_to=reply_to,
                bot_initiated=False,
                compliance=True,
                opt_out_confirmation=True,
            )
        )
        drafts.append(SetDnd(dnd=True))
    drafts.append(CancelFollowups())
    drafts.append(Emit(kind="seller.opted_out", data={"source": source}))
    state = retemper(state, now, cfg, drafts)
    return state, drafts


def opt_in(
    state: ConversationState,
    now: datetime,
    cfg: SellerConfig,
    drafts: list[Draft],
    *,
    reply_to: str | None,
) -> Result:
    state = attrs.evolve(
        state, flags=attrs.evolve(state.flags, opted_out=False), opt_out_source=""
    )
    if reply_to is not None:
        drafts.append(
            Say(
                text=tpl.render(
                    "opt_in",
                    cfg.tone,
                    lang=state.language,
                    business_name=cfg.business_name,
                ),
                fallback="You're resubscribed. Reply STOP to opt out.",
                reply_to=reply_to,
                bot_initiated=False,
                compliance=True,
            )
        )
        drafts.append(SetDnd(dnd=False))
    drafts.append(Emit(kind="seller.resumed", data={"reason": "opted_in"}))
    state = retemper(state, now, cfg, drafts)
    return restart_cadence(state, now, cfg, drafts)


def on_dnd(
    state: ConversationState, ev: DndChanged, now: datetime, cfg: SellerConfig
) -> Result:
    if ev.dnd and not state.flags.opted_out:
        return opt_out(state, now, cfg, [], source="dnd", reply_to=None)
    if not ev.dnd and state.flags.opted_out and state.opt_out_source == "dnd":
        state = attrs.evolve(
            state, flags=attrs.evolve(state.flags, opted_out=False), opt_out_source=""
        )
        drafts: list[Draft] = [Emit(kind="seller.resumed", data={"reason": "dnd_off"})]
        return retemper(state, now, cfg, drafts), drafts
    return state, []
