"""Everything the daemon knows about its own health: checks, alerts with their start,
end and duration, the last checks and alerts, queues, actors and the export audit."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi.responses import RedirectResponse
from nicegui import ui

from jorged.web.views import health_json
from ui import design, session
from ui import format as fmt
from ui.components.panel import Panel
from ui.components.quarantine_card import quarantine_panel
from ui.daemon_port import DaemonPort, Json
from ui.theme import frame

REFRESH_S = 10.0
START_KEYS = ("started_at", "start", "since", "opened_at")
END_KEYS = ("ended_at", "end", "resolved_at", "closed_at")
LEVELS = {"ok": "ok", "warning": "warning", "critical": "critical"}
MAX_COLUMNS = 8


def create(port: DaemonPort) -> None:
    @ui.page("/health")
    async def health() -> RedirectResponse | None:
        if (redirect := session.login_redirect(port, "/health")) is not None:
            return redirect
        with frame("Health", path="/health"):
            latest: dict[str, Json] = {}

            async def load() -> Json:
                # Shown and exported as JSON: each section as it is in the file.
                latest["health"] = health_json(await port.health())
                return latest["health"]

            panel = Panel("", load, _render)
            panel.card.classes("j-plain")
            held = quarantine_panel(port)
            with (
                ui.row()
                .classes("gap-2 flex-wrap")
                .props('role="group" aria-label="Export health data"')
            ):
                ui.button(
                    "Export JSON",
                    icon="download",
                    on_click=lambda: _download_json(latest.get("health")),
                ).props("outline").mark("health-json")
                ui.button(
                    "Export alerts and checks (CSV)",
                    icon="download",
                    on_click=lambda: _download_csv(latest.get("health")),
                ).props("outline").mark("health-csv")
            if not await session.connected():
                return None
            await panel.refresh()
            await held.refresh()
            ui.timer(REFRESH_S, panel.refresh)
            ui.timer(REFRESH_S, held.refresh)
        return None


def _render(health: Json) -> None:
    scalars = {k: v for k, v in health.items() if _scalar(v)}
    if scalars:
        with ui.card().classes(design.CARD):
            ui.label("Summary").classes("text-lg font-semibold")
            _kv(scalars)
    sections = [(k, v) for k, v in health.items() if not _scalar(v)]
    small = [(k, v) for k, v in sections if isinstance(v, dict) and _flat(v)]
    with ui.element("div").classes(design.GRID):
        for key, value in small:
            with ui.card().classes(design.CARD):
                ui.label(_title(key)).classes("text-lg font-semibold")
                _kv(value)
    for key, value in sections:
        if isinstance(value, dict) and _flat(value):
            continue
        with ui.card().classes(design.CARD).mark(f"health-{key}"):
            ui.label(_title(key)).classes("text-lg font-semibold")
            _section(value)


def _section(value: Any) -> None:
    if isinstance(value, list):
        if not value:
            ui.label("None.").classes("j-muted")
        elif all(isinstance(v, dict) for v in value):
            _table(value)
        else:
            ui.label(", ".join(str(v) for v in value))
        return
    if isinstance(value, dict):
        flat = {k: v for k, v in value.items() if _scalar(v)}
        if flat:
            _kv(flat)
        for key, sub in value.items():
            if not _scalar(sub):
                ui.label(_title(key)).classes("font-semibold mt-2")
                _section(sub)
        return
    ui.label(_show(value))


def _table(rows: list[Json]) -> None:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys and _scalar(row[k])]
    with_duration = any(_span(r) is not None for r in rows)
    keys = keys[:MAX_COLUMNS]
    columns = [
        {"name": k, "label": _title(k), "field": k, "align": "left"} for k in keys
    ]
    if with_duration:
        columns.append(
            {
                "name": "duration",
                "label": "Duration",
                "field": "duration",
                "align": "left",
            }
        )
    shown = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {"_key": i}
        item.update({k: _cell(k, row.get(k)) for k in keys})
        if with_duration:
            item["duration"] = _duration(row)
        shown.append(item)
    table = (
        ui.table(columns=columns, rows=shown, row_key="_key", pagination=10)
        .classes("w-full")
        .props('flat dense wrap-cells :grid="Quasar.Screen.lt.md"')
    )
    if "level" in keys or "status" in keys:
        for name in ("level", "status"):
            table.add_slot(
                f"body-cell-{name}",
                '<q-td :props="props"><span :class="\'j-chip j-chip-\' + '
                "({ok:'ok',running:'ok',up:'ok',warning:'warning',critical:'critical',"
                "down:'critical',failed:'critical'}[String(props.value).toLowerCase()]"
                " || 'neutral')\">{{ props.value }}</span></q-td>",
            )


def _span(row: Json) -> tuple[datetime, datetime | None] | None:
    start = next((fmt.parse_time(row.get(k)) for k in START_KEYS if row.get(k)), None)
    if start is None:
        return None
    end = next((fmt.parse_time(row.get(k)) for k in END_KEYS if row.get(k)), None)
    return start, end


def _duration(row: Json) -> str:
    span = _span(row)
    if span is None:
        return ""
    start, end = span
    seconds = ((end or datetime.now(UTC)) - start).total_seconds()
    return fmt.seconds(max(seconds, 0)) + ("" if end else " (ongoing)")


def _cell(key: str, value: Any) -> str:
    if (
        key.endswith("_rate")
        and isinstance(value, float | int)
        and not isinstance(value, bool)
    ):
        # A share (0.4444) reads as the checks show it: 44.44 %.
        return f"{value * 100:,.2f} %"
    if key.endswith(("_at", "at")) or key in START_KEYS + END_KEYS:
        at = fmt.parse_time(value)
        if at is not None:
            return f"{fmt.when(value)} ({fmt.ago(value)})"
    return _show(value)


def _kv(values: Json) -> None:
    with ui.element("div").classes("w-full grid grid-cols-[auto_1fr] gap-x-4 gap-y-1"):
        for key, value in values.items():
            ui.label(_title(key)).classes("j-muted")
            if isinstance(value, dict | list):
                ui.label(orjson.dumps(value).decode()[:200]).classes("break-all")
            else:
                ui.label(_cell(key, value)).classes("font-medium break-all")


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _flat(value: Json) -> bool:
    return all(_scalar(v) for v in value.values()) and len(value) <= 12


def _show(value: Any) -> str:
    if value is None:
        return fmt.NO_DATA
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


ACRONYMS = {"ghl": "GHL", "llm": "LLM", "cpu": "CPU", "usd": "USD", "p95": "p95"}


def _title(key: str) -> str:
    words = [ACRONYMS.get(w, w) for w in key.split("_")]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return text[:-2] + " (s)" if text.endswith(" s") else text


def _download_json(health: Json | None) -> None:
    if health is None:
        ui.notify("Nothing loaded yet.", type="warning")
        return
    ui.download.content(
        orjson.dumps(health, option=orjson.OPT_INDENT_2),
        f"jorged-health-{_stamp()}.json",
        "application/json",
    )


def _download_csv(health: Json | None) -> None:
    if health is None:
        ui.notify("Nothing loaded yet.", type="warning")
        return
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "field", "value", "row"])
    for section, rows in _row_lists(health):
        for i, row in enumerate(rows):
            for key, value in row.items():
                writer.writerow([section, key, _show(value), i])
    ui.download.content(out.getvalue(), f"jorged-health-{_stamp()}.csv", "text/csv")


def _row_lists(value: Any, path: str = "") -> list[tuple[str, list[Json]]]:
    found: list[tuple[str, list[Json]]] = []
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _row_lists(sub, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        found.append((path, value))
    return found


def _stamp() -> str:
    return datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
