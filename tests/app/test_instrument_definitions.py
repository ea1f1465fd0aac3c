"""The shipped questionnaires and the rules that keep a broken one from reaching a tablet."""

import copy
import dataclasses
import hashlib
import json
import re

import pytest

from consulta.instruments import (
    InstrumentDefinition,
    InstrumentError,
    discover,
    load_file,
)
from consulta.instruments.definition import INSTRUMENT_DIR, PICTOGRAM_DIR

SHIPPED = discover()
BY_SLUG = {d.slug: d for d in SHIPPED}
KIOSK_ICONS = ("speaker", "help", "help_line", "skip", "stop", "next", "back", "check", "globe")
# Requests for identifying data or for disclosure of one's own abuse: never in a prompt.
FORBIDDEN_PROMPTS = re.compile(
    r"tu nombre|su nombre|c[oó]mo te llam|c[oó]mo se llama|d[oó]nde viv|tu direcci[oó]n|"
    r"su direcci[oó]n|tu n[uú]mero|su n[uú]mero|tu documento|tu correo|te ha pasado|"
    r"te han hecho|has sido v[ií]ctima|te han tocado",
    re.IGNORECASE,
)


def texts_of(definition):
    yield "title", definition.title
    yield "intro", definition.intro
    for q in definition.questions:
        yield f"{q.id}.prompt", q.prompt
        if q.hint is not None:
            yield f"{q.id}.hint", q.hint
        for option in q.options:
            yield f"{q.id}.{option.value}", option.label


def minimal(population="familias", **overrides):
    data = {
        "slug": "prueba",
        "version": 1,
        "population": population,
        "title": {"es": "Prueba", "en": "Test"},
        "intro": {"es": "Hola", "en": "Hello"},
        "questions": [
            {
                "id": "lugares",
                "type": "single_choice",
                "prompt": {"es": "¿Dónde?", "en": "Where?"},
                "options": [
                    {"value": "casa", "label": {"es": "Casa", "en": "Home"}, "icon": "home"},
                    {"value": "parque", "label": {"es": "Parque", "en": "Park"}, "icon": "park"},
                ],
                "lines": ["E1"],
                "activity": "cartografia_social",
            },
            {
                "id": "sentir",
                "type": "face_scale",
                "prompt": {"es": "¿Cómo te sientes?", "en": "How do you feel?"},
                "lines": ["E2"],
            },
            {
                "id": "idea",
                "type": "idea",
                "prompt": {"es": "Si fueras alcalde…", "en": "If you were mayor…"},
                "lines": ["E2", "T2"],
                "hint": {"es": "Una idea", "en": "One idea"},
            },
        ],
    }
    data.update(overrides)
    return data


def test_the_four_populations_ship_one_instrument_each_sorted_by_slug():
    assert [d.slug for d in SHIPPED] == ["actores", "adolescencia", "familias", "ninez"]
    assert all(d.population == d.slug and d.version >= 1 for d in SHIPPED)


@pytest.mark.parametrize("definition", SHIPPED, ids=lambda d: d.slug)
class TestShippedInstrument:
    def test_has_six_to_ten_questions_with_one_idea_and_open_questions(self, definition):
        types = [q.type for q in definition.questions]
        assert 6 <= len(types) <= 10
        assert types.count("idea") == 1
        assert "open_text" in types
        assert len({q.id for q in definition.questions}) == len(types)

    def test_covers_the_four_strategic_lines_and_every_question_has_an_activity(self, definition):
        assert {"E1", "E2", "E3", "E4"} <= set(definition.lines)
        for q in definition.questions:
            assert q.lines, q.id
            assert q.activity, q.id

    def test_every_text_is_in_spanish_and_english(self, definition):
        for where, text in texts_of(definition):
            assert text.get("es", "").strip(), where
            assert text.get("en", "").strip(), where
            assert text["es"] != text["en"] or len(text["es"]) < 4, f"{where} not translated"

    def test_every_choice_option_has_a_pictogram_that_exists(self, definition):
        for q in definition.questions:
            assert q.is_choice == (len(q.options) >= 2), q.id
            for option in q.options:
                assert option.icon, f"{q.id}.{option.value}"
                assert (PICTOGRAM_DIR / f"{option.icon}.svg").is_file(), option.icon

    def test_face_scales_have_three_faces_for_children_and_five_otherwise(self, definition):
        faces = [q for q in definition.questions if q.type == "face_scale"]
        assert faces
        expected = 3 if definition.population == "ninez" else 5
        for q in faces:
            assert q.option_values == tuple(str(i) for i in range(1, expected + 1))

    def test_prompts_ask_nothing_identifying_and_no_disclosure(self, definition):
        for q in definition.questions:
            assert not FORBIDDEN_PROMPTS.search(q.prompt["es"]), q.id

    def test_minors_answer_one_question_per_screen(self, definition):
        if definition.population in ("ninez", "adolescencia"):
            assert definition.layout == "one_per_screen"

    def test_round_trips_through_its_stored_form(self, definition):
        stored = json.loads(json.dumps(definition.to_dict()))
        again = InstrumentDefinition.from_dict(stored)
        assert again == definition
        assert again.checksum == definition.checksum


