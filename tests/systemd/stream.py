"""A stream of GHL webhooks, run inside the container while jorged restarts.

Standard library only (the container's python3). Posts InboundMessage webhooks to
`http://127.0.0.1:PORT/webhooks/ghl` on a new connection each, two at a time, until
STOP exists, retrying a 429 as GHL does; then writes what it saw to RESULT as JSON:
the acknowledged (contact, message id, time) triples, how many connections were refused, and
any other error.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

PORT, STOP, RESULT = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
lock = threading.Lock()
seen: dict[str, list] = {"acked": [], "refused": [], "errors": [], "statuses": []}
counts = {"429": 0, "sent": 0}


def post(body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request(
            "POST", "/webhooks/ghl", body, {"content-type": "application/json"}
        )
        return conn.getresponse().status
    finally:
        conn.close()


def deliver(contact: str, n: int) -> None:
    message_id = f"stream-{uuid.uuid4().hex[:12]}"
    body = json.dumps(
        {
            "type": "InboundMessage",
            "locationId": "loc-check",
            "contactId": contact,
            "messageId": message_id,
            "conversationId": f"conv-{contact}",
            "messageType": "SMS",
            "direction": "inbound",
            "contentType": "text/plain",
            "body": f"message {n}: thinking about selling",
            "dateAdded": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
    ).encode()
    for _attempt in range(120):
        try:
            status = post(body)
        except ConnectionRefusedError as exc:
            with lock:
                seen["refused"].append(f"{time.time():.3f} {exc}")
            time.sleep(0.25)
            continue
        except OSError as exc:  # reset, timeout: GHL would not retry these either
            with lock:
                seen["errors"].append(f"{time.time():.3f} {type(exc).__name__}: {exc}")
            return
        if status == 429:
            with lock:
                counts["429"] += 1
            time.sleep(0.25)
            continue
        with lock:
            if status == 200:
                seen["acked"].append([contact, message_id, time.time()])
            else:
                seen["statuses"].append(status)
        return
    with lock:
        seen["errors"].append(f"{message_id}: still 429 after 120 tries")


def worker(index: int) -> None:
    n = 0
    while not STOP.exists():
        n += 1
        deliver(f"stream-{index}-{n % 20}", n)
        time.sleep(0.02)  # about 50 a second in all: a busy day, not a benchmark
        with lock:
            counts["sent"] += 1


threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
RESULT.write_text(json.dumps({**seen, **counts}))
