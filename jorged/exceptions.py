"""The errors jorged raises on purpose.

JorgedError
 +-- ConfigError            a config file or override is invalid (a line a problem)
 +-- StoreError
 |    +-- StoreUnavailable  neither Redis nor the disk store could take the write
 +-- ActorError             an actor could not answer (stopped, timed out, not started)
 |    +-- Starting          the daemon's actors are not all up yet
 +-- ControlError           the control socket could not be used
 +-- RequestError           a command or query cannot be done as asked (`field`)
 |    +-- Invalid           malformed: HTTP 422 (400 for the body), exit 2
 |    +-- NotFound          what it names does not exist: HTTP 404, exit 1
 |    +-- Conflict          the state forbids it now: HTTP 409, exit 1
 +-- GhlError               a GoHighLevel call failed for good
 +-- WebhookRejected        a webhook is refused (status and reason for the sender)
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


class JorgedError(Exception):
    """Base of every error jorged raises on purpose."""


@attrs.define(kw_only=True, eq=False)
class ConfigError(JorgedError):
    """The configuration is invalid; `messages` holds one line per problem."""

    messages: Sequence[str]

    def __str__(self) -> str:
        return "\n".join(self.messages)


class StoreError(JorgedError):
    """A storage operation failed."""


@attrs.define(kw_only=True, eq=False)
class StoreUnavailable(StoreError):
    """Neither backend could take the operation."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"store unavailable for {self.key}: {self.reason}"


@attrs.define(kw_only=True, eq=False)
class DiskUnavailable(StoreError):
    """The disk store cannot be written now (full, read-only, I/O errors)."""

    reason: str

    def __str__(self) -> str:
        return f"the disk store cannot be written: {self.reason}"


@attrs.define(kw_only=True, eq=False)
class ActorError(JorgedError):
    """An actor could not answer a request."""

    actor: str
    reason: str

    def __str__(self) -> str:
        return f"actor {self.actor}: {self.reason}"


@attrs.define(kw_only=True, eq=False)
class Starting(ActorError):
    """The daemon's actors are not all up yet; `phase` says what the start does."""

    actor: str = "daemon"
    reason: str = "not started yet"
    phase: str = "starting"


class ControlError(JorgedError):
    """The control socket could not be used."""


@attrs.define(kw_only=True, eq=False)
class RequestError(JorgedError):
    """A command or query cannot be done as asked; `field` names the culprit.

    `message`, when given, is what the user reads instead of "field: problem".
    The kind (the subclass) decides the HTTP status and the CLI's exit code.
    """

    field: str
    problem: str
    message: str = ""

    def __str__(self) -> str:
        return self.message or f"{self.field}: {self.problem}"


class Invalid(RequestError):
    """The request is malformed: a usage error."""


class NotFound(RequestError):
    """What the request names does not exist: a failure, not a usage error."""


class Conflict(RequestError):
    """The request is well formed but the state forbids it now."""


@attrs.define(kw_only=True, eq=False)
class GhlError(JorgedError):
    """A GoHighLevel API call failed and will not be retried."""

    operation: str
    status: int | None
    detail: str

    def __str__(self) -> str:
        status = "no response" if self.status is None else f"HTTP {self.status}"
        return f"GHL {self.operation} failed ({status}): {self.detail}"


@attrs.define(kw_only=True, eq=False)
class WebhookRejected(JorgedError):
    """A webhook is refused; `status` is the HTTP status to answer with."""

    status: int
    reason: str

    def __str__(self) -> str:
        return self.reason
