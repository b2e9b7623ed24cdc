"""The data side at 100,000 conversations: index build, dashboard, queries, exports.

The parent process writes `N` synthetic conversations (and a lead analysis for about
half of them) to a disk store, then starts a fresh Python process that does what the
daemon does with them, so its memory figures are honest:

- rebuilds the aggregator's index from the store (`Aggregator.rebuild`), then
  reports its resident memory with everything loaded (target < 300 MB);
- computes the dashboard it publishes (target p95 < 50 ms) and filtered, sorted page
  queries (target p95 < 100 ms);
- exports every row as CSV, JSON, PDF and XLSX (targets 3 s, -, 10 s, 30 s), with
  the peak resident memory over the loaded baseline, sampled every 5 ms.

    python -m bench.run --only data
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import resource
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

if __package__ in {None, ""}:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trio

from bench.framework import Context, Row, percentile
from jorged.domain.conversation.state import (
    Condition,
    ConversationState,
    Direction,
    Flags,
    Motivation,
    Slots,
    Stage,
    Temperature,
    TemperatureChange,
    TranscriptEntry,
    Urgency,
)
from jorged.domain.leads.analysis import (
    Financing,
    LeadAnalysis,
    LeadClass,
    TimelineBucket,
)
from jorged.store.codec import dumps
from jorged.store.store_protocol import Kind, Record

N = 100_000
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
#: Calls per latency row (a filtered query scans every conversation, so fewer).
DASHBOARD_CALLS = 500
CALLS_PER_QUERY = 20

FIRST_NAMES = (
    "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David",
    "Elizabeth", "José", "Nguyễn", "Zoë", "Sean", "Aaliyah", "Chen", "Priya",
    "Renée", "O'Connor", "Mohammed", "Sofía", "", 'Bob "BJ"', "Ana-Lucía", "Kim",
)  # fmt: skip
QUESTIONS = (
    (
        "Hey {name}, it's Jorge. What's got you considering wanting to sell, where "
        "would you move to?"
    ),
    (
        "If our team sold your home within the next 30 to 45 days, would that pose "
        "a problem for you?"
    ),
    (
        "How would you describe your home, would you say it's move in ready or "
        "would it need some work?"
    ),
    "What price would incentivize you to sell?",
)
ANSWERS = (
    "job transfer to Austin, need to be there by August",
    "we're getting divorced and need to split the house",
    "my mom passed and left us the house in Fontana",
    "kids are gone, want something smaller near Upland",
    "30 to 45 days would be tough, more like 3 months",
    "that works, the sooner the better honestly",
    "it's move in ready, new roof 2 years ago",
    "needs some work, the kitchen is original from the 80s",
    "I'd want at least 450k",
    "somewhere between 380 and 420",
    "not sure yet, what do you think it's worth?",
    "ok",
    "can you call me tomorrow after 5?",
    "STOP",
)
AREAS = ("Rancho Cucamonga", "Ontario", "Upland", "Fontana", "Chino Hills", "Pomona")
QUERIES = (
    {"temperature": "hot,warm", "sort": "price", "order": "desc"},
    {"q": "austin", "sort": "last_activity"},
    {"stage": "qualified", "sort": "name", "order": "asc", "page": "3"},
    {"price_min": "300000", "price_max": "500000", "timeline": "immediate"},
    {"stalled": "true", "sort": "temperature", "page": "2"},
    {"q": "909-555-01"},
    {"sort": "stage", "order": "asc", "page": "40"},
)


def conversation(i: int, rnd: random.Random) -> ConversationState:
    """A plausible conversation: a few questions and answers, slots, flags."""
    created = NOW - timedelta(minutes=rnd.randint(0, 90 * 24 * 60))
    asked = rnd.randint(0, 4)
    stage = Stage.QUALIFIED if asked == 4 and rnd.random() < 0.7 else list(Stage)[asked]
    name = rnd.choice(FIRST_NAMES)
    transcript = []
    at = created
    for q in range(max(asked, 1)):
        at += timedelta(seconds=rnd.randint(5, 40))
        transcript.append(
            TranscriptEntry(
                direction=Direction.OUT, text=QUESTIONS[q].format(name=name), at=at
            )
        )
        if q < asked:
            at += timedelta(minutes=rnd.randint(1, 600))
            transcript.append(
                TranscriptEntry(
                    direction=Direction.IN,
                    text=rnd.choice(ANSWERS),
                    at=at,
                    message_id=f"m{i}-{q}",
                )
            )
    temperature = rnd.choices(list(Temperature), weights=(2, 3, 5))[0]
    low = None
    if asked >= 4 or rnd.random() < 0.3:
        low = int(rnd.lognormvariate(12.9, 0.4)) // 5000 * 5000
    return ConversationState(
        contact_id=f"ghl{i:07d}x{rnd.randrange(16**6):06x}",
        created_at=created,
        updated_at=at,
        first_name=name,
        phone=f"+1909555{i % 10_000:04d}" if rnd.random() < 0.9 else "",
        timezone="America/Los_Angeles",
        stage=stage,
        slots=Slots(
            motivation=rnd.choice(list(Motivation)) if asked > 0 else None,
            urgency=rnd.choice(list(Urgency)) if asked > 0 else None,
            timeline_ok=rnd.choice([True, False]) if asked > 1 else None,
            timeline_days=rnd.choice([None, 30, 60, 90, 180]) if asked > 1 else None,
            condition=rnd.choice(list(Condition)) if asked > 2 else None,
            price_low=low,
            price_high=None if low is None else low + rnd.choice([0, 20_000, 50_000]),
        ),
        flags=Flags(
            stalled=rnd.random() < 0.15,
            paused=rnd.random() < 0.05,
            opted_out=rnd.random() < 0.03,
            booked=stage is Stage.QUALIFIED and rnd.random() < 0.3,
        ),
        temperature=temperature,
        transcript=tuple(transcript),
        temperature_history=(
            TemperatureChange(temperature=temperature, at=at, reason="answers"),
        ),
        qualified_at=at if stage is Stage.QUALIFIED else None,
    )


def lead(state: ConversationState, rnd: random.Random) -> LeadAnalysis:
    score = rnd.randint(0, 100)
    return LeadAnalysis(
        contact_id=state.contact_id,
        analyzed_at=state.created_at,
        price_low=state.slots.price_low,
        price_high=state.slots.price_high,
        price_bound=None if state.slots.price_low is None else "range",
        timeline=rnd.choice(list(TimelineBucket)),
        timeline_days=None,
        area=rnd.choice(AREAS),
        financing=rnd.choice(list(Financing)),
        has_phone=bool(state.phone),
        has_email=rnd.random() < 0.5,
        score=score,
        classification=(
            LeadClass.HOT
            if score >= 80
            else LeadClass.WARM
            if score >= 60
            else LeadClass.COLD
        ),
        reason="pattern match",
        in_price_band=None,
        estimated_commission=None,
        confidence=0.8,
        found=("price", "area"),
    )


async def populate(state_dir: Path, n: int) -> int:
    """Write `n` conversations and about n/2 lead analyses to a disk store."""
    from jorged.store.disk import DiskBackend  # the store's own backend, for speed

    rnd = random.Random(20250601)
    disk = DiskBackend.open(state_dir / "store", tombstone_ttl_s=7 * 86400.0)
    seq = 0
    try:
        batch: list[Record] = []
        for i in range(n):
            state = conversation(i, rnd)
            docs = [(f"seller:state:{state.contact_id}", dumps(state))]
            if rnd.random() < 0.5:
                docs.append(
                    (f"lead:analysis:{state.contact_id}", dumps(lead(state, rnd)))
                )
            for key, data in docs:
                seq += 1
                batch.append(Record(key=key, kind=Kind.VALUE, seq=seq, value=data))
            if len(batch) >= 2000:
                await disk.write(batch)
                batch = []
        await disk.write(batch)
    finally:
        disk.close()
    return seq


# --- the fresh process ----------------------------------------------------------------


def rss_mb() -> float:
    with Path("/proc/self/status").open() as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    msg = "VmRSS missing from /proc/self/status"
    raise RuntimeError(msg)


class RssSampler:
    """The highest resident set size seen while inside the `with` block."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(0.005)

    def __enter__(self) -> Self:
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def child(state_dir: Path, out_dir: Path) -> dict[str, object]:
    import nicegui  # noqa: F401 (the daemon's process holds the web stack too)
    import structlog

    from jorged.actors.dashboard.aggregator import Aggregator
    from jorged.config import Config, RedisConfig, StoreConfig
    from jorged.domain.dashboard.params import parse_query
    from jorged.domain.dashboard.query import ConversationQuery
    from jorged.exports import export
    from jorged.store import open_durable_store

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR)
    )
    result: dict[str, object] = {}
    gc.collect()
    result["rss_imports_mb"] = rss_mb()
    cfg = Config(
        store=StoreConfig(dir=str(state_dir)), redis=RedisConfig(enabled=False)
    )

    def no_events() -> object:
        msg = "the benchmark does not follow events"
        raise RuntimeError(msg)

    async def load() -> Aggregator:
        async with open_durable_store(cfg) as store:
            agg = Aggregator(cfg=cfg.leads, store=store, subscribe=no_events)  # type: ignore[arg-type]
            started = time.perf_counter()
            await agg.rebuild()
            result["build_s"] = time.perf_counter() - started
            return agg

    agg = trio.run(load)
    result["conversations"] = len(agg.index)
    result["leads"] = agg.statistics().leads
    result["build_peak_rss_mb"] = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    gc.collect()
    result["rss_loaded_mb"] = rss_mb()

    latencies = []
    for i in range(DASHBOARD_CALLS):
        t0 = time.perf_counter()
        agg.index.dashboard(NOW + timedelta(seconds=i))
        latencies.append(time.perf_counter() - t0)
    result["dashboard_s"] = latencies

    per_query = []
    for params in QUERIES:
        query = parse_query(params)
        latencies = []
        for _ in range(CALLS_PER_QUERY):
            t0 = time.perf_counter()
            page = agg.query(query)
            latencies.append(time.perf_counter() - t0)
        per_query.append({"total": page.total, "seconds": latencies})
    result["queries"] = per_query

    snapshot = agg.index.dashboard(NOW)
    everything = ConversationQuery()
    exports = {}
    for fmt in ("csv", "json", "pdf", "xlsx"):
        gc.collect()
        base = rss_mb()
        path = out_dir / f"export.{fmt}"
        with path.open("wb") as out, RssSampler() as rss:
            wall, cpu = time.perf_counter(), time.process_time()
            done = export(
                fmt,
                agg.rows(everything),
                out,
                snapshot=snapshot,
                filters=everything,
                generated_at=NOW,
            )
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        exports[fmt] = {
            "rows": done.rows,
            "bytes": done.bytes,
            "seconds": wall,
            "cpu_seconds": cpu,
            "rss_before_mb": base,
            "rss_peak_mb": rss.peak,
        }
        path.unlink()
    result["exports"] = exports
    return result


