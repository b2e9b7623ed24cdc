"""Life events: a death, a divorce, a job loss, a foreclosure, an illness.

Each shapes the acknowledgement (sympathy first) and may fill the motivation
(see `motivation`). A word with another meaning is none: "my phone died", "dead
end street", "killing it", "sick of these texts", "laid the tile".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jorged.domain.reading.acts import Act, ActKind
from jorged.domain.reading.text import Text

__all__ = ["read_life_event"]

_KIN = (
    r"(?:mom|mother|dad|father|husband|wife|son|daughter|brother|sister|grandma"
    r"|grandmother|grandpa|grandfather|parents?|spouse|partner|aunt|uncle|mama"
    r"|papa|hubby|wifey|boyfriend|girlfriend|fiance|fiancee|grandparents?|family"
    r" member|father in law|mother in law|stepdad|stepmom|child|baby|kid|pops)"
)
_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "death",
        re.compile(
            rf"\b(?:passed away|passed on|passing|passed|died|death|deceased|funeral"
            rf"|fallecio|fallecida|fallecido|murio|probate(?=.*\b{_KIN}s?\b)"
            rf"|lost (?:my|our) {_KIN}|(?:my|our) late|widow|widowed|widower|estate"
            rf" of|rip\b|buried|killed|when (?:my|our) {_KIN} (?:passed|died)"
            rf"|(?:mom|dad|mother|father|husband|wife) (?:is|are) gone)\b"
        ),
    ),
    (
        "divorce",
        re.compile(
            r"\b(?:divorc\w*|devorce|separat(?:ed|ing|ion)|splitting up|split up"
            r"|(?:wife|husband|spouse) (?:left|walked out|moved out)"
            r"|broke up|breaking up|ex (?:wife|husband)|my ex\b|custody)\b"
        ),
    ),
    (
        "job_loss",
        re.compile(
            r"\b(?:laid off|lay ?off|layoffs?|lost (?:my|his|her|our) (?:job|jobs"
            r"|work|income)|fired(?! up)|let go|unemployed|unemployment|out of"
            r" work|job loss|lost the job|plant closed|company closed|downsized me"
            r"|got downsized|terminated|no longer working|lost (?:my|his|her)"
            r" position)\b"
        ),
    ),
    (
        "foreclosure",
        re.compile(
            r"\b(?:foreclos\w*|notice of default|\bnod\b|behind on (?:the |my |our )?"
            r"(?:mortgage|payments|house payments|loan)|(?:\w+ )?(?:payments?|months?)"
            r" behind|bank is taking|auction date|trustee sale|short sale|sheriff"
            r" sale|default on|missed (?:\w+ )?(?:payments|mortgage))\b"
        ),
    ),
    (
        "illness",
        re.compile(
            r"\b(?:cancer|chemo|diagnos\w*|stroke|heart attack|dementia|alzheimers"
            r"|parkinsons|terminal|hospice|in the hospital|hospitalized|surgery"
            r"|sick|illness|dialysis|in the er|health scare|copd|als\b|ms\b)"
        ),
    ),
)
_NOT_EVENT = re.compile(
    r"\b(?:sick of|sick and tired|sick to death|phone died|battery died|dead end"
    r"|passed (?:the|on the|by|inspection|it along)|passed (?:on )?(?:your|this|that)"
    r" (?:offer|number)|death trap|let go of (?:the|this) (?:house|home|place)"
    r"|let go of it|real estate|estate sale agent|to die for|killed it|killing it"
    r"|ill (?:be|call|text|take|think|let|have|get|do|see|need|send|check|talk|wait)"
    r"|hospital (?:district|close|nearby|down the street)|near (?:the|a) hospital"
    r"|medical center|hospital is close)\b"
)


#: Long past: "my divorce was 15 years ago" is no event of now.
_LONG_AGO = re.compile(
    r"^ (?:was|were|happened|finalized|came through)? ?(?:\w+ )?(?:1\d|[2-9]\d|many"
    r"|so many|a lot of) years ago\b"
)


def read_life_event(text: Text, masked: Sequence[tuple[int, int]] = ()) -> Act | None:
    """The first life event the message tells of, if any (none inside `masked`)."""
    norm = _NOT_EVENT.sub(lambda m: " " * len(m.group(0)), text.norm)
    for start, end in masked:
        norm = norm[:start] + " " * (end - start) + norm[end:]
    best: tuple[int, str, re.Match[str]] | None = None
    for kind, pattern in _EVENTS:
        m = next(
            (m for m in pattern.finditer(norm) if not _LONG_AGO.match(norm[m.end() :])),
            None,
        )
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m)
    if best is None:
        return None
    _, kind, m = best
    return Act(
        kind=ActKind.LIFE_EVENT,
        life_event=kind,
        evidence=text.evidence_of(m),
        confidence=0.85,
    )
