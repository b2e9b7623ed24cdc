"""The config's sections: a frozen attrs class per TOML table, under the root `Config`.

Every setting has a default. Field validators check one value each and name their
field in the message (`port: must be a port number from 1 to 65535, got 0`); rules
that relate several settings are checked after loading, in `jorged.config.loading`.

Every number is bounded on both sides: `_positive` and `_non_negative` also hold a
value under its ceiling, the field's `metadata["max"]` when it has one, else by the
unit its name ends in (`_s` a day, `_hours` a year, `_days` ten years), else a
billion. Loading refuses `inf` and `nan` before any validator runs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

__all__ = [
    "AnswersConfig",
    "ApiConfig",
    "Config",
    "ControlConfig",
    "DashboardConfig",
    "DemoConfig",
    "EventsConfig",
    "FriendlyAnswersConfig",
    "GhlConfig",
    "LeadsConfig",
    "LlmConfig",
    "LogConfig",
    "MonitorConfig",
    "RedisConfig",
    "SellerConfig",
    "StoreConfig",
    "SuperviseConfig",
    "TrackerConfig",
    "WebConfig",
]


def _timezone(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"{attr.name}: unknown time zone {value!r}"
        raise ValueError(msg) from None


#: The ceiling of a number by the unit its name ends in (see the module doc).
_CEILINGS = (("_s", 86_400), ("_seconds", 86_400), ("_hours", 8_760), ("_days", 3_650))
_MAX_COUNT = 1_000_000_000
#: The least length of `api.token` (a guessable token is no protection).
MIN_TOKEN_LENGTH = 16


def _ceiling(attr: attrs.Attribute[Any]) -> float:
    explicit: float | None = attr.metadata.get("max")
    if explicit is not None:
        return explicit
    for suffix, ceiling in _CEILINGS:
        if attr.name.endswith(suffix):
            return ceiling
    return _MAX_COUNT


def _below_ceiling(attr: attrs.Attribute[Any], value: Any) -> None:
    ceiling = _ceiling(attr)
    if value > ceiling:
        msg = f"{attr.name}: must be at most {ceiling:,}, got {value!r}"
        raise ValueError(msg)


def _key_prefix(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    # No glob characters: the prefix is used in SCAN patterns (jorged.store.redis_keys).
    if len(value) > 64 or not re.fullmatch(r"(?:[A-Za-z0-9_.-]+:)*", value):
        msg = (
            f"{attr.name}: must be empty or parts of letters, digits, '_', '.' or "
            f"'-', each ending with ':' (like 'jorged:' or 'jorged:loc1:'), "
            f"64 characters at most; got {value!r}"
        )
        raise ValueError(msg)


def _positive(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value <= 0:
        msg = f"{attr.name}: must be greater than 0, got {value!r}"
        raise ValueError(msg)
    _below_ceiling(attr, value)


def _non_negative(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value < 0:
        msg = f"{attr.name}: must be 0 or more, got {value!r}"
        raise ValueError(msg)
    _below_ceiling(attr, value)


def _token(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value and len(value) < MIN_TOKEN_LENGTH:
        msg = (
            f"{attr.name}: must be at least {MIN_TOKEN_LENGTH} characters, "
            f"got {len(value)}"
        )
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
    max_body_bytes: int = attrs.field(
        default=65536, validator=_positive, metadata={"max": 16 * 1024 * 1024}
    )
    shutdown_timeout_s: float = attrs.field(
        default=10.0, validator=_positive, metadata={"max": 300}
    )
    webhook_rate_per_contact_per_minute: int = attrs.field(
        default=120, validator=_positive
    )
    #: Host names the dashboard and API answer to besides loopback (else 421).
    allowed_hosts: tuple[str, ...] = ()
    #: Proxy addresses whose X-Forwarded-Proto / X-Forwarded-For are believed.
    trusted_proxies: tuple[str, ...] = ()
    #: Mark cookies Secure even when no request says it came over https.
    secure_cookies: bool = False


@attrs.frozen(kw_only=True)
class ApiConfig:
    token: str = attrs.field(default="", validator=_token)
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
    connect_timeout_s: float = attrs.field(
        default=0.25, validator=_positive, metadata={"max": 60}
    )
    socket_timeout_s: float = attrs.field(
        default=0.5, validator=_positive, metadata={"max": 60}
    )
    max_connections: int = attrs.field(default=8, validator=_positive)
    breaker_cooldown_s: float = attrs.field(default=0.5, validator=_positive)
    breaker_max_cooldown_s: float = attrs.field(default=30.0, validator=_positive)
    resync_interval_s: float = attrs.field(default=1.0, validator=_positive)
    #: Put before every Redis key and stream, so several daemons (one per GHL
    #: location) and other programs can share one Redis; empty: the bare names.
    key_prefix: str = attrs.field(default="jorged:", validator=_key_prefix)


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


def _one_text(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not value.strip() or len(value) > 160:  # one SMS
        msg = f"{attr.name}: must be one text of 1 to 160 characters, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class AnswersConfig:
    """One-line answers to a seller's questions back (SPEC 1.10), by question kind,
    in the direct tone; `{agent_name}` and `{business_name}` are filled in. The
    open question follows each answer."""

    who: str = attrs.field(
        default="It's {agent_name} with {business_name}, about selling your home.",
        validator=_one_text,
    )
    bot: str = attrs.field(
        default=(
            "I'm {agent_name}'s automated assistant. {agent_name} reads this "
            "conversation and can call you anytime."
        ),
        validator=_one_text,
    )
    number: str = attrs.field(
        default=(
            "Your number came to {business_name} as a homeowner who might sell. "
            "Reply STOP anytime and I won't text again."
        ),
        validator=_one_text,
    )
    commission: str = attrs.field(
        default=(
            "{agent_name} goes over fees with you directly, it depends on the home "
            "and the plan."
        ),
        validator=_one_text,
    )
    offer: str = attrs.field(
        default=(
            "{agent_name} will give you a real number once he knows a bit more about "
            "the home."
        ),
        validator=_one_text,
    )
    process: str = attrs.field(
        default=(
            "I ask a few quick questions, then {agent_name} calls you with your "
            "options. No obligation."
        ),
        validator=_one_text,
    )
    legit: str = attrs.field(
        default=(
            "Yes, it's {agent_name} with {business_name}, a local real estate team. "
            "Reply STOP anytime to opt out."
        ),
        validator=_one_text,
    )
    other: str = attrs.field(
        default="Good question, {agent_name} can go over that with you when he calls.",
        validator=_one_text,
    )


@attrs.frozen(kw_only=True)
class FriendlyAnswersConfig(AnswersConfig):
    """The answers of `AnswersConfig` in the friendly tone."""

    who: str = attrs.field(
        default="Hi! It's {agent_name} with {business_name}, about selling your home.",
        validator=_one_text,
    )
    bot: str = attrs.field(
        default=(
            "Good question! I'm {agent_name}'s automated assistant. {agent_name} "
            "reads this conversation and can call you anytime."
        ),
        validator=_one_text,
    )
    number: str = attrs.field(
        default=(
            "Your number came to {business_name} as a homeowner who might sell. "
            "Just reply STOP anytime and I won't text again."
        ),
        validator=_one_text,
    )
    commission: str = attrs.field(
        default=(
            "Great question! {agent_name} goes over fees with you directly, it "
            "depends on the home and your plans."
        ),
        validator=_one_text,
    )
    offer: str = attrs.field(
        default=(
            "{agent_name} would love to give you a real number once he knows a bit "
            "more about the home!"
        ),
        validator=_one_text,
    )
    process: str = attrs.field(
        default=(
            "Easy! I ask a few quick questions, then {agent_name} calls you with your "
            "options. No obligation at all."
        ),
        validator=_one_text,
    )
    legit: str = attrs.field(
        default=(
            "Totally fair! It's {agent_name} with {business_name}, a local real "
            "estate team. Reply STOP anytime to opt out."
        ),
        validator=_one_text,
    )
    other: str = attrs.field(
        default=(
            "Good question! {agent_name} can go over that with you when he calls."
        ),
        validator=_one_text,
    )


@attrs.frozen(kw_only=True)
class SpanishAnswersConfig(AnswersConfig):
    """The answers of `AnswersConfig` in Spanish (a conversation in Spanish)."""

    who: str = attrs.field(
        default=(
            "Le escribe {agent_name} de {business_name}, sobre la venta de su casa."
        ),
        validator=_one_text,
    )
    bot: str = attrs.field(
        default=(
            "Soy el asistente automatizado de {agent_name}. {agent_name} lee esta "
            "conversación y le puede llamar cuando guste."
        ),
        validator=_one_text,
    )
    number: str = attrs.field(
        default=(
            "Su número llegó a {business_name} como dueño de una casa que podría "
            "vender. Responda STOP y no le escribo más."
        ),
        validator=_one_text,
    )
    commission: str = attrs.field(
        default=(
            "{agent_name} le explica las comisiones directamente, depende de la casa "
            "y del plan."
        ),
        validator=_one_text,
    )
    offer: str = attrs.field(
        default=(
            "{agent_name} le dará un número real cuando sepa un poco más de la casa."
        ),
        validator=_one_text,
    )
    process: str = attrs.field(
        default=(
            "Le hago unas preguntas rápidas y luego {agent_name} le llama con sus "
            "opciones. Sin compromiso."
        ),
        validator=_one_text,
    )
    legit: str = attrs.field(
        default=(
            "Sí, es {agent_name} de {business_name}, un equipo local de bienes "
            "raíces. Responda STOP para no recibir más."
        ),
        validator=_one_text,
    )
    other: str = attrs.field(
        default="Buena pregunta, {agent_name} se lo puede explicar cuando le llame.",
        validator=_one_text,
    )


@attrs.frozen(kw_only=True)
class FriendlySpanishAnswersConfig(AnswersConfig):
    """The Spanish answers in the friendly tone."""

    who: str = attrs.field(
        default=(
            "¡Hola! Le escribe {agent_name} de {business_name}, sobre la venta de su "
            "casa."
        ),
        validator=_one_text,
    )
    bot: str = attrs.field(
        default=(
            "¡Buena pregunta! Soy el asistente automatizado de {agent_name}. "
            "{agent_name} lee esta conversación y le puede llamar cuando guste."
        ),
        validator=_one_text,
    )
    number: str = attrs.field(
        default=(
            "Su número llegó a {business_name} como dueño de una casa que podría "
            "vender. Solo responda STOP y no le escribo más."
        ),
        validator=_one_text,
    )
    commission: str = attrs.field(
        default=(
            "¡Buena pregunta! {agent_name} le explica las comisiones directamente, "
            "depende de la casa y de sus planes."
        ),
        validator=_one_text,
    )
    offer: str = attrs.field(
        default=(
            "¡A {agent_name} le encantaría darle un número real cuando sepa un poco "
            "más de la casa!"
        ),
        validator=_one_text,
    )
    process: str = attrs.field(
        default=(
            "¡Es fácil! Le hago unas preguntas rápidas y luego {agent_name} le llama "
            "con sus opciones. Sin ningún compromiso."
        ),
        validator=_one_text,
    )
    legit: str = attrs.field(
        default=(
            "¡Es justo preguntar! Es {agent_name} de {business_name}, un equipo "
            "local de bienes raíces. Responda STOP para no recibir más."
        ),
        validator=_one_text,
    )
    other: str = attrs.field(
        default="¡Buena pregunta! {agent_name} se lo puede explicar cuando le llame.",
        validator=_one_text,
    )


@attrs.frozen(kw_only=True)
class SellerConfig:
    tone: Literal["direct", "friendly"] = "direct"
    engage_on_inbound: bool = True
    batch_window_s: float = attrs.field(
        default=2.0, validator=_non_negative, metadata={"max": 60}
    )
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
    lanes: int = attrs.field(default=64, validator=_positive, metadata={"max": 4096})
    #: Answers to questions back, by question kind, per tone (SPEC 1.10).
    answers: AnswersConfig = AnswersConfig()
    answers_friendly: FriendlyAnswersConfig = FriendlyAnswersConfig()
    #: A conversation in Spanish: its opener and answers (the other texts are
    #: `jorged.domain.conversation.templates_es`); the CRM tag that makes a contact
    #: Spanish.
    opener_es: str = "Hola {first_name}, le escribe Jorge."
    answers_es: SpanishAnswersConfig = SpanishAnswersConfig()
    answers_es_friendly: FriendlySpanishAnswersConfig = FriendlySpanishAnswersConfig()
    spanish_tag: str = "Spanish"


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
    timeout_s: float = attrs.field(
        default=10.0, validator=_positive, metadata={"max": 300}
    )
    rate_burst: int = attrs.field(default=100, validator=_positive)
    rate_window_s: float = attrs.field(default=10.0, validator=_positive)
    daily_cap: int = attrs.field(default=200_000, validator=_positive)
    max_retries: int = attrs.field(default=4, validator=_non_negative)
    retry_backoff_s: float = attrs.field(default=1.0, validator=_positive)
    #: Up to this much, at random, is added to each retry's wait.
    retry_jitter_s: float = attrs.field(default=0.5, validator=_non_negative)
    #: GHL asking (Retry-After) for a longer wait than this fails the call instead;
    #: jorged's own doubling backoff stops growing at it.
    retry_after_max_s: float = attrs.field(default=60.0, validator=_positive)
    #: Every attempt of one call and every wait between them end within this.
    call_deadline_s: float = attrs.field(default=120.0, validator=_positive)
    #: RSA public key (PEM) for `x-wh-signature`; empty means GHL's published key.
    webhook_public_key: str = ""
    #: Ed25519 public key (PEM) for `x-ghl-signature`; empty means GHL's published key.
    webhook_ed25519_public_key: str = ""
    #: Shared secret for unsigned workflow webhooks (HMAC-SHA256 or URL token).
    webhook_secret: str = ""
    webhook_max_age_s: float = attrs.field(default=300.0, validator=_positive)
    #: How old a delivery carrying a `webhookId` may be: GHL redelivers after a 429
    #: every 10 minutes plus jitter, 6 times at most (about 70 minutes).
    webhook_redelivery_window_s: float = attrs.field(
        default=4500.0, validator=_positive
    )
    #: GHL custom field ids of the seller fields (`seller_motivation = "<id>"`, ...):
    #: the contacts API takes ids only; a field without an id is not written.
    custom_field_ids: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class LlmConfig:
    provider: Literal["none", "anthropic"] = "none"
    api_key: str = ""
    model: str = "claude-haiku-4-5"
    base_url: str = attrs.field(default="", validator=_url)
    timeout_s: float = attrs.field(
        default=10.0, validator=_positive, metadata={"max": 300}
    )
    max_tokens: int = attrs.field(
        default=512, validator=_positive, metadata={"max": 200_000}
    )
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
    window_hours: int = attrs.field(
        default=24, validator=_positive, metadata={"max": 24 * 31}
    )
    snapshot_interval_s: float = attrs.field(default=60.0, validator=_positive)
    relative_accuracy: float = attrs.field(default=0.005, validator=_fraction)


@attrs.frozen(kw_only=True)
class EventsConfig:
    stream_maxlen: int = attrs.field(
        default=100_000, validator=_positive, metadata={"max": 10_000_000}
    )
    retention_days: int = attrs.field(default=7, validator=_positive)
    subscriber_buffer: int = attrs.field(
        default=256, validator=_positive, metadata={"max": 100_000}
    )


@attrs.frozen(kw_only=True)
class MonitorConfig:
    interval_s: float = attrs.field(default=10.0, validator=_positive)
    history: int = attrs.field(
        default=100, validator=_positive, metadata={"max": 100_000}
    )
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
    conversations_per_minute: float = attrs.field(
        default=6.0, validator=_positive, metadata={"max": 6_000}
    )


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