# --- the benchmark --------------------------------------------------------------------


def latency_row(name: str, samples: list[float], peak: float) -> Row:
    return Row(
        name=name,
        ops=len(samples),
        seconds=sum(samples),
        p50_ms=percentile(samples, 50) * 1000,
        p95_ms=percentile(samples, 95) * 1000,
        p99_ms=percentile(samples, 99) * 1000,
        peak_rss_mb=peak,
    )


def run(ctx: Context) -> list[Row]:
    state_dir = ctx.workdir / "state"
    started = time.perf_counter()
    records = trio.run(populate, state_dir, N)
    populated = time.perf_counter() - started
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_data",
            "--child",
            str(state_dir),
            str(ctx.workdir),
        ],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        msg = f"bench_data child failed:\n{proc.stderr.decode(errors='replace')}"
        raise RuntimeError(msg)
    r = json.loads(proc.stdout)
    loaded = r["rss_loaded_mb"]
    rows = [
        Row(
            name=f"store write {N:,} conv + leads (setup)",
            ops=records,
            seconds=populated,
            unit="records/s",
        ),
        Row(
            name=f"index build from store, {r['conversations']:,} conv, {r['leads']:,} leads",
            ops=r["conversations"],
            seconds=r["build_s"],
            unit="conv/s",
            peak_rss_mb=r["build_peak_rss_mb"],
        ),
        Row(
            name=f"RSS loaded (fresh process; {r['rss_imports_mb']:.0f} MB after imports)",
            ops=r["conversations"],
            seconds=r["build_s"],
            unit="conv/s",
            peak_rss_mb=loaded,
        ),
        latency_row(
            "Aggregator.dashboard (target p95 < 50 ms)", r["dashboard_s"], loaded
        ),
        latency_row(
            f"page query, all {len(QUERIES)} kinds below (target p95 < 100 ms)",
            [t for q in r["queries"] for t in q["seconds"]],
            loaded,
        ),
    ]
    for params, q in zip(QUERIES, r["queries"], strict=True):
        text = "&".join(f"{k}={v}" for k, v in params.items())
        rows.append(
            latency_row(f"  query {text} ({q['total']:,} match)", q["seconds"], loaded)
        )
    targets = {"csv": 3.0, "json": None, "pdf": 10.0, "xlsx": 30.0}
    for fmt, e in r["exports"].items():
        target = targets[fmt]
        limit = f"target < {target:.0f} s, " if target else ""
        rows.append(
            Row(
                name=(
                    f"export {fmt} {e['rows']:,} rows ({limit}{e['cpu_seconds']:.1f} s cpu, "
                    f"{e['bytes'] / 1e6:.1f} MB, +{e['rss_peak_mb'] - e['rss_before_mb']:.0f} MB RSS)"
                ),
                ops=e["rows"],
                seconds=e["seconds"],
                unit="rows/s",
                peak_rss_mb=e["rss_peak_mb"],
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="the fresh process of bench_data")
    parser.add_argument(
        "--child", nargs=2, metavar=("STATE_DIR", "OUT_DIR"), required=True
    )
    args = parser.parse_args()
    result = child(Path(args.child[0]), Path(args.child[1]))
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
