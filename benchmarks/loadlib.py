"""Shared set-up for the load benchmarks: a fresh store, real sessions made with the CLI, and a
gunicorn server started with explicit flags (so nothing depends on a gunicorn.conf.py).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

# The app under test: this checkout, or BENCH_APP_ROOT (e.g. a `git archive` snapshot of a commit
# while others have half-finished edits in the working tree).
ROOT = Path(os.environ.get("BENCH_APP_ROOT") or Path(__file__).resolve().parent.parent)
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/")
# Load tests must measure the server, not the per-session limiter: limits are lifted, and the
# reports say so.
UNTHROTTLED = {
    "RATELIMIT_SUBMISSIONS": "1000000 per minute",
    "RATELIMIT_SESSION_LOOKUP": "1000000 per minute",
    "RATELIMIT_PUBLIC_PAGES": "1000000 per minute",
    "RATELIMIT_JOIN_MISSES": "1000000 per minute",
}
# Territories of a city-wide day: comunas and corregimientos, one session per school/hall.
TERRITORIES = [1, 3, 4, 6, 7, 8, 10, 13, 16, 50, 60, 70, 80, 90]


@dataclass
class Store:
    backend: str
    url: str  # DATABASE_URL for the app
    sqlite_file: Path | None = None
    codes: dict[str, str] = field(default_factory=dict)  # code -> population


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_store(backend: str, name: str, pg_server: str = PG_SERVER) -> Store:
    """An empty database of our own: never the test suite's."""
    if backend == "sqlite":
        path = Path(tempfile.mkdtemp(prefix=f"{name}-")) / "consulta.db"
        return Store("sqlite", f"sqlite:///{path}", sqlite_file=path)
    admin = create_engine(
        pg_server.replace("postgresql://", "postgresql+psycopg://") + "postgres",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return Store("postgresql", pg_server + name)


# The documented `flask` commands, run through Click in one process: one app start-up instead of
# fifteen, which matters on a loaded machine.
_CLI = """
import json, sys
from run import app
outputs = []
for args in json.loads(sys.argv[1]):
    result = app.test_cli_runner().invoke(args=args)
    if result.exit_code:
        sys.exit("flask " + " ".join(args) + " failed: " + result.output[-2000:])
    outputs.append(result.output)
print(json.dumps(outputs))
"""


def flask(store: Store, *commands: list[str]) -> list[str]:
    env = {**os.environ, "DATABASE_URL": store.url, "FLASK_APP": "run.py"}
    done = subprocess.run(
        [sys.executable, "-c", _CLI, json.dumps(list(commands))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(store: Store, sessions: int) -> None:
    """`flask db upgrade`, `flask instruments load`, `flask demo load` (the consultation) and
    `flask sessions create` for each session (half niñez, half adolescencia)."""
    populations = ["ninez" if i % 2 == 0 else "adolescencia" for i in range(sessions)]
    creates = [
        [
            "sessions",
            "create",
            "--instrument",
            population,
            "--population",
            population,
            "--territory",
            str(TERRITORIES[i % len(TERRITORIES)]),
            "--expected",
            "40",
            "--guardian-authorisations-held",
        ]
        for i, population in enumerate(populations)
    ]
    outputs = flask(store, ["db", "upgrade"], ["instruments", "load"], ["demo", "load"], *creates)
    for population, out in zip(populations, outputs[3:], strict=True):
        store.codes[out.strip().splitlines()[-1]] = population


class Server:
    """gunicorn with explicit flags on a free port; stopped on exit."""

    def __init__(
        self,
        store: Store,
        workers: int = 2,
        threads: int = 1,
        extra_env: dict | None = None,
        project_conf: bool = True,
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(tempfile.mktemp(prefix="gunicorn-", suffix=".log"), "w+")  # noqa: SIM115
        env = {**os.environ, **UNTHROTTLED, "DATABASE_URL": store.url, **(extra_env or {})}
        cmd = [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--backlog",
            "2048",
            "run:app",
        ]
        # gunicorn reads ./gunicorn.conf.py (the production settings: keep-alive, worker
        # recycling, spaCy loaded at worker start); the flags above override what they name.
        conf = ROOT / "gunicorn.conf.py"
        if not project_conf or not conf.exists():
            empty = Path(tempfile.mkdtemp()) / "empty.conf.py"
            empty.write_text("")
            cmd[1:1] = ["--config", str(empty)]
        self.conf = "gunicorn.conf.py + flags" if "--config" not in cmd else "flags only"
        self.command = " ".join(cmd[1:])
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)

    def wait_ready(self, code: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/api/v1/sessions/{code}", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start; log:\n{self.tail()}")

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def cpu_snapshot(self, store: Store) -> dict[int, float]:
        """CPU seconds so far of gunicorn and of the PostgreSQL backends serving it. Unlike
        latency, CPU per request barely moves when other people's tests share the cores."""
        ticks = {}
        for pid in [self.proc.pid, *self.workers(), *backend_pids(store)]:
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used = int(fields[11]) + int(fields[12])  # utime + stime
            if pid == self.proc.pid:  # + workers that exited (recycled or killed) and were reaped
                used += int(fields[13]) + int(fields[14])
            ticks[pid] = used / os.sysconf("SC_CLK_TCK")
        return ticks

    def tail(self, lines: int = 40) -> str:
        self.log.flush()
        self.log.seek(0)
        return "".join(self.log.readlines()[-lines:])

    def log_count(self, needle: str) -> int:
        self.log.flush()
        self.log.seek(0)
        return sum(needle in line for line in self.log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()


@dataclass
class StoreCount:
    stored: int
    distinct: int
    answers: int
    ids: set[str]


def count_stored(store: Store, codes: list[str]) -> StoreCount:
    """What the store holds for the benchmark's sessions, read directly from the database."""
    url = store.url.replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    params = {f"c{i}": code for i, code in enumerate(codes)}
    placeholders = ", ".join(f":c{i}" for i in range(len(codes)))
    scope = f"s.encounter_id IN (SELECT id FROM encounter WHERE code IN ({placeholders}))"
    with engine.connect() as conn:
        ids = [
            str(r[0])
            for r in conn.execute(text(f"SELECT s.id FROM submission s WHERE {scope}"), params)
        ]
        answers = conn.execute(
            text(
                f"SELECT count(*) FROM answer a JOIN submission s ON s.id = a.submission_id WHERE {scope}"
            ),
            params,
        ).scalar_one()
    engine.dispose()
    return StoreCount(stored=len(ids), distinct=len(set(ids)), answers=answers, ids=set(ids))


def backend_pids(store: Store) -> list[int]:
    """PostgreSQL server processes serving the benchmark's database (pooled, so long-lived)."""
    if store.backend != "postgresql":
        return []
    name = store.url.rsplit("/", 1)[1]
    engine = create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://") + name)
    with engine.connect() as conn:
        pids = (
            conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return list(pids)


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots by the processes alive at the end."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
