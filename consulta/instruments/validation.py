"""Validation of raw instrument data: every rule an author can break, with a message that
names the file and the question, all problems reported in one pass."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from consulta.instruments.definition import (
    ACTIVITIES,
    LAYOUTS,
    LINE_IDS,
    MAX_QUESTIONS,
    MAX_TEXT_LENGTH,
    POPULATIONS,
    QUESTION_TYPES,
    REQUIRED_LANGS,
    InstrumentDefinition,
    InstrumentError,
    Option,
    Question,
    Translations,
)

_ID = re.compile(r"^[a-z0-9_]+$")
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_LANG = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
_MINORS = ("ninez", "adolescencia")
_FACES = {
    3: (("face_sad", "Mal", "Bad"), ("face_neutral", "Más o menos", "So-so"),
        ("face_happy", "Bien", "Good")),
    5: (("face_very_sad", "Muy mal", "Very bad"), ("face_sad", "Mal", "Bad"),
        ("face_neutral", "Más o menos", "So-so"), ("face_happy", "Bien", "Good"),
        ("face_very_happy", "Muy bien", "Very good")),
}  # fmt: skip
_YES_NO = (("si", "yes", "Sí", "Yes"), ("no", "no", "No", "No"),
           ("no_se", "dont_know", "No sé", "I don't know"))  # fmt: skip
_TOP_KEYS = {"slug", "version", "population", "title", "intro", "layout", "questions"}
_QUESTION_KEYS = {"id", "type", "prompt", "options", "lines", "activity", "hint", "max_length",
                  "scale"}  # fmt: skip
_OPTION_KEYS = {"value", "label", "icon"}


class Parser:
    """Validates raw data and collects every problem, so an author fixes a file in one pass."""

    def __init__(self, source: str | None, pictogram_dir: Path | None):
        self.source = source
        self.pictogram_dir = pictogram_dir
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def instrument(self, data: Any) -> InstrumentDefinition:
        if not isinstance(data, dict):
            raise InstrumentError(f"{self.source or 'instrument'}: must be a mapping of fields")
        slug = data.get("slug")
        self.source = self.source or (slug if isinstance(slug, str) else "instrument")
        self.unknown_keys("", data, _TOP_KEYS)
        if not isinstance(slug, str) or not _SLUG.match(slug):
            self.fail("", f"slug must match {_SLUG.pattern}, got {slug!r}")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail("", f"version must be a positive integer, got {version!r}")
        population = data.get("population")
        if population not in POPULATIONS:
            self.fail("", f"population must be one of {', '.join(POPULATIONS)}, got {population!r}")
        layout = data.get("layout", "one_per_screen")
        if layout not in LAYOUTS:
            self.fail("", f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
        elif population in _MINORS and layout != "one_per_screen":
            self.fail("", f"population {population} needs layout one_per_screen")
        title = self.text("title", data.get("title"))
        intro = self.text("intro", data.get("intro"))
        raw_questions = data.get("questions")
        questions: list[Question] = []
        if not isinstance(raw_questions, list) or not 1 <= len(raw_questions) <= MAX_QUESTIONS:
            count = len(raw_questions) if isinstance(raw_questions, list) else "no list"
            self.fail("", f"questions must be a list of 1 to {MAX_QUESTIONS}, got {count}")
            raw_questions = raw_questions if isinstance(raw_questions, list) else []
        seen: set[str] = set()
        for index, raw in enumerate(raw_questions, start=1):
            question = self.question(index, raw, population)
            if question is None:
                continue
            if question.id in seen:
                self.fail(f"question {question.id!r}", "duplicate question id")
            seen.add(question.id)
            questions.append(question)
        if self.errors:
            raise InstrumentError("\n".join(f"{self.source}: {e}" for e in self.errors))
        return InstrumentDefinition(
            slug, version, population, title, intro, layout, tuple(questions)
        )

    def question(self, index: int, raw: Any, population: Any) -> Question | None:
        if not isinstance(raw, dict):
            self.fail(f"question #{index}", "must be a mapping of fields")
            return None
        qid = raw.get("id")
        where = f"question {qid!r}" if isinstance(qid, str) else f"question #{index}"
        if not isinstance(qid, str) or not _ID.match(qid):
            self.fail(where, f"id must match {_ID.pattern}, got {qid!r}")
        self.unknown_keys(where, raw, _QUESTION_KEYS)
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.fail(where, f"type must be one of {', '.join(QUESTION_TYPES)}, got {qtype!r}")
        prompt = self.text(f"{where}: prompt", raw.get("prompt"))
        hint = self.text(f"{where}: hint", raw["hint"]) if raw.get("hint") is not None else None
        lines = raw.get("lines")
        if not isinstance(lines, list) or not lines:
            self.fail(where, f"lines must list the plan lines it targets ({', '.join(LINE_IDS)})")
            lines = []
        for line in lines:
            if line not in LINE_IDS:
                self.fail(where, f"unknown line {line!r}; valid: {', '.join(LINE_IDS)}")
        if len(set(map(str, lines))) != len(lines):
            self.fail(where, "lines repeat a line")
        activity = raw.get("activity")
        if activity is not None and activity not in ACTIVITIES:
            self.fail(where, f"unknown activity {activity!r}; valid: {', '.join(ACTIVITIES)}")
        max_length = raw.get("max_length", MAX_TEXT_LENGTH)
        if max_length != MAX_TEXT_LENGTH and qtype not in ("open_text", "idea"):
            self.fail(where, "max_length applies only to open_text and idea questions")
        elif isinstance(max_length, bool) or not isinstance(max_length, int):
            self.fail(where, f"max_length must be an integer, got {max_length!r}")
        elif not 1 <= max_length <= MAX_TEXT_LENGTH:
            self.fail(where, f"max_length must be between 1 and {MAX_TEXT_LENGTH}")
        options = self.options(where, qtype, raw, population)
        return Question(
            qid, qtype, prompt, options, tuple(lines), activity, hint, max_length
        )  # fmt: skip

    def options(self, where: str, qtype: Any, raw: dict, population: Any) -> tuple[Option, ...]:
        given = raw.get("options")
        if "scale" in raw and qtype != "face_scale":
            self.fail(where, "scale applies only to face_scale questions")
        if qtype in ("open_text", "idea"):
            if given:
                self.fail(where, f"{qtype} questions take no options")
            return ()
        if qtype == "face_scale":
            default = 3 if population == "ninez" else 5
            scale = raw.get("scale", len(given) if isinstance(given, list) else default)
            if scale not in _FACES:
                self.fail(where, f"scale must be 3 or 5, got {scale!r}")
                return ()
            if population == "ninez" and scale != 3:
                self.fail(where, "ninez face scales have 3 faces (scale: 3)")
            generated = [
                (str(i), icon, es, en) for i, (icon, es, en) in enumerate(_FACES[scale], 1)
            ]
        elif qtype == "yes_no":
            generated = list(_YES_NO)
        else:
            generated = None
        if generated is not None and not given:
            given = [{"value": v, "icon": i, "label": {"es": es, "en": en}}
                     for v, i, es, en in generated]  # fmt: skip
        if not isinstance(given, list) or len(given) < 2:
            self.fail(where, f"{qtype} questions need a list of at least 2 options")
            return ()
        options = [self.option(f"{where}: option #{n}", o, population)
                   for n, o in enumerate(given, start=1)]  # fmt: skip
        values = [o.value for o in options]
        if len(set(values)) != len(values):
            self.fail(where, "option values must be unique")
        if generated is not None and values != [g[0] for g in generated]:
            expected = ", ".join(g[0] for g in generated)
            self.fail(where, f"{qtype} option values must be exactly {expected}, in order")
        return tuple(options)

    def option(self, where: str, raw: Any, population: Any) -> Option:
        if not isinstance(raw, dict):
            self.fail(where, "must be a mapping with value, label and icon")
            return Option("", Translations(), None)
        value = raw.get("value")
        if isinstance(value, str) and _ID.match(value):
            where = f"{where.rsplit(': ', 1)[0]}: option {value!r}"
        else:
            self.fail(where, f"value must match {_ID.pattern}, got {value!r}")
        self.unknown_keys(where, raw, _OPTION_KEYS)
        label = self.text(f"{where}: label", raw.get("label"))
        icon = raw.get("icon")
        if icon is None:
            if population == "ninez":
                self.fail(where, "ninez options need a pictogram (icon)")
        elif not isinstance(icon, str) or not _ID.match(icon):
            self.fail(where, f"icon must be a pictogram file stem, got {icon!r}")
            icon = None
        elif self.pictogram_dir and not (self.pictogram_dir / f"{icon}.svg").is_file():
            self.fail(where, f"icon {icon!r} is not a pictogram (no {icon}.svg)")
        return Option(value, label, icon)

    def text(self, where: str, raw: Any) -> Translations:
        if not isinstance(raw, dict):
            self.fail(where, f"must be a mapping with {' and '.join(REQUIRED_LANGS)} texts")
            return Translations()
        for lang in REQUIRED_LANGS:
            if not isinstance(raw.get(lang), str) or not raw[lang].strip():
                self.fail(where, f"missing {lang!r} text")
        for lang, value in raw.items():
            if not isinstance(lang, str) or not _LANG.match(lang) or not isinstance(value, str):
                self.fail(where, f"bad translation entry {lang!r}")
        return Translations({k: v.strip() for k, v in raw.items() if isinstance(v, str)})

    def unknown_keys(self, where: str, raw: dict, allowed: set[str]) -> None:
        unknown = sorted(map(str, set(raw) - allowed))
        if unknown:
            self.fail(where, f"unknown field(s) {', '.join(unknown)}")
