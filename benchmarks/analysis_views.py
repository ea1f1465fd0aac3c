"""Median time to render the analyst overview (and the plan report) over 100,000 answers.

    .venv/bin/python benchmarks/analysis_views.py [--answers 100000] [--runs 7]
        [--backend sqlite|postgresql|both] [--report-runs 3]

Rows are generated directly with bulk inserts (no spaCy): redacted-looking texts assembled from
fragments written for this benchmark, each fragment carrying the line and theme it speaks to, so
counts, themes and quotes look like a coded consultation. PostgreSQL uses its own database
(``consulta_bench`` on the server of TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432)
so that it never touches the test suite's schema. The schema comes from ``db.create_all``.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

# (line, theme, fragment): wording written for this benchmark in everyday Medellín Spanish.
FRAGMENTS = [
    ("E1", "education_access", "que todos los pelados puedan seguir estudiando"),
    ("E1", "education_access", "que no saquen a nadie del colegio por no tener uniforme"),
    ("E1", "play_sport_culture", "más canchas iluminadas y clases de danza en la tarde"),
    ("E1", "play_sport_culture", "un parque bonito para jugar sin miedo"),
    ("E1", "family_bonds", "que en la casa haya tiempo para hablar con los hijos"),
    ("E1", "health_nutrition", "que el restaurante escolar no se acabe en vacaciones"),
    ("E1", "life_project_selfesteem", "que los muchachos tengan un sueño y alguien que los apoye"),
    ("E2", "online_grooming", "en las redes hay gente que se hace pasar por jóvenes"),
    ("E2", "online_grooming", "personas desconocidas escriben por los juegos en línea"),
    ("E2", "exchange_offers", "les ofrecen celular, ropa o plata a cambio de fotos"),
    ("E2", "tourism_nightlife", "los extranjeros buscan niñas en las zonas de rumba"),
    ("E2", "drugs_armed_groups", "el combo del sector recluta a las muchachas"),
    ("E2", "poverty_migration_risk", "las familias que llegan sin nada quedan muy expuestas"),
    ("E2", "sexuality_selfcare", "talleres de autocuidado en el colegio desde pequeños"),
    ("E2", "warning_signs_awareness", "enseñar a reconocer cuando alguien te quiere engañar"),
    ("E3", "whom_to_tell", "que haya alguien de confianza a quien contarle"),
    ("E3", "psychological_care", "atención psicológica rápida y sin tanto papeleo"),
    ("E3", "help_lines_services", "que todos sepan que pueden llamar a la línea 141"),
    ("E3", "revictimization", "que no las hagan repetir la historia mil veces"),
    ("E3", "victim_support_followup", "acompañar a la familia después de lo que pasó"),
    ("E4", "reporting", "a uno le da miedo denunciar porque después lo buscan"),
    ("E4", "police_inaction_corruption", "la policía sabe dónde es y no hace nada"),
    ("E4", "punishment_exploiters", "que castiguen de verdad a los que pagan"),
    ("E4", "venue_control", "cerrar los hoteles y residencias donde llevan menores"),
    ("E4", "police_presence", "más patrullaje por la noche en el parque"),
    ("T1", "community_organisation", "que la junta de acción comunal se organice para cuidar"),
    ("T1", "community_organisation", "los vecinos deberíamos estar pendientes unos de otros"),
    ("T2", "childrens_voice", "que nos pregunten a nosotros qué necesitamos"),
    ("T2", "youth_peer_groups", "un grupo de jóvenes que hable con otros jóvenes"),
    ("T3", "normalisation_beliefs", "mucha gente ve normal que una pelada ande con un señor"),
    ("T3", "machismo_narco_culture", "el que tiene moto y plata es el que manda"),
    ("T3", "victim_blaming", "dicen que ella se lo buscó y eso no es justo"),
    ("T3", "silence_complicity", "todo el mundo sabe pero nadie dice nada"),
    ("T4", "institutional_coordination", "las entidades no se hablan entre ellas"),
    ("T4", "budget_continuity", "los programas se acaban cuando cambia el contrato"),
    ("T4", "territorial_presence", "al corregimiento casi no llegan las instituciones"),
    ("T5", "data_underreporting", "no se sabe cuántos casos hay porque casi nadie denuncia"),
    ("T5", "research_monitoring", "que publiquen qué funcionó y qué no"),
]
EMPTY = ["no sé", "nada", "todo bien", "ninguna", "no tengo idea", "gracias por preguntar"]
OPENERS = ["", "Pienso que ", "Yo digo que ", "Para mí ", "En el barrio ", "La verdad "]
POPULATIONS = ("ninez", "adolescencia", "familias", "actores")
BANDS = {
    "ninez": ("6-8", "9-11"),
    "adolescencia": ("12-14", "15-17"),
    "familias": ("18-28", "29-59", "60+"),
    "actores": ("18-28", "29-59", "60+"),
}
TERRITORIES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 50, 60, 70, 80, 90)
CODEBOOK_VERSION = "2026.11.1"

# Indexes this benchmark asks the schema to gain (by migration; created here until then).
# SQLite: a covering index, so the overview's single scan never reads the wide answer rows.
# PostgreSQL plans a hash join over a sequential scan either way and gains nothing from it
# (JSON cannot be a btree key there), so it gets none.
REQUESTED_INDEXES = {
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS ix_answer_coding_cover "
        "ON answer (submission_id, codebook_version, line_mask, themes)"
    ],
    "postgresql": [],
}


def generated_text(rng: random.Random) -> tuple[str, list[str], list[str]]:
    if rng.random() < 0.12:
        return rng.choice(EMPTY), [], ["no_content"]
    picks = rng.sample(FRAGMENTS, rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
    body = ", y ".join(fragment for _, _, fragment in picks)
    text = rng.choice(OPENERS) + body
    text = text[0].upper() + text[1:] + "."
    if rng.random() < 0.05:
        text += " Mi vecina [NOMBRE] también lo ha visto."
    lines = sorted({line for line, _, _ in picks})
    themes = list(dict.fromkeys(theme for _, theme, _ in picks))
    return text, lines, themes


def fill(app, consultation_id: int, answers: int, seed: int = 7) -> dict:
    """Sessions, submissions and coded answers for one consultation, inserted in bulk."""
    from consulta.extensions import db
    from consulta.models import Answer, Encounter, Instrument, Submission
    from consulta.models.coding import lines_to_mask
    from consulta.services.instruments import definition_of

    rng = random.Random(seed)
    with app.app_context():
        instruments = {}
        for row in db.session.scalars(select(Instrument)):
            questions = [q for q in definition_of(row).questions if q.is_text]
            instruments[row.population] = (row.id, [(q.id, q.type) for q in questions])
        n_sessions = max(4, answers // 500)
        encounters = []
        for i in range(n_sessions):
            population = POPULATIONS[i % len(POPULATIONS)]
            encounters.append(
                {
                    "consultation_id": consultation_id,
                    "instrument_id": instruments[population][0],
                    "code": f"B{consultation_id:03d}{i:05d}"[:12],
                    "held_on": date(2027, 2, 1) + timedelta(days=(i * 3) % 240),
                    "territory_code": TERRITORIES[rng.randrange(len(TERRITORIES))],
                    "population": population,
                    "expected_participants": 30,
                    "guardian_authorisation_confirmed": True,
                    "status": "closed",
                }
            )
        db.session.execute(insert(Encounter), encounters)
        db.session.commit()
        rows = db.session.execute(
            select(Encounter.id, Encounter.population, Encounter.held_on).where(
                Encounter.consultation_id == consultation_id
            )
        ).all()
        made = 0
        submissions, answer_rows = [], []
        while made < answers:
            encounter_id, population, held_on = rows[rng.randrange(len(rows))]
            instrument_id, questions = instruments[population]
            sid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            submissions.append(
                {
                    "id": sid,
                    "encounter_id": encounter_id,
                    "instrument_id": instrument_id,
                    "received_on": held_on,
                    "age_band": rng.choice(BANDS[population]),
                    "gender": None,
                    "content_hash": uuid.uuid4().hex,
                }
            )
            for question_id, _ in questions:
                if made >= answers:
                    break
                text_value, lines, themes = generated_text(rng)
                answer_rows.append(
                    {
                        "submission_id": sid,
                        "question_id": question_id,
                        "value": text_value,
                        "auto_lines": lines,
                        "auto_themes": themes,
                        "themes": themes,
                        "line_mask": lines_to_mask(lines),
                        "confidence": {line: round(rng.uniform(0.5, 0.95), 2) for line in lines},
                        "evidence": [],
                        "redactions": [],
                        "codebook_version": CODEBOOK_VERSION,
                        "flagged": rng.random() < 0.01,
                        "flag_reasons": [],
                        "analyst_reviewed": False,
                    }
                )
                made += 1
            if len(answer_rows) >= 5000:
                _flush(db, Submission, Answer, submissions, answer_rows)
        _flush(db, Submission, Answer, submissions, answer_rows)
        return {"sessions": n_sessions, "answers": made}


def _flush(db, Submission, Answer, submissions, answer_rows) -> None:
    if submissions:
        db.session.execute(insert(Submission), submissions)
    if answer_rows:
        db.session.execute(insert(Answer), answer_rows)
    db.session.commit()
    submissions.clear()
    answer_rows.clear()


def postgres_url() -> str:
    """The benchmark's own database on the test server, created when missing."""
    from consulta.config import database_url

    raw = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    base = make_url(database_url(raw, ""))
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = 'consulta_bench'")
        ).scalar()
        if not exists:
            conn.execute(text("CREATE DATABASE consulta_bench"))
    engine.dispose()
    return base.set(database="consulta_bench").render_as_string(hide_password=False)


