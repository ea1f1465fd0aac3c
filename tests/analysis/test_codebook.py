"""The codebook an analyst edits: complete, bilingual, and refusing broken versions clearly."""

import copy
import os

import pytest
import yaml

from analysis import LINES
from analysis.codebook import DEFAULT_PATH, Codebook, CodebookError, load_codebook
from analysis.matching import expand_groups
from analysis.tagger import tag


def minimal(**theme_changes):
    theme = {
        "id": "play",
        "name": {"es": "Juego", "en": "Play"},
        "description": {"es": "Jugar", "en": "Playing"},
        "lines": ["E1"],
        "patterns": ["jugar", "(tiempo libre)"],
    }
    theme.update(theme_changes)
    return {"version": "2026.1.1", "themes": [theme]}


def test_default_codebook_is_versioned_and_has_at_least_30_themes():
    book = load_codebook()
    assert book.version and book.version[0].isdigit()
    content = [t for t in book.themes if t.kind == "content"]
    assert len(content) >= 30


def test_every_theme_has_a_snake_case_id_and_spanish_and_english_texts():
    for theme in load_codebook().themes:
        assert theme.id == theme.id.lower() and " " not in theme.id
        for field in (theme.name, theme.description):
            assert field["es"].strip() and field["en"].strip()


def test_every_line_of_the_plan_is_reachable_from_some_theme():
    reachable = {line for theme in load_codebook().themes for line in theme.lines}
    assert reachable == set(LINES)


def test_no_content_theme_codes_no_line():
    book = load_codebook()
    assert book.theme("no_content").lines == ()
    with pytest.raises(KeyError):
        book.theme("does_not_exist")


def test_load_codebook_is_cached_and_reloads_a_changed_file(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(minimal()), encoding="utf-8")
    first = load_codebook(path)
    assert load_codebook(path) is first
    data = minimal()
    data["version"] = "2026.1.2"
    stamp = path.stat().st_mtime_ns
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp + 10_000_000))  # a save within the same clock tick
    assert load_codebook(path).version == "2026.1.2"


def test_a_codebook_built_from_a_dict_codes_text():
    book = Codebook.from_dict(minimal())
    result = tag("los niños necesitan tiempo libre", book)
    assert result.lines == ["E1"] and result.themes == ["play"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": ["E9"]}, "unknown line id 'E9'"),
        ({"patterns": ["   "]}, "empty pattern"),
        ({"patterns": []}, "'patterns' must be a non-empty list"),
        ({"patterns": ["@nope"]}, "unknown set '@nope'"),
        ({"patterns": ["(a b"]}, "unbalanced parentheses"),
        ({"patterns": ["... jugar"]}, "first element cannot be a gap"),
        ({"name": {"es": "Juego"}}, "'name' needs non-empty 'es' and 'en'"),
        ({"id": "Juego Libre"}, "snake_case"),
        ({"weight": 2}, "'weight' must be a number"),
        ({"negation": "sometimes"}, "'negation' must be one of"),
        ({"yields_to": ["ghost"]}, "yields_to names unknown"),
    ],
)
def test_bad_codebooks_are_rejected_with_a_message_naming_the_problem(change, message):
    with pytest.raises(CodebookError, match=message.replace("(", r"\(").replace("[", r"\[")):
        Codebook.from_dict(minimal(**change))


def test_duplicate_theme_ids_are_rejected():
    data = minimal()
    data["themes"].append(copy.deepcopy(data["themes"][0]))
    with pytest.raises(CodebookError, match="duplicate theme id 'play'"):
        Codebook.from_dict(data)


def test_missing_version_and_invalid_yaml_are_rejected():
    data = minimal()
    del data["version"]
    with pytest.raises(CodebookError, match="version"):
        Codebook.from_dict(data)
    with pytest.raises(CodebookError, match="not valid YAML"):
        Codebook.from_yaml("themes: [unclosed")
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(DEFAULT_PATH.with_name("missing.yaml"))


def test_phrase_groups_expand_to_every_combination():
    assert expand_groups("(no es|no son) ... normal|común") == [
        "no es ... normal|común",
        "no son ... normal|común",
    ]
    assert expand_groups("hablar|(poner la queja)") == ["hablar", "poner la queja"]
    assert expand_groups("a (b c)?") == ["a b c", "a"]


def test_gaps_do_not_cross_a_sentence_end():
    book = Codebook.from_dict(minimal(patterns=["cancha ... jugar"]))
    assert tag("una cancha para jugar", book).lines == ["E1"]
    assert tag("una cancha. Quiero jugar", book).lines == []


def test_anchored_patterns_only_match_at_the_start():
    book = Codebook.from_dict(minimal(patterns=["^ a mi abuela"]))
    assert tag("A mi abuela", book).lines == ["E1"]
    assert tag("le diría todo a mi abuela", book).lines == []


def test_yields_to_turns_a_match_into_a_passing_mention():
    data = minimal(patterns=[{"match": "hotel", "yields_to": ["control"]}])
    data["themes"].append(
        {
            "id": "control",
            "name": {"es": "Control", "en": "Control"},
            "description": {"es": "Cerrar", "en": "Closing"},
            "lines": ["E4"],
            "patterns": ["cerrar ... hotel"],
        }
    )
    book = Codebook.from_dict(data)
    assert tag("un hotel del centro", book).lines == ["E1"]
    assert tag("que cierren el hotel del centro", book).lines == ["E4"]


def test_weights_add_up_weak_clues_must_come_together():
    book = Codebook.from_dict(minimal(patterns=[{"match": "parque", "weight": 0.4}, "cancha"]))
    assert tag("el parque", book).lines == []
    assert tag("el parque", book).themes == []
    assert tag("el parque y la cancha", book).lines == ["E1"]
    assert tag("el parque y la cancha", book).confidence["E1"] > 0.8


def test_a_comma_in_an_unquoted_bilingual_text_is_refused():
    """`{es: Regalos, plata o favores, en: ...}` silently truncates the name: refuse it."""
    text = (
        'version: "t1"\nthemes:\n- id: gifts\n  name: {es: Regalos, plata o favores, en: Gifts, money}\n'
        "  description: {es: x, en: y}\n  lines: [E2]\n  patterns: [regalo]\n"
    )
    assert "plata o favores" in yaml.safe_load(text)["themes"][0]["name"]  # the YAML trap itself
    with pytest.raises(CodebookError, match="quote texts that contain commas"):
        Codebook.from_yaml(text)
