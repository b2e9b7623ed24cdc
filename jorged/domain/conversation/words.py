"""The words of a reply: answers to questions back, and how a reply is put together.

`answer_text` is the configured one-liner for a question back (`[seller.answers]`,
or `[seller.answers_friendly]` in the friendly tone). `compose` puts an opener,
the lead-ins and the question into as few texts as fit: lead-ins that must be said
(an answer, an apology) are never dropped, an acknowledgement is dropped first.
`pick_question` asks a question in words the previous text did not use.
"""

from __future__ import annotations

from collections.abc import Sequence

from jorged.config import SellerConfig
from jorged.domain import templates as tpl
from jorged.domain.compliance import SMS_LIMIT, gsm7_length
from jorged.domain.reading.acts import QuestionKind
from jorged.domain.seller_models import Slot

__all__ = ["answer_text", "compose", "pick_question"]


def answer_text(kind: QuestionKind, cfg: SellerConfig) -> str:
    """The configured answer to a question back, filled in."""
    answers = cfg.answers_friendly if cfg.tone == "friendly" else cfg.answers
    text: str = getattr(answers, kind.value)
    return text.replace("{agent_name}", cfg.agent_name).replace(
        "{business_name}", cfg.business_name
    )


def pick_question(slot: Slot, cfg: SellerConfig, *, again: bool, previous: str) -> str:
    """The question for `slot`: asked again in other words when `again`, and never
    in the words of the previous text when other words exist."""
    keys = [tpl.question_key(slot)]
    if again:
        keys.insert(0, tpl.reask_key(slot))
    texts = [tpl.render(k, cfg.tone) for k in keys]
    return next((t for t in texts if t not in previous), texts[0])


def _fits(parts: Sequence[str]) -> bool:
    return gsm7_length(" ".join(p for p in parts if p)) <= SMS_LIMIT


def _join(parts: Sequence[str]) -> str:
    return " ".join(p for p in parts if p)


def compose(
    opener: str, must: Sequence[str], optional: Sequence[str], question: str
) -> list[str]:
    """The texts of one reply, in order (one when everything fits)."""
    must = [m for m in must if m]
    optional = [o for o in optional if o]
    for keep in range(len(optional), -1, -1):
        parts = [opener, *must, *optional[:keep], question]
        if _fits(parts):
            return [_join(parts)]
    texts: list[str] = []
    head = [opener, *must]
    if _fits(head):
        texts.append(_join(head))
    else:
        texts.extend(p for p in head if p)
    for keep in range(len(optional), -1, -1):
        tail = [*optional[:keep], question]
        if _fits(tail):
            texts.append(_join(tail))
            break
    return [t for t in texts if t]
