"""The landing page: hero KPIs, the 24 h chart, the pipeline and the live feed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi.responses import RedirectResponse
from nicegui import ui

from ui import design, session
from ui import format as fmt
from ui.components.feed import ActivityFeed
from ui.components.panel import Panel, Shared, StillLoading
from ui.daemon_port import (
    DaemonPort,
    DashboardSnapshot,
    Event,
    HourPoint,
    Kpi,
)
from ui.design import Theme
from ui.theme import frame, palette

Better = Literal["up", "down"]
#: Hero cards: key in `kpis`, title, how to show a value, which way is good.
HEROES: tuple[tuple[str, str, str, Better], ...] = (
    ("active_conversations", "Active conversations", "count", "up"),
    ("qualification_rate", "Qualification rate", "percent", "up"),
    ("median_first_reply_s", "Median first reply", "seconds", "down"),
    ("hot_sellers_24h", "Hot sellers, 24 h", "count", "up"),
)
REFRESH_S = 30.0
EVENT_REFRESH_S = 2.0
#: While the daemon loads its conversations, panels look again this often.
LOADING_REFRESH_S = 1.0
LOADING_TEXT = "Loading the conversations after a restart: numbers follow shortly."


def create(port: DaemonPort) -> None:
    @ui.page("/")
    async def overview() -> RedirectResponse | None:
        if (redirect := session.login_redirect(port, "/")) is not None:
            return redirect
        with frame("Overview", path="/"):
            await _content(port)
        return None


async def _dashboard(port: DaemonPort) -> DashboardSnapshot:
    """The dashboard, or `StillLoading` while the daemon rebuilds its index."""
    dash = await port.dashboard()
    if dash.loading:
        raise StillLoading(LOADING_TEXT)
    return dash.snapshot


async def _content(port: DaemonPort) -> None:
    dashboard = Shared(functools.partial(_dashboard, port))
    hero_cards = Heroes()
    heroes = Panel(
        "", dashboard, hero_cards.render, classes="j-plain", update=hero_cards.numbers
    )
    heroes.card.props('aria-label="Key numbers"')
    charts: dict[str, Theme] = {}
    performance = Performance(lambda: charts["theme"])
    perf = Panel(
        "Last 24 hours",
        lambda: port.timeseries(24),
        performance.render,
        update=performance.numbers,
    )
    with ui.element("div").classes(design.GRID):
        bars = Bars(lambda: charts["theme"])
        pipeline = Panel(
            "Pipeline", dashboard, bars.pipeline, update=bars.pipeline_numbers
        )
        distributions = Panel(
            "Prices and timelines",
            dashboard,
            bars.distributions,
            update=bars.distributions_numbers,
        )
        money = Panel("Commission and savings", dashboard, _money)
        with ui.card().classes(design.CARD):
            ui.label("Live activity").classes("text-lg font-semibold")
            dirty = {"value": False}

            def mark_dirty(_event: Event) -> None:
                dirty["value"] = True

            feed = ActivityFeed(port, on_event=mark_dirty)
    panels = (heroes, perf, pipeline, distributions, money)

    async def refresh_all() -> None:
        for panel in panels:
            await panel.refresh()

    async def refresh_if_dirty() -> None:
        if dirty["value"]:
            dirty["value"] = False
            await refresh_all()

    if not await session.connected():
        return
    charts["theme"] = await palette()
    await refresh_all()
    await _start_feed(feed)
    ui.timer(REFRESH_S, refresh_all)

    async def refresh_loading() -> None:
        for panel in panels:
            if panel.loading:
                await panel.refresh()

    ui.timer(LOADING_REFRESH_S, refresh_loading)
    ui.timer(EVENT_REFRESH_S, refresh_if_dirty)


async def _start_feed(feed: ActivityFeed) -> None:
    try:
        await feed.start()
    except Exception as exc:  # noqa: BLE001 - the feed's failure is shown in its card
        with feed.list, ui.row().classes("items-center gap-3") as problem:
            ui.label(f"Couldn't load the feed: {exc}").classes("j-bad")
            ui.button("Retry", icon="refresh", on_click=lambda: _retry(feed, problem))


async def _retry(feed: ActivityFeed, problem: ui.row) -> None:
    problem.delete()
    await _start_feed(feed)


# --- hero cards ---------------------------------------------------------------------


class Heroes:
    """The four hero cards: built once, then given new numbers in place.

    Every open overview shows them anew on each burst of events; changing a few
    texts sends the browser a few small updates, where rebuilding the cards made
    and sent some thirty elements per page.
    """

    def __init__(self) -> None:
        self.cards: dict[str, _HeroCard] = {}

    def render(self, dash: DashboardSnapshot) -> None:
        with ui.element("div").classes(design.HERO_GRID):
            for key, title, kind, better in HEROES:
                self.cards[key] = _HeroCard(key, title, kind, better)
        self.numbers(dash)

    def numbers(self, dash: DashboardSnapshot) -> None:
        for key, card in self.cards.items():
            card.show(getattr(dash.kpis, key))


class _HeroCard:
    def __init__(self, key: str, title: str, kind: str, better: Better) -> None:
        self.kind, self.better = kind, better
        self.look: tuple[str, str, str] | None = None
        with ui.card().classes("j-card p-3 gap-1 w-full").props('role="group"'):
            ui.label(title).classes("text-sm j-muted")
            self.value = (
                ui.label("")
                .classes("text-2xl sm:text-3xl font-bold")
                .props(f'data-kpi="{key}"')
                .mark(f"hero-{key}")
            )
            with ui.row().classes("items-center gap-1") as self.delta_row:
                self.arrow = ui.icon("arrow_upward").props('aria-hidden="true"')
                self.delta = ui.label("")

    def show(self, kpi: Kpi) -> None:
        value, delta = kpi.value, kpi.delta
        self.value.set_text(_show(value, self.kind))
        if delta is None or delta == 0:
            same = "no change vs. 24 h before"
            words = "no earlier data to compare" if delta is None else same
            self._look("", "text-xs j-muted", "")
            self.delta.set_text(words)
            return
        up = delta > 0
        good = up == (self.better == "up")
        words = f"{'up' if up else 'down'} {_show_delta(abs(delta), self.kind)}"
        self._look(
            "arrow_upward" if up else "arrow_downward",
            f"text-sm {_tone(good)}",
            f"{words} versus 24 hours before, {'better' if good else 'worse'}",
        )
        self.delta.set_text(f"{words} vs. 24 h before")

    def _look(self, arrow: str, tone: str, label: str) -> None:
        """The arrow, the colour and the spoken label, changed only when they change."""
        look = (arrow, tone, label)
        if look == self.look:
            return
        before = self.look[1] if self.look is not None else ""
        self.look = look
        self.arrow.set_visibility(bool(arrow))
        if arrow:
            self.arrow.set_name(arrow)
        # Only the tone classes change: the row keeps NiceGUI's own layout class.
        self.delta_row.classes(remove=before, add=tone)
        if label:
            self.delta.props(f'aria-label="{label}"')
        else:
            self.delta.props(remove="aria-label")


def _tone(good: bool) -> str:
    return "j-good" if good else "j-bad"


def _show(value: float | None, kind: str) -> str:
    if value is None:
        return fmt.NO_DATA
    if kind == "percent":
        return fmt.percent(value)
    if kind == "seconds":
        return fmt.seconds(value)
    return f"{value:,.0f}"


def _show_delta(delta: float, kind: str) -> str:
    if kind == "percent":
        return f"{delta * 100:.0f} pts"
    if kind == "seconds":
        return fmt.seconds(delta)
    return f"{delta:,.0f}"


# --- charts -------------------------------------------------------------------------


def _base(theme: Theme) -> dict[str, Any]:
    axis = {
        "axisLabel": {"color": theme.muted},
        "axisLine": {"lineStyle": {"color": theme.border}},
        "splitLine": {"lineStyle": {"color": theme.border, "opacity": 0.5}},
    }
    return {
        "color": list(theme.series),
        "animation": False,
        "textStyle": {"color": theme.text},
        "legend": {
            "textStyle": {"color": theme.text},
            "top": 0,
            "left": 0,
            "right": 36,
            "type": "scroll",
        },
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 60, "containLabel": True},
        # Top right, clear of the axes' numbers.
        "toolbox": {
            "right": 0,
            "top": 0,
            "feature": {"saveAsImage": {"title": "Save as PNG", "type": "png"}},
            "iconStyle": {"borderColor": theme.muted},
        },
        "_axis": axis,
    }


def _options(theme: Theme, **extra: Any) -> dict[str, Any]:
    base = _base(theme)
    axis = base.pop("_axis")
    for key in ("xAxis", "yAxis"):
        spec = extra.pop(key)
        specs = spec if isinstance(spec, list) else [spec]
        base[key] = [{**axis, **s} for s in specs]
    base.update(extra)
    return base


class Performance:
    """The 24 h chart: built once, then given each hour's new numbers in place."""

    def __init__(self, theme: Callable[[], Theme]) -> None:
        self.theme = theme
        self.chart: ui.echart | None = None
        self.empty: ui.label | None = None

    def render(self, points: list[HourPoint]) -> None:
        self.empty = ui.label("No messages in the last 24 hours yet.").classes(
            "j-muted"
        )
        self.chart = (
            ui.echart(_performance_options(points, self.theme()))
            .classes("w-full h-72")
            .props(
                'aria-label="Messages in and out, qualified sellers and p95 reply'
                ' latency per hour, last 24 hours"'
            )
        )
        self.numbers(points)

    def numbers(self, points: list[HourPoint]) -> None:
        if self.chart is None or self.empty is None:
            msg = "the chart is not drawn yet"
            raise RuntimeError(msg)
        self.empty.set_visibility(not _any_messages(points))
        fresh = _performance_options(points, self.theme())
        hours = fresh["xAxis"][0]["data"]
        series = [s["data"] for s in fresh["series"]]
        options = self.chart.options
        if (
            options["xAxis"][0]["data"] == hours
            and [s["data"] for s in options["series"]] == series
        ):
            return
        options["xAxis"][0]["data"] = hours
        for shown, data in zip(options["series"], series, strict=True):
            shown["data"] = data
        self.chart.update()


