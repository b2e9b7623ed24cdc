"""The PDF report: KPIs, charts and the table of an export, on A4 landscape.

Page 1 names the export (time, filters, row count), shows the four hero KPIs of
the dashboard with their change over 24 h (these count every conversation, not
only the exported ones), and three bar charts of the exported rows: temperature,
stage and price (midpoint of the seller's range). The table follows, one line per
conversation in a fixed-width font, its header repeated on every page.

A person reads a table of a few thousand rows, not of a hundred thousand, and the
document is built in memory: the table holds at most `table_limit` rows (default
`PDF_TABLE_LIMIT`). When rows are left out, page 1 and the end of the table say
how many and point to CSV or XLSX for all of them. The charts always count every
exported row; only the first `table_limit` rows are kept while the rest stream by.

The PDF core fonts cover Latin-1: other characters (emoji, other scripts) print as
"?", and the report says so when it happened. CSV, XLSX and JSON keep them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs

from jorged import labels
from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard.facts import ConversationRow, PriceBucket, price_bucket
from jorged.domain.dashboard.query import ConversationQuery
from jorged.domain.dashboard.snapshot import DashboardSnapshot, Kpi
from jorged.exports.columns import (
    LANGUAGE_LABELS,
    BinarySink,
    describe_filters,
    flags_of,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["PDF_TABLE_LIMIT", "write_pdf"]

#: Rows shown in the table of a PDF report by default (about 100 pages).
PDF_TABLE_LIMIT = 5000

_MARGIN = 10.0
_PAGE_W, _PAGE_H = 297.0, 210.0
_LINE = 3.5
_TABLE_TOP = 22.0
_TABLE_BOTTOM = _PAGE_H - 12.0
_FONT_SIZE = 7.0
#: (header, width in characters, right-aligned) of each table column.
_TABLE: tuple[tuple[str, int, bool], ...] = (
    ("Contact ID", 20, False),
    ("Name", 22, False),
    ("Phone", 15, False),
    ("Stage", 12, False),
    ("Temp", 5, False),
    ("Flags", 15, False),
    ("Price low", 9, True),
    ("Price high", 10, True),
    ("Timeline", 14, False),
    ("Qs", 2, True),
    ("Score", 5, True),
    ("Class", 5, False),
    ("Last activity", 16, False),
    ("Created", 16, False),
    ("Lang", 7, False),
)
_COLOURS = {
    Temperature.HOT.value: (214, 51, 62),
    Temperature.WARM.value: (230, 120, 20),
    Temperature.COLD.value: (40, 100, 200),
}
_BAR = (70, 110, 150)
_PRICE_LABELS = {
    PriceBucket.UNDER_200K: "under 200k",
    PriceBucket.FROM_200K: "200k-300k",
    PriceBucket.FROM_300K: "300k-400k",
    PriceBucket.FROM_400K: "400k-500k",
    PriceBucket.FROM_500K: "500k-800k",
    PriceBucket.OVER_800K: "over 800k",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


@attrs.define
class _Latin1:
    """Makes text printable in a core font and remembers if anything was lost."""

    replaced: bool = False

    def __call__(self, text: str) -> str:
        text = _CONTROL.sub(" ", text)
        safe = text.encode("latin-1", "replace").decode("latin-1")
        if safe != text:
            self.replaced = True
        return safe


@attrs.define
class _Tally:
    """What page 1 counts over every exported row."""

    total: int = 0
    temperature: Counter[str] = attrs.field(factory=Counter)
    stage: Counter[str] = attrs.field(factory=Counter)
    price: Counter[str] = attrs.field(factory=Counter)
    unpriced: int = 0

    def add(self, row: ConversationRow) -> None:
        self.total += 1
        self.temperature[row.temperature.value] += 1
        self.stage[row.stage.value] += 1
        if row.price is None:
            self.unpriced += 1
        else:
            self.price[price_bucket(row.price).value] += 1


def write_pdf(
    rows: Iterable[ConversationRow],
    out: BinarySink,
    *,
    snapshot: DashboardSnapshot,
    filters: ConversationQuery,
    generated_at: datetime,
    table_limit: int = PDF_TABLE_LIMIT,
) -> int:
    """Write the report of `rows` to `out`; the number of rows exported."""
    if table_limit < 0:
        msg = f"table_limit: must not be negative, got {table_limit}"
        raise ValueError(msg)
    latin1 = _Latin1()
    tally = _Tally()
    lines: list[str] = []
    for row in rows:
        tally.add(row)
        if len(lines) < table_limit:
            lines.append(_line(row, latin1))
    # fpdf (with fontTools) takes a while to import: only when a PDF is made,
    # not on every start of the daemon.
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Seller conversations")
    pdf.set_creator("jorged")
    pdf.alias_nb_pages()
    _summary(pdf, tally, len(lines), snapshot, filters, generated_at, latin1)
    _table(pdf, lines, tally.total)
    out.write(bytes(pdf.output()))
    return tally.total


# --- page 1 -------------------------------------------------------------------------


def _summary(  # noqa: PLR0917 (private, called once with everything it shows)
    pdf: FPDF,
    tally: _Tally,
    shown: int,
    snapshot: DashboardSnapshot,
    filters: ConversationQuery,
    generated_at: datetime,
    latin1: _Latin1,
) -> None:
    pdf.add_page()
    pdf.set_xy(_MARGIN, _MARGIN)
    pdf.set_font("helvetica", "B", 18)
    pdf.cell(0, 9, "Seller conversations", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.cell(
        0,
        6,
        f"Generated {_when(generated_at)} UTC  -  {tally.total:,} conversations"
        " in this export",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    notes = []
    if shown < tally.total:
        notes.append(
            f"The table shows the first {shown:,} of {tally.total:,} rows; "
            "use CSV or XLSX for all of them."
        )
    if latin1.replaced:
        notes.append(
            "Characters the PDF fonts cannot show (such as emoji) print as ?; "
            "CSV, XLSX and JSON keep them."
        )
    pdf.set_font("helvetica", "B", 10)
    for note in notes:
        pdf.cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    filter_text = "; ".join(
        v if k == "filters" else f"{k}: {v}" for k, v in describe_filters(filters)
    )
    pdf.multi_cell(0, 5, latin1("Filters: " + filter_text)[:600])
    _kpis(pdf, pdf.get_y() + 3, snapshot)
    top = pdf.get_y() + 6
    width = (_PAGE_W - 2 * _MARGIN - 2 * 8) / 3
    temperature = [
        (labels.label(labels.TEMPERATURES, t.value), tally.temperature[t.value],
         _COLOURS[t.value])
        for t in Temperature
    ]  # fmt: skip
    stages = [
        (labels.label(labels.STAGES, s.value), tally.stage[s.value], _BAR)
        for s in Stage
    ]
    prices = [(_PRICE_LABELS[b], tally.price[b.value], _BAR) for b in PriceBucket]
    prices.append(("no price", tally.unpriced, (160, 160, 160)))
    for i, (title, items) in enumerate(
        (
            ("Temperature", temperature),
            ("Stage", stages),
            ("Price (midpoint)", prices),
        )
    ):
        _bars(
            pdf, _MARGIN + i * (width + 8), top, width=width, title=title, items=items
        )


def _kpis(pdf: FPDF, top: float, snapshot: DashboardSnapshot) -> None:
    k = snapshot.kpis
    boxes = (
        ("Active conversations", k.active_conversations, _count, _count),
        ("Qualification rate", k.qualification_rate, _percent, _points),
        ("Median first reply", k.median_first_reply_s, _duration, _duration),
        ("Hot sellers, last 24 h", k.hot_sellers_24h, _count, _count),
    )
    pdf.set_font("helvetica", "", 8)
    pdf.set_xy(_MARGIN, top)
    pdf.cell(
        0,
        4,
        f"Dashboard at {_when(snapshot.at)} UTC (every conversation, "
        "change against 24 h earlier)",
    )
    gap, top = 6.0, top + 5
    width = (_PAGE_W - 2 * _MARGIN - 3 * gap) / 4
    for i, (label, value, show, change) in enumerate(boxes):
        x = _MARGIN + i * (width + gap)
        pdf.set_draw_color(190, 190, 190)
        pdf.rect(x, top, width, 20)
        pdf.set_xy(x + 3, top + 2)
        pdf.set_font("helvetica", "", 8)
        pdf.cell(width - 6, 4, label)
        pdf.set_xy(x + 3, top + 7)
        pdf.set_font("helvetica", "B", 15)
        pdf.cell(width - 6, 7, "-" if value.value is None else show(value.value))
        pdf.set_xy(x + 3, top + 14)
        pdf.set_font("helvetica", "", 8)
        pdf.cell(width - 6, 4, _delta(value, change))
    pdf.set_y(top + 20)


def _bars(
    pdf: FPDF,
    x: float,
    top: float,
    *,
    width: float,
    title: str,
    items: Sequence[tuple[str, int, tuple[int, int, int]]],
) -> None:
    """A horizontal bar chart: a label, a bar scaled to the largest, the count."""
    pdf.set_font("helvetica", "B", 10)
    pdf.set_xy(x, top)
    pdf.cell(width, 6, title)
    label_w, count_w, height = 24.0, 16.0, 6.0
    bar_w = width - label_w - count_w
    most = max((n for _, n, _ in items), default=0)
    pdf.set_font("helvetica", "", 8)
    for i, (label, n, colour) in enumerate(items):
        y = top + 8 + i * (height + 1.5)
        pdf.set_xy(x, y)
        pdf.cell(label_w, height, label)
        pdf.set_fill_color(235, 235, 235)
        pdf.rect(x + label_w, y, bar_w, height, style="F")
        if most and n:
            pdf.set_fill_color(*colour)
            pdf.rect(x + label_w, y, max(bar_w * n / most, 0.4), height, style="F")
        pdf.set_xy(x + label_w + bar_w, y)
        pdf.cell(count_w, height, f"{n:,}", align="R")


# --- the table ----------------------------------------------------------------------


def _fit(text: str, width: int, *, right: bool) -> str:
    if len(text) > width:
        text = text[: width - 1] + "~"
    return text.rjust(width) if right else text.ljust(width)


def _join(values: Sequence[str]) -> str:
    return " ".join(
        _fit(v, w, right=right) for v, (_, w, right) in zip(values, _TABLE, strict=True)
    )


def _line(row: ConversationRow, latin1: _Latin1) -> str:
    def price(value: int | None) -> str:
        return "" if value is None else f"{value:,}"

    return _join(
        (
            latin1(row.contact_id),
            latin1(row.first_name),
            latin1(row.phone),
            labels.label(labels.STAGES, row.stage.value),
            labels.label(labels.TEMPERATURES, row.temperature.value),
            ", ".join(
                labels.label(labels.FLAGS, f) for f in flags_of(row).split(", ") if f
            ),
            price(row.price_low),
            price(row.price_high),
            labels.label(labels.TIMELINES, row.timeline.value),
            str(row.questions_answered),
            "" if row.lead_score is None else str(row.lead_score),
            ""
            if row.lead_class is None
            else labels.label(labels.TEMPERATURES, row.lead_class.value),
            _when(row.last_activity),
            _when(row.created_at),
            LANGUAGE_LABELS[row.language],
        )
    )


def _table(pdf: FPDF, lines: Sequence[str], total: int) -> None:
    header = _join([h for h, _, _ in _TABLE])
    y = _TABLE_BOTTOM
    for line in lines:
        if y + _LINE > _TABLE_BOTTOM:
            y = _table_page(pdf, header)
        pdf.text(_MARGIN, y, line)
        y += _LINE
    if len(lines) < total:
        if y + 2 * _LINE > _TABLE_BOTTOM:
            y = _table_page(pdf, header)
        pdf.set_font("helvetica", "B", 9)
        pdf.text(
            _MARGIN,
            y + _LINE,
            f"End of the table: first {len(lines):,} of {total:,} rows. "
            "Use CSV or XLSX for all of them.",
        )
    elif not lines:
        _table_page(pdf, header)
        pdf.set_font("helvetica", "", 9)
        pdf.text(_MARGIN, _TABLE_TOP + 2 * _LINE, "No conversation matches.")


def _table_page(pdf: FPDF, header: str) -> float:
    """Start a table page (title, header, page number); the y of its first line."""
    pdf.add_page()
    pdf.set_font("helvetica", "B", 10)
    pdf.text(_MARGIN, _MARGIN + 3, "Conversations")
    pdf.set_font("helvetica", "", 7)
    pdf.set_xy(_MARGIN, _PAGE_H - 9)
    pdf.cell(_PAGE_W - 2 * _MARGIN, 4, f"Page {pdf.page_no()} of {{nb}}", align="R")
    pdf.set_font("courier", "B", _FONT_SIZE)
    pdf.text(_MARGIN, _TABLE_TOP - 3, header)
    pdf.set_draw_color(150, 150, 150)
    pdf.line(_MARGIN, _TABLE_TOP - 2, _PAGE_W - _MARGIN, _TABLE_TOP - 2)
    pdf.set_font("courier", "", _FONT_SIZE)
    return _TABLE_TOP + 1


# --- numbers ------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def _points(value: float) -> str:
    return f"{value * 100:.1f} pts"


def _duration(seconds: float) -> str:
    seconds = round(abs(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if rest >= 60 else f"{hours} h"


def _delta(value: Kpi, show: Callable[[float], str]) -> str:
    """The change of a KPI against 24 h earlier, signed, in the KPI's unit."""
    if value.delta is None:
        return "no value 24 h earlier"
    if value.delta == 0:
        return "no change in 24 h"
    sign = "+" if value.delta > 0 else "-"
    return f"{sign}{show(abs(value.delta))} in 24 h"
