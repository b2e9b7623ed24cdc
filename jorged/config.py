"""The configuration: a frozen attrs tree, loaded once at the edge and passed down.

Sources, later ones winning: the embedded defaults (`config/jorged.toml`, shipped in
the package as `jorged/defaults/jorged.toml`), the file named by `--config` or
`$JORGED_CONFIG`, secrets from `$CREDENTIALS_DIRECTORY` (files named `section.key`),
and environment overrides `JORGED_<SECTION>__<KEY>`.
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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs

from jorged.exceptions import ConfigError
from jorged.passwords import is_hash

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


def _timezone(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"{attr.name}: unknown time zone {value!r}"
        raise ValueError(msg) from None


def _positive(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value <= 0:
        msg = f"{attr.name}: must be greater than 0, got {value!r}"
        raise ValueError(msg)


def _non_negative(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value < 0:
        msg = f"{attr.name}: must be 0 or more, got {value!r}"
        raise ValueError(msg)


def _fraction(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not 0 <= value <= 1:
        msg = f"{attr.name}: must be between 0 and 1, got {value!r}"
        raise ValueError(msg)


def _port(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not 1 <= value <= 65535:
        msg = f"{attr.name}: must be a port number from 1 to 65535, got {value!r}"
        raise ValueError(msg)


def _hour(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not 0 <= value <= 24:
        msg = f"{attr.name}: must be an hour from 0 to 24, got {value!r}"
        raise ValueError(msg)


def _percent(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not 0 < value <= 100:
        msg = (
            f"{attr.name}: must be a percentage above 0 and at most 100, got {value!r}"
        )
        raise ValueError(msg)


def _url(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value and not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value):
        msg = f"{attr.name}: must be a URL, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = attrs.field(default=8080, validator=_port)
    max_body_bytes: int = attrs.field(default=65536, validator=_positive)
    shutdown_timeout_s: float = attrs.field(default=10.0, validator=_positive)
    webhook_rate_per_contact_per_minute: int = attrs.field(
        default=120, validator=_positive
    )


@attrs.frozen(kw_only=True)
class ApiConfig:
    token: str = ""
    rate_per_client_per_minute: int = attrs.field(default=1200, validator=_positive)


@attrs.frozen(kw_only=True)
class DashboardConfig:
    username: str = "jorge"
    password_hash: str = ""
    session_secret: str = ""
    title: str = "jorged"


@attrs.frozen(kw_only=True)
class RedisConfig:
    enabled: bool = True
    url: str = attrs.field(default="redis://127.0.0.1:6379/0", validator=_url)
    connect_timeout_s: float = attrs.field(default=0.25, validator=_positive)
    socket_timeout_s: float = attrs.field(default=0.5, validator=_positive)
    max_connections: int = attrs.field(default=8, validator=_positive)
    breaker_cooldown_s: float = attrs.field(default=0.5, validator=_positive)
    breaker_max_cooldown_s: float = attrs.field(default=30.0, validator=_positive)
    resync_interval_s: float = attrs.field(default=1.0, validator=_positive)


@attrs.frozen(kw_only=True)
class StoreConfig:
    #: Directory of the disk store and journal; empty means $STATE_DIRECTORY or ./var.
    dir: str = ""
    closed_ttl_days: int = attrs.field(default=7, validator=_positive)


@attrs.frozen(kw_only=True)
class ControlConfig:
    #: Control socket; empty: $RUNTIME_DIRECTORY/control.sock or ./var/control.sock.
    socket: str = ""


@attrs.frozen(kw_only=True)
class LogConfig:
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "console", "json"] = "auto"


@attrs.frozen(kw_only=True)
class SuperviseConfig:
    max_restarts: int = attrs.field(default=5, validator=_positive)
    max_seconds: float = attrs.field(default=60.0, validator=_positive)
    backoff_initial_s: float = attrs.field(default=0.5, validator=_positive)
    backoff_max_s: float = attrs.field(default=30.0, validator=_positive)


@attrs.frozen(kw_only=True)
class SellerConfig:
    tone: Literal["direct", "friendly"] = "direct"
    engage_on_inbound: bool = True
    batch_window_s: float = attrs.field(default=2.0, validator=_non_negative)
    max_bot_messages: int = attrs.field(default=25, validator=_positive)
    max_bot_messages_days: int = attrs.field(default=30, validator=_positive)
    default_timezone: str = attrs.field(
        default="America/Los_Angeles", validator=_timezone
    )
    quiet_hours_start: int = attrs.field(default=21, validator=_hour)
    quiet_hours_end: int = attrs.field(default=8, validator=_hour)
    agent_name: str = "Jorge"
    business_name: str = "Jorge Sells Homes"
    agent_phone: str = ""
    booking_link: str = attrs.field(default="", validator=_url)
    opener: str = "Hey {first_name}, it's Jorge."
    stall_hours: float = attrs.field(default=48.0, validator=_positive)
    followup_days: tuple[int, ...] = (2, 5, 8, 11, 14, 17, 20, 23, 26, 29)
    longterm_interval_days: int = attrs.field(default=14, validator=_positive)
    longterm_max: int = attrs.field(default=10, validator=_non_negative)
    warm_timeline_max_days: int = attrs.field(default=180, validator=_positive)
    activation_tag: str = "Needs Qualifying"
    pause_tag: str = "Jorge-Active"
    stop_tags: tuple[str, ...] = ("AI-Off", "Stop-Bot", "Seller-Qualified", "Qualified")
    lanes: int = attrs.field(default=64, validator=_positive)


@attrs.frozen(kw_only=True)
class GhlConfig:
    #: Private integration or OAuth token; empty means sandbox mode (nothing is sent).
    token: str = ""
    location_id: str = ""
    base_url: str = attrs.field(
        default="https://services.leadconnectorhq.com", validator=_url
    )
    calendar_id: str = ""
    hot_workflow_id: str = ""
    pipeline_id: str = ""
    pipeline_stage_id: str = ""
    timeout_s: float = attrs.field(default=10.0, validator=_positive)
    rate_burst: int = attrs.field(default=100, validator=_positive)
    rate_window_s: float = attrs.field(default=10.0, validator=_positive)
    daily_cap: int = attrs.field(default=200_000, validator=_positive)
    max_retries: int = attrs.field(default=4, validator=_non_negative)
    retry_backoff_s: float = attrs.field(default=1.0, validator=_positive)
    #: RSA public key (PEM) for `x-wh-signature`; empty means GHL's published key.
    webhook_public_key: str = ""
    #: Ed25519 public key (PEM) for `x-ghl-signature`; empty: not accepted (GHL
    #: publishes no such key yet).
    webhook_ed25519_public_key: str = ""
    #: Shared secret for unsigned workflow webhooks (HMAC-SHA256 or URL token).
    webhook_secret: str = ""
    webhook_max_age_s: float = attrs.field(default=300.0, validator=_positive)
    #: GHL custom field ids of the seller fields (`seller_motivation = "<id>"`, ...):
    #: the contacts API takes ids only; a field without an id is not written.
    custom_field_ids: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class LlmConfig:
    provider: Literal["none", "anthropic"] = "none"
    api_key: str = ""
    model: str = "claude-haiku-4-5"
    base_url: str = attrs.field(default="", validator=_url)
    timeout_s: float = attrs.field(default=10.0, validator=_positive)
    max_tokens: int = attrs.field(default=512, validator=_positive)
    confidence_threshold: float = attrs.field(default=0.6, validator=_fraction)
    cost_per_call_usd: float = attrs.field(default=0.05, validator=_non_negative)
    input_usd_per_mtok: float = attrs.field(default=1.0, validator=_non_negative)
    output_usd_per_mtok: float = attrs.field(default=5.0, validator=_non_negative)


@attrs.frozen(kw_only=True)
class LeadsConfig:
    hot_score: int = attrs.field(default=80, validator=_non_negative)
    warm_score: int = attrs.field(default=60, validator=_non_negative)
    price_min: int = attrs.field(default=200_000, validator=_non_negative)
    price_max: int = attrs.field(default=800_000, validator=_positive)
    commission_rate: float = attrs.field(default=0.06, validator=_fraction)
    hot_pipeline_weight: float = attrs.field(default=0.6, validator=_fraction)
    warm_pipeline_weight: float = attrs.field(default=0.25, validator=_fraction)
    service_areas: tuple[str, ...] = (
        "Rancho Cucamonga",
        "Ontario",
        "Upland",
        "Fontana",
        "Chino Hills",
    )


@attrs.frozen(kw_only=True)
class TrackerConfig:
    window_hours: int = attrs.field(default=24, validator=_positive)
    snapshot_interval_s: float = attrs.field(default=60.0, validator=_positive)
    relative_accuracy: float = attrs.field(default=0.005, validator=_fraction)


@attrs.frozen(kw_only=True)
class EventsConfig:
    stream_maxlen: int = attrs.field(default=100_000, validator=_positive)
    retention_days: int = attrs.field(default=7, validator=_positive)
    subscriber_buffer: int = attrs.field(default=256, validator=_positive)


@attrs.frozen(kw_only=True)
class MonitorConfig:
    interval_s: float = attrs.field(default=10.0, validator=_positive)
    history: int = attrs.field(default=100, validator=_positive)
    cpu_warning: float = attrs.field(default=70.0, validator=_percent)
    cpu_critical: float = attrs.field(default=85.0, validator=_percent)
    memory_warning: float = attrs.field(default=75.0, validator=_percent)
    memory_critical: float = attrs.field(default=90.0, validator=_percent)
    disk_warning: float = attrs.field(default=80.0, validator=_percent)
    disk_critical: float = attrs.field(default=95.0, validator=_percent)
    reply_p95_warning_s: float = attrs.field(default=1.0, validator=_positive)
    reply_p95_critical_s: float = attrs.field(default=5.0, validator=_positive)
    error_rate_warning: float = attrs.field(default=5.0, validator=_percent)
    error_rate_critical: float = attrs.field(default=15.0, validator=_percent)


@attrs.frozen(kw_only=True)
class DemoConfig:
    enabled: bool = False
    conversations_per_minute: float = attrs.field(default=6.0, validator=_positive)


@attrs.frozen(kw_only=True)
class Config:
    web: WebConfig = WebConfig()
    api: ApiConfig = ApiConfig()
    dashboard: DashboardConfig = DashboardConfig()
    redis: RedisConfig = RedisConfig()
    store: StoreConfig = StoreConfig()
    control: ControlConfig = ControlConfig()
    log: LogConfig = LogConfig()
    supervise: SuperviseConfig = SuperviseConfig()
    seller: SellerConfig = SellerConfig()
    ghl: GhlConfig = GhlConfig()
    llm: LlmConfig = LlmConfig()
    leads: LeadsConfig = LeadsConfig()
    tracker: TrackerConfig = TrackerConfig()
    events: EventsConfig = EventsConfig()
    monitor: MonitorConfig = MonitorConfig()
    demo: DemoConfig = DemoConfig()

    @property
    def sandbox(self) -> bool:
        """True when no GHL token is configured: actions are recorded, not sent."""
        return not self.ghl.token

    def state_dir(self) -> Path:
        """Where the disk store and journal live."""
        if self.store.dir:
            return Path(self.store.dir)
        return Path(os.environ.get("STATE_DIRECTORY", "var").split(":")[0])

    def control_socket(self) -> Path:
        """Where the control socket lives."""
        if self.control.socket:
            return Path(self.control.socket)
        runtime = os.environ.get("RUNTIME_DIRECTORY")
        base = Path(runtime.split(":")[0]) if runtime else Path("var")
        return base / "control.sock"


# --- loading -------------------------------------------------------------------------


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
        if path.is_file():
            out.setdefault(section, {})[key] = path.read_text().strip()
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
