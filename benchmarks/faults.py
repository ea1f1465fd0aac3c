"""Faults under load: a worker killed, PostgreSQL restarted, the SQLite file locked.

    .venv/bin/python benchmarks/faults.py                    # all three
    .venv/bin/python benchmarks/faults.py --fault pg-restart --down 10

Each fault runs against its own fresh store and gunicorn (``--workers 2``, rate limits lifted as
in city_day.py) while ``--tablets`` kiosk-like tablets (think time ``--think`` s) submit and
retry with the kiosk's back-off (2 s doubling, capped here at 16 s so a run ends):

- kill-worker: ``kill -9`` of one gunicorn worker mid-load (gunicorn forks a new one).
- pg-restart: PostgreSQL stopped (``pg_ctl stop -m fast``) for ``--down`` seconds, then started.
  The shared server on :5432 serves other people's tests, so this uses a throwaway cluster made
  with the same binaries (``initdb``/``pg_ctl`` from /usr/lib/postgresql/*/bin, run as the
  ``postgres`` user, data in /tmp, port chosen free): the same server software and the same
  restart, without stopping anyone else's database.
- sqlite-lock: another process holds ``BEGIN EXCLUSIVE`` on the SQLite file for ``--hold``
  seconds (longer than the 5 s busy timeout).

For each: responses by status during the fault, and at the end every acknowledged submission
stored exactly once. Pass: no 500 anywhere, every 503 carries a translated JSON error and
Retry-After, nothing lost, no duplicates, nothing stored that no tablet saw acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadlib  # noqa: E402
import tablets  # noqa: E402

RETRY = tablets.Retry(base=2.0, cap=16.0, give_up_after=120.0)


class ThrowawayPostgres:
    """A private PostgreSQL cluster in /tmp that this script may stop and start at will."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="consulta-faults-pg-"))
        self.port = loadlib.free_port()
        shutil.chown(self.dir, "postgres")
        self._as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.dir / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )
        self.start()

    def _as_postgres(self, *cmd: str) -> None:
        if os.geteuid() == 0:
            cmd = ("su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd))
        subprocess.run(cmd, check=True, capture_output=True)

    def start(self) -> None:
        options = f"'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1'"
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop"
        )

    @property
    def server_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/"

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def hold_sqlite_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another process takes the write lock and keeps it."""
    code = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True)\n"
        "time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    proc.stdout.readline()  # wait until the lock is really held
    return proc


def busy_worker(server: loadlib.Server, within: float = 3.0) -> tuple[int, bool]:
    """A worker caught running (most likely analysing a submission), else the first one."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for pid in server.workers():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[0] == "R":
                        return pid, True
            except OSError:
                continue
        time.sleep(0.005)
    return server.workers()[0], False


