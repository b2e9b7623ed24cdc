"""The conversation list: every filter and sort of the API, paged on the server,
filter presets per user, and exports of the rows behind the current filter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import events, ui

from ui import design, session
from ui import format as fmt
from ui.components.panel import Panel
from ui.daemon_port import ConversationRow, DaemonPort, ExportFormat, QueryResult
from ui.seller_figures import shown
from ui.theme import frame

FLAGS = ("stalled", "paused", "opted_out")
TRISTATE = {"": "Any", "true": "Yes", "false": "No"}
LANGUAGES = {"en": "English", "es": "Spanish"}
SETS = {
    "temperature": fmt.TEMPERATURES,
    "stage": fmt.STAGES,
    "timeline": fmt.TIMELINES,
    "language": LANGUAGES,
}
SORTS = {
    "last_activity": "Last activity",
    "temperature": "Temperature",
    "stage": "Stage",
    "price": "Price",
    "name": "Name",
}
PAGE_SIZES = (10, 25, 50, 100)
EXPORTS: dict[ExportFormat, tuple[str, str]] = {
    "csv": ("CSV", "text/csv"),
    "xlsx": (
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "json": ("JSON", "application/json"),
    "pdf": ("PDF report", "application/pdf"),
}
COLUMNS: list[dict[str, Any]] = [
    {"name": "name", "label": "Seller", "field": "name", "sortable": True},
    {"name": "temperature", "label": "Temp.", "field": "temperature", "sortable": True},
    {"name": "stage", "label": "Stage", "field": "stage_label", "sortable": True},
    {"name": "price", "label": "Price", "field": "price_label", "sortable": True},
    {"name": "timeline", "label": "Timeline", "field": "timeline_label"},
    {"name": "answered", "label": "Answered", "field": "answered"},
    {"name": "language", "label": "Language", "field": "language_label"},
    {"name": "flags", "label": "Flags", "field": "flags"},
    {"name": "score", "label": "Lead score", "field": "score"},
    {
        "name": "last_activity",
        "label": "Last activity",
        "field": "last_label",
        "sortable": True,
    },
]
_TEMPERATURE_CELL = """
<q-td :props="props"><span :class="'j-chip j-chip-' + props.value">
{{ props.value }}</span></q-td>
"""
#: Below md width each row is a card: the seller (a link) and temperature on top,
#: then every other column as "label  value".
_ROW_CARD = """
<div class="q-pa-xs col-12">
<q-card flat bordered><q-card-section class="q-py-sm row items-center q-gutter-sm">
<a :href="'/conversations/' + encodeURIComponent(props.row.id)"
class="j-link font-semibold">{{ props.row.name }}</a>
<span :class="'j-chip j-chip-' + props.row.temperature">
{{ props.row.temperature }}</span></q-card-section><q-list dense>
<q-item v-for="col in props.cols.filter(
  c => c.name !== 'name' && c.name !== 'temperature')" :key="col.name">
