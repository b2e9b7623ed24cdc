"""Reading a seller's message (SPEC 1.10): what it is before what it answers.

`acts` holds the Reading a reader produces: the acts found in a message, each with
the seller's words it was read from and a confidence, and the slot values it gives.
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
