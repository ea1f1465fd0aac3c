"""Safeguarding signals: the facilitator is alerted when a text reveals a specific child at risk.

The cases below were written for these tests from how children, adolescents, families and
institutions phrase disclosures in Colombian Spanish; none is taken from the development set.
"""

import dataclasses
import json
import re
import time
from pathlib import Path

import pytest

from analysis.pipeline import parse, parse_many
from analysis.signals import REASONS, SignalResult, assess, assess_doc
from analysis.signals_keys import key, prefix_is_stable
from analysis.signals_lexicon import SETS

DEV = Path(__file__).resolve().parents[1] / "data" / "dev_alerts.jsonl"
CUES = Path(__file__).resolve().parents[2] / "analysis" / "data" / "signals" / "cues.yaml"

# (text, a reason the facilitator must see)
DISCLOSURES = [
    ("mi tio me ase cosas en la noche y me duele", "sexual_abuse"),
    ("un amigo de mi papa me manosea cuando nadie ve", "sexual_abuse"),
    (
        "el profe de educación física me dice que me quede después de clase y me toca las piernas",
        "sexual_abuse",
    ),
    (
        "Se reporta caso: estudiante de 9 años refiere que el compañero sentimental de la madre le "
        "realiza tocamientos.",
        "sexual_abuse",
    ),
    ("un cucho me ofreció 200 mil por una foto sin ropa", "offer_for_sex"),
    (
        "La orientadora informa que una alumna de 14 años recibe dinero de un adulto a cambio de "
        "encuentros en un motel.",
        "offer_for_sex",
    ),
    ("a mi parcera la tienen trabajando en una residencia del centro y tiene 16", "offer_for_sex"),
    ("me escribió un man por insta y me pide fotos en ropa interior", "image_request"),
    (
        "Mi hijo de 10 años me contó que en el juego en línea un adulto le pidió que se quitara la "
        "ropa frente a la cámara.",
        "sexual_abuse",
    ),
    ("mi ex está rotando un video mío sin ropa por todos los grupos del colegio", "image_request"),
    (
        "me estan extorsionando con unas fotos que mande, dicen que si no les pago las publican",
        "threat_or_pressure",
    ),
    (
        "el duro del combo le dijo a mi hermanita que tiene que ir a la finca el sábado o si no nos "
        "pelan",
        "threat_or_pressure",
    ),
    (
        "q hago un señor me sigue hasta mi casa todos los dias y me dice q me suba a su carro",
        "meeting_pressure",
    ),
    (
        "hay un señor que me manda plata por nequi y ahora quiere que vaya a su apartamento",
        "meeting_pressure",
    ),
    ("tengo 14 y un señor de 45 me dice que es mi novio y me compra ropa", "grooming"),
    (
        "el celador del edificio le manda mensajes a mi hija de 11 diciéndole que es muy bonita y "
        "que no le cuente a nadie",
        "grooming",
    ),
    (
        "La vecina tiene una niña de 11 que la mamá deja sola y llegan señores en la noche.",
        "grooming",
    ),
    ("ayúdenme por favor no sé a quién contarle lo que me pasa en mi casa", "help_request"),
    ("me da miedo decirle a mi mamá que su novio me toca", "help_request"),
    (
        "Mi hija de 14 se volvió a escapar con unos tipos mayores que la recogen en moto, no sé qué "
        "hacer.",
        "help_request",
    ),
    # Order-free: the risk words co-occur in a sentence about one child, in no fixed phrasing.
    ("a mi primita de 6 el esposo de la niñera le baja los calzones", "sexual_abuse"),
    (
        "a la hija de mi vecina, que tiene 13, la vienen a buscar unos señores en carros lujosos",
        "meeting_pressure",
    ),
    ("mi hermana de 14 se está viendo con un policía de 35 a escondidas", "grooming"),
    (
        "tengo 16 y mi jefe del restaurante me dice que si no me dejo besar me echa",
        "threat_or_pressure",
    ),
    ("el señor que me cuida me pega con el cable cuando llega borracho", "physical_abuse"),
    (
        "un muchacho que conocí jugando en línea dice que si no le mando otra foto riega las que tiene",
        "image_request",
    ),
    ("quisiera contarle a alguien algo que me hicieron", "help_request"),
    # "si cuento" is the verb (I tell), not "un cuento" (a story): the threat keeps the alert.
    ("mi padrastro me toca y me dice que si cuento me pega", "sexual_abuse"),
    ("el marido de mi tía me manosea y dice que si le cuento a mi mamá me pega", "sexual_abuse"),
]

