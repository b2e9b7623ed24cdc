"""Run every `bench/bench_*.py` module, print one table, write bench/results/latest.json.

    python -m bench.run [--n 2000] [--only store]
    python bench/run.py

Each module exposes `run(ctx: Context) -> list[Row]`. A row may name a `baseline`
row measured in the same run; the last column is its throughput relative to it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import platform
import sys
import tempfile
import time
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import structlog

from bench.framework import Context, Row, running_redis

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"


def discover(only: str | None) -> list[str]:
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    return [n for n in names if only is None or n == f"bench_{only}"]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row]) -> str:
    by_name = {r.name: r for r in rows}
    head = (
        "name",
        "ops",
        "throughput",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "peak RSS MB",
        "vs baseline",
    )
    lines = [head]
    for r in rows:
        base = by_name.get(r.baseline) if r.baseline else None
        versus = f"{r.throughput / base.throughput:.2f}x {base.name}" if base else "-"
        lines.append(
            (
                r.name,
                str(r.ops),
                f"{r.throughput:,.0f} {r.unit}",
                _fmt(r.p50_ms),
                _fmt(r.p95_ms),
                _fmt(r.p99_ms),
                f"{r.peak_rss_mb:.1f}",
                versus,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for k, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(w) if i in {0, 7} else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=2000, help="operations per measured loop"
    )
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    args = parser.parse_args(argv)
    if args.n < 10:
        parser.error("--n: must be at least 10")
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR)
    )
    modules = discover(args.only)
    if not modules:
        parser.error(f"--only: no bench/bench_{args.only}.py")
    rows: list[Row] = []
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="jorged-bench-") as tmp,
        running_redis(Path(tmp) / "redis-dir") as server,
    ):
        redis_version = server.version()
        for name in modules:
            workdir = Path(tmp) / name
            workdir.mkdir()
            module = importlib.import_module(f"bench.{name}")
            rows.extend(module.run(Context(redis=server, workdir=workdir, n=args.n)))
    elapsed = time.perf_counter() - started
    print(table(rows))
    print(
        f"\n{len(rows)} rows in {elapsed:.1f} s (python {platform.python_version()}, redis {redis_version})"
    )
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "redis": redis_version,
        "n": args.n,
        "seconds": elapsed,
        "rows": [
            {
                "name": r.name,
                "ops": r.ops,
                "seconds": r.seconds,
                "throughput": r.throughput,
                "unit": r.unit,
                "p50_ms": r.p50_ms,
                "p95_ms": r.p95_ms,
                "p99_ms": r.p99_ms,
                "peak_rss_mb": r.peak_rss_mb,
                "baseline": r.baseline,
            }
            for r in rows
        ],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    tmp_path = RESULTS.with_suffix(".json.tmp")
    tmp_path.write_text(json.dumps(report, indent=2) + "\n")
    tmp_path.replace(RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