def test_children_read_short_prompts():
    for q in BY_SLUG["ninez"].questions:
        assert len(q.prompt["es"].split()) <= 25, q.id


def test_actor_questions_are_grouped_by_workshop_activity():
    definition = BY_SLUG["actores"]
    assert definition.layout == "grouped"
    runs = [q.activity for i, q in enumerate(definition.questions)
            if i == 0 or definition.questions[i - 1].activity != q.activity]  # fmt: skip
    assert len(runs) == len(set(runs)), "an activity's questions are split across screens"


def test_generated_options_for_faces_and_yes_no():
    ninez = InstrumentDefinition.from_dict(minimal("ninez"))
    faces = ninez.question("sentir").options
    assert [(o.value, o.icon) for o in faces] == [
        ("1", "face_sad"),
        ("2", "face_neutral"),
        ("3", "face_happy"),
    ]
    assert [o.label["es"] for o in faces] == ["Mal", "Más o menos", "Bien"]
    adults = InstrumentDefinition.from_dict(minimal())
    assert [o.icon for o in adults.question("sentir").options] == [
        "face_very_sad",
        "face_sad",
        "face_neutral",
        "face_happy",
        "face_very_happy",
    ]
    data = minimal()
    data["questions"][1] = {**data["questions"][1], "type": "yes_no"}
    yes_no = InstrumentDefinition.from_dict(data).question("sentir")
    assert [(o.value, o.icon, o.label["es"]) for o in yes_no.options] == [
        ("si", "yes", "Sí"),
        ("no", "no", "No"),
        ("no_se", "dont_know", "No sé"),
    ]


def test_api_questions_shape_language_and_fallback():
    definition = BY_SLUG["ninez"]
    spanish = definition.api_questions("es")
    assert [q["id"] for q in spanish] == [q.id for q in definition.questions]
    for item, q in zip(spanish, definition.questions, strict=True):
        assert set(item) == {"id", "type", "prompt", "options"}
        assert item["prompt"] == q.prompt["es"]
        for option in item["options"]:
            assert set(option) == {"value", "label", "icon"}
            assert option["icon"].startswith("/static/pictograms/")
            assert (PICTOGRAM_DIR / option["icon"].rsplit("/", 1)[1]).is_file()
        if q.is_text:
            assert item["options"] == []
    english = definition.api_questions("en")
    assert english[0]["prompt"] == "How do you feel in your neighbourhood?"
    assert definition.api_questions("en-US") == english
    assert definition.api_questions("fr") == spanish
    json.dumps(spanish)


def test_icon_is_none_in_the_api_when_an_option_has_no_pictogram():
    data = minimal()
    del data["questions"][0]["options"][0]["icon"]
    options = InstrumentDefinition.from_dict(data).api_questions("es")[0]["options"]
    assert options[0]["icon"] is None