# (text, why it must stay quiet)
NOT_ALERTS = [
    ("En mi barrio muchas peladas salen con cuchos por plata y la gente lo ve normal", "general"),
    ("Hay mucho turista que viene a buscar niñas y la policía no hace nada.", "general"),
    (
        "Yo creo que a muchas niñas les piden fotos por redes sociales y los papás no se dan cuenta.",
        "opinion",
    ),
    ("q la gente no diga q es normal q una niña tenga novio de 30 años", "opinion"),
    (
        "Que en los colegios enseñen a los niños a decir no cuando alguien los quiere tocar",
        "proposal",
    ),
    (
        "Propongo que en cada colegio haya una persona a quien uno pueda contarle si lo tocan.",
        "proposal",
    ),
    ("Si un adulto te ofrece plata por fotos, cuéntale a un profe", "hypothetical"),
    (
        "Si mi hija me contara que alguien la toca, la llevaría al médico y denunciaría",
        "hypothetical",
    ),
    ("mi abuelo me regala plata cuando le ayudo a barrer el patio", "harmless anecdote"),
    ("me toca cuidar a mi hermanito cuando mi mamá trabaja", "harmless anecdote"),
    ("el profe de música me enseña a tocar guitarra", "harmless anecdote"),
    ("mi papá me recoge en el carro a la salida del colegio", "harmless anecdote"),
    ("mi hermano me pide que le mande las fotos del paseo", "harmless anecdote"),
    ("mi prima de 15 tiene novio de 16 y se quieren mucho", "harmless anecdote"),
    ("jajaja mi amiga me amenazó con subir mis fotos de bebé a insta", "harmless anecdote"),
    ("Ningún adulto me ha pedido fotos, pero sé que pasa", "negated"),
    ("A mí nunca me han ofrecido plata por nada de eso, gracias a Dios.", "negated"),
    ("Salió en el noticiero que un profesor abusaba de sus alumnas en Bello", "news"),
    ("hicimos una obra de teatro sobre una niña que la obligan a mandar fotos", "fiction"),
    ("mi primo me pegó sin querer jugando en el parque", "play"),
    ("a ningún niño se le debe pegar con correa", "opinion"),
    ("en el cuento que leímos un señor toca a una niña", "fiction"),
    (
        "Hace 15 años mi tío abusó de mí y nunca lo denuncié, ahora soy mamá y quiero proteger a "
        "mis hijos.",
        "adult's childhood memory",
    ),
    ("necesito ayuda para la exposición de ética sobre los derechos de los niños", "homework"),
    ("No sé qué hacer en vacaciones, me aburro mucho", "everyday worry"),
    ("mi mamá me encierra en el cuarto cuando me porto mal", "harmless anecdote"),
    ("el señor del taxi nos llevó al aeropuerto de noche", "harmless anecdote"),
    ("Mi vecina me contó que hay un hotel en el Centro donde entran señores con niñas.", "general"),
]


@pytest.mark.parametrize(("text", "reason"), DISCLOSURES)
def test_a_disclosure_alerts_the_facilitator_with_its_reason(text, reason):
    result = assess(text)
    assert result.alert, text
    assert reason in result.reasons, result.reasons


@pytest.mark.parametrize(("text", "category"), NOT_ALERTS)
def test_talk_about_the_problem_does_not_alert(text, category):
    result = assess(text)
    assert not result.alert, (category, result.reasons, [text[a:b] for a, b in result.evidence])


