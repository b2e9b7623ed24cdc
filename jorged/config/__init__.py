"""The configuration: a frozen attrs tree, loaded once at the edge and passed down.

Sources, later ones winning: the embedded defaults (`config/jorged.toml`, shipped in
the package as `jorged/defaults/jorged.toml`), the file named by `--config` or
`$JORGED_CONFIG` (else /etc/jorged/jorged.toml when it exists), secrets from
`$CREDENTIALS_DIRECTORY` (files named `section.key`), and environment overrides
`JORGED_<SECTION>__<KEY>`. `check_state_dir` checks the state directory at start.

The sections live in `jorged.config.sections`, the loading and its error messages in
`jorged.config.loading`; other packages import them from here.
"""

from __future__ import annotations

from jorged.config.loading import (
    ENV_CONFIG,
    ENV_PREFIX,
    SECRETS,
    SYSTEM_CONFIG,
    find_config,
    load,
    structure,
)
from jorged.config.places import check_state_dir
from jorged.config.sections import (
    AnswersConfig,
    ApiConfig,
    Config,
    ControlConfig,
    DashboardConfig,
    DemoConfig,
    EventsConfig,
    GhlConfig,
    LeadsConfig,
    LlmConfig,
    LogConfig,
    MonitorConfig,
    RedisConfig,
    SellerConfig,
    StoreConfig,
    SuperviseConfig,
    TrackerConfig,
    WebConfig,
)

__all__ = [
    "ENV_CONFIG",
    "ENV_PREFIX",
    "SECRETS",
    "SYSTEM_CONFIG",
    "AnswersConfig",
    "ApiConfig",
    "Config",
    "ControlConfig",
    "DashboardConfig",
    "DemoConfig",
    "EventsConfig",
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
    "check_state_dir",
    "find_config",
    "load",
    "structure",
]