def test_checksum_is_stable_and_follows_the_content():
    path = INSTRUMENT_DIR / "familias.yaml"
    first = load_file(path)
    assert load_file(path).checksum == first.checksum
    canonical = json.dumps(
        first.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()
    assert first.checksum == hashlib.sha256(canonical).hexdigest()
    changes = []
    for mutate in (
        lambda d: d["questions"][0]["prompt"].update(es="¿Otra pregunta?"),
        lambda d: d["questions"][1]["options"].reverse(),
        lambda d: d.update(version=d["version"] + 1),
        lambda d: d["questions"][2].update(max_length=1999),
    ):
        data = copy.deepcopy(first.to_dict())
        mutate(data)
        changes.append(InstrumentDefinition.from_dict(data).checksum)
    assert first.checksum not in changes
    assert len(set(changes)) == len(changes)


def test_definitions_are_immutable():
    definition = BY_SLUG["ninez"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        definition.version = 2
    with pytest.raises(TypeError):
        definition.questions[0].prompt["es"] = "cambiado"
    with pytest.raises(TypeError):
        definition.title.update(es="cambiado")
    assert definition.question("como_te_sientes").prompt["es"] == "¿Cómo te sientes en tu barrio?"
    assert definition.question("no_existe") is None


def q0(data):
    return data["questions"][0]


BAD = {
    "unknown population": (lambda d: d.update(population="adultos"), "population must be one of"),
    "bad slug": (lambda d: d.update(slug="Niñez 1"), "slug must match"),
    "version zero": (lambda d: d.update(version=0), "version must be a positive integer"),
    "version text": (lambda d: d.update(version="1"), "version must be a positive integer"),
    "no questions": (lambda d: d.update(questions=[]), "questions must be a list of 1 to 10"),
    "too many questions": (
        lambda d: d.update(
            questions=[{**q0(d), "id": f"q{i}"} for i in range(11)],
        ),
        "questions must be a list of 1 to 10",
    ),
    "duplicate id": (lambda d: d["questions"][1].update(id="lugares"), "duplicate question id"),
    "bad id": (lambda d: q0(d).update(id="Lugares-1"), "id must match"),
    "unknown type": (lambda d: q0(d).update(type="slider"), "type must be one of"),
    "one option": (lambda d: q0(d)["options"].pop(), "at least 2 options"),
    "duplicate option": (
        lambda d: q0(d)["options"][1].update(value="casa"),
        "option values must be unique",
    ),
    "option without english": (
        lambda d: q0(d)["options"][0]["label"].pop("en"),
        "option 'casa': label: missing 'en' text",
    ),
    "prompt without english": (
        lambda d: q0(d)["prompt"].pop("en"),
        "question 'lugares': prompt: missing 'en' text",
    ),
    "blank spanish title": (lambda d: d["title"].update(es="  "), "title: missing 'es' text"),
    "hint without english": (
        lambda d: d["questions"][2]["hint"].pop("en"),
        "question 'idea': hint: missing 'en' text",
    ),
    "unknown line": (lambda d: q0(d).update(lines=["E5"]), "unknown line 'E5'"),
    "no lines": (lambda d: q0(d).update(lines=[]), "lines must list"),
    "missing icon file": (
        lambda d: q0(d)["options"][0].update(icon="unicornio"),
        "icon 'unicornio' is not a pictogram",
    ),
    "text with options": (
        lambda d: d["questions"][2].update(options=q0(d)["options"]),
        "idea questions take no options",
    ),
    "typo in field": (lambda d: q0(d).update(promt={"es": "x"}), "unknown field(s) promt"),
    "bad layout": (lambda d: d.update(layout="carousel"), "layout must be one of"),
    "scale of four": (lambda d: d["questions"][1].update(scale=4), "scale must be 3 or 5"),
    "text too long": (
        lambda d: d["questions"][2].update(max_length=5000),
        "max_length must be between 1 and 2000",
    ),
    "unknown activity": (lambda d: q0(d).update(activity="karaoke"), "unknown activity"),
    "yes_no with other values": (
        lambda d: q0(d).update(type="yes_no"),
        "yes_no option values must be exactly si, no, no_se",
    ),
}


@pytest.mark.parametrize("rule", BAD)
def test_bad_definitions_are_rejected_with_a_clear_message(rule):
    mutate, message = BAD[rule]
    data = minimal()
    mutate(data)
    with pytest.raises(InstrumentError) as caught:
        InstrumentDefinition.from_dict(data, source="prueba.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("prueba.yaml: ")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["questions"][1].update(scale=5), "ninez face scales have 3 faces"),
        (lambda d: d.update(layout="grouped"), "ninez needs layout one_per_screen"),
        (lambda d: q0(d)["options"][1].pop("icon"), "ninez options need a pictogram"),
    ],
)
def test_children_rules(mutate, message):
    data = minimal("ninez")
    mutate(data)
    with pytest.raises(InstrumentError, match=re.escape(message)):
        InstrumentDefinition.from_dict(data)


def test_every_problem_is_reported_at_once():
    data = minimal()
    data["version"] = -1
    q0(data)["lines"] = ["X1"]
    data["questions"][2]["prompt"] = {"es": "Solo español"}
    with pytest.raises(InstrumentError) as caught:
        InstrumentDefinition.from_dict(data)
    message = str(caught.value)
    assert "version" in message and "'X1'" in message and "question 'idea'" in message


def test_files_name_themselves_in_errors(tmp_path):
    broken = tmp_path / "roto.yaml"
    broken.write_text("slug: roto\nquestions: [\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^roto\.yaml: cannot read YAML"):
        load_file(broken)
    listed = tmp_path / "lista.yaml"
    listed.write_text("- una\n- lista\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^lista\.yaml: must be a mapping"):
        load_file(listed)


def test_discover_rejects_two_files_with_one_slug(tmp_path):
    import yaml

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(minimal()), encoding="utf-8")
    with pytest.raises(InstrumentError, match="slug 'prueba' is used by another file"):
        discover(tmp_path)
    (tmp_path / "b.yaml").unlink()
    assert [d.slug for d in discover(tmp_path)] == ["prueba"]


def test_pictograms_cover_the_kiosk_and_are_credited():
    svgs = sorted(PICTOGRAM_DIR.glob("*.svg"))
    for name in KIOSK_ICONS:
        assert (PICTOGRAM_DIR / f"{name}.svg").is_file(), name
    assert sum(p.stat().st_size for p in svgs) < 300_000
    credits = (PICTOGRAM_DIR / "CREDITS.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in credits and "Twemoji" in credits
    for svg in svgs:
        assert f"`{svg.name}`" in credits, svg.name
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_a_stored_version_still_reads_after_a_pictogram_is_gone():
    stored = BY_SLUG["ninez"].to_dict()
    stored["questions"][1]["options"][0]["icon"] = "retirado"
    with pytest.raises(InstrumentError, match="icon 'retirado' is not a pictogram"):
        InstrumentDefinition.from_dict(stored)
    again = InstrumentDefinition.from_dict(stored, check_icons=False)
    assert again.questions[1].options[0].icon == "retirado"
