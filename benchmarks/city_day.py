"""Benchmark: a city-wide day of tablets against gunicorn, on PostgreSQL and on SQLite.

    .venv/bin/python benchmarks/city_day.py                          # both backends, 2 minutes
    .venv/bin/python benchmarks/city_day.py --backend postgresql --seconds 60

For each backend: a fresh store (database ``bench_city_day`` on the local PostgreSQL server, or
a new SQLite file), ``flask db upgrade``, ``flask instruments load``, ``flask demo load`` (the
consultation) and ``flask sessions create`` for 12 sessions (niñez and adolescencia, one per
territory); then ``gunicorn --workers 2`` on a free port with the rate limits lifted
(RATELIMIT_SUBMISSIONS and RATELIMIT_SESSION_LOOKUP set to 1,000,000 per minute), and 60 tablets
that each GET their session, answer it whole with two open texts (so spaCy runs on every
submission) and POST it, retrying like the kiosk. Three phases on the same server:

- paced: think time exponential with mean ``--think`` seconds (default 10). A real child takes
  3-5 minutes per questionnaire, so 60 real tablets offer about 0.3 submissions/s; 10 s is ~20x
  denser (the load of ~1,100 tablets), enough for stable percentiles in two minutes.
- saturation: no think time (closed loop): the capacity of the server.
- trivial: the same concurrency on GET /api/v1/sessions/<code> (one indexed read, no spaCy)
  and on a static file (no database), for the ratio submissions/s / trivial GET/s.

Then the store is read directly: every acknowledged id must be stored exactly once, with all of
its answers. Target: zero errors, zero lost, paced p95 <= 300 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadlib  # noqa: E402
import tablets  # noqa: E402

TARGET_P95_MS = 300
# Trivial endpoints for the ratio: the tablet's session lookup (one indexed read and the
# instrument as JSON, no spaCy) and a static file (no database at all).
TRIVIAL = {"lookup": "/api/v1/sessions/{code}", "static": "/static/kiosk/kiosk.css"}


def summarise(name, backend, tally, tablets_n, seconds, offered, elapsed, stored_ids):
    errors = {k: v for k, v in tally.statuses.items() if not k.endswith((" 200", " 201"))}
    sent = tally.sent
    stored = len(stored_ids & sent)
    lost = len(set(tally.acked) - stored_ids)
    return {
        "backend": backend,
        "phase": name,
        "tablets": tablets_n,
        "seconds": seconds,
        "offered": offered,
        "throughput": len(tally.acked) / elapsed if elapsed else 0.0,
        "p50": tablets.percentile(tally.post_ms, 50),
        "p95": tablets.percentile(tally.post_ms, 95),
        "p99": tablets.percentile(tally.post_ms, 99),
        "get_p95": tablets.percentile(tally.get_ms, 95),
        "errors": ", ".join(f"{k}x{v}" for k, v in sorted(errors.items())) or "none",
        "acked": len(tally.acked),
        "stored": stored,
        "lost": lost,
        "resent_200": tally.resends_acked_200,
    }


def print_rows(rows: list[dict]) -> None:
    head = (
        f"{'backend':10} {'phase':10} {'tablets':>7} {'s':>4} {'offered/s':>9} {'thru/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'cpu ms':>6} {'acked':>6} {'stored':>6} "
        f"{'lost':>4}  errors"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['backend']:10} {r['phase']:10} {r['tablets']:>7} {r['seconds']:>4.0f} "
            f"{r['offered']:>9} {r['throughput']:>7.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} "
            f"{r['p99']:>7.0f} {r['cpu_ms']:>6.1f} {r['acked']:>6} {r['stored']:>6} {r['lost']:>4}  "
            f"{r['errors']}"
        )


def run_backend(args, backend: str) -> list[dict]:
    started = time.monotonic()
    store = loadlib.fresh_store(backend, "bench_city_day")
    loadlib.prepare(store, args.sessions)
    print(f"[{backend}] store ready in {time.monotonic() - started:.0f}s: {store.url}", flush=True)
    retry = tablets.Retry(base=2.0, cap=30.0)
    rows, acked_union, sent_union = [], {}, set()
    first_code = next(iter(store.codes))
    with loadlib.Server(
        store, workers=args.workers, threads=args.threads, project_conf=not args.flags_only
    ) as server:
        server.wait_ready(first_code)
        print(f"[{backend}] gunicorn {server.command} ({server.conf})", flush=True)
        # Warm-up: every worker loads spaCy and the codebook before anything is timed.
        warm = asyncio.run(tablets.run_tablets(server.base, store.codes, 8, 0.5, 0, retry))
        acked_union.update(warm.acked)
        sent_union |= warm.sent
        phases = []
        if "paced" in args.phases:
            phases.append(("paced", args.think, f"{args.tablets / args.think:.1f}"))
        if "saturation" in args.phases:
            phases.append(("saturation", 0.0, "closed"))
        results = []
        for name, think, offered in phases:
            began, cpu = time.monotonic(), time.process_time()
            server_cpu = server.cpu_snapshot(store)
            tally = asyncio.run(
                tablets.run_tablets(
                    server.base, store.codes, args.tablets, args.seconds, think, retry
                )
            )
            elapsed = time.monotonic() - began
            client_cpu = (time.process_time() - cpu) / elapsed
            used = loadlib.cpu_used(server_cpu, server.cpu_snapshot(store))
            print(
                f"[{backend}] {name}: {elapsed:.0f}s, client CPU {client_cpu:.0%}, "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            acked_union.update(tally.acked)
            sent_union |= tally.sent
            results.append((name, tally, offered, elapsed, used))
        trivial = []
        if "trivial" in args.phases:
            for name, path in TRIVIAL.items():
                began, server_cpu = time.monotonic(), server.cpu_snapshot(store)
                tally = asyncio.run(
                    tablets.hammer_get(
                        server.base,
                        path.format(code=first_code),
                        args.tablets,
                        args.trivial_seconds,
                    )
                )
                used = loadlib.cpu_used(server_cpu, server.cpu_snapshot(store))
                trivial.append((name, tally, time.monotonic() - began, used))
        server_500 = server.log_count(" 500 ")
    count = loadlib.count_stored(store, list(store.codes))
    for name, tally, offered, elapsed, used in results:
        row = summarise(
            name, backend, tally, args.tablets, args.seconds, offered, elapsed, count.ids
        )
        row["cpu_ms"] = 1000 * used / max(1, len(tally.acked))
        rows.append(row)
    for name, tally, elapsed, used in trivial:
        ok = tally.statuses["GET 200"]
        errors = {k: v for k, v in tally.statuses.items() if k != "GET 200"}
        rows.append(
            {
                "backend": backend,
                "phase": name,
                "tablets": args.tablets,
                "seconds": args.trivial_seconds,
                "offered": "closed",
                "throughput": ok / elapsed,
                "cpu_ms": 1000 * used / max(1, ok),
                "p50": tablets.percentile(tally.get_ms, 50),
                "p95": tablets.percentile(tally.get_ms, 95),
                "p99": tablets.percentile(tally.get_ms, 99),
                "errors": ", ".join(f"{k}x{v}" for k, v in errors.items()) or "none",
                "acked": "-",
                "stored": "-",
                "lost": "-",
            }
        )
    expected_answers = sum(acked_union.values())
    lost = set(acked_union) - count.ids
    unacked_stored = count.ids - set(acked_union)
    print(
        f"[{backend}] store check: acknowledged {len(acked_union)}, stored {count.stored} "
        f"(distinct {count.distinct}, duplicates {count.stored - count.distinct}), "
        f"lost {len(lost)}, stored but never acknowledged {len(unacked_stored)}, "
        f"answers stored {count.answers} of {expected_answers} sent, "
        f"server log lines with status 500: {server_500}",
        flush=True,
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--tablets", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=10.0, help="mean think time (paced)")
    parser.add_argument("--trivial-seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--flags-only", action="store_true", help="ignore gunicorn.conf.py (flags only)"
    )
    parser.add_argument(
        "--phases", default="paced,saturation,trivial", help="comma list of phases to run"
    )
    args = parser.parse_args(argv)
    args.phases = set(args.phases.split(","))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    rows = []
    for backend in backends:
        rows += run_backend(args, backend)
    print()
    print("cpu ms: server CPU (gunicorn and its PostgreSQL backends) per acknowledged submission")
    print("or per GET; errors: every status other than 200/201, and network errors, per phase.")
    print_rows(rows)
    for backend in backends:
        by_phase = {r["phase"]: r for r in rows if r["backend"] == backend}
        for name in TRIVIAL:
            if "saturation" in by_phase and name in by_phase:
                capacity, trivial = (
                    by_phase["saturation"]["throughput"],
                    by_phase[name]["throughput"],
                )
                cpu_ratio = by_phase[name]["cpu_ms"] / by_phase["saturation"]["cpu_ms"]
                print(
                    f"{backend}: {capacity:.1f} submissions/s / {trivial:.0f} {name} GET/s "
                    f"(same server, same run) = {capacity / trivial:.3f}; by server CPU per "
                    f"request = {cpu_ratio:.3f}"
                )
        if backend == "postgresql" and "paced" in by_phase:
            verdict = "met" if by_phase["paced"]["p95"] <= TARGET_P95_MS else "MISSED"
            print(f"postgresql paced p95 target {TARGET_P95_MS} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