def _any_messages(points: list[HourPoint]) -> bool:
    return any(p.messages_in or p.messages_out for p in points)


def _performance_options(points: list[HourPoint], theme: Theme) -> dict[str, Any]:
    hours = [
        datetime.fromtimestamp(float(p.start), UTC).astimezone().strftime("%H:%M")
        for p in points
    ]
    p95 = [p.reply_p95_s for p in points]
    return _options(
        theme,
        xAxis={"type": "category", "data": hours},
        yAxis=[
            {
                "type": "value",
                "name": "Messages",
                "minInterval": 1,
                "nameTextStyle": {"align": "left"},
            },
            {
                "type": "value",
                "name": "p95 reply (s)",
                "splitLine": {"show": False},
                "nameTextStyle": {"align": "right"},
            },
        ],
        series=[
            {
                "name": "Messages in",
                "type": "bar",
                "data": [p.messages_in for p in points],
            },
            {
                "name": "Messages out",
                "type": "bar",
                "data": [p.messages_out for p in points],
            },
            {
                "name": "Qualified",
                "type": "bar",
                "data": [p.qualified for p in points],
            },
            {
                "name": "p95 reply latency",
                "type": "line",
                "yAxisIndex": 1,
                "connectNulls": False,
                "data": [None if v is None else round(float(v), 3) for v in p95],
            },
        ],
    )