def test_every_reason_is_exercised_by_the_cases_above():
    assert {reason for _, reason in DISCLOSURES} == set(REASONS)


def test_every_reason_has_a_plain_description_in_spanish_and_english():
    for code, text in REASONS.items():
        assert code.islower() and set(text) == {"es", "en"}
        assert len(text["es"]) > 20 and len(text["en"]) > 20


def test_evidence_points_at_the_words_of_the_original_text():
    text = "Porfa ayúdenme, el señor del 2° piso me pidió FOTOS sin ropa"
    result = assess(text)
    assert result.alert and set(result.reasons) <= set(REASONS)
    quoted = [text[a:b] for a, b in result.evidence]
    assert any("FOTOS" in q for q in quoted), quoted
    assert any("ayúdenme" in q for q in quoted), quoted
    assert result.evidence == sorted(result.evidence)


def test_result_is_an_immutable_value():
    result = assess("hola, me gusta el fútbol")
    assert result == SignalResult(alert=False, reasons=[], evidence=[])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.alert = True


@pytest.mark.parametrize(
    ("standard", "child"),
    [
        ("un señor me pidió fotos sin ropa", "un señor me pidio fotos sin ropa"),
        ("un man me dice que me suba a su carro", "un man me dise q me suba a su caro"),
        ("ayúdeme, mi padrastro me toca", "aiudeme mi padrasto me toca"),
        ("un hombre me ofrece plata por verme", "un ombre me ofrese plata x verme"),
    ],
)
def test_childrens_spelling_alerts_like_the_standard_spelling(standard, child):
    assert assess(standard).alert and assess(child).alert
    assert key("dice") == key("dise") and key("voy") == key("boi") and key("q") == key("que")


def test_the_same_doc_serves_every_module_without_another_model_call(monkeypatch):
    import analysis.pipeline as pipeline

    doc = parse("mi primo grande me toca y dice que es un secreto")

    def no_model(*_args, **_kwargs):
        raise AssertionError("assess_doc must read the shared Doc, not run the model again")

    monkeypatch.setattr(pipeline, "get_nlp", no_model)
    monkeypatch.setattr(pipeline, "parse", no_model)
    assert assess_doc(doc).alert


def test_word_list_prefixes_key_consistently():
    """A prefix such as 'toc*' would miss 'toce' -> 'tose': every stored prefix must be stable."""
    text = CUES.read_text(encoding="utf-8") + " " + " ".join(w for ws in SETS.values() for w in ws)
    prefixes = set(re.findall(r"(\w+)\*", text))
    assert len(prefixes) > 50
    assert not sorted(p for p in prefixes if not prefix_is_stable(p))


@pytest.fixture(scope="module")
def dev_rows():
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]


def test_dev_set_recall_at_least_095_with_precision_at_least_075(dev_rows):
    docs = parse_many(row["text"] for row in dev_rows)
    tp = fp = fn = 0
    for row, doc in zip(dev_rows, docs, strict=True):
        predicted = assess_doc(doc).alert
        tp += predicted and row["alert"]
        fp += predicted and not row["alert"]
        fn += row["alert"] and not predicted
    recall, precision = tp / (tp + fn), tp / max(1, tp + fp)
    assert recall >= 0.95 and precision >= 0.75, (recall, precision)


@pytest.mark.slow
def test_signals_cost_a_small_fraction_of_the_spacy_pass(dev_rows):
    texts = [row["text"] for row in dev_rows] * 5
    docs = list(parse_many(texts))
    for doc in docs:
        assess_doc(doc)  # warm the per-key caches, as a running server has
    best_parse = best_signals = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        docs = list(parse_many(texts))
        best_parse = min(best_parse, time.perf_counter() - start)
        start = time.perf_counter()
        for doc in docs:
            assess_doc(doc)
        best_signals = min(best_signals, time.perf_counter() - start)
    assert best_signals <= 0.10 * best_parse, (best_signals, best_parse)
