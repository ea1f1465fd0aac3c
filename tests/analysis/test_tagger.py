"""Coding free texts to the plan's lines, as analysts and the dashboard see it."""

import json
from pathlib import Path

import pytest

from analysis import LINES
from analysis.pipeline import parse, parse_many
from analysis.spelling import phonetic_key
from analysis.tagger import TagResult, tag, tag_doc

DEV = Path(__file__).resolve().parents[1] / "data" / "dev_lines.jsonl"


@pytest.mark.parametrize(
    ("standard", "spoken"),
    [
        ("necesitamos", "nesesitamos"),
        ("hacer", "aser"),
        ("que", "q"),
        ("que", "k"),
        ("porque", "xq"),
        ("por", "x"),
        ("también", "tbn"),
        ("llamar", "yamar"),
        ("hay", "ai"),
        ("vamos", "bamos"),
        ("psicólogo", "sicologo"),
        ("explotación", "esplotacion"),
        ("gente", "jente"),
        ("NIÑAS", "ninas"),
        ("nooo", "no"),
    ],
)
def test_childrens_spelling_meets_the_standard_spelling(standard, spoken):
    assert phonetic_key(standard) == phonetic_key(spoken)


def test_spelling_keeps_different_words_apart():
    assert phonetic_key("casa") != phonetic_key("cosa")
    assert phonetic_key("141") != phonetic_key("14")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("q ayan sicologos en el cole pa contarles las cosas", "E3"),
        ("nesesitamos q nos yeven a aser deporte y a jugar", "E1"),
        ("un man le escribio x insta a mi amiga y le pidio fotos", "E2"),
        ("q la polisia no ase nada cuando uno denunsia", "E4"),
        ("k nos escuchen a los niños tbn", "T2"),
    ],
)
def test_misspelt_texts_are_coded_like_well_spelt_ones(text, line):
    assert line in tag(text).lines


def test_denied_risk_is_not_coded_but_the_affirmed_one_is():
    assert "E2" not in tag("En mi barrio no hay combos, es muy tranquilo").lines
    assert "E2" not in tag("aqui nunca e visto turistas ni bares").lines
    assert "E2" in tag("En mi barrio los combos reclutan a los pelados").lines


def test_negation_that_is_advice_or_complaint_still_codes():
    assert "E2" in tag("que no acepten regalos de desconocidos").lines
    assert "E3" in tag("no hay psicólogos en el colegio").lines
    assert "E4" in tag("la policía no hace nada").lines
    assert "T3" in tag("eso no es normal").lines


def test_a_word_in_passing_does_not_code_a_line():
    assert tag("Mi tía trabaja en un hotel del centro").lines == []
    assert tag("me gusta el helado de fresa").lines == []
    coordination = tag("La Secretaría de Educación y la de Salud no se coordinan entre ellas")
    assert coordination.lines == ["T4"]


@pytest.mark.parametrize("text", ["no sé", "nada", "jajajaja", "gracias", "ok", "ninguna"])
def test_answers_without_content_get_no_line(text):
    result = tag(text)
    assert result.lines == [] and result.confidence == {}
    assert result.themes in ([], ["no_content"])


def test_several_lines_from_one_text():
    result = tag("Los turistas del Lleras pagan a las peladas y la policía no hace nada")
    assert {"E2", "E4"} <= set(result.lines)


def test_evidence_points_into_the_original_text():
    texts = [
        "Que en el colegio nos enseñen a no aceptar regalos de desconocidos en internet 🙏",
        "  La  policía\nrecibe plata y no hace nada; ¡qué vergüenza!",
        "Mi mamá dice que eso es normal, que así es la vida",
    ]
    for text in texts:
        result = tag(text)
        assert result.evidence
        for ev in result.evidence:
            assert text[ev.start : ev.end] == ev.text
            assert ev.theme in result.themes
        first_seen = list(dict.fromkeys(ev.theme for ev in result.evidence))
        assert result.themes == first_seen


def test_result_shape_lines_sorted_and_confidence_per_line():
    result = tag("Que metan a la cárcel a los que pagan y que haya psicólogos para las víctimas")
    assert isinstance(result, TagResult)
    assert result.lines == sorted(result.lines) and set(result.lines) <= set(LINES)
    assert set(result.confidence) == set(result.lines)
    assert all(0 < c <= 1 for c in result.confidence.values())


def test_tag_doc_reads_the_shared_doc_without_calling_the_model_again(monkeypatch):
    doc = parse("que haya canchas y clases de música")
    import analysis.pipeline as pipeline

    def refuse(*_args, **_kwargs):
        raise AssertionError("tag_doc must not run the model")

    monkeypatch.setattr(pipeline, "parse", refuse)
    monkeypatch.setattr(pipeline, "get_nlp", refuse)
    assert tag_doc(doc).lines == ["E1"]


def _dev_scores():
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    predicted = [tag_doc(doc).lines for doc in parse_many(r["text"] for r in rows)]
    f1 = {}
    for line in LINES:
        tp = sum(line in p and line in r["lines"] for p, r in zip(predicted, rows, strict=True))
        fp = sum(line in p and line not in r["lines"] for p, r in zip(predicted, rows, strict=True))
        fn = sum(line not in p and line in r["lines"] for p, r in zip(predicted, rows, strict=True))
        f1[line] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    empty = [p for p, r in zip(predicted, rows, strict=True) if not r["lines"]]
    return f1, sum(not p for p in empty) / len(empty)