<q-item-section><q-item-label caption>{{ col.label }}</q-item-label></q-item-section>
<q-item-section side class="text-right">{{ col.value }}</q-item-section>
</q-item></q-list></q-card></div>
"""
_NAME_CELL = """
<q-td :props="props"><a :href="'/conversations/' + encodeURIComponent(props.row.id)"
class="j-link font-semibold">{{ props.value }}</a></q-td>
"""


def create(port: DaemonPort) -> None:
    @ui.page("/conversations")
    async def conversations() -> RedirectResponse | None:
        if (redirect := session.login_redirect(port, "/conversations")) is not None:
            return redirect
        with frame("Conversations", path="/conversations"):
            await ConversationList(port, session.user(port) or "").build()
        return None


class ConversationList:
    """The filter bar, the presets, the exports and the paged table of one page."""

    def __init__(self, port: DaemonPort, user: str) -> None:
        self.port = port
        self.user = user
        self.quiet = False
        self.page = 1
        self.page_size = 25
        self.total = 0
        self.controls: dict[str, Any] = {}

    async def build(self) -> None:
        with (
            ui.card().classes(design.CARD),
            # Folded on a phone, so the list is in sight; open on wider screens.
            ui.element("q-expansion-item")
            .classes("w-full")
            .props(
                'label="Filters" icon="filter_list" dense'
                ' :default-opened="!Quasar.Screen.lt.md"'
            )
            .mark("filters"),
        ):
            self._filters()
            self._tools()
        self.panel = Panel("", self._load, self._render)
        self.panel.card.props('aria-label="Conversations"')
        with self.panel.card:
            self.summary = ui.label("").classes("j-muted").props('aria-live="polite"')
        self.table = self._table()
        if not await session.connected():
            return
        await self.presets_panel.refresh()
        await self.panel.refresh()

    # --- filters --------------------------------------------------------------------

    def _filters(self) -> None:
        c = self.controls
        with ui.row().classes("w-full gap-2 items-end"):
            c["q"] = self._mark(
                ui.input(
                    "Search name, phone, address, messages",
                    on_change=self._changed,
                )
                .props("clearable debounce=400")
                .classes("grow min-w-64"),
                "q",
            )
            for name, options in SETS.items():
                c[name] = self._mark(
                    ui.select(
                        options,
                        multiple=True,
                        label=name.capitalize(),
                        on_change=self._changed,
                    )
                    .props("clearable use-chips")
                    .classes("min-w-40"),
                    name,
                )
        with ui.row().classes("w-full gap-2 items-end"):
            for name in FLAGS:
                c[name] = self._mark(
                    ui.select(
                        TRISTATE,
                        value="",
                        label=fmt.label({}, name),
                        on_change=self._changed,
                    ).classes("min-w-28"),
                    name,
                )
            for name, title in (("since", "Active since"), ("until", "Active until")):
                c[name] = self._mark(
                    ui.input(title, on_change=self._changed)
                    .props("type=date stack-label clearable")
                    .classes("min-w-36"),
                    name,
                )
            for name, title in (("price_min", "Price from"), ("price_max", "Price to")):
                c[name] = self._mark(
                    ui.number(title, min=0, step=10_000, on_change=self._changed)
                    .props("clearable debounce=400 prefix=$")
                    .classes("w-36"),
                    name,
                )
            c["sort"] = self._mark(
                ui.select(
                    SORTS,
                    value="last_activity",
                    label="Sort by",
                    on_change=self._sorted,
                ).classes("min-w-36"),
                "sort",
            )
            c["order"] = self._mark(
                ui.select(
                    {"desc": "Descending", "asc": "Ascending"},
                    value="desc",
                    label="Order",
                    on_change=self._sorted,
                ).classes("min-w-32"),
                "order",
            )
            ui.button(
                "Clear filters", icon="filter_alt_off", on_click=self.clear
            ).props("outline")

    @staticmethod
    def _mark(element: Any, name: str) -> Any:
        return element.mark(f"filter-{name}").props(f'aria-label="{name}"')

    def params(self, *, paged: bool = True) -> dict[str, str]:
        """The API parameters of the current filter (and page)."""
        params: dict[str, str] = {}
        for name, control in self.controls.items():
            value = control.value
            if isinstance(value, list):
                text = ",".join(str(v) for v in value)
            elif isinstance(value, float):
                text = str(int(value))
            else:
                text = "" if value is None else str(value).strip()
            if text:
                params[name] = text
        if paged:
            params["page"] = str(self.page)
            params["page_size"] = str(self.page_size)
        return params

    def apply(self, params: dict[str, str]) -> None:
        """Set every control from `params` (a saved preset); one reload after."""
        self.quiet = True
        try:
            for name, control in self.controls.items():
                text = params.get(name, "")
                if name in SETS:
                    control.value = [v for v in text.split(",") if v]
                elif name in {"price_min", "price_max"}:
                    control.value = float(text) if text else None
                elif name == "sort":
                    control.value = text or "last_activity"
                elif name == "order":
                    control.value = text or "desc"
                else:
                    control.value = text
            self.page = 1
        finally:
            self.quiet = False

    async def clear(self) -> None:
        self.apply({})
        await self.panel.refresh()

    async def _changed(self) -> None:
        if self.quiet:
            return
        self.page = 1
        await self.panel.refresh()

    async def _sorted(self) -> None:
        if self.quiet:
            return
        await self.panel.refresh()

    # --- presets and exports --------------------------------------------------------

    def _tools(self) -> None:
        with ui.row().classes("w-full gap-2 items-center"):
            self.presets_panel = Panel("", self._load_presets, self._render_presets)
            self.presets_panel.card.classes("w-auto grow p-0 border-0").classes(
                remove="w-full p-4"
            )
            with (
                ui.row()
                .classes("gap-2 flex-wrap")
                .props('role="group" aria-label="Export the filtered conversations"')
            ):
                for fmt_key, (title, _media) in EXPORTS.items():
                    ui.button(
                        title,
                        icon="download",
                        on_click=lambda _e, f=fmt_key: self.export(f),
                    ).props(f'outline aria-label="Export as {title}"').mark(
                        f"export-{fmt_key}"
                    )

    async def _load_presets(self) -> dict[str, dict[str, str]]:
        return await self.port.presets(self.user)

    def _render_presets(self, presets: dict[str, dict[str, str]]) -> None:
        self.presets = presets
        with ui.row().classes("gap-2 items-end"):
            chosen = (
                ui.select(
                    sorted(presets),
                    label="Saved filters",
                    on_change=self._load_preset,
                )
                .classes("min-w-48")
                .props('clearable aria-label="Saved filters"')
                .mark("preset-select")
            )
            ui.button(
                "Save filter", icon="bookmark_add", on_click=self._ask_name
            ).props("outline").mark("preset-save")
            ui.button(
                "Delete",
                icon="delete",
                on_click=lambda: self._confirm_delete(chosen.value),
            ).props('outline aria-label="Delete the chosen saved filter"').mark(
                "preset-delete"
            ).bind_enabled_from(chosen, "value", backward=bool)

    async def _load_preset(self, e: events.ValueChangeEventArguments[Any]) -> None:
        if not e.value:
            return
        self.apply(self.presets.get(e.value, {}))
        await self.panel.refresh()

    def _ask_name(self) -> None:
        with ui.dialog() as dialog, ui.card().classes("j-card p-4 gap-3 min-w-72"):
            ui.label("Save the current filter").classes("text-lg font-semibold")
            name = ui.input("Name").props("autofocus").mark("preset-name")

            async def save() -> None:
                text = (name.value or "").strip()
                if not text:
                    ui.notify("Give the filter a name.", type="warning")
                    return
                params = self.params(paged=False)
                await self.port.save_preset(self.user, text, params)
                dialog.close()
                ui.notify(f"Saved filter {text!r}.")
                await self.presets_panel.refresh()

            with ui.row().classes("justify-end w-full"):
                ui.button("Cancel", on_click=dialog.close).props("flat")
                ui.button("Save", on_click=save).mark("preset-confirm")
        dialog.open()

    def _confirm_delete(self, name: str | None) -> None:
        if not name:
            return
        with ui.dialog() as dialog, ui.card().classes("j-card p-4 gap-3"):
            ui.label(f"Delete the saved filter {name!r}?")

            async def delete() -> None:
                await self.port.delete_preset(self.user, name)
                dialog.close()
                ui.notify(f"Deleted filter {name!r}.")
                await self.presets_panel.refresh()

            with ui.row().classes("justify-end w-full"):
                ui.button("Cancel", on_click=dialog.close).props("flat")
                ui.button("Delete", on_click=delete).mark("preset-delete-confirm")
        dialog.open()

    async def export(self, fmt_key: ExportFormat) -> None:
        title, media = EXPORTS[fmt_key]
        try:
            data = await self.port.export(fmt_key, self.params(paged=False), self.user)
        except Exception as exc:  # noqa: BLE001 - a failed export is told, the page stays
            ui.notify(f"{title} export failed: {exc}", type="negative")
            return
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
        ui.download.content(data, f"conversations-{stamp}.{fmt_key}", media)

    # --- table ----------------------------------------------------------------------

    def _table(self) -> ui.table:
        with self.panel.card:
            table = (
                ui.table(
                    columns=[{**c, "align": "left"} for c in COLUMNS],
                    rows=[],
                    row_key="id",
                    pagination={
                        "page": 1,
                        "rowsPerPage": self.page_size,
                        "rowsNumber": 0,
                        "sortBy": "last_activity",
                        "descending": True,
                    },
                )
                .classes("w-full")
                .props(
                    f'flat dense wrap-cells :grid="Quasar.Screen.lt.md" '
                    f':rows-per-page-options="{list(PAGE_SIZES)}"'
                )
                .mark("conversations")
            )
            table.add_slot("body-cell-temperature", _TEMPERATURE_CELL)
            table.add_slot("body-cell-name", _NAME_CELL)
            table.add_slot("item", _ROW_CARD)
            table.on("request", self._request)
            table.on_pagination_change(self._keep_total)
        return table

    def _keep_total(self, e: events.ValueChangeEventArguments[dict[str, Any]]) -> None:
        """The browser's table reports its pagination as it mounts, with the row
        count it started with; the count is the server's (it pages the rows)."""
        if e.value.get("rowsNumber") != self.total:
            self.table.pagination = {**e.value, "rowsNumber": self.total}
            self.table.update()

    async def _request(self, e: events.GenericEventArguments) -> None:
        pagination = e.args.get("pagination", {}) if isinstance(e.args, dict) else {}
        self.page = int(pagination.get("page") or 1)
        self.page_size = int(pagination.get("rowsPerPage") or self.page_size)
        sort_by = pagination.get("sortBy")
        self.quiet = True
        try:
            if sort_by in SORTS:
                self.controls["sort"].value = sort_by
                self.controls["order"].value = (
                    "desc" if pagination.get("descending") else "asc"
                )
        finally:
            self.quiet = False
        await self.panel.refresh()

    async def _load(self) -> QueryResult:
        return await self.port.conversations(self.params())

    def _render(self, result: QueryResult) -> None:
        items = result.items
        self.total = result.total
        self.table.rows = [_row(item) for item in items]
        self.table.pagination = {
            "page": result.page,
            "rowsPerPage": result.page_size,
            "rowsNumber": self.total,
            "sortBy": self.controls["sort"].value,
            "descending": self.controls["order"].value == "desc",
        }
        self.table.update()
        self.summary.text = (
            f"{self.total} conversation{'s' if self.total != 1 else ''}"
            f" · page {result.page} of {max(result.pages, 1)}"
        )
        with self.panel.body:
            if not items:
                ui.label(
                    "No conversation matches these filters."
                    if self.total == 0 and self.params(paged=False)
                    else "No conversations yet."
                ).classes("j-muted")


def _row(item: ConversationRow) -> dict[str, Any]:
    flags = [
        fmt.label({}, f)
        for f in ("stalled", "paused", "opted_out", "stopped", "booked")
        if getattr(item, f)
    ]
    figures = shown(item)
    return {
        "id": item.contact_id,
        "name": item.first_name or item.contact_id,
        "temperature": item.temperature.value,
        "stage_label": figures["stage"],
        "price_label": figures["price"],
        "timeline_label": figures["timeline"],
        "answered": figures["answered"],
        "language_label": LANGUAGES.get(item.language.value, ""),
        "flags": ", ".join(flags),
        "score": "" if item.lead_score is None else figures["lead_score"],
        "last_label": fmt.when(item.last_activity),
    }