async def run_fault(args, name: str) -> dict:
    throwaway = ThrowawayPostgres() if name == "pg-restart" else None
    backend = "sqlite" if name == "sqlite-lock" else "postgresql"
    try:
        pg_server = throwaway.server_url if throwaway else loadlib.PG_SERVER
        store = loadlib.fresh_store(backend, "bench_faults", pg_server=pg_server)
        loadlib.prepare(store, args.sessions)
        with loadlib.Server(store, workers=2) as server:
            server.wait_ready(next(iter(store.codes)))
            tally = tablets.Tally()
            load = asyncio.create_task(
                tablets.run_tablets(
                    server.base, store.codes, args.tablets, args.seconds, args.think, RETRY, tally
                )
            )
            await asyncio.sleep(args.at)
            began = tally.at()
            if name == "kill-worker":
                victim, busy = await asyncio.to_thread(busy_worker, server)
                os.kill(victim, signal.SIGKILL)
                detail = f"SIGKILL worker {victim} ({'while running' if busy else 'idle'})"
            elif name == "pg-restart":
                await asyncio.to_thread(throwaway.stop, "fast")
                await asyncio.sleep(args.down)
                await asyncio.to_thread(throwaway.start)
                detail = f"pg_ctl stop -m fast, {args.down:.0f}s down, pg_ctl start"
            else:
                holder = await asyncio.to_thread(hold_sqlite_lock, store.sqlite_file, args.hold)
                await asyncio.to_thread(holder.wait)
                detail = f"BEGIN EXCLUSIVE held {args.hold:.0f}s by another process"
            ended = tally.at()
            await load
            server_500 = server.log_count(" 500 ")
            workers_after = len(server.workers())
        count = loadlib.count_stored(store, list(store.codes))
    finally:
        if throwaway:
            throwaway.remove()
    window = Counter(o for t, o in tally.timeline if began <= t <= ended + 2)
    overall = Counter(o for _, o in tally.timeline)
    return {
        "fault": name,
        "backend": backend,
        "detail": detail,
        "window": (began, ended),
        "during": window,
        "overall": overall,
        "server_500": server_500,
        "bad_503": tally.bad_503,
        "acked": len(tally.acked),
        "stored": count.stored,
        "duplicates": count.stored - count.distinct,
        "lost": len(set(tally.acked) - count.ids),
        "stored_unacked": len(count.ids - set(tally.acked)),
        "unacked": len(tally.unacked),
        "refused": sum(tally.refused.values()),
        "resent_200": tally.resends_acked_200,
        "answers_ok": count.answers == sum(tally.acked.values()),
        "workers_after": workers_after,
    }


def report(result: dict) -> bool:
    fmt = lambda c: ", ".join(f"{k} x{v}" for k, v in sorted(c.items())) or "none"  # noqa: E731
    five_hundreds = sum(
        v
        for k, v in result["overall"].items()
        if k.split()[-1].startswith("50") and k.split()[-1] != "503"
    )
    ok = (
        five_hundreds == 0
        and result["server_500"] == 0
        and result["bad_503"] == 0
        and result["lost"] == 0
        and result["duplicates"] == 0
        and result["stored_unacked"] == 0
        and result["unacked"] == 0
        and result["refused"] == 0
        and result["answers_ok"]
    )
    began, ended = result["window"]
    print(f"\n== {result['fault']} ({result['backend']}): {result['detail']}")
    print(f"   fault from t={began:.1f}s to t={ended:.1f}s")
    print(f"   during the fault (+2 s): {fmt(result['during'])}")
    print(f"   whole run:               {fmt(result['overall'])}")
    print(
        f"   500s: {five_hundreds} seen by tablets, {result['server_500']} in the server log; "
        f"503s without JSON error or Retry-After: {result['bad_503']}"
    )
    print(
        f"   acknowledged {result['acked']} (of which {result['resent_200']} by a 200 on a "
        f"resend), stored {result['stored']}, lost {result['lost']}, duplicates "
        f"{result['duplicates']}, stored but never acknowledged {result['stored_unacked']}, "
        f"given up {result['unacked']}, refused {result['refused']}, answers complete "
        f"{result['answers_ok']}, workers at the end {result['workers_after']}"
    )
    print(f"   {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault", choices=["kill-worker", "pg-restart", "sqlite-lock", "all"], default="all"
    )
    parser.add_argument("--tablets", type=int, default=20)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--at", type=float, default=12, help="seconds into the load")
    parser.add_argument("--down", type=float, default=8, help="PostgreSQL down for")
    parser.add_argument("--hold", type=float, default=12, help="SQLite lock held for")
    parser.add_argument("--sessions", type=int, default=4)
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    names = ["kill-worker", "pg-restart", "sqlite-lock"] if args.fault == "all" else [args.fault]
    print(
        f"{args.tablets} tablets, think {args.think:.0f}s, {args.seconds:.0f}s of load, fault at "
        f"{args.at:.0f}s; gunicorn --workers 2; rate limits lifted "
        f"({', '.join(loadlib.UNTHROTTLED)}); kiosk retry 2 s doubling, cap 16 s"
    )
    results = [asyncio.run(run_fault(args, name)) for name in names]
    passed = [report(r) for r in results]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"\n({time.monotonic() - started:.0f}s)")
    raise SystemExit(code)