def _bar(theme: Theme, labels: list[str], values: list[int], name: str) -> ui.echart:
    options = _options(
        theme,
        xAxis={"type": "value", "minInterval": 1},
        yAxis={"type": "category", "data": labels, "inverse": True},
        series=[
            {
                "name": name,
                "type": "bar",
                "data": values,
                "label": {"show": True, "position": "right", "color": theme.text},
            }
        ],
        legend={"show": False},
    )
    options["grid"]["top"] = 28
    options["grid"]["right"] = 32
    return ui.echart(options).classes("w-full h-56").props(f'aria-label="{name}"')


class Bars:
    """The pipeline and distribution charts: built once, then given new numbers.

    Rebuilding an echart costs far more than changing its data, and every open
    overview redraws these on each burst of events.
    """

    def __init__(self, theme: Callable[[], Theme]) -> None:
        self.theme = theme
        self.charts: dict[str, ui.echart] = {}
        self.chips: dict[str, ui.label] = {}

    def pipeline(self, dash: DashboardSnapshot) -> None:
        with ui.row().classes("gap-2 flex-wrap"):
            for key, text in _pipeline_chips(dash):
                self.chips[key] = (
                    ui.label(text)
                    .classes(
                        design.chip_class(key if key in fmt.TEMPERATURES else "neutral")
                    )
                    .props(f'data-chip="{key}"')
                )
        self._chart(*_stage_bars(dash))

    def pipeline_numbers(self, dash: DashboardSnapshot) -> None:
        for key, text in _pipeline_chips(dash):
            self.chips[key].set_text(text)
        self._numbers(*_stage_bars(dash))

    def distributions(self, dash: DashboardSnapshot) -> None:
        for bars in _distribution_bars(dash):
            self._chart(*bars)

    def distributions_numbers(self, dash: DashboardSnapshot) -> None:
        for bars in _distribution_bars(dash):
            self._numbers(*bars)

    def _chart(self, labels: list[str], values: list[int], name: str) -> None:
        self.charts[name] = _bar(self.theme(), labels, values, name)

    def _numbers(self, labels: list[str], values: list[int], name: str) -> None:
        chart = self.charts[name]
        if chart.options["series"][0]["data"] != values:
            chart.options["yAxis"][0]["data"] = labels
            chart.options["series"][0]["data"] = values
            chart.update()


