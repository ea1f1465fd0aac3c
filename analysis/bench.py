"""``python -m analysis bench``: is the analysis as fast as the spaCy pass it rides on?

The ratio compares tag + redact + alert (``core.analyse_many``) with a bare ``nlp.pipe`` of the
same components over the same generated texts, measured in the same run in interleaved chunks
(alternating which goes first) so that warm-up and machine noise fall on both sides. A per-module
breakdown says whose code to speed up. ``--stream N`` pushes N generated JSON lines through the
CLI's ``tag`` loop and reports peak resident memory (``ru_maxrss``; tracemalloc is too slow).

The texts come from templates and vocabulary written for this benchmark (never the dev sets):
answers of children, adolescents, families and officials, with misspellings, personal data,
help requests and empty answers in realistic proportions.
"""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import time
from collections.abc import Iterator

from analysis import core, pipeline

CHUNK = 2_000

PEOPLE = [
    "mi prima",
    "mi vecina",
    "una amiga",
    "mi hermano",
    "un compañero",
    "la hija de la señora",
]
NAMES = [
    "Sara",
    "Juan Esteban",
    "Mariana",
    "Kevin",
    "Daniela Restrepo",
    "yeison",
    "Luisa",
    "Brayan",
]
PLACES = [
    "el parque",
    "la cancha",
    "la esquina",
    "el colegio",
    "la estación del metro",
    "la tienda",
]
ZONES = ["Manrique", "Robledo", "la comuna 13", "Belén", "San Cristóbal", "Castilla", "Aranjuez"]
ADULTS = ["unos señores", "un man", "los del combo", "un tipo en carro", "unos extranjeros"]
OFFERS = ["plata", "un celular", "ropa", "tenis de marca", "recargas", "salidas a comer"]
NEEDS = [
    "más profesores",
    "clases de música y danza",
    "canchas iluminadas",
    "psicólogos en el colegio",
    "talleres para los papás",
    "becas para estudiar",
    "que la policía venga más",
    "una línea para denunciar sin miedo",
]
ACTIONS = [
    "hablar con los niños",
    "acompañar a las familias",
    "hacer campañas",
    "vigilar los hoteles",
]
INSTITUTIONS = ["la Alcaldía", "el ICBF", "la Fiscalía", "la Comisaría de Familia", "la Secretaría"]
FILLERS = ["no sé", "nada", "jajaja", "gracias", "ninguna", "todo bien", "no se q decir"]
SPELLING = {"que": "q", "porque": "xq", "hacer": "aser", "necesitamos": "nesesitamos", "muy": "mui"}

TEMPLATES = [
    "en {zone} {adults} les ofrecen {offer} a las niñas para que se vayan con ellos",
    "Ojalá los profes expliquen cómo cuidarse en las redes porque hay gente que pide fotos",
    "necesitamos {need} y {need2} en {zone}",
    "{inst} debería {action} y no esperar a que pase algo",
    "yo quisiera que nos escucharan más a los jóvenes, que nos pregunten qué pensamos",
    "{person} {name} me contó que {adults} la esperan a la salida y le dan {offer}",
    "por {place} de {zone} se ve mucho consumo y los pelados se mantienen ahí solos",
    "las instituciones no se hablan entre ellas, cada una manda el caso para otro lado",
    "Hay que denunciar pero la gente tiene miedo porque el combo se entera",
    "mi mamá dice que si una niña anda con un señor mayor es porque ella quiere",
    "No existen cifras de los casos que se presentan en el sector ni hay seguimiento",
    "que los vecinos se organicen con la acción comunal del sector para cuidar a los niños",
    "me gusta jugar fútbol en {place} con mis amigos después de estudiar",
    "llamen a {name} al 300 {d3} {d4} si necesitan ayuda con el grupo juvenil",
    "escríbanle a {nick} al correo {nick}@gmail.com para lo del taller",
    "vivo en la Calle {d2} # {d2}-{d2} y por ahí pasan carros sin placa de noche",
    "{fill}",
    "{fill}",
    "ayuda, {adults} me escriben por instagram y me piden fotos, tengo miedo",
    "Los turistas llegan a {zone} buscando niñas y los hoteles no preguntan la edad",
    "en el colegio debería haber una persona de confianza para contarle lo que pasa",
    "El presupuesto del programa se acabó en junio y los profesionales se fueron",
    "q aya mas espacios pa los niños xq en {zone} no hay donde jugar",
    "las familias necesitan trabajo, la pobreza hace que los niños salgan a la calle",
]


def _fill(template: str, rng: random.Random) -> str:
    text = template.format(
        zone=rng.choice(ZONES),
        adults=rng.choice(ADULTS),
        offer=rng.choice(OFFERS),
        need=rng.choice(NEEDS),
        need2=rng.choice(NEEDS),
        inst=rng.choice(INSTITUTIONS),
        action=rng.choice(ACTIONS),
        person=rng.choice(PEOPLE),
        name=rng.choice(NAMES),
        place=rng.choice(PLACES),
        fill=rng.choice(FILLERS),
        nick=rng.choice(NAMES).split()[0].lower() + str(rng.randint(1, 99)),
        d2=rng.randint(10, 99),
        d3=rng.randint(100, 999),
        d4=rng.randint(1000, 9999),
    )
    if rng.random() < 0.25:  # children's spelling
        text = " ".join(SPELLING.get(word, word) for word in text.split())
    if rng.random() < 0.3:  # a second sentence makes lengths vary like real answers
        text += ". " + _fill(rng.choice(TEMPLATES[:13]), rng).capitalize()
    return text


