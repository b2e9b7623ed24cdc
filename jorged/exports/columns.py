"""What every export format shares: the columns, the filter description, progress.

A row is exported as `COLUMNS` in this order. `cells` gives typed values (numbers
as ints, times as naive UTC datetimes, absent values as None) for formats that
keep types; `texts` gives the same values as text for CSV and the PDF table.

The filters of an export are written as `filter_params(query)`: the query
parameters that `jorged.domain.dashboard.params.parse_query` turns back into the same
query (page and page size aside, since an export has every page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from jorged import labels
from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import ConversationQuery
from jorged.domain.language import Language
from jorged.domain.leads.analysis import TimelineBucket

__all__ = [
    "COLUMNS",
    "CSV_HEADERS",
    "CSV_LABEL_COLUMNS",
    "PROGRESS_EVERY",
    "BinarySink",
    "Cell",
    "cells",
    "csv_texts",
    "describe_filters",
    "filter_params",
    "flags_of",
    "iter_progress",
    "labelled_cells",
    "stamp",
    "texts",
    "utc_naive",
]

#: Rows between two progress reports.
PROGRESS_EVERY = 1000

Cell = str | int | datetime | None


class BinarySink(Protocol):
    """Where an export is written: a binary file, a socket file, a buffer."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


#: (key, header) of every exported column, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("contact_id", "Contact ID"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("stage", "Stage"),
    ("temperature", "Temperature"),
    ("flags", "Flags"),
    ("price_low", "Price low"),
    ("price_high", "Price high"),
    ("owed", "Owed"),
    ("estimate", "Estimate"),
    ("timeline", "Timeline"),
    ("questions_answered", "Questions answered"),
    ("lead_score", "Lead score"),
    ("lead_class", "Lead class"),
    ("last_activity", "Last activity (UTC)"),
    ("created_at", "Created (UTC)"),
    ("language", "Language"),
)

#: The CSV keeps the codes above and adds, after them, these label columns.
CSV_LABEL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stage", "Stage label"),
    ("temperature", "Temperature label"),
    ("timeline", "Timeline label"),
)
CSV_HEADERS = tuple(h for _, h in COLUMNS) + tuple(h for _, h in CSV_LABEL_COLUMNS)
#: The language as spreadsheets and PDFs show it (CSV and JSON keep the code).
LANGUAGE_LABELS = {Language.EN: "English", Language.ES: "Spanish"}

_FLAGS = ("stalled", "paused", "opted_out", "stopped", "booked")
#: The coded columns and their labels.
_LABELS = {
    "stage": labels.STAGES,
    "temperature": labels.TEMPERATURES,
    "timeline": labels.TIMELINES,
    "lead_class": labels.TEMPERATURES,
}
_SETS: tuple[tuple[str, type[StrEnum]], ...] = (
    ("temperature", Temperature),
    ("stage", Stage),
    ("timeline", TimelineBucket),
    ("language", Language),
)


def utc_naive(moment: datetime) -> datetime:
    """`moment` in UTC without a zone (spreadsheets cannot hold one)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def flags_of(row: ConversationRow) -> str:
    """The flags set on the row, comma-separated (empty when none)."""
    return ", ".join(name for name in _FLAGS if getattr(row, name))


def cells(row: ConversationRow) -> tuple[Cell, ...]:
    """The row's values in `COLUMNS` order, typed."""
    return (
        row.contact_id,
        row.first_name,
        row.phone,
        row.stage.value,
        row.temperature.value,
        flags_of(row),
        row.price_low,
        row.price_high,
        row.owed,
        row.estimate,
        row.timeline.value,
        row.questions_answered,
        row.lead_score,
        None if row.lead_class is None else row.lead_class.value,
        utc_naive(row.last_activity),
        utc_naive(row.created_at),
        LANGUAGE_LABELS[row.language],
    )


def labelled_cells(row: ConversationRow) -> tuple[Cell, ...]:
    """`cells` with the codes a person reads as labels (XLSX): "Price" for
    `q_price`, "1 to 3 months" for `1_3_months`, "Opted out" for `opted_out`."""
    values = list(cells(row))
    for i, (key, _) in enumerate(COLUMNS):
        value = values[i]
        if not isinstance(value, str) or not value:
            continue
        if key == "flags":
            values[i] = ", ".join(
                labels.label(labels.FLAGS, f) for f in value.split(", ")
            )
        elif key in _LABELS:
            values[i] = labels.label(_LABELS[key], value)
    return tuple(values)


def csv_texts(row: ConversationRow) -> list[str]:
    """`texts` (codes) followed by the labels of `CSV_LABEL_COLUMNS`."""
    named = labelled_cells(row)
    index = {key: i for i, (key, _) in enumerate(COLUMNS)}
    return texts(row) + [str(named[index[key]]) for key, _ in CSV_LABEL_COLUMNS]


def stamp(moment: datetime) -> str:
    """`moment` in UTC as text, to the second, without a zone."""
    return moment.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19]


def texts(row: ConversationRow) -> list[str]:
    """The row's values in `COLUMNS` order as text (times as UTC, absent as "")."""
    return [
        row.contact_id,
        row.first_name,
        row.phone,
        row.stage.value,
        row.temperature.value,
        flags_of(row),
        "" if row.price_low is None else str(row.price_low),
        "" if row.price_high is None else str(row.price_high),
        "" if row.owed is None else str(row.owed),
        "" if row.estimate is None else str(row.estimate),
        row.timeline.value,
        str(row.questions_answered),
        "" if row.lead_score is None else str(row.lead_score),
        "" if row.lead_class is None else row.lead_class.value,
        stamp(row.last_activity),
        stamp(row.created_at),
        row.language.value,
    ]


def filter_params(query: ConversationQuery) -> dict[str, str]:
    """The filters and sort of `query` as query parameters (set ones only)."""
    params: dict[str, str] = {}
    for name, enum in _SETS:
        chosen: frozenset[StrEnum] = getattr(query, name)
        if chosen:
            params[name] = ",".join(m.value for m in enum if m in chosen)
    for name in ("stalled", "paused", "opted_out"):
        value: bool | None = getattr(query, name)
        if value is not None:
            params[name] = "true" if value else "false"
    for name in ("since", "until"):
        moment: datetime | None = getattr(query, name)
        if moment is not None:
            params[name] = moment.isoformat()
    for name in ("price_min", "price_max"):
        price: int | None = getattr(query, name)
        if price is not None:
            params[name] = str(price)
    if query.q.strip():
        params["q"] = query.q.strip()
    params["sort"] = query.sort.value
    params["order"] = "desc" if query.descending else "asc"
    return params


def describe_filters(query: ConversationQuery) -> list[tuple[str, str]]:
    """(name, value) lines saying which conversations an export holds, for people."""
    params = filter_params(query)
    lines = [
        (name, value.replace(",", ", ") if name != "q" else f'"{value}"')
        for name, value in params.items()
        if name not in {"sort", "order"}
    ]
    if not lines:
        lines.append(("filters", "none (every conversation)"))
    lines.append(("sort", f"{params['sort']}, {params['order']}"))
    return lines


def iter_progress(
    rows: Iterable[ConversationRow],
    report: Callable[[int], None],
    *,
    every: int = PROGRESS_EVERY,
) -> Iterator[ConversationRow]:
    """`rows`, calling `report(n)` after every `every` rows and once at the end."""
    if every < 1:
        msg = f"every: must be 1 or more, got {every}"
        raise ValueError(msg)
    n = 0
    for row in rows:
        yield row
        n += 1
        if n % every == 0:
            report(n)
    if n % every != 0 or n == 0:
        report(n)
