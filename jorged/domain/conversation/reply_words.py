"""The words of a reply: answers to questions back, and how a reply is put together.

`answer_text` is the configured one-liner for a question back (`[seller.answers]`,
or `[seller.answers_friendly]` in the friendly tone; `[seller.answers_es]` and
`[seller.answers_es_friendly]` in Spanish). `compose` puts an opener,
the lead-ins and the question into as few texts as fit: lead-ins that must be said
(an answer, an apology) are never dropped, an acknowledgement is dropped first.
`pick_question` asks a question in words the previous text did not use.
`first_hello` opens a first reply: the configured opener ("Hey Dana, it's Jorge."),
or only a greeting ("Hey Dana.") when the reply answers who is writing, so one
text never says both "it's Jorge" and "I'm Jorge's automated assistant".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.config import AnswersConfig, SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.state import Slot
from jorged.domain.language import Language
from jorged.domain.reading.acts import QuestionKind
from jorged.domain.texting.compliance import SMS_LIMIT, gsm7_length

__all__ = ["SAYS_WHO", "answer_text", "compose", "first_hello", "pick_question"]

#: Questions back whose answer says who is writing.
SAYS_WHO = frozenset({QuestionKind.WHO, QuestionKind.BOT, QuestionKind.LEGIT})
_GREETED = re.compile(r"^\W*(?:hi|hey|hello|hola)\b", re.IGNORECASE)


def answer_text(
    kind: QuestionKind, cfg: SellerConfig, lang: Language = Language.EN
) -> str:
    """The configured answer to a question back, in the conversation's language,
    filled in."""
    friendly = cfg.tone == "friendly"
    answers: AnswersConfig
    if lang is Language.ES:
        answers = cfg.answers_es_friendly if friendly else cfg.answers_es
    else:
        answers = cfg.answers_friendly if friendly else cfg.answers
    text: str = getattr(answers, kind.value)
    return text.replace("{agent_name}", cfg.agent_name).replace(
        "{business_name}", cfg.business_name
    )


def first_hello(
    cfg: SellerConfig,
    *,
    first_name: str,
    lang: Language,
    answer: str = "",
) -> str:
    """The opening of the conversation's first text. With an `answer` that says who
    is writing, a greeting by name only (nothing when the name is unknown or the
    answer greets already), never the opener's "it's Jorge"."""
    if not answer:
        template = cfg.opener_es if lang is Language.ES else cfg.opener
        return tpl.opener(template, first_name=first_name, agent_name=cfg.agent_name)
    name = " ".join(first_name.split())
    if not name or _GREETED.match(answer):
        return ""
    return f"Hola {name}." if lang is Language.ES else f"Hey {name}."


def pick_question(
    slot: Slot,
    cfg: SellerConfig,
    *,
    again: bool,
    previous: str,
    lang: Language = Language.EN,
) -> str:
    """The question for `slot`: asked again in other words when `again`, and never
    in the words of the previous text when other words exist."""
    keys = [tpl.question_key(slot)]
    if again:
        keys.insert(0, tpl.reask_key(slot))
    texts = [tpl.render(k, cfg.tone, lang=lang) for k in keys]
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
