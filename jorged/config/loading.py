"""Loading the config: merge its sources, structure them strictly, name every problem.

`load` reads the embedded defaults, the config file, the credentials directory and
the environment, later ones winning, and hands the merged data to `structure`. Its
converter takes no extra keys and no lax types (`"8080"` is not a port), and every
problem becomes one line `source: section.key: what is wrong` of a `ConfigError`;
a problem that comes from the environment names its variable instead.
"""

from __future__ import annotations

import os
import re
import tomllib
import typing
from collections.abc import Mapping
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import cattrs

from jorged.config.sections import Config
from jorged.exceptions import ConfigError
from jorged.passwords import is_hash

__all__ = ["ENV_CONFIG", "ENV_PREFIX", "SECRETS", "load", "structure"]

T = TypeVar("T")

ENV_PREFIX = "JORGED_"
ENV_CONFIG = "JORGED_CONFIG"

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


def _format_errors(exc: Exception, source: str) -> list[str]:
    """One line per problem: `source: section.key: what is wrong`."""

    def fmt(err: BaseException, _type: Any) -> str:
        if isinstance(err, cattrs.ForbiddenExtraKeysError):
            keys = ", ".join(sorted(err.extra_fields))
            return f"unknown key(s) {keys}"
        if isinstance(err, KeyError):
            return "required key missing"
        return str(err)

    lines: list[str] = []
    for line in cattrs.transform_error(exc, path="", format_exception=fmt):
        what, _, where = line.rpartition(" @ ")
        where = where.lstrip(".").lstrip("$").lstrip(".")
        where = re.sub(r"\['([^']*)'\]", r".\1", where)
        if what.startswith("unknown key(s) "):
            keys = what.removeprefix("unknown key(s) ").split(", ")
            prefix = f"{where}." if where else ""
            lines.extend(f"{source}: {prefix}{k}: unknown key" for k in keys)
        else:
            named = re.match(r"^([a-z_0-9]+): (.*)$", what)
            if named:  # an attrs validator names its own field
                where = f"{where}.{named.group(1)}" if where else named.group(1)
                what = named.group(2)
            lines.append(f"{source}: {where or '(top)'}: {what}")
    return lines


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
        if path.is_file() and (value := path.read_text().strip()):
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
    if list(days) != sorted(set(days)) or any(d <= 0 for d in days):
        problems.append(
            f"{source}: seller.followup_days: must be increasing positive days, "
            f"got {list(days)!r}"
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
    """Build a Config from plain data, or raise ConfigError naming every problem."""
    try:
        cfg = _CONVERTER.structure(data, Config)
    except (cattrs.BaseValidationError, cattrs.ForbiddenExtraKeysError) as exc:
        raise ConfigError(messages=_format_errors(exc, source)) from None
    problems = _validate_relations(cfg, source)
    if problems:
        raise ConfigError(messages=problems)
    return cfg


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Load the config: defaults, then the file (if any), credentials, environment."""
    env = os.environ if env is None else env
    data = _read_toml(_defaults_text(), "defaults")
    source = "defaults"
    path = path if path is not None else env.get(ENV_CONFIG) or None
    if path is not None:
        source = str(path)
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(
                messages=[f"{source}: cannot read: {exc.strerror or exc}"]
            ) from None
        data = _merge(data, _read_toml(text, source))
    data = _merge(data, _credentials(env.get("CREDENTIALS_DIRECTORY")))
    overrides, problems = _env_overrides(env)
    if problems:
        raise ConfigError(messages=problems)
    if overrides:
        try:
            return structure(_merge(data, overrides), source)
        except ConfigError as exc:
            env_keys = {f"{s}.{k}" for s, keys in overrides.items() for k in keys}
            raise ConfigError(
                messages=[_blame_env(m, env_keys) for m in exc.messages]
            ) from None
    return structure(data, source)


def _blame_env(message: str, env_keys: set[str]) -> str:
    """Point a problem at the environment variable when that is where it came from."""
    _, _, rest = message.partition(": ")
    key = rest.partition(": ")[0]
    if key in env_keys:
        section, _, name = key.partition(".")
        var = f"{ENV_PREFIX}{section.upper()}__{name.upper()}"
        return f"environment: {var}: {rest.partition(': ')[2]}"
    return message
