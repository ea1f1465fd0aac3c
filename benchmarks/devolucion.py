"""Time of the public devolución pages over 100,000 answers, uncached and cached.

    .venv/bin/python benchmarks/devolucion.py [--answers 100000] [--runs 5]
        [--backend sqlite|postgresql|both]

Rows come from ``analysis_views.fill`` (bulk inserts, about 1 % flagged). PostgreSQL uses its own
database, ``bench_devolucion`` on BENCH_PG_SERVER (default the local server), so it never
touches another benchmark's or the test suite's schema.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_views  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DATABASE = "bench_devolucion"


def postgres_url() -> str:
    from consulta.config import database_url

    raw = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/")
    base = make_url(database_url(raw, ""))
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
        ).scalar():
            conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    engine.dispose()
    return base.set(database=DATABASE).render_as_string(hide_password=False)


def build_app(backend: str, folder: str):
    from consulta import create_app
    from consulta.extensions import db
    from consulta.services import instruments

    uri = f"sqlite:///{folder}/bench.db" if backend == "sqlite" else postgres_url()
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
        with db.engine.begin() as conn:
            for statement in analysis_views.REQUESTED_INDEXES[db.engine.dialect.name]:
                conn.execute(text(statement))
        instruments.load_definitions()
    return app


def median_ms(client, url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(backend: str, answers: int, runs: int) -> None:
    from consulta.devolucion import numbers
    from consulta.extensions import db
    from consulta.models import Consultation

    logging.getLogger("consulta.requests").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(backend, folder)
        with app.app_context():
            row = Consultation(title="Bench", purpose="Medir", retention_until=date(2030, 1, 1))
            db.session.add(row)
            db.session.commit()
            cid = row.id
        made = analysis_views.fill(app, cid, answers)
        if backend == "postgresql":
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(f"[{backend}] {made['answers']:,} answers in {made['sessions']} sessions")
        with app.app_context():
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                numbers.compute(cid, 5)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"[{backend}] figures (two grouped scans): median {statistics.median(times):.0f} ms"
            )
        client = app.test_client()
        for name, path in (
            ("children", f"/devolucion/{cid}/ninos"),
            ("adults", f"/devolucion/{cid}"),
        ):
            app.config["DEVOLUCION_CACHE_SECONDS"] = 0
            client.get(path)
            cold = median_ms(client, path, runs)
            app.config["DEVOLUCION_CACHE_SECONDS"] = 60
            client.get(path)
            warm = median_ms(client, path, runs)
            print(f"[{backend}] {name} page: uncached median {cold:.0f} ms, cached {warm:.0f} ms")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.answers, args.runs)


if __name__ == "__main__":
    main()