def _pipeline_chips(dash: DashboardSnapshot) -> list[tuple[str, str]]:
    summary = dash.summary
    temps = summary.by_temperature
    chips = [
        (key, f"{name}: {temps.get(key, 0)}") for key, name in fmt.TEMPERATURES.items()
    ]
    chips.extend(
        (flag, f"{fmt.label({}, flag)}: {getattr(summary, flag)}")
        for flag in ("stalled", "paused", "opted_out", "booked")
    )
    return chips


def _stage_bars(dash: DashboardSnapshot) -> tuple[list[str], list[int], str]:
    stages = dash.summary.by_stage
    return (
        [fmt.STAGES[s] for s in fmt.STAGES],
        [int(stages.get(s, 0)) for s in fmt.STAGES],
        "Conversations by stage",
    )


def _distribution_bars(
    dash: DashboardSnapshot,
) -> list[tuple[list[str], list[int], str]]:
    prices = dash.price_distribution
    timelines = dash.timeline_distribution
    return [
        (
            [fmt.PRICE_BUCKETS[b] for b in fmt.PRICE_BUCKETS],
            [int(prices.get(b, 0)) for b in fmt.PRICE_BUCKETS],
            "Sellers by price",
        ),
        (
            [fmt.TIMELINES[b] for b in fmt.TIMELINES],
            [int(timelines.get(b, 0)) for b in fmt.TIMELINES],
            "Sellers by timeline",
        ),
    ]


def _money(dash: DashboardSnapshot) -> None:
    c = dash.commission
    _kv(
        (
            ("weighted", "Weighted commission pipeline", fmt.money(c.weighted)),
            (
                "hot_count",
                f"Hot sellers ({c.hot_count})",
                fmt.money(c.hot_value),
            ),
            (
                "warm_count",
                f"Warm sellers ({c.warm_count})",
                fmt.money(c.warm_value),
            ),
            ("unpriced", "Hot or warm without a price", str(c.unpriced)),
        )
    )
    ui.separator()
    s = dash.savings
    if s is None:
        ui.label("Cost savings: no data yet.").classes("j-muted")
        return
    _kv(
        (
            (
                "saved_usd",
                "Saved by not calling the LLM",
                fmt.money(s.saved_usd, cents=True),
            ),
            (
                "pattern_resolved",
                "Answered by patterns",
                str(s.pattern_resolved),
            ),
            ("cache_hits", "Answered from the cache", str(s.cache_hits)),
            ("llm_calls", "LLM calls", str(s.llm_calls)),
            ("llm_cost_usd", "LLM spend", fmt.money(s.llm_cost_usd, cents=True)),
        )
    )


def _kv(rows: tuple[tuple[str, str, str], ...]) -> None:
    with ui.element("div").classes("w-full grid grid-cols-[1fr_auto] gap-x-4 gap-y-1"):
        for key, name, value in rows:
            ui.label(name).classes("j-muted").props(f'data-figure="{key}"')
            ui.label(value).classes("font-semibold text-right tabular-nums")
