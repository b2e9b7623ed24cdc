"""The control socket's commands for the seller and data sides (`jorgectl ...`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jorged.control.server import Handler
from jorged.domain.contact_ids import check_contact_id
from jorged.exceptions import BadRequest, NotFound
from jorged.quarantine import item_view

if TYPE_CHECKING:
    from jorged.runtime import Services

SELLER_COMMANDS = ("pause", "resume", "restart", "stop", "forget")


def control_commands(services: Services) -> dict[str, Handler]:
    """The control socket's seller and data commands, by name."""
    seller, data, held = services.seller, services.data, services.quarantine

    async def simulate(args: Mapping[str, Any]) -> Any:
        return await seller.simulate(
            check_contact_id(args.get("contact_id")), args.get("text", "")
        )

    async def conversation(args: Mapping[str, Any]) -> Any:
        contact_id = check_contact_id(args.get("contact_id"))
        view = await seller.view(contact_id)
        if view is None:
            raise NotFound(
                field="contact_id",
                problem="no such conversation",
                message=f"no conversation with contact {contact_id!r}",
            )
        return view

    async def seller_command(args: Mapping[str, Any]) -> Any:
        command = args.get("command")
        if command == "start":
            return await seller.start(args)
        if command == "language":
            return await seller.set_language(
                check_contact_id(args.get("contact_id")), args.get("language")
            )
        if command not in SELLER_COMMANDS:
            raise BadRequest(
                field="command",
                problem="one of start, language, " + ", ".join(SELLER_COMMANDS),
            )
        return await seller.command(check_contact_id(args.get("contact_id")), command)

    async def outbox(args: Mapping[str, Any]) -> Any:
        contact_id = args.get("contact_id")
        if contact_id is not None:
            check_contact_id(contact_id)
        return {"items": await seller.outbox_items(contact_id)}

    async def metrics(_args: Mapping[str, Any]) -> Any:
        return data.performance()

    async def conversations(args: Mapping[str, Any]) -> Any:
        params = {k: v for k, v in args.items() if v not in (None, "")}
        return data.conversations(params)

    async def events(args: Mapping[str, Any]) -> Any:
        since = args.get("since") or None
        limit = args.get("limit", 50)
        if not isinstance(limit, int):
            raise BadRequest(field="limit", problem="must be a whole number")
        return {"items": await data.recent_events(since, limit)}

    async def alerts(_args: Mapping[str, Any]) -> Any:
        snap = services.monitor.snapshot()
        return {k: snap[k] for k in ("checks", "active_alerts", "alerts")}

    async def quarantine(args: Mapping[str, Any]) -> Any:
        """`{"action": "list"}`, or show / retry / drop with `"id"`."""
        action = args.get("action", "list")
        if action == "list":
            return {"items": [item_view(i) for i in held.snapshot().items]}
        item_id = args.get("id")
        if not isinstance(item_id, str) or not item_id:
            raise BadRequest(field="id", problem="required, a quarantined item's id")
        if action == "show":
            return item_view(held.get(item_id))
        if action == "retry":
            return {"retried": item_view(await held.retry(item_id))}
        if action == "drop":
            return {"dropped": item_view(await held.drop(item_id))}
        raise BadRequest(field="action", problem="one of list, show, retry, drop")

    return {
        "simulate": simulate,
        "conversation": conversation,
        "seller": seller_command,
        "outbox": outbox,
        "metrics": metrics,
        "conversations": conversations,
        "events": events,
        "alerts": alerts,
        "quarantine": quarantine,
    }
