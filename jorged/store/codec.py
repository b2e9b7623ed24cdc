"""The one cattrs converter of jorged: records to JSON bytes and back.

Every stored document is an envelope ``{"kind": str, "schema": int, "data": {...}}``.
A record class says nothing about storage; its tags are derived from the class:

- ``kind`` is the class name in snake_case (``SellerState`` -> ``"seller_state"``),
  unless the class sets ``record_kind: ClassVar[str]``;
- ``schema`` is ``schema_version: ClassVar[int]`` when the class has one, else 1.

Loading tolerates evolution: unknown keys are ignored (a newer writer) and missing
fields that have defaults take them (an older writer). When a record changes shape
incompatibly, bump ``schema_version`` and register an upgrade of the old data with
``register_upgrade(cls, from_schema, fn)``. A document of another kind raises
`StoreError`.

Datetimes must be timezone-aware and are stored in UTC (ISO 8601); enums are stored
by value; tuples and frozensets as JSON arrays. ``register_union`` makes a union of
record classes loadable from a field (tagged by ``kind``).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast, get_args

import cattrs
import orjson
from cattrs.preconf.orjson import make_converter
from cattrs.strategies import configure_tagged_union

from jorged.exceptions import StoreError

T = TypeVar("T")

__all__ = [
    "dumps",
    "from_jsonable",
    "kind_of",
    "loads",
    "register_union",
    "register_upgrade",
    "schema_of",
    "to_jsonable",
]

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

_UPGRADES: dict[tuple[type[Any], int], Upgrade] = {}


def _structure_datetime(value: Any, _type: Any) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        dt = datetime.fromisoformat(value)
    else:
        msg = f"expected an ISO 8601 datetime string, got {value!r}"
        raise TypeError(msg)
    if dt.tzinfo is None:
        msg = f"naive datetime not allowed: {value!r}"
        raise ValueError(msg)
    return dt.astimezone(UTC)


def _unstructure_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        msg = f"naive datetime not allowed: {value!r}"
        raise ValueError(msg)
    return value.astimezone(UTC).isoformat()


def _make_converter() -> cattrs.Converter:
    conv = make_converter(forbid_extra_keys=False)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda member: member.value,
    )
    return conv


_CONVERTER = _make_converter()
#: Record class → its kind tag, worked out once (it is on every dumps and loads).
_KINDS: dict[type[Any], str] = {}


def kind_of(cls: type[Any]) -> str:
    """The `kind` tag of a record class (snake_case name unless `record_kind`)."""
    kind = _KINDS.get(cls)
    if kind is None:
        explicit = getattr(cls, "record_kind", None)
        if isinstance(explicit, str) and explicit:
            kind = explicit
        else:
            words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls.__name__)
            kind = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words).lower()
        _KINDS[cls] = kind
    return kind


def schema_of(cls: type[Any]) -> int:
    """The schema version of a record class (`schema_version`, default 1)."""
    version = getattr(cls, "schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        msg = f"{cls.__name__}.schema_version: must be an integer of 1 or more"
        raise TypeError(msg)
    return version


def register_upgrade(cls: type[Any], from_schema: int, fn: Upgrade) -> None:
    """Turn the data of a `from_schema` document into `from_schema + 1` data."""
    if from_schema >= schema_of(cls):
        msg = (
            f"{cls.__name__}: an upgrade from schema {from_schema} needs "
            f"schema_version above {from_schema}"
        )
        raise ValueError(msg)
    _UPGRADES[cls, from_schema] = fn


def register_union(union: Any) -> None:
    """Make a union of record classes (un)structure with a `kind` tag in fields."""
    configure_tagged_union(union, _CONVERTER, tag_generator=kind_of, tag_name="kind")


def to_jsonable(obj: Any) -> Any:
    """Plain JSON-compatible data (dicts, lists, str, numbers) for replies."""
    return _CONVERTER.unstructure(obj)


def from_jsonable(data: Any, cls: type[T]) -> T:
    """Build `cls` from plain data, or raise StoreError naming every problem."""
    try:
        return _CONVERTER.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(_describe(exc, cls)) from None


def dumps(obj: Any) -> bytes:
    """The stored document of a record: JSON bytes with `kind` and `schema`."""
    cls = type(obj)
    envelope = {
        "kind": kind_of(cls),
        "schema": schema_of(cls),
        "data": _CONVERTER.unstructure(obj, unstructure_as=cls),
    }
    return orjson.dumps(envelope)


def loads(data: bytes, cls: type[T]) -> T:
    """The record stored in `data`; `cls` may be a class or a union of classes."""
    try:
        envelope = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        msg = f"stored document is not valid JSON: {exc}"
        raise StoreError(msg) from None
    if not isinstance(envelope, dict) or not {"kind", "schema", "data"} <= set(
        envelope
    ):
        msg = "stored document is not an envelope with kind, schema and data"
        raise StoreError(msg)
    kind, schema, body = envelope["kind"], envelope["schema"], envelope["data"]
    target = _pick_class(cls, kind)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        msg = f"stored document has an invalid schema {schema!r}"
        raise StoreError(msg)
    body = _upgrade(target, schema, body)
    return cast("T", from_jsonable(body, target))


def _pick_class(cls: Any, kind: Any) -> type[Any]:
    found = _classes_by_kind(cls).get(kind) if isinstance(kind, str) else None
    if found is not None:
        return found
    expected = " or ".join(repr(kind_of(c)) for c in get_args(cls) or (cls,))
    msg = f"stored document is of kind {kind!r}, expected {expected}"
    raise StoreError(msg)


@functools.cache
def _classes_by_kind(cls: Any) -> dict[str, type[Any]]:
    candidates = get_args(cls) or (cls,)
    return {kind_of(c): c for c in candidates if isinstance(c, type)}


def _upgrade(cls: type[Any], schema: int, body: Any) -> Any:
    while schema < schema_of(cls):
        fn = _UPGRADES.get((cls, schema))
        if fn is None:
            break  # added fields with defaults need no upgrade step
        body = fn(body)
        schema += 1
    return body


def _describe(exc: Exception, cls: type[Any]) -> str:
    name = getattr(cls, "__name__", str(cls))
    if isinstance(exc, cattrs.BaseValidationError):
        problems = cattrs.transform_error(exc, path=name)
        return f"cannot load {name}: " + "; ".join(problems)
    return f"cannot load {name}: {exc}"