def generate(n: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        yield _fill(rng.choice(TEMPLATES), rng)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _time(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def throughput(n: int, seed: int = 7) -> dict:
    nlp = pipeline.get_nlp()
    texts = list(generate(n, seed))
    codebook = core._codebook(None)
    for _ in core.analyse_many(texts[:200], codebook):  # warm-up: model, codebook, caches
        pass

    def raw(chunk):
        for _ in nlp.pipe(chunk, batch_size=pipeline.BATCH_SIZE):
            pass

    def full(chunk):
        for _ in core.analyse_many(chunk, codebook):
            pass

    raw_s = full_s = 0.0
    for i, at in enumerate(range(0, n, CHUNK)):
        chunk = texts[at : at + CHUNK]
        order = (raw, full) if i % 2 == 0 else (full, raw)
        for fn in order:
            elapsed = _time(lambda fn=fn, chunk=chunk: fn(chunk))
            if fn is raw:
                raw_s += elapsed
            else:
                full_s += elapsed
    return {
        "texts": n,
        "raw_texts_per_s": n / raw_s,
        "analysis_texts_per_s": n / full_s,
        "ratio": raw_s / full_s,
        "components": list(nlp.pipe_names),
        "breakdown_ms_per_1000": breakdown(texts[:CHUNK], codebook),
        "peak_rss_mb": peak_mb(),
    }


def breakdown(texts: list[str], codebook) -> dict[str, float]:
    """Milliseconds per 1,000 texts spent in each module after the shared spaCy pass."""
    from analysis.redaction import redact_doc
    from analysis.signals import assess_doc
    from analysis.tagger import tag_doc

    docs = list(pipeline.parse_many(texts))
    steps = {
        "tagger.tag_doc": lambda d: tag_doc(d, codebook),
        "redaction.redact_doc": redact_doc,
        "signals.assess_doc": assess_doc,
    }
    out = {name: _time(lambda fn=fn: [fn(d) for d in docs]) for name, fn in steps.items()}
    out["spacy (nlp.pipe)"] = _time(lambda: list(pipeline.parse_many(texts)))
    results = [core.Results(tag_doc(d, codebook), redact_doc(d), assess_doc(d)) for d in docs]
    out["core.build"] = _time(lambda: [core.build(r, codebook) for r in results])
    return {name: round(1000 * seconds * 1000 / len(docs), 1) for name, seconds in out.items()}


def stream(n: int, seed: int = 7) -> dict:
    from analysis.cli import Problems
    from analysis.cli import stream as cli_stream

    lines = (
        json.dumps({"id": f"b{i}", "text": text}, ensure_ascii=False).encode() + b"\n"
        for i, text in enumerate(generate(n, seed))
    )
    problems = Problems(sys.stderr)
    with open("/dev/null", "w", encoding="utf-8") as sink:
        elapsed = _time(lambda: cli_stream("tag", lines, sink, problems))
    return {
        "texts": n,
        "seconds": elapsed,
        "texts_per_s": n / elapsed,
        "failed_lines": problems.count,
        "peak_rss_mb": peak_mb(),
    }


def main(args, out: io.TextIOBase) -> int:
    if args.stream:
        figures = stream(args.stream, args.seed)
        text = (
            f"Flujo por `tag`: {figures['texts']} textos en {figures['seconds']:.1f} s "
            f"({figures['texts_per_s']:.0f} textos/s)\n"
            f"Líneas con error: {figures['failed_lines']}\n"
            f"Memoria máxima (RSS): {figures['peak_rss_mb']:.0f} MB  (objetivo: < 600 MB)"
        )
    else:
        figures = throughput(args.n, args.seed)
        parts = "\n".join(
            f"  {name:<22}{ms:>10.1f} ms / 1000 textos"
            for name, ms in figures["breakdown_ms_per_1000"].items()
        )
        text = (
            f"Textos generados: {figures['texts']}  (componentes: {', '.join(figures['components'])})\n"
            f"nlp.pipe sin análisis:       {figures['raw_texts_per_s']:8.1f} textos/s\n"
            f"tag + redact + alert:        {figures['analysis_texts_per_s']:8.1f} textos/s\n"
            f"Razón (análisis / nlp.pipe): {figures['ratio']:8.3f}  (objetivo: >= 0.8)\n"
            f"Memoria máxima (RSS):        {figures['peak_rss_mb']:8.0f} MB\n"
            f"Desglose:\n{parts}"
        )
    out.write((json.dumps(figures, indent=2) if args.json else text) + "\n")
    return 0
