"""Reading a seller's message (SPEC 1.10): what it is before what it answers.

`read(text, context)` (in `reader`) is pure: it gives a `Reading`, the acts found in
the message, each with the seller's words it was read from and a confidence, and
the slot values it gives, each with its evidence. `acts` holds those types.

The parts: `text` (the normalized copy and the way back to the seller's words),
`consent` (opt-out, unsure, opt-in, HELP), `questions`, `dismissals`, `calls`,
`corrections`, `events` (life events), `hostility` (complaints), `instructions`
(to the bot), and the slot readers `motivation` with `destination`, `timeline`
with `spans`, `condition`, `price` with `figures` and `amounts`. `grounding`
keeps an LLM's reading where the text backs it and merges it with the rules';
`scoring` measures a reader on labeled messages (`jorgectl eval`).
"""

from jorged.domain.reading.acts import (
    Act,
    ActKind,
    Context,
    DismissalKind,
    Evidence,
    QuestionKind,
    Reading,
    SlotValues,
)
from jorged.domain.reading.reader import UNSURE, read

__all__ = [
    "UNSURE",
    "Act",
    "ActKind",
    "Context",
    "DismissalKind",
    "Evidence",
    "QuestionKind",
    "Reading",
    "SlotValues",
    "read",
]
