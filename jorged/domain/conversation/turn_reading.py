"""How an inbound turn is read: by the rules, with what an LLM read beside them.

The seller step stays pure: the actor reads the turn's unsure texts with the LLM
before the step (`texts_to_read` says which texts the step will read, against
what) and hands the grounded readings in on `Inbound.llm_readings`;
`reader_for(ev)` then reads a text with the rules and merges the LLM's reading of
the same text (`reading.grounding.merge`: an opt-out from either counts, the
rules' values stand, the LLM fills what they did not read). Without LLM readings
it is the rules reader, so a turn replays the same given the same input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jorged.domain.conversation.drafts import Draft, set_language
from jorged.domain.conversation.inputs import Inbound, InboundMessage
from jorged.domain.conversation.policy import fields_of
from jorged.domain.conversation.state import ConversationState, Stage
from jorged.domain.language import LanguageSource, evidence, follow
from jorged.domain.reading import ActKind, Context, Reading, read
from jorged.domain.reading.grounding import merge

__all__ = [
    "Reader",
    "content_of",
    "follow_language",
    "reader_for",
    "reading_context",
    "texts_to_read",
    "unseen",
]

Reader = Callable[[str, Context], Reading]


def reading_context(state: ConversationState, now: datetime) -> Context:
    """What a message of `state`'s seller is read against."""
    return Context(
        asking=state.asking,
        open_slots=state.slots.open_slots,
        qualified=state.stage is Stage.QUALIFIED,
        language=state.language.value,
        today=now.date(),
    )


def follow_language(
    state: ConversationState, texts: list[str], drafts: list[Draft]
) -> ConversationState:
    """The conversation in the language the seller writes in (`language.follow`),
    unless Jorge set it."""
    source = state.language_source
    if source is LanguageSource.AGENT:
        return state
    language = state.language
    for text in texts:
        if source is LanguageSource.DEFAULT:
            leaning = evidence(text).leaning
            if leaning is not None:
                language, source = leaning, LanguageSource.DETECTED
        elif (found := follow(text, language, settled=True)) is not language:
            language, source = found, LanguageSource.DETECTED
    return set_language(state, language, source, drafts)


def unseen(
    state: ConversationState | None, messages: tuple[InboundMessage, ...]
) -> list[InboundMessage]:
    """The messages not in the transcript yet, each once, in order."""
    seen = {e.message_id for e in state.transcript} if state is not None else set()
    fresh = []
    for m in messages:
        if m.message_id not in seen:
            seen.add(m.message_id)
            fresh.append(m)
    return fresh


def says(reading: Reading) -> bool:
    """False for a bare START / UNSTOP / HELP: there is nothing else to read."""
    bare = {ActKind.OPT_IN, ActKind.HELP}
    only_consent = bool(reading.acts) and all(a.kind in bare for a in reading.acts)
    return not only_consent or bool(fields_of(reading.values))


def content_of(messages: list[InboundMessage], consent: list[Reading]) -> str:
    """The turn's content: its messages that say more than START or HELP."""
    return "\n".join(m.text for m, r in zip(messages, consent, strict=True) if says(r))


def texts_to_read(
    state: ConversationState | None, ev: Inbound, now: datetime
) -> tuple[tuple[str, Context], ...]:
    """The texts the step reads for `ev` and the context of each: every new
    message, and the content of a turn of several messages, read in the language
    the conversation follows to with them."""
    messages = unseen(state, ev.messages)
    if not messages:
        return ()
    texts = [m.text for m in messages]
    if state is None:
        state = ConversationState(
            contact_id=ev.contact_id, created_at=now, updated_at=now
        )
    context = reading_context(follow_language(state, texts, []), now)
    if len(messages) > 1:
        content = content_of(messages, [read(t, context) for t in texts])
        if content:
            texts.append(content)
    return tuple((t, context) for t in dict.fromkeys(texts))


def reader_for(ev: Inbound) -> Reader:
    """The rules reader, merged with what the LLM read of the same text."""
    by_text = {r.text: r.reading for r in ev.llm_readings}

    def read_turn(text: str, context: Context) -> Reading:
        rules = read(text, context)
        llm = by_text.get(text)
        return rules if llm is None else merge(rules, llm)

    return read_turn
