"""Loading the config: merge its sources, structure them strictly, name every problem.

`load` reads the embedded defaults, the config file, the credentials directory and
the environment, later ones winning, and hands the merged data to `structure`. The
file is `--config`, else `$JORGED_CONFIG`, else /etc/jorged/jorged.toml when it
exists (`find_config`); a file that cannot be read or is not UTF-8 is one line. Its
converter takes no extra keys and no lax types (`"8080"` is not a port), and every
problem becomes one line `source: section.key: what is wrong` of a `ConfigError`;
a problem that comes from the environment names its variable instead.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs
import cattrs

from jorged.config.sections import Config
from jorged.exceptions import ConfigError
from jorged.passwords import is_hash

__all__ = [
    "ENV_CONFIG",
    "ENV_PREFIX",
    "SECRETS",
    "SYSTEM_CONFIG",
    "find_config",
    "load",
    "structure",
]

T = TypeVar("T")

ENV_PREFIX = "JORGED_"
ENV_CONFIG = "JORGED_CONFIG"
#: The config file read when neither `--config` nor `$JORGED_CONFIG` names one.
SYSTEM_CONFIG = Path("/etc/jorged/jorged.toml")
#: The latest follow-up day (ten years).
_MAX_DAYS = 3_650

#: Settings that may come from `$CREDENTIALS_DIRECTORY/<section>.<key>`.
SECRETS = (
    ("ghl", "token"),
    ("ghl", "webhook_secret"),
    ("llm", "api_key"),
    ("api", "token"),
    ("dashboard", "password_hash"),
    ("dashboard", "session_secret"),
)


def _strict(kind: type[T], name: str) -> Any:
    def hook(value: Any, _type: Any) -> T:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)  # type: ignore[return-value]
        if not ok:
            msg = f"expected {name}, got {value!r}"
            raise TypeError(msg)
        if kind is float and not math.isfinite(value):
            msg = f"expected a finite number, got {value!r}"
            raise ValueError(msg)
        return value  # type: ignore[no-any-return]

    return hook


def _literal_hook(value: Any, type_: Any) -> Any:
    allowed = type_.__args__
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        msg = f"must be one of {choices}, got {value!r}"
        raise ValueError(msg)
    return value


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(float, _strict(float, "a number"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(time, lambda v, _: time.fromisoformat(v))

    def is_literal(t: Any) -> bool:
        return getattr(t, "__origin__", None) is Literal

    conv.register_structure_hook_func(is_literal, _literal_hook)
    return conv


_CONVERTER = _make_converter()
# The field types as classes, not strings, for every reader of `attrs.fields`.
attrs.resolve_types(Config)
for _section_class in typing.get_type_hints(Config).values():
    attrs.resolve_types(_section_class)


def _format_errors(exc: Exception, source: str, where: str) -> list[str]:
    """One line per problem of one setting: `source: where[.inner]: what is wrong`."""
    if not isinstance(exc, cattrs.BaseValidationError):
        return [f"{source}: {where}: {exc}"]

    def fmt(err: BaseException, _type: Any) -> str:
        if isinstance(err, cattrs.ForbiddenExtraKeysError):
            return "unknown key(s) " + ", ".join(sorted(err.extra_fields))
        if isinstance(err, KeyError):
            return "required key missing"
        return str(err)

    lines: list[str] = []
    for line in cattrs.transform_error(exc, path="", format_exception=fmt):
        what, _, inner = line.rpartition(" @ ")
        inner = re.sub(r"\['([^']*)'\]", r".\1", inner.lstrip("$"))
        if what.startswith("unknown key(s) "):
            keys = what.removeprefix("unknown key(s) ").split(", ")
            lines.extend(f"{source}: {where}{inner}.{k}: unknown key" for k in keys)
            continue
        named = re.match(r"^([a-z_0-9]+): (.*)$", what)
        if named:  # an attrs validator of a nested table names its own field
            inner, what = f"{inner}.{named.group(1)}", named.group(2)
        lines.append(f"{source}: {where}{inner}: {what}")
    return lines


_COLLECTIONS = {tuple: "a list", list: "a list", dict: "a table"}


def _setting(
    field: attrs.Attribute[Any], kind: Any, value: Any, source: str, where: str
) -> tuple[Any, list[str]]:
    """One setting structured and validated: (value, []) or (None, its problems)."""
    expected = _COLLECTIONS.get(typing.get_origin(kind))
    if expected is not None and not isinstance(value, list | tuple | Mapping):
        # A text where a list belongs is one mistake, not one per character.
        return None, [f"{source}: {where}: expected {expected}, got {value!r}"]
    try:
        structured = _CONVERTER.structure(value, kind)
    except (cattrs.BaseValidationError, TypeError, ValueError) as exc:
        return None, _format_errors(exc, source, where)
    if field.validator is not None:
        try:
            field.validator(None, field, structured)
        except (TypeError, ValueError) as exc:
            what = str(exc).removeprefix(f"{field.name}: ")
            return None, [f"{source}: {where}: {what}"]
    return structured, []


def _section(
    cls: type[Any], raw: Mapping[str, Any], name: str, source: str
) -> tuple[Any, list[str]]:
    """A section built from its good settings (defaults for the rest), its problems."""
    fields = {f.name: f for f in attrs.fields(cls)}
    kinds = typing.get_type_hints(cls)
    good: dict[str, Any] = {}
    problems = [f"{source}: {name}.{k}: unknown key" for k in raw if k not in fields]
    for key, value in raw.items():
        if key in fields:
            structured, wrong = _setting(
                fields[key], kinds[key], value, source, f"{name}.{key}"
            )
            problems.extend(wrong)
            if not wrong:
                good[key] = structured
    return cls(**good), problems


def _key_of(message: str, source: str) -> str:
    return message.removeprefix(f"{source}: ").partition(": ")[0]


def _defaults_text() -> str:
    return resources.files("jorged").joinpath("defaults/jorged.toml").read_text()


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(messages=[f"{source}: not valid TOML: {exc}"]) from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_value(raw: str, target: Any) -> Any:
    """Read an override for a text setting as is; others as TOML (`9000`, `[2, 5]`)."""
    if target is str or (
        getattr(target, "__origin__", None) is Literal
        and all(isinstance(a, str) for a in target.__args__)
    ):
        return raw
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_overrides(env: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    out: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    sections = typing.get_type_hints(Config)
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or name == ENV_CONFIG:
            continue
        section, sep, key = name.removeprefix(ENV_PREFIX).lower().partition("__")
        if not sep or section not in sections:
            problems.append(
                f"environment: {name}: not a setting (use JORGED_<SECTION>__<KEY>)"
            )
            continue
        target = typing.get_type_hints(sections[section]).get(key)
        out.setdefault(section, {})[key] = _env_value(raw, target)
    return out, problems


def _credentials(directory: str | None) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    if not directory:
        return out
    for section, key in SECRETS:
        path = Path(directory) / f"{section}.{key}"
        # An empty file is no secret (a placeholder), not an empty value.
        if path.is_file() and (value := _read_file(path, f"credential {path}").strip()):
            out.setdefault(section, {})[key] = value
    return out


def _validate_relations(cfg: Config, source: str) -> list[str]:
    problems: list[str] = []
    m = cfg.monitor
    for name in ("cpu", "memory", "disk", "reply_p95", "error_rate"):
        suffix = "_s" if name == "reply_p95" else ""
        warn = getattr(m, f"{name}_warning{suffix}")
        crit = getattr(m, f"{name}_critical{suffix}")
        if warn >= crit:
            problems.append(
                f"{source}: monitor.{name}_warning{suffix}: must be below "
                f"monitor.{name}_critical{suffix} ({crit!r}), got {warn!r}"
            )
    if cfg.leads.price_min >= cfg.leads.price_max:
        problems.append(
            f"{source}: leads.price_min: must be below leads.price_max "
            f"({cfg.leads.price_max}), got {cfg.leads.price_min}"
        )
    if cfg.leads.warm_score > cfg.leads.hot_score:
        problems.append(
            f"{source}: leads.warm_score: must not exceed leads.hot_score "
            f"({cfg.leads.hot_score}), got {cfg.leads.warm_score}"
        )
    days = cfg.seller.followup_days
    if list(days) != sorted(set(days)) or any(not 0 < d <= _MAX_DAYS for d in days):
        problems.append(
            f"{source}: seller.followup_days: must be increasing days from 1 to "
            f"{_MAX_DAYS}, got {list(days)!r}"
        )
    if cfg.dashboard.password_hash and not is_hash(cfg.dashboard.password_hash):
        problems.append(
            f"{source}: dashboard.password_hash: not a hash from "
            "`jorgectl hash-password` (scrypt$...)"
        )
    if not _loopback(cfg.web.host) and not cfg.dashboard.password_hash:
        problems.append(
            f"{source}: dashboard.password_hash: required when web.host "
            f"({cfg.web.host}) is not a loopback address"
        )
    if cfg.ghl.token and not cfg.ghl.location_id:
        problems.append(f"{source}: ghl.location_id: required when ghl.token is set")
    if cfg.llm.provider == "anthropic" and not cfg.llm.api_key:
        problems.append(
            f"{source}: llm.api_key: required when llm.provider is 'anthropic'"
        )
    return problems


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def structure(data: Mapping[str, Any], source: str) -> Config:
    """Build a Config from plain data, or raise ConfigError naming every problem.

    Every problem is found in one pass: each setting is checked on its own (type,
    then its validator), and the rules between settings are checked over the good
    ones, leaving out a rule whose setting was already found wrong.
    """
    kinds = typing.get_type_hints(Config)
    problems = [f"{source}: {k}: unknown key" for k in data if k not in kinds]
    sections: dict[str, Any] = {}
    for name, cls in kinds.items():
        raw = data.get(name, {})
        if not isinstance(raw, Mapping):
            problems.append(f"{source}: {name}: expected a table, got {raw!r}")
            continue
        sections[name], wrong = _section(cls, raw, name, source)
        problems.extend(wrong)
    cfg = Config(**sections)
    broken = {_key_of(p, source) for p in problems}
    problems.extend(
        p for p in _validate_relations(cfg, source) if _key_of(p, source) not in broken
    )
    if problems:
        raise ConfigError(messages=problems)
    return cfg


def find_config(
    path: str | os.PathLike[str] | None,
    env: Mapping[str, str],
    system: Path = SYSTEM_CONFIG,
) -> Path | None:
    """The config file to read: `path` (`--config`), `$JORGED_CONFIG`, then
    `system` (/etc/jorged/jorged.toml) when it exists; None means the defaults."""
    if path is not None:
        return Path(path)
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG])
    if system.exists():
        return system
    return None


def _read_file(path: Path, source: str) -> str:
    """The text of a config or credential file, or a ConfigError in one line."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        msg = f"{source}: not UTF-8 text (byte 0x{byte:02x} at offset {exc.start})"
        raise ConfigError(messages=[msg]) from None
    except OSError as exc:
        raise ConfigError(
            messages=[f"{source}: cannot read: {exc.strerror or exc}"]
        ) from None


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    system: Path = SYSTEM_CONFIG,
) -> Config:
    """Load the config: defaults, then the file (see `find_config`), credentials,
    environment; every problem of the settings is reported at once."""
    env = os.environ if env is None else env
    data = _read_toml(_defaults_text(), "defaults")
    source = "defaults"
    found = find_config(path, env, system)
    if found is not None:
        source = str(found)
        data = _merge(data, _read_toml(_read_file(found, source), source))
    data = _merge(data, _credentials(env.get("CREDENTIALS_DIRECTORY")))
    overrides, problems = _env_overrides(env)
    env_keys = {f"{s}.{k}" for s, keys in overrides.items() for k in keys}
    try:
        cfg = structure(_merge(data, overrides), source)
    except ConfigError as exc:
        problems.extend(_blame_env(m, env_keys) for m in exc.messages)
    if problems:
        raise ConfigError(messages=problems)
    return cfg


def _blame_env(message: str, env_keys: set[str]) -> str:
    """Point a problem at the environment variable when that is where it came from."""
    _, _, rest = message.partition(": ")
    key = rest.partition(": ")[0]
    if key in env_keys:
        section, _, name = key.partition(".")
        var = f"{ENV_PREFIX}{section.upper()}__{name.upper()}"
        return f"environment: {var}: {rest.partition(': ')[2]}"
    return message
