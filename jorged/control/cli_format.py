"""How `jorgectl` shows the daemon's answers to people: short texts and tables.

One `show_*` function per kind of answer, each taking the command's JSON result and
returning the text to print; `--json` prints the result itself instead. Missing
values show as `-` and booleans as `yes`/`no`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from jorged.plural import plural


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A plain text table with a header line."""
    cells = [[str(cell(r.get(c))) for c in columns] for r in rows]
    widths = [
        max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)
    ]
    lines = [
        "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True))
    ]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def cell(value: Any) -> Any:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _duration(seconds: float) -> str:
    s = int(seconds)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{d}d {h}h {m}m" if d else f"{h}h {m}m {s}s" if h else f"{m}m {s}s"


def show_status(result: Mapping[str, Any]) -> str:
    store = result.get("store") or {}
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(result["started_at"]))
    state = "ready" if result["ready"] else "NOT READY"
    if result.get("draining"):
        state += ", draining"
    ghl = "sandbox (nothing is sent)" if result["sandbox"] else "live"
    head = [
        f"jorged {result['version']} (pid {result['pid']}), {state}",
        f"up {_duration(result['uptime_s'])} since {started}",
        f"config: {result['config_source']}; GHL: {ghl}",
    ]
    if store:
        redis = (
            ("up" if store["redis_up"] else "DOWN") if store["redis_enabled"] else "off"
        )
        head.append(
            f"store: {store['backend']}; redis: {redis}; breaker: {store['breaker']}; "
            f"journal backlog: {store['journal_backlog']}"
        )
    actors = table(
        [
            {
                **a,
                "since": time.strftime("%H:%M:%S", time.localtime(a["since"])),
            }
            for a in result["actors"]
        ],
        ["name", "state", "restarts", "since", "last_error"],
    )
    return "\n".join([*head, "", actors])


def show_health(result: Mapping[str, Any]) -> str:
    if result["healthy"]:
        return "healthy"
    return "\n".join(["unhealthy:", *(f"  {p}" for p in result["problems"])])


def show_generic(result: Any) -> str:
    if isinstance(result, Mapping):
        return "\n".join(f"{k}: {cell(v)}" for k, v in result.items())
    if isinstance(result, list):
        return "\n".join(str(r) for r in result)
    return str(cell(result))


def show_check(result: Mapping[str, Any]) -> str:
    if result["valid"]:
        return "config ok"
    return "\n".join(result["problems"])


def show_conversation(view: Mapping[str, Any]) -> str:
    flags = [k for k, v in view["flags"].items() if v]
    slots = view["slots"]
    lines = [
        f"{view['contact_id']}: {view['stage']}, {view['temperature']}, "
        f"{view['questions_answered']}/4 answered"
        + (f" ({', '.join(flags)})" if flags else ""),
        "slots: " + ", ".join(f"{k}={cell(v)}" for k, v in slots.items()),
    ]
    if "language" in view:  # the language the bot writes in, and who chose it
        source = view.get("language_source")
        lines.append(
            f"writes in: {view['language']}" + (f" ({source})" if source else "")
        )
    # The seller's words each value was read from (absent from older daemons).
    lines.extend(
        f'  {name} from "{words}"'
        for name, words in view.get("slots_evidence", {}).items()
    )
    lines.append("")
    for entry in view["transcript"]:
        who = "seller" if entry["direction"] == "in" else "jorge "
        at = entry["at"][11:19]
        lines.append(f"{at} {who}  {entry['text']}")
    return "\n".join(lines)


def show_outbox(result: Mapping[str, Any]) -> str:
    rows = [
        {
            **i,
            "created_at": i["created_at"][:19],
            "does": (i.get("summary") or i.get("text") or "")[:100],
        }
        for i in result["items"]
    ]
    return table(rows, ["id", "kind", "status", "created_at", "does"])


