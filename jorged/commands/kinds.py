"""Every command and query the adapters may send, as frozen attrs classes.

A `Command[A]` names one thing to do or ask and the answer `A` it gets back from
`Dispatcher.run`. Fields are checked when a command is made (an `Invalid` naming
the field), whoever makes it: the HTTP API from a path and a body, the control
socket from a JSON line (`jorged.commands.wire`), the dashboard from a click.

`NAME` is the command's name on the control socket (`{"cmd": NAME, "args": {...}}`)
and its tag in the union `AnyCommand`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, TypeVar

import attrs

from jorged.actors.monitor import MonitorSnapshot
from jorged.actors.outbox.items import OutboxItem
from jorged.domain.contact_ids import contact_id_problem
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.query import QueryResult
from jorged.domain.language import Language
from jorged.domain.leads.analysis import LeadAnalysis
from jorged.events import Event
from jorged.exceptions import Invalid
from jorged.exports.export import ExportResult
from jorged.metrics.performance import HourPoint, PerformanceSnapshot
from jorged.needs_queue import Need
from jorged.quarantine import QuarantinedItem

__all__ = [
    "COMMANDS",
    "MAX_TEXT",
    "AnalyzeText",
    "AnyCommand",
    "ChangeConversation",
    "CheckConfig",
    "Command",
    "DropQuarantined",
    "ExportFile",
    "FetchExport",
    "ForgetContact",
    "ListConversations",
    "ListNeeds",
    "ListOutbox",
    "ListQuarantine",
    "RecentEvents",
    "Reload",
    "RetryQuarantined",
    "SaveSnapshots",
    "SetLanguage",
    "ShowAlerts",
    "ShowConversation",
    "ShowDashboard",
    "ShowHealth",
    "ShowLead",
    "ShowPerformance",
    "ShowQuarantined",
    "ShowStatus",
    "ShowTimeseries",
    "Simulate",
    "Simulated",
    "StartExport",
    "StartQualification",
    "WriteExport",
]

A_co = TypeVar("A_co", covariant=True)
Json = dict[str, Any]

#: The longest message `Simulate` plays (an SMS of ten segments).
MAX_TEXT = 1600
#: What `ChangeConversation` may do to a conversation.
Change = Literal["pause", "resume", "restart", "stop"]


class Command(Generic[A_co]):
    """A command or query whose answer is an `A_co`."""

    __slots__ = ()
    NAME: ClassVar[str]


# --- field checks -------------------------------------------------------------------


def _contact_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = contact_id_problem(value)
    if problem is not None:
        raise Invalid(field=attribute.name, problem=problem)


def _optional_contact_id(
    inst: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        _contact_id(inst, attribute, value)


def _text(limit: int) -> Any:
    """A string of at most `limit` characters (empty allowed)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise Invalid(field=attribute.name, problem="must be a string")
        if len(value) > limit:
            raise Invalid(field=attribute.name, problem=f"at most {limit} characters")

    return check


