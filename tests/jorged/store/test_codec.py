from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.exceptions import StoreError
from jorged.store import codec


class Stage(enum.Enum):
    NEW = "new"
    QUALIFIED = "qualified"


@attrs.frozen
class Slot:
    name: str
    value: str | None = None


@attrs.frozen
class SellerState:
    contact_id: str
    stage: Stage
    started_at: datetime
    slots: tuple[Slot, ...] = ()
    tags: frozenset[str] = frozenset()
    fields: dict[str, str] = attrs.field(factory=dict)
    price: float | None = None


@attrs.frozen
class Versioned:
    schema_version: ClassVar[int] = 2
    record_kind: ClassVar[str] = "renamed"
    full_name: str


aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]),
)
text = st.text(max_size=20)
slots = st.builds(Slot, name=text, value=st.none() | text)
states = st.builds(
    SellerState,
    contact_id=text,
    stage=st.sampled_from(Stage),
    started_at=aware,
    slots=st.lists(slots, max_size=4).map(tuple),
    tags=st.frozensets(text, max_size=4),
    fields=st.dictionaries(text, text, max_size=4),
    price=st.none() | st.floats(allow_nan=False, allow_infinity=False),
)


class TestRoundTrip:
    @given(states)
    def test_stored_records_load_equal(self, state):
        """A record loads back equal to what was stored."""
        assert codec.loads(codec.dumps(state), SellerState) == state

    @given(states)
    def test_jsonable_round_trip(self, state):
        """Plain-data replies build back into the same record."""
        data = orjson.loads(orjson.dumps(codec.to_jsonable(state)))
        assert codec.from_jsonable(data, SellerState) == state

    def test_envelope_carries_kind_and_schema(self):
        """Every document carries kind (snake_case class name), schema and data."""
        doc = orjson.loads(codec.dumps(Slot("budget", "400k")))
        assert doc == {"kind": "slot", "schema": 1, "data": {"name": "budget", "value": "400k"}}

    def test_datetimes_are_stored_in_utc(self):
        """An aware datetime is stored as UTC ISO 8601 and enums by value."""
        at = datetime(2026, 5, 1, 9, 0, tzinfo=timezone(timedelta(hours=-7)))
        data = codec.to_jsonable(SellerState("c1", Stage.NEW, at))
        assert (data["started_at"], data["stage"]) == ("2026-05-01T16:00:00+00:00", "new")


class TestErrors:
    def test_wrong_kind_is_refused(self):
        """Loading a document of another kind raises a clear StoreError."""
        with pytest.raises(StoreError, match=r"^stored document is of kind 'slot', expected 'seller_state'$"):
            codec.loads(codec.dumps(Slot("a")), SellerState)

    def test_naive_datetime_is_refused(self):
        """A naive datetime in stored data is an error naming the field."""
        doc = b'{"kind":"seller_state","schema":1,"data":{"contact_id":"c","stage":"new","started_at":"2026-01-01T00:00:00"}}'
        with pytest.raises(StoreError, match=r"SellerState\.started_at"):
            codec.loads(doc, SellerState)

    def test_not_json_is_refused(self):
        """Bytes that are not JSON raise StoreError."""
        with pytest.raises(StoreError, match=r"^stored document is not valid JSON"):
            codec.loads(b"\x80nope", Slot)

    def test_bad_value_names_the_field(self):
        """A value of the wrong type names the field that holds it."""
        with pytest.raises(StoreError, match=r"expected Stage @ SellerState\.stage"):
            codec.from_jsonable({"contact_id": "c", "stage": "gone", "started_at": "2026-01-01T00:00:00+00:00"}, SellerState)


class TestEvolution:
    def test_missing_fields_with_defaults_load(self):
        """An older document without the newer fields loads with their defaults."""
        doc = b'{"kind":"seller_state","schema":1,"data":{"contact_id":"c","stage":"new","started_at":"2026-01-01T00:00:00+00:00"}}'
        assert codec.loads(doc, SellerState).tags == frozenset()

    def test_unknown_fields_are_ignored(self):
        """A newer document with extra fields still loads."""
        doc = b'{"kind":"slot","schema":3,"data":{"name":"n","future":1}}'
        assert codec.loads(doc, Slot) == Slot("n")

    def test_class_declares_kind_and_schema(self):
        """`record_kind` and `schema_version` class variables set the tags."""
        assert orjson.loads(codec.dumps(Versioned("A B")))["kind"] == "renamed"
        assert codec.schema_of(Versioned) == 2

    def test_registered_upgrade_runs_on_old_documents(self):
        """An upgrade turns schema-1 data into the current shape."""
        codec.register_upgrade(Versioned, 1, lambda d: {"full_name": d.pop("name")})
        doc = b'{"kind":"renamed","schema":1,"data":{"name":"Ana"}}'
        assert codec.loads(doc, Versioned) == Versioned("Ana")

    def test_union_loads_the_stored_kind(self):
        """Loading as a union picks the class named by the document's kind."""
        assert codec.loads(codec.dumps(Slot("x")), Slot | Versioned) == Slot("x")