def show_metrics(result: Mapping[str, Any]) -> str:
    rows = []
    for key in ("webhook", "reply", "ghl", "llm", "store"):
        lat = result[key]
        rows.append(
            {
                "latency": key,
                "count": lat["count"],
                "p50_ms": _ms(lat["p50"]),
                "p95_ms": _ms(lat["p95"]),
                "p99_ms": _ms(lat["p99"]),
            }
        )
    w = result["window"]
    traffic = (
        f"last {result['window_hours']} h: {plural(w['webhooks'], 'webhook')} "
        f"({w['webhook_error_rate'] * 100:.1f} % errors), {w['messages_in']} in, "
        f"{w['messages_out']} out, {w['qualified']} qualified"
    )
    calls = (
        f"GHL: {plural(w['ghl_calls'], 'call')}, {plural(w['ghl_errors'], 'error')}, "
        f"{w['ghl_rate_limited']} rate limited; LLM: {plural(w['llm_calls'], 'call')}, "
        f"${w['llm_cost_usd']:.2f}; saved ${w['saved_usd']:.2f}"
    )
    lines = [
        traffic,
        calls,
        "",
        table(rows, ["latency", "count", "p50_ms", "p95_ms", "p99_ms"]),
    ]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def show_conversations(result: Mapping[str, Any]) -> str:
    rows = [
        {
            **r,
            "price": r.get("price") or "-",
            "last_activity": r["last_activity"][:16].replace("T", " "),
        }
        for r in result["items"]
    ]
    head = (
        f"{plural(result['total'], 'conversation')}, page {result['page']} of "
        f"{max(result['pages'], 1)}"
    )
    cols = [
        "contact_id",
        "first_name",
        "stage",
        "temperature",
        "price",
        "questions_answered",
        "last_activity",
    ]
    return head + "\n\n" + table(rows, cols)


def show_events(result: Mapping[str, Any]) -> str:
    return "\n".join(event_line(e) for e in result["items"])


def event_line(e: Mapping[str, Any]) -> str:
    data = ", ".join(f"{k}={v}" for k, v in e["data"].items())
    return f"{e['at'][11:19]} {e['kind']:<28} {e['contact_id'] or '-':<16} {data}"


def show_alerts(result: Mapping[str, Any]) -> str:
    lines = ["active:" if result["active_alerts"] else "no active alerts"]
    lines += [f"  {a['level']}: {a['message']}" for a in result["active_alerts"]]
    if result["alerts"]:
        lines.append("recent:")
        for a in result["alerts"]:
            started = time.strftime("%m-%d %H:%M:%S", time.localtime(a["started_at"]))
            took = a["duration_s"]
            lasted = "ongoing" if took is None else f"{took:.0f} s"
            lines.append(f"  {started} {a['level']:<8} {lasted:<8} {a['message']}")
    return "\n".join(lines)


def show_quarantine(result: Mapping[str, Any]) -> str:
    """The held inputs, one a row (`jorgectl quarantine list`)."""
    if not result["items"]:
        return "nothing in quarantine"
    rows = [
        {
            **i,
            "quarantined_at": i["quarantined_at"][:19],
            "contact_id": i["contact_id"] or "-",
            "error": i["error"][:60],
        }
        for i in result["items"]
    ]
    columns = ["id", "source", "contact_id", "attempts", "quarantined_at", "error"]
    return table(rows, columns)


def show_quarantined(item: Mapping[str, Any]) -> str:
    """One held input with every failure and its traceback (`quarantine show`)."""
    lines = [
        f"{item['id']}: {item['summary'] or item['source'] + ' ' + item['key']}",
        (
            f"  source {item['source']} {item['key']}, actor {item['actor']}, "
            f"contact {item['contact_id'] or '-'}"
        ),
        f"  set aside {item['quarantined_at'][:19]} after {item['attempts']} failures",
    ]
    for n, failure in enumerate(item["failures"], 1):
        lines.append(f"  failure {n} at {failure['at'][:19]}: {failure['error']}")
        lines.extend(f"      {frame}" for frame in failure["traceback"])
    if item["payload"]:
        lines.append(f"  input: {item['payload'][:500]}")
    return "\n".join(lines)
