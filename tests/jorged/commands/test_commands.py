"""The command layer: every command decodes from its name, checks its fields when
made (naming the field), and its errors choose the HTTP status by kind."""

from __future__ import annotations

import typing

import attrs
import pytest

from jorged.commands import (
    COMMANDS,
    AnyCommand,
    ChangeConversation,
    ListConversations,
    RecentEvents,
    SetLanguage,
    Simulate,
    StartQualification,
)
from jorged.commands.dispatch import Dispatcher
from jorged.commands.wire import decode
from jorged.domain.language import Language
from jorged.exceptions import Conflict, Invalid, NotFound, RequestError
from jorged.web.responses import request_error

#: The smallest valid arguments of each command that needs some.
GOOD_ARGS: dict[str, dict[str, object]] = {
    "seller.start": {"contact_id": "c1"},
    "conversation": {"contact_id": "c1"},
    "seller.change": {"contact_id": "c1", "action": "pause"},
    "seller.forget": {"contact_id": "c1"},
    "seller.language": {"contact_id": "c1", "language": "es"},
    "simulate": {"contact_id": "c1", "text": "hi"},
    "timeseries": {"hours": 24},
    "lead": {"contact_id": "c1"},
    "analyze": {"text": "need to sell fast"},
    "quarantine.show": {"id": "q1"},
    "quarantine.retry": {"id": "q1"},
    "quarantine.drop": {"id": "q1"},
    "export_start": {"format": "csv"},
    "export_write": {"format": "csv", "user": "api:127.0.0.1"},
    "export_fetch": {"id": "export-1.csv"},
}


class TestDecode:
    def test_the_union_and_the_names_agree(self):
        """Every class of the union has a name of its own, and only those."""
        classes = typing.get_args(AnyCommand)
        assert set(COMMANDS.values()) == set(classes)
        assert len({c.NAME for c in classes}) == len(classes)

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_each_command_decodes_from_its_name(self, name):
        command = decode(name, GOOD_ARGS.get(name, {}))
        assert type(command) is COMMANDS[name]
        assert attrs.has(type(command))

    @pytest.mark.parametrize(
        "name", sorted(n for n in COMMANDS if any(
            f.default is attrs.NOTHING for f in attrs.fields(COMMANDS[n])
        ))
    )
    def test_a_required_field_left_out_is_named(self, name):
        """Leaving out any required field is an Invalid naming that field."""
        for field in attrs.fields(COMMANDS[name]):
            if field.default is not attrs.NOTHING:
                continue
            args = {k: v for k, v in GOOD_ARGS[name].items() if k != field.name}
            with pytest.raises(Invalid) as caught:
                decode(name, args)
            assert caught.value.field == field.name

    @pytest.mark.parametrize(
        ("name", "args", "field", "problem"),
        [
            ("seller.start", {"contact_id": 5}, "contact_id", "required, a non-empty string"),
            ("seller.start", {"contact_id": "../etc"}, "contact_id", "may hold only"),
            ("seller.start", {"contact_id": "c1", "first_name": 7}, "first_name", "must be a string"),
            ("seller.start", {"contact_id": "c1", "phone": "1" * 33}, "phone", "at most 32"),
            ("seller.start", {"contact_id": "c1", "timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
            ("seller.change", {"contact_id": "c1", "action": "forget"}, "action", "one of pause"),
            ("seller.language", {"contact_id": "c1", "language": "fr"}, "language", "must be en or es"),
            ("simulate", {"contact_id": "c1", "text": "   "}, "text", "required, the message text"),
            ("simulate", {"contact_id": "c1", "text": "x" * 1601}, "text", "at most 1600"),
            ("events", {"limit": "5"}, "limit", "must be a whole number"),
            ("events", {"limit": True}, "limit", "must be a whole number"),
            ("events", {"since": 3}, "since", "must be a string"),
            ("export_start", {"format": "docx"}, "format", "one of csv, xlsx, json, pdf"),
            ("export_start", {"format": "csv", "filters": []}, "filters", "must be an object"),
            ("export_fetch", {"id": "e", "offset": -1}, "offset", "at least 0"),
            ("config_check", {"path": ["a"]}, "path", "must be a string"),
        ],
    )
    def test_a_bad_value_is_named_with_its_problem(self, name, args, field, problem):
        with pytest.raises(Invalid) as caught:
            decode(name, args)
        assert caught.value.field == field
        assert problem in caught.value.problem

    def test_values_are_not_coerced(self):
        """A number where a string belongs is refused, never turned into "5"."""
        with pytest.raises(Invalid):
            decode("conversation", {"contact_id": 5})

    def test_unknown_arguments_are_ignored_and_filters_are_the_arguments(self):
        assert decode("seller.forget", {"contact_id": "c1", "extra": 1}).contact_id == "c1"
        listed = decode("conversations", {"temperature": "hot", "q": "", "page": None})
        assert listed == ListConversations(params={"temperature": "hot"})

    def test_a_language_is_read_into_its_enum(self):
        command = decode("seller.language", {"contact_id": "c1", "language": "es"})
        assert command == SetLanguage(contact_id="c1", language=Language.ES)

    def test_the_same_checks_apply_when_made_in_code(self):
        """The dashboard and the API make commands directly: same checks."""
        with pytest.raises(Invalid, match="contact_id"):
            StartQualification(contact_id="has space")
        with pytest.raises(Invalid, match="text"):
            Simulate(contact_id="c1", text="")
        assert RecentEvents().limit == 50


class TestDispatcher:
    async def test_runs_the_handler_of_the_command_class(self):
        async def change(command):
            return f"{command.action} {command.contact_id}"

        dispatcher = Dispatcher({ChangeConversation: change})
        answer = await dispatcher.run(ChangeConversation(contact_id="c1", action="stop"))
        assert answer == "stop c1"

    async def test_a_command_without_handler_is_refused(self):
        with pytest.raises(Invalid, match=r"^cmd: seller\.forget is not served here$"):
            await Dispatcher({}).run(decode("seller.forget", {"contact_id": "c1"}))


class TestStatuses:
    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (Invalid(field="body", problem="not valid JSON"), 400),
            (Invalid(field="contact_id", problem="required"), 422),
            (NotFound(field="contact_id", problem="no conversation"), 404),
            (Conflict(field="contact_id", problem="already in qualification"), 409),
        ],
    )
    def test_the_kind_chooses_the_status(self, error: RequestError, status: int):
        response = request_error(error)
        assert response.status_code == status
        assert response.body.startswith(b'{"error":"' + error.problem.encode())
