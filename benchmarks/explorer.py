"""Benchmark: the answers explorer (and the exports) over 100,000 generated answers.

    .venv/bin/python benchmarks/explorer.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/explorer.py --backend sqlite --answers 20000

Fills one consultation with sessions, submissions and coded answers by bulk inserts (texts are
composed from generic phrases with placeholders, evidence spans, lines and themes; no spaCy),
then prints the median time to render: the first page, a middle page, a filtered page (line +
population) and a text search. Target: under 500 ms each. PostgreSQL uses its own database
(``consulta_bench_explorer``) so it never clashes with the test suite.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/")
PG_DATABASE = "consulta_bench_explorer"
TARGET_MS = 500
PASSWORD = "benchmark password 2027"

# Generic phrases, one theme each (written for this benchmark; not taken from any data set).
PHRASES = {
    "education_access": "los pelados puedan seguir estudiando en el colegio",
    "play_sport_culture": "haya más canchas y clases de baile los fines de semana",
    "health_nutrition": "no falte la comida en las casas del sector",
    "family_bonds": "en las casas traten con cariño a los niños",
    "online_grooming": "en las redes hay señores que les escriben a las niñas",
    "exchange_offers": "les ofrecen celulares y ropa a cambio de cosas",
    "tourism_nightlife": "por la noche llegan extranjeros a buscar muchachas",
    "drugs_armed_groups": "los combos ponen a los muchachos a trabajar para ellos",
    "sexuality_selfcare": "nos enseñen a cuidarnos el cuerpo",
    "whom_to_tell": "haya alguien de confianza a quien contarle",
    "psychological_care": "a las víctimas las atiendan psicólogos de verdad",
    "reporting": "la gente no denuncia porque le da miedo",
    "police_inaction_corruption": "la policía sabe lo que pasa y no hace nada",
    "punishment_exploiters": "castiguen a los que pagan por eso",
    "community_organisation": "los vecinos nos organicemos para cuidar la cuadra",
    "childrens_voice": "nos pregunten a nosotros lo que pensamos",
    "youth_peer_groups": "haya un grupo de jóvenes que hable con otros jóvenes",
    "normalisation_beliefs": "mucha gente cree que eso es normal",
    "machismo_narco_culture": "las niñas admiran al que tiene moto y plata",
    "institutional_coordination": "las entidades se pongan de acuerdo entre ellas",
    "territorial_presence": "la alcaldía venga más seguido al corregimiento",
    "data_underreporting": "nadie sabe cuántos casos hay de verdad",
}
OPENERS = ["", "Yo pienso que ", "Pues que ", "En mi barrio ", "Para mí ", "Ojalá "]
PLACEHOLDERS = [
    ("mi profe [NOMBRE] dice que ", "NOMBRE", 9, 17),
    ("llamen al [TELÉFONO] porque ", "TELÉFONO", 10, 20),
]
EMPTY = ["no sé", "nada", "jajaja", "gracias", "ninguna"]


def build_app(uri: str):
    from consulta import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8192,
        }
    )


def postgres_uri() -> str:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return (PG_SERVER + PG_DATABASE).replace("postgresql://", "postgresql+psycopg://", 1)


NO_INDEX = False  # set from --no-index
ANALYST_INDEXES = ("ix_encounter_consultation_date", "ix_submission_encounter_cover", "ix_answer_coded")


def drop_indexes() -> None:
    """The explorer's indexes live on the models (migration 7a1c3e9b2d40); --no-index drops
    them after create_all to show what they are worth."""
    from consulta.extensions import db

    with db.engine.begin() as conn:
        for name in ANALYST_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def reset_schema() -> None:
    from consulta.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def compose(rng: random.Random) -> dict:
    """One coded answer: text, evidence offsets into it, themes, lines, redactions."""
    if rng.random() < 0.08:
        return {"value": rng.choice(EMPTY), "themes": [], "evidence": [], "redactions": []}
    parts, evidence, redactions, themes = [], [], [], []
    cursor = 0
    opener = rng.choice(OPENERS)
    if rng.random() < 0.1:
        fragment, kind, start, end = rng.choice(PLACEHOLDERS)
        redactions.append({"type": kind, "start": cursor + start, "end": cursor + end})
        opener = fragment
    parts.append(opener)
    cursor += len(opener)
    for i, theme in enumerate(rng.sample(sorted(PHRASES), rng.choice((1, 1, 2, 2, 3)))):
        if i:
            joint = rng.choice([" y que ", ", también que ", ". Y "])
            parts.append(joint)
            cursor += len(joint)
        phrase = PHRASES[theme]
        evidence.append({"theme": theme, "start": cursor, "end": cursor + len(phrase)})
        parts.append(phrase)
        cursor += len(phrase)
        themes.append(theme)
    value = "".join(parts) + "."
    return {"value": value, "themes": themes, "evidence": evidence, "redactions": redactions}


def fill(app, answers: int, seed: int = 2027) -> int:
    """Bulk-insert one consultation with ``answers`` coded free-text answers; returns its id."""
    from consulta.extensions import db
    from consulta.instruments.definition import discover
    from consulta.models import Answer, Consultation, Encounter, Submission, lines_to_mask
    from consulta.profiles import BANDS_BY_POPULATION
    from consulta.services import instruments
    from consulta.services.text_analysis import current_codebook
    from consulta.territories import all_territories

    rng = random.Random(seed)
    codebook = current_codebook()
    theme_lines = {t.id: tuple(t.lines) for t in codebook.themes}
    instruments.load_definitions()
    text_questions = {d.slug: [q.id for q in d.questions if q.is_text] for d in discover()}
    consultation = Consultation(
        title="Benchmark del explorador", purpose="Medir", retention_until=date(2030, 1, 1)
    )
    db.session.add(consultation)
    db.session.flush()
    encounters = []
    for i in range(max(4, answers // 400)):
        slug = rng.choice(sorted(text_questions))
        encounters.append(
            Encounter(
                consultation_id=consultation.id,
                instrument_id=instruments.latest_version(slug).id,
                code=f"B{i:05d}{rng.randrange(16**4):04X}",
                held_on=date(2027, 2, 1) + timedelta(days=rng.randrange(300)),
                territory_code=rng.choice(all_territories()).code,
                population=slug,
                expected_participants=30,
                guardian_authorisation_confirmed=True,
            )
        )
    db.session.add_all(encounters)
    db.session.commit()
    submissions, rows, made = [], [], 0
    while made < answers:
        encounter = rng.choice(encounters)
        sid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        submissions.append(
            {
                "id": sid,
                "encounter_id": encounter.id,
                "instrument_id": encounter.instrument_id,
                "received_on": encounter.held_on,
                "age_band": rng.choice(BANDS_BY_POPULATION[encounter.population]),
                "gender": None,
                "content_hash": f"{rng.getrandbits(256):064x}",
            }
        )
        for qid in text_questions[encounter.population]:
            if made >= answers:
                break
            coded = compose(rng)
            lines = sorted({ln for t in coded["themes"] for ln in theme_lines.get(t, ())})
            rows.append(
                {
                    "submission_id": sid,
                    "question_id": qid,
                    **coded,
                    "auto_lines": lines,
                    "auto_themes": coded["themes"],
                    "confidence": {ln: 0.8 for ln in lines},
                    "codebook_version": str(codebook.version),
                    "flagged": rng.random() < 0.005,
                    "flag_reasons": [],
                    "line_mask": lines_to_mask(lines),
                    "analyst_reviewed": rng.random() < 0.02,
                }
            )
            made += 1
        if len(rows) >= 5000:
            _flush(db, Submission, Answer, submissions, rows)
    _flush(db, Submission, Answer, submissions, rows)
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map that
        # lets the planner answer from the indexes alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return consultation.id


def _flush(db, submission_model, answer_model, submissions: list, rows: list) -> None:
    if submissions:
        db.session.execute(insert(submission_model), submissions)
    if rows:
        db.session.execute(insert(answer_model), rows)
    db.session.commit()
    submissions.clear()
    rows.clear()


def median_ms(client, url: str, runs: int) -> float:
    response = client.get(url)  # warm-up (and a check that the page works)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and body
    return statistics.median(times)


def run(backend: str, answers: int, runs: int, exports: bool, keep: bool = False) -> bool:
    from consulta.extensions import db
    from consulta.models import Answer, Consultation
    from consulta.services import accounts

    workdir = Path(tempfile.gettempdir()) if keep else Path(tempfile.mkdtemp(prefix="bench-"))
    uri = (
        f"sqlite:///{workdir}/consulta-bench-explorer.db" if backend == "sqlite" else postgres_uri()
    )
    app = build_app(uri)
    logging.getLogger("consulta").setLevel(logging.WARNING)  # one log line per request otherwise
    with app.app_context():
        stored = 0
        if keep:
            db.create_all()
            stored = db.session.scalar(db.select(db.func.count()).select_from(Answer))
        if stored == answers:  # --keep and the same size: measure the data already there
            cid, filled = db.session.scalar(db.select(Consultation.id)), 0.0
        else:
            reset_schema()
            if NO_INDEX:
                drop_indexes()
            started = time.perf_counter()
            cid = fill(app, answers)
            filled = time.perf_counter() - started
            accounts.create_user("bench@analisis.co", "analyst", PASSWORD)
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"email": "bench@analisis.co", "password": PASSWORD})
    base = f"/analisis/respuestas?consultation={cid}"
    middle = (answers // 25) // 2
    # "Siguiente" from the page before the middle carries a cursor: what a reader clicks.
    html = client.get(f"{base}&page={middle - 1}").get_data(as_text=True)
    found = re.search(r'rel="next" href="([^"]+)"', html)
    following = found.group(1).replace("&amp;", "&") if found else f"{base}&page={middle}"
    cases = {
        "first page": base,
        f"middle page {middle} (Siguiente)": following,
        f"middle page {middle} (typed page=N)": f"{base}&page={middle}",
        "filtered (line E2 + adolescencia)": f"{base}&line=E2&population=adolescencia",
        "text search (q=denuncia)": f"{base}&q=denuncia",
        "filtered + search, page 3": f"{base}&line=E4&population=familias&q=policía&page=3",
    }
    print(
        f"\n{backend}: {answers} answers (filled in {filled:.1f} s); median of {runs} runs; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    ok = True
    for name, url in cases.items():
        ms = median_ms(client, url, runs)
        if "typed" in name:  # no link leads there: deep pages are reached by cursor
            print(f"  {name:<38} {ms:8.1f} ms  (informative)")
            continue
        ok &= ms < TARGET_MS
        print(f"  {name:<38} {ms:8.1f} ms  {'ok' if ms < TARGET_MS else 'SLOW'}")
    if exports:
        for name in ("respuestas.csv", "respuestas.json", "respuestas.xlsx", "resumen.csv"):
            start = time.perf_counter()
            size = len(client.get(f"/analisis/exportar/{name}?consultation={cid}").get_data())
            elapsed = (time.perf_counter() - start) * 1000
            print(f"  export {name:<31} {elapsed:8.1f} ms  ({size // 1024} KiB, once)")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-index", action="store_true", help="without the requested indexes")
    parser.add_argument("--exports", action="store_true", help="also time the exports (once)")
    parser.add_argument("--keep", action="store_true", help="reuse a filled database if present")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    global NO_INDEX
    NO_INDEX = args.no_index
    print("analyst indexes:", "dropped (--no-index)" if args.no_index else "as migrated")
    ok = all([run(b, args.answers, args.runs, args.exports, args.keep) for b in backends])
    print("\nall under", TARGET_MS, "ms" if ok else "ms: NO")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
