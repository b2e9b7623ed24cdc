"""Commands from JSON and answers to JSON: what the control socket and the API speak.

`decode(name, args)` makes the command `name` from a JSON object with cattrs, the
union `AnyCommand` tagged by each class's `NAME`. Values reach the classes as they
came (no coercion: `"5"` is not a number), so the classes' own checks name the
field and the problem; a field left out reaches them as `None` and is "required".

`answer_json(command, answer)` is the JSON both the API and the control socket
answer with.
"""

from __future__ import annotations

from collections import abc
from collections.abc import Callable, Mapping
from typing import Any, Literal, get_origin

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from jorged.actors.outbox.items import item_view as outbox_item_view
from jorged.commands import kinds as k
from jorged.domain.conversation.step import conversation_view
from jorged.domain.language import Language
from jorged.exceptions import Invalid
from jorged.needs_queue import need_json
from jorged.quarantine import item_view as quarantine_item_view
from jorged.queries import event_json, row_json
from jorged.store import codec

__all__ = ["answer_json", "decode"]

_PASS_THROUGH = (str, int, Language)


def _as_given(value: Any, _type: Any) -> Any:
    return value


def _is_literal_or_mapping(type_: Any) -> bool:
    origin = get_origin(type_)
    return origin is Literal or origin is abc.Mapping


def _tag(cls: Any) -> str:
    name: str = cls.NAME
    return name


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=False)
    for cls in _PASS_THROUGH:
        converter.register_structure_hook(cls, _as_given)
    converter.register_structure_hook_func(_is_literal_or_mapping, _as_given)
    configure_tagged_union(
        k.AnyCommand,
        converter,
        tag_generator=_tag,
        tag_name="cmd",
    )
    return converter


_converter = _make_converter()


def decode(name: str, args: Mapping[str, Any]) -> k.Command[Any]:
    """The command `name` with `args`, or `Invalid` naming the field at fault."""
    cls = k.COMMANDS.get(name)
    if cls is None:
        known = ", ".join(sorted(k.COMMANDS))
        raise Invalid(field="cmd", problem=f"unknown command (known: {known})")
    if cls is k.ListConversations:
        # Its arguments are the filters themselves, as on the API's query string.
        params = {key: v for key, v in args.items() if v not in (None, "")}
        return k.ListConversations(params=params)
    given = dict(args)
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        if field.default is attrs.NOTHING:
            given.setdefault(field.name, None)
    union: Any = k.AnyCommand
    command: k.Command[Any] = _converter.structure({**given, "cmd": name}, union)
    return command


def _views(items: Any, view: Callable[[Any], Any]) -> dict[str, Any]:
    return {"items": [view(i) for i in items]}


def answer_json(command: k.Command[Any], answer: Any) -> Any:
    """The JSON of `answer` to `command`, the same on the API and the socket."""
    match command:
        case (
            k.StartQualification()
            | k.ShowConversation()
            | k.ChangeConversation()
            | k.SetLanguage()
        ):
            return conversation_view(answer)
        case k.ForgetContact():
            return {"forgotten": answer}
        case k.ListOutbox():
            return _views(answer, outbox_item_view)
        case k.Simulate():
            return {"status": answer.status, "message_id": answer.message_id}
        case k.ListConversations():
            return {
                "items": [row_json(r) for r in answer.items],
                "total": answer.total,
                "page": answer.page,
                "page_size": answer.page_size,
                "pages": answer.pages,
            }
        case k.ShowPerformance() | k.ShowLead():
            return codec.to_jsonable(answer)
        case k.ShowTimeseries():
            return {
                "hours": command.hours,
                "points": [codec.to_jsonable(p) for p in answer],
            }
        case k.RecentEvents():
            return _views(answer, event_json)
        case k.ShowAlerts():
            return {
                "checks": [attrs.asdict(c) for c in answer.checks],
                "active_alerts": [attrs.asdict(a) for a in answer.active_alerts],
                "alerts": [attrs.asdict(a) for a in answer.alerts],
            }
        case k.ListNeeds():
            return _views(answer, need_json)
        case k.ListQuarantine():
            return _views(answer, quarantine_item_view)
        case k.ShowQuarantined():
            return quarantine_item_view(answer)
        case k.RetryQuarantined():
            return {"retried": quarantine_item_view(answer)}
        case k.DropQuarantined():
            return {"dropped": quarantine_item_view(answer)}
    return answer