def build_app(backend: str, folder: str):
    from consulta import create_app
    from consulta.extensions import db
    from consulta.services import instruments

    if backend == "sqlite":
        uri = f"sqlite:///{folder}/bench.db"
    else:
        uri = postgres_url()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.create_all()
        with db.engine.begin() as conn:
            for statement in REQUESTED_INDEXES[db.engine.dialect.name]:
                conn.execute(text(statement))
        instruments.load_definitions()
    return app


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """Median wall-clock and median CPU time of this process (the app, and SQLite in it)."""
    times, cpu = [], []
    status = 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        status = response.status_code
    return statistics.median(times), statistics.median(cpu), status


def run(backend: str, answers: int, runs: int, report_runs: int) -> None:
    from consulta.extensions import db
    from consulta.models import Consultation
    from consulta.services import accounts
    from tests.app.helpers import PASSWORD, login

    logging.getLogger("consulta.requests").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(backend, folder)
        with app.app_context():
            consultation = Consultation(
                title="Benchmark", purpose="Medir", retention_until=date(2030, 1, 1)
            )
            db.session.add(consultation)
            accounts.create_user("analyst@bench.co", "analyst", PASSWORD)
            db.session.commit()
            cid = consultation.id
        start = time.perf_counter()
        made = fill(app, cid, answers)
        if backend == "postgresql":
            # What autovacuum does on a live server after a day of arrivals: fresh statistics.
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(
            f"[{backend}] filled {made['answers']:,} answers in {made['sessions']} sessions "
            f"({time.perf_counter() - start:.1f} s)"
        )
        client = app.test_client()
        response = login(client, "analyst@bench.co", PASSWORD)
        assert response.status_code == 302, "analyst login failed"
        cases = [
            ("overview", f"/analisis/resumen?consultation={cid}", runs),
            (
                "overview, population=adolescencia",
                f"/analisis/resumen?consultation={cid}&population=adolescencia",
                runs,
            ),
            ("overview, line=E2", f"/analisis/resumen?consultation={cid}&line=E2", runs),
            ("report", f"/analisis/informe?consultation={cid}", report_runs),
        ]
        for name, url, n in cases:
            if n <= 0:
                continue
            client.get(url)  # warm-up: templates, codebook, spaCy for the report
            median, cpu, status = timed(client, url, n)
            if status != 200:
                raise SystemExit(f"[{backend}] {name}: HTTP {status}")
            load = os.getloadavg()[0]
            print(
                f"[{backend}] {name}: median {median:.0f} ms over {n} runs "
                f"(app process CPU {cpu:.0f} ms; load average {load:.1f} on {os.cpu_count()} CPUs)"
            )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--report-runs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        run(backend, args.answers, args.runs, args.report_runs)


if __name__ == "__main__":
    main()
