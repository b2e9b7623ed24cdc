"""GHL's OpenAPI specs as a request validator and response generator for the fake server.

Checks a request against the operation it targets: the path template and method exist,
`Version` equals the spec's, `Authorization` is a bearer token, required query
parameters are present with the right type, and the JSON body has every required field
with the right JSON type (recursively, through `$ref`, `allOf`, `anyOf`, `enum`,
`nullable`).

One leniency, and only one: GHL's specs are generated from code where a union-typed
property (`subType`, a numeric custom field value, `monetaryValue`) comes out as
`type: object` next to an example of the real type (`"Email"`, `100`, `220`). Such a
property accepts an object or a value of its example's JSON type.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

SPEC_DIR = Path(__file__).parent / "ghl_openapi"
SPEC_FILES = (
    "calendars.json",
    "contacts.json",
    "conversations.json",
    "opportunities.json",
    "workflows.json",
)
METHODS = ("get", "post", "put", "delete", "patch")


def json_type(value: Any) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "boolean"
        case int():
            return "integer"
        case float():
            return "number"
        case str():
            return "string"
        case list():
            return "array"
        case _:
            return "object"


def _is(value: Any, kind: str) -> bool:
    actual = json_type(value)
    return actual == kind or (kind == "number" and actual == "integer")


@attrs.frozen
class Route:
    """One operation of one spec file."""

    method: str
    template: str
    operation_id: str
    operation: Mapping[str, Any] = attrs.field(repr=False)
    doc: Mapping[str, Any] = attrs.field(repr=False, eq=False)
    regex: re.Pattern[str] = attrs.field(repr=False)

    @property
    def version(self) -> str | None:
        for param in self.operation.get("parameters", []):
            if param.get("in") == "header" and param.get("name") == "Version":
                enum = param.get("schema", {}).get("enum") or []
                return str(enum[0]) if enum else None
        return None

    @property
    def literal_segments(self) -> int:
        return sum(1 for s in self.template.split("/") if s and "{" not in s)

    def params(self, where: str) -> list[Mapping[str, Any]]:
        return [p for p in self.operation.get("parameters", []) if p.get("in") == where]

    def body_schema(self) -> tuple[bool, Mapping[str, Any] | None]:
        body = self.operation.get("requestBody")
        if not body:
            return False, None
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        return bool(body.get("required")), schema

    def success(self) -> tuple[int, Mapping[str, Any] | None]:
        for code, response in sorted(self.operation.get("responses", {}).items()):
            if code.startswith("2"):
                content = response.get("content", {}).get("application/json", {})
                return int(code), content.get("schema")
        return 200, None


class SpecIndex:
    """Every operation of the GHL specs jorged's client may call."""

    def __init__(self, directory: Path = SPEC_DIR) -> None:
        self.routes: list[Route] = []
        for name in SPEC_FILES:
            doc = json.loads((directory / name).read_text())
            for template, ops in doc["paths"].items():
                pattern = re.sub(r"\{[^}]+\}", "([^/]+)", template.rstrip("/") or "/")
                regex = re.compile(f"^{pattern}/?$")
                for method, op in ops.items():
                    if method in METHODS:
                        self.routes.append(
                            Route(
                                method=method.upper(),
                                template=template,
                                operation_id=op.get("operationId", ""),
                                operation=op,
                                doc=doc,
                                regex=regex,
                            )
                        )

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], str]:
        """The route for a request, its path parameters, or why there is none."""
        candidates = [r for r in self.routes if r.regex.match(path)]
        if not candidates:
            return None, {}, f"no GHL endpoint matches the path {path}"
        same = [r for r in candidates if r.method == method]
        if not same:
            allowed = ", ".join(sorted({r.method for r in candidates}))
            return None, {}, f"{method} is not defined for {path} (only {allowed})"
        route = max(same, key=lambda r: r.literal_segments)
        m = route.regex.match(path)
        assert m is not None
        names = re.findall(r"\{([^}]+)\}", route.template)
        return route, dict(zip(names, m.groups(), strict=True)), ""


def resolve(
    doc: Mapping[str, Any], schema: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """Follow a local `$ref`; None for a reference outside the file (not checked)."""
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return None
        node: Any = doc
        for part in ref[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def check(
    doc: Mapping[str, Any], schema: Mapping[str, Any], value: Any, where: str
) -> list[str]:
    """Every way `value` breaks `schema`, each naming its place (`body.tags[0]`)."""
    resolved = resolve(doc, schema)
    if resolved is None:
        return []
    schema = resolved
    if value is None and schema.get("nullable"):
        return []
    problems: list[str] = []
    for sub in schema.get("allOf", []):
        problems += check(doc, sub, value, where)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        results = [check(doc, alt, value, where) for alt in alternatives]
        if all(results):
            problems.append(
                f"{where}: matches none of its {len(results)} forms ({results[0][0]})"
            )
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        lenient = "object" in kinds and "example" in schema
        example_kind = json_type(schema.get("example"))
        example_kind = "number" if example_kind == "integer" else example_kind
        if not any(_is(value, k) for k in kinds) and not (
            lenient and _is(value, example_kind)
        ):
            want = " or ".join(kinds)
            return [*problems, f"{where}: expected {want}, got {json_type(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}.{name}: required field missing")
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                problems += check(doc, props[name], item, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += check(doc, schema["items"], item, f"{where}[{i}]")
    return problems


def _query_problems(route: Route, query: Mapping[str, list[str]]) -> list[str]:
    problems: list[str] = []
    for param in route.params("query"):
        name = param["name"]
        values = query.get(name)
        if not values:
            if param.get("required"):
                problems.append(f"query.{name}: required parameter missing")
            continue
        if param.get("schema", {}).get("type") == "number":
            for v in values:
                try:
                    float(v)
                except ValueError:
                    problems.append(f"query.{name}: expected a number, got {v!r}")
    return problems


def request_problems(
    route: Route,
    headers: Mapping[str, str],
    query: Mapping[str, list[str]],
    body: bytes,
) -> tuple[list[str], Any]:
    """Every way a request breaks its operation's spec, and the parsed JSON body."""
    problems: list[str] = []
    version = route.version
    if version is not None and headers.get("version") != version:
        problems.append(
            f"header Version: expected {version!r}, got {headers.get('version')!r}"
        )
    problems += _query_problems(route, query)
    required, schema = route.body_schema()
    parsed: Any = None
    if body:
        if "application/json" not in headers.get("content-type", ""):
            problems.append("header Content-Type: expected application/json")
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            problems.append(f"body: not valid JSON ({exc})")
            return problems, None
    if schema is not None and (required or body):
        if not body:
            problems.append("body: required JSON body missing")
        else:
            problems += check(route.doc, schema, parsed, "body")
    return problems, parsed


def example(
    doc: Mapping[str, Any], schema: Mapping[str, Any] | None, depth: int = 0
) -> Any:
    """A value shaped like `schema`, from its examples where the spec gives them."""
    if schema is None:
        return {}
    resolved = resolve(doc, schema)
    if resolved is None or depth > 8:
        return {}
    schema = resolved
    if "example" in schema and not schema.get("properties"):
        return copy.deepcopy(schema["example"])
    for sub in schema.get("allOf", []):
        return example(doc, sub, depth + 1)
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {
            name: example(doc, sub, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [example(doc, schema["items"], depth + 1)] if "items" in schema else []
    if "enum" in schema:
        return schema["enum"][0]
    return {"string": "", "number": 0, "integer": 0, "boolean": False}.get(kind or "")


@functools.cache
def default_index() -> SpecIndex:
    """The specs shipped with the tests, loaded once per test session."""
    return SpecIndex()