@pytest.mark.slow
def test_dev_set_macro_f1_min_f1_and_empty_rate_meet_the_targets():
    f1, empty_rate = _dev_scores()
    assert sum(f1.values()) / len(f1) >= 0.80, f1
    assert min(f1.values()) >= 0.65, f1
    assert empty_rate >= 0.90


def test_conditional_proposals_are_understood():
    # "Si fueras alcalde..." answers: conditionals the model does not always lemmatise.
    assert "E4" in tag("yo capturaría a los proxenetas y cerraría esos moteles").lines
    assert "E3" in tag("le contaría a mi profe").lines


def test_a_place_named_as_the_object_of_control_is_not_a_prevention_code():
    result = tag("Que cierren los hoteles que reciben menores de edad")
    assert result.lines == ["E4"]
    assert "tourism_nightlife" not in result.themes


def test_a_bare_trusted_person_is_whom_to_tell_but_a_sentence_about_them_is_not():
    assert "E3" in tag("a mi tía").lines
    assert "E3" not in tag("mi tía trabaja en una panadería del centro y vende pan").lines


def test_each_theme_found_has_evidence_and_its_lines_are_coded():
    from analysis.codebook import load_codebook

    book = load_codebook()
    result = tag("los combos reclutan a los pelados y nadie dice nada por miedo")
    assert result.themes
    for theme_id in result.themes:
        assert any(ev.theme == theme_id for ev in result.evidence)
        assert set(book.theme(theme_id).lines) <= set(result.lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tourism intermediaries and the venues that let adults in with minors
        ("los del taxi saben donde estan las niñas y alla llevan a los gringos", {"E2"}),
        (
            "el portero del hotel deja subir a los señores con las peladas y le dan su comisión",
            {"E2", "E4"},
        ),
        ("en ese hotel reciben señores con niñas y nadie lo cierra", {"E2", "E4"}),
        # closing sites that sell images of minors: control and online risk
        ("q tumben esas paginas donde suben videos de niños", {"E2", "E4"}),
        # schools that know what to do, light and safe routes: protective settings
        (
            "que los profes tengan un protocolo y sepan cómo actuar si una alumna les cuenta algo",
            {"E2", "E3"},
        ),
        ("pongan lamparas en el parque q de noche es muy oscuro", {"E2"}),
        ("más alumbrado y cámaras en el parque y rutas seguras para ir a la escuela", {"E2"}),
        # children making campaigns; campaigns saying that paying is a crime
        ("nosotros podemos diseñar una campaña para los más pequeños del colegio", {"E2", "T2"}),
        (
            "campañas en redes sociales que digan que pagar por sexo con niñas es un delito",
            {"E2", "T3"},
        ),
        # punishing those who pay is justice, not an exchange offer
        ("castiguen a los que pagan por estar con niñas", {"E4"}),
        ("que los clientes no salgan libres al otro día", {"E4"}),
        # plan management: turnover, programmes ending halfway, shared systems, results
        ("cada año cambian los funcionarios y nadie sabe qué se hizo antes", {"T4"}),
        ("el programa se acabó a la mitad y nunca volvieron", {"T4"}),
        (
            "que la Fiscalía, el ICBF y la Secretaría tengan un sistema de información compartido",
            {"T4", "T5"},
        ),
        ("publicar los resultados del plan cada año para saber qué se logró", {"T4", "T5"}),
        (
            "en la comisaría me mandaron para la fiscalía y en la fiscalía para el icbf",
            {"E3", "T4"},
        ),
        # the community as an actor of silence; silence with hidden cases
        ("los vecinos saben lo que pasa pero se quedan callados por miedo", {"T1", "T3"}),
        ("todo se queda callado, por eso hay muchos más casos de los que aparecen", {"T3", "T5"}),
        # rights promotion only: playing with friends is not children's participation
        ("soy feliz cuando juego con mis amigos en el recreo", {"E1"}),
        ("mi profe me ayuda con las tareas y me explica con paciencia", {"E1"}),
        ("que las familias estén unidas y los papás compartan con los hijos", {"E1"}),
    ],
)
def test_generalisation_cases_written_from_the_guideline(text, expected):
    assert set(tag(text).lines) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "muchos niños no van a estudiar porque tienen que trabajar para ayudar en la casa",
            {"E1"},
        ),
        ("los niños de la vereda no estudian porque les toca trabajar en la finca", {"E1"}),
        ("reuniones en la cancha con el barrio para hablar de cómo cuidarnos entre todos", {"T1"}),
        ("el 123 no contesta cuando uno llama", {"E3"}),
        ("ayuda psicológica para las familias de las niñas víctimas", {"E3"}),
        (
            "ella tiene 14 y el novio tiene 35 pero como trae mercado a la casa la familia lo ve normal",
            {"E2", "T3"},
        ),
    ],
)
def test_passing_words_do_not_add_lines(text, expected):
    assert set(tag(text).lines) == expected


def test_a_passing_match_does_not_hide_an_overlapping_one_of_the_same_theme():
    # "venden fotos" yields to the closure of sites; "fotos de niñas" still stands.
    assert {"E2", "E4"} <= set(tag("que cierren las páginas que venden fotos de niñas").lines)


def test_a_driver_or_receptionist_in_passing_is_not_an_intermediary():
    assert "E2" not in tag("mi papá es taxista y lleva a mis hermanos al colegio").lines
    assert tag("mi tía es recepcionista en un hotel").lines == []
    assert "E2" in tag("los taxistas llevan a los extranjeros donde las niñas").lines