def _required_text(limit: int, what: str) -> Any:
    """A string with something in it, of at most `limit` characters."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(field=attribute.name, problem=f"required, {what}")
        if len(value) > limit:
            raise Invalid(field=attribute.name, problem=f"at most {limit} characters")

    return check


def _timezone(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _text(64)(_inst, attribute, value)
    if not value:
        return
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            field=attribute.name, problem=f"unknown time zone {value!r}"
        ) from None


def _language(value: object) -> Language:
    if isinstance(value, Language):
        return value
    if value not in {lang.value for lang in Language}:
        raise Invalid(field="language", problem=f"must be en or es, got {value!r}")
    return Language(str(value))


def _item_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise Invalid(field=attribute.name, problem="required, a quarantined item's id")


def _one_of(*values: str) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in values:
            raise Invalid(field=attribute.name, problem="one of " + ", ".join(values))

    return check


def _mapping(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise Invalid(field=attribute.name, problem="must be an object")


def _optional_text(
    _inst: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None and not isinstance(value, str):
        raise Invalid(field=attribute.name, problem="must be a string")


def _whole(low: int | None = None) -> Any:
    """A whole number (its range is the answering actor's to judge), >= `low`."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(field=attribute.name, problem="must be a whole number")
        if low is not None and value < low:
            raise Invalid(field=attribute.name, problem=f"at least {low}")

    return check


# --- the seller side ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StartQualification(Command[ConversationState]):
    """Start qualifying a contact (Conflict when already in qualification)."""

    NAME: ClassVar[str] = "seller.start"
    contact_id: str = attrs.field(validator=_contact_id)
    first_name: str = attrs.field(default="", validator=_text(128))
    phone: str = attrs.field(default="", validator=_text(32))
    timezone: str = attrs.field(default="", validator=_timezone)


@attrs.frozen(kw_only=True)
class ShowConversation(Command[ConversationState]):
    """One conversation (NotFound when the contact has none)."""

    NAME: ClassVar[str] = "conversation"
    contact_id: str = attrs.field(validator=_contact_id)


@attrs.frozen(kw_only=True)
class ChangeConversation(Command[ConversationState]):
    """Pause, resume, restart or stop a conversation (NotFound when none)."""

    NAME: ClassVar[str] = "seller.change"
    contact_id: str = attrs.field(validator=_contact_id)
    action: Change = attrs.field(
        validator=_one_of("pause", "resume", "restart", "stop")
    )


@attrs.frozen(kw_only=True)
class ForgetContact(Command[str]):
    """Forget a contact and its conversation; the answer is the contact id."""

    NAME: ClassVar[str] = "seller.forget"
    contact_id: str = attrs.field(validator=_contact_id)


@attrs.frozen(kw_only=True)
class SetLanguage(Command[ConversationState]):
    """Jorge sets the language the bot writes to this seller in."""

    NAME: ClassVar[str] = "seller.language"
    contact_id: str = attrs.field(validator=_contact_id)
    language: Language = attrs.field(converter=_language)


@attrs.frozen(kw_only=True)
class ListOutbox(Command[list[OutboxItem]]):
    """Outbound actions and their status, oldest first (one contact, or all)."""

    NAME: ClassVar[str] = "outbox"
    contact_id: str | None = attrs.field(default=None, validator=_optional_contact_id)


@attrs.frozen(kw_only=True)
class Simulated:
    """A simulated inbound SMS: the webhook's verdict and the message's id."""

    status: str
    message_id: str


@attrs.frozen(kw_only=True)
class Simulate(Command[Simulated]):
    """Play an inbound SMS through the same path as a webhook."""

    NAME: ClassVar[str] = "simulate"
    contact_id: str = attrs.field(validator=_contact_id)
    text: str = attrs.field(validator=_required_text(MAX_TEXT, "the message text"))


# --- the data side ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShowDashboard(Command[Json]):
    """The overview's figures, as the aggregator last published them."""

    NAME: ClassVar[str] = "dashboard"


@attrs.frozen(kw_only=True)
class ListConversations(Command[QueryResult]):
    """A page of conversations behind a filter, sort and page (as query params)."""

    NAME: ClassVar[str] = "conversations"
    params: Mapping[str, str | Sequence[str]] = attrs.field(
        factory=dict, validator=_mapping
    )


@attrs.frozen(kw_only=True)
class ShowPerformance(Command[PerformanceSnapshot]):
    """The tracker's performance figures."""

    NAME: ClassVar[str] = "metrics"


@attrs.frozen(kw_only=True)
class ShowTimeseries(Command[list[HourPoint]]):
    """The last `hours` hours, one point per hour."""

    NAME: ClassVar[str] = "timeseries"
    hours: int = attrs.field(validator=_whole())


@attrs.frozen(kw_only=True)
class RecentEvents(Command[list[Event]]):
    """Stored events after `since` (an event id), oldest first."""

    NAME: ClassVar[str] = "events"
    since: str | None = attrs.field(default=None, validator=_optional_text)
    limit: int = attrs.field(default=50, validator=_whole())


@attrs.frozen(kw_only=True)
class ShowLead(Command[LeadAnalysis]):
    """A contact's lead analysis (NotFound when there is none)."""

    NAME: ClassVar[str] = "lead"
    contact_id: str = attrs.field(validator=_contact_id)


@attrs.frozen(kw_only=True)
class AnalyzeText(Command[Json]):
    """Score a text as a lead would be scored, storing nothing."""

    NAME: ClassVar[str] = "analyze"
    text: str = attrs.field(validator=_required_text(10_000, "the text to score"))


@attrs.frozen(kw_only=True)
class ListNeeds(Command[list[Need]]):
    """The conversations that wait for a person, the longest wait first."""

    NAME: ClassVar[str] = "needs"


@attrs.frozen(kw_only=True)
class ShowAlerts(Command[MonitorSnapshot]):
    """The monitor's checks, active alerts and recent alerts."""

    NAME: ClassVar[str] = "alerts"


# --- the quarantine -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ListQuarantine(Command[list[QuarantinedItem]]):
    """Every input set aside."""

    NAME: ClassVar[str] = "quarantine.list"


@attrs.frozen(kw_only=True)
class ShowQuarantined(Command[QuarantinedItem]):
    NAME: ClassVar[str] = "quarantine.show"
    id: str = attrs.field(validator=_item_id)


@attrs.frozen(kw_only=True)
class RetryQuarantined(Command[QuarantinedItem]):
    NAME: ClassVar[str] = "quarantine.retry"
    id: str = attrs.field(validator=_item_id)


@attrs.frozen(kw_only=True)
class DropQuarantined(Command[QuarantinedItem]):
    NAME: ClassVar[str] = "quarantine.drop"
    id: str = attrs.field(validator=_item_id)


# --- the daemon ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShowStatus(Command[Json]):
    NAME: ClassVar[str] = "status"


@attrs.frozen(kw_only=True)
class ShowHealth(Command[Json]):
    NAME: ClassVar[str] = "health"


@attrs.frozen(kw_only=True)
class CheckConfig(Command[Json]):
    """Check a config file (the daemon's own when `path` is None)."""

    NAME: ClassVar[str] = "config_check"
    path: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen(kw_only=True)
class Reload(Command[Json]):
    NAME: ClassVar[str] = "reload"


@attrs.frozen(kw_only=True)
class SaveSnapshots(Command[Json]):
    NAME: ClassVar[str] = "snapshot"


@attrs.frozen(kw_only=True)
class StartExport(Command[Json]):
    """Write an export to a file the caller then fetches in chunks."""

    NAME: ClassVar[str] = "export_start"
    format: str = attrs.field(validator=_one_of("csv", "xlsx", "json", "pdf"))
    filters: Mapping[str, Any] = attrs.field(factory=dict, validator=_mapping)


@attrs.frozen(kw_only=True)
class ExportFile:
    """An export written to `path` (the caller removes it once sent)."""

    path: Path
    result: ExportResult


@attrs.frozen(kw_only=True)
class WriteExport(Command[ExportFile]):
    """Write an export for a caller on this machine (the API, the dashboard)."""

    NAME: ClassVar[str] = "export_write"
    format: str = attrs.field(validator=_text(16))
    params: Mapping[str, Any] = attrs.field(factory=dict, validator=_mapping)
    user: str = attrs.field(validator=_text(256))


@attrs.frozen(kw_only=True)
class FetchExport(Command[Json]):
    NAME: ClassVar[str] = "export_fetch"
    id: str = attrs.field(validator=_text(256))
    offset: int = attrs.field(default=0, validator=_whole(0))


AnyCommand = (
    StartQualification
    | ShowConversation
    | ChangeConversation
    | ForgetContact
    | SetLanguage
    | ListOutbox
    | Simulate
    | ShowDashboard
    | ListConversations
    | ShowPerformance
    | ShowTimeseries
    | RecentEvents
    | ShowLead
    | AnalyzeText
    | ListNeeds
    | ShowAlerts
    | ListQuarantine
    | ShowQuarantined
    | RetryQuarantined
    | DropQuarantined
    | ShowStatus
    | ShowHealth
    | CheckConfig
    | Reload
    | SaveSnapshots
    | StartExport
    | WriteExport
    | FetchExport
)

#: Every command class by its name.
COMMANDS: Mapping[str, type[Command[Any]]] = {
    cls.NAME: cls for cls in AnyCommand.__args__
}
