"""GoHighLevel: the API client (and its sandbox), webhook parsing and signatures."""

from __future__ import annotations

from jorged.ghl.api import CustomFieldValue, GhlApi, OpportunityStatus
from jorged.ghl.client import GhlClient, open_ghl
from jorged.ghl.models import CustomField, DndChannel, GhlCallRecord, GhlContact
from jorged.ghl.ratelimit import RateLimiter, RateLimitStatistics
from jorged.ghl.sandbox import SandboxCall, SandboxGhl
from jorged.ghl.signatures import AuthMethod, load_webhook_keys, sign_hmac
from jorged.ghl.webhook_events import (
    Appointment,
    AppointmentCreate,
    ContactCreate,
    ContactDndUpdate,
    ContactTagUpdate,
    ContactUpdate,
    Ignored,
    InboundMessage,
    OutboundMessage,
    WebhookEvent,
    parse_webhook,
)

__all__ = [
    "Appointment",
    "AppointmentCreate",
    "AuthMethod",
    "ContactCreate",
    "ContactDndUpdate",
    "ContactTagUpdate",
    "ContactUpdate",
    "CustomField",
    "CustomFieldValue",
    "DndChannel",
    "GhlApi",
    "GhlCallRecord",
    "GhlClient",
    "GhlContact",
    "Ignored",
    "InboundMessage",
    "OpportunityStatus",
    "OutboundMessage",
    "RateLimitStatistics",
    "RateLimiter",
    "SandboxCall",
    "SandboxGhl",
    "WebhookEvent",
    "load_webhook_keys",
    "open_ghl",
    "parse_webhook",
    "sign_hmac",
]
