"""Count the acknowledgements the bot opens its replies with, over demo sellers.

    python -m bench.acks [--sellers 400] [--seed 7] [--top 15]

Plays the demo generator's sellers (`jorged.demo.script`) through the pure engine
(`jorged.domain.conversation.step.step`, default config, no daemon): the activation, then each
seller message as its own turn. Of every reply it keeps what comes before the
question: the opener, an answer to a question back and the question itself (asked
or asked again) are cut off, what is left is the acknowledgement. Prints how often each one was used, the number
of replies, and how often a conversation used the same one twice in a row.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jorged.config import SellerConfig
from jorged.demo import script
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation import templates as tpl
from jorged.domain.conversation.reply_words import answer_text
from jorged.domain.conversation.state import ConversationState, Slot
from jorged.domain.conversation.step import step
from jorged.domain.reading import QuestionKind

START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def _questions(cfg: SellerConfig) -> list[str]:
    keys = [tpl.question_key(s) for s in Slot] + [tpl.reask_key(s) for s in Slot]
    return sorted({tpl.render(k, cfg.tone) for k in keys}, key=len, reverse=True)


def _answers(cfg: SellerConfig) -> list[str]:
    return [answer_text(kind, cfg) for kind in QuestionKind]


def lead_in(text: str, cfg: SellerConfig, first_name: str) -> str:
    """What a reply says before its question, but the opener and an answer to a
    question back ("" when it is only a question)."""
    hello = tpl.opener(cfg.opener, first_name=first_name, agent_name=cfg.agent_name)
    if text.startswith(hello):
        text = text[len(hello) :].strip()
    for answer in _answers(cfg):
        if text.startswith(answer):
            text = text[len(answer) :].strip()
    for question in _questions(cfg):
        if text.endswith(question):
            return text[: -len(question)].strip()
    return ""


#: Demo seller messages that bring bad news (a divorce, payments behind, a death).
BAD_NEWS = re.compile(r"divorce|behind on payments|inherited", re.IGNORECASE)


def play(
    sellers: int, seed: int, cfg: SellerConfig
) -> tuple[Counter[str], Counter[str], int, int]:
    """(acknowledgements counted, those answering bad news, replies seen, same one
    twice in a row)."""
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    sad: Counter[str] = Counter()
    replies = repeats = 0
    for index in range(sellers):
        seller = script(rng, index, seed)
        now = START + timedelta(minutes=index)
        state: ConversationState | None
        state, _ = step(
            None,
            sio.Activate(contact_id=seller.contact_id, first_name=seller.first_name),
            now,
            cfg,
        )
        previous = ""
        for turn, text in enumerate(seller.messages, start=1):
            now += timedelta(minutes=3)
            message = sio.InboundMessage(
                message_id=f"{seller.contact_id}-m{turn}", text=text, at=now
            )
            state, actions = step(
                state,
                sio.Inbound(contact_id=seller.contact_id, messages=(message,)),
                now,
                cfg,
            )
            for action in actions:
                if isinstance(action, sio.SendSms):
                    replies += 1
                    ack = lead_in(action.text, cfg, seller.first_name)
                    if ack:
                        counts[ack] += 1
                        if BAD_NEWS.search(text):
                            sad[ack] += 1
                        repeats += ack == previous
                        previous = ack
    return counts, sad, replies, repeats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sellers", type=int, default=400)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--tone", choices=("direct", "friendly"), default="direct")
    args = p.parse_args(argv)
    cfg = SellerConfig(tone=args.tone)
    counts, sad, replies, repeats = play(args.sellers, args.seed, cfg)
    total = sum(counts.values())
    print(
        f"{args.sellers} sellers, {replies} replies, {total} acknowledgements, "
        f"{len(counts)} distinct, {repeats} repeated back to back"
    )
    for text, n in counts.most_common(args.top):
        print(f"{n:5d}  {text}")
    print(f"after bad news ({sum(sad.values())}):")
    for text, n in sad.most_common(args.top):
        print(f"{n:5d}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
