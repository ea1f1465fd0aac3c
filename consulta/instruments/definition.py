"""Instrument (questionnaire) definitions: YAML in, immutable validated objects out.

Pure Python on purpose: the database layer, the API, the CLI and the analysis package all read
instruments, and none of them should need Flask to do it. A loaded version is stored whole
(``to_dict``) and identified by ``checksum``, so an answer always points to what was shown.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUESTION_TYPES = ("open_text", "idea", "single_choice", "multiple_choice", "face_scale", "yes_no")
POPULATIONS = ("ninez", "adolescencia", "familias", "actores")
LAYOUTS = ("one_per_screen", "grouped")
LINE_IDS = ("E1", "E2", "E3", "E4", "T1", "T2", "T3", "T4", "T5")
REQUIRED_LANGS = ("es", "en")
DEFAULT_LANG = "es"
MAX_TEXT_LENGTH = 2000
MAX_QUESTIONS = 10
# Workshop activities of a diálogo de saberes; facilitators file their notes under these.
ACTIVITIES = {
    "bienvenida": {"es": "Bienvenida y acuerdos", "en": "Welcome and agreements"},
    "cartografia_social": {"es": "Cartografía social", "en": "Social mapping"},
    "arbol_de_problemas": {"es": "Árbol de problemas", "en": "Problem tree"},
    "dibujo": {"es": "Dibujo", "en": "Drawing"},
    "tarjetas_de_ideas": {"es": "Tarjetas de ideas", "en": "Idea cards"},
    "mapa_de_actores": {"es": "Mapa de actores", "en": "Stakeholder map"},
    "circulo_de_palabra": {"es": "Círculo de la palabra", "en": "Talking circle"},
}
PICTOGRAM_DIR = Path(__file__).resolve().parent.parent / "static" / "pictograms"
PICTOGRAM_URL = "/static/pictograms/{}.svg"
INSTRUMENT_DIR = Path(__file__).resolve().parent


class InstrumentError(ValueError):
    """An instrument file or dict that must not be loaded; the message names where and why."""


class Translations(dict):
    """A read-only ``{lang: text}`` mapping: still a dict (JSON-serialisable), but immutable."""

    def _readonly(self, *args, **kwargs):
        raise TypeError("instrument texts are immutable")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _readonly
    __ior__ = _readonly

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self):
        return (Translations, (dict(self),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def get_text(self, lang: str) -> str:
        """Text in ``lang`` (``en-US`` falls back to ``en``), else Spanish."""
        for key in (lang, (lang or "").replace("_", "-").split("-")[0], DEFAULT_LANG):
            if key in self:
                return self[key]
        return next(iter(self.values()))


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]
    icon: str | None  # file stem in static/pictograms

    def to_dict(self) -> dict:
        return {"value": self.value, "label": dict(self.label), "icon": self.icon}


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: dict[str, str]
    options: tuple[Option, ...]
    lines: tuple[str, ...]
    activity: str | None
    hint: dict[str, str] | None
    max_length: int = MAX_TEXT_LENGTH

    @property
    def is_text(self) -> bool:
        return self.type in ("open_text", "idea")

    @property
    def is_choice(self) -> bool:
        return not self.is_text

    @property
    def is_multiple(self) -> bool:
        """Answered with a list of option values rather than a single value."""
        return self.type == "multiple_choice"

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "prompt": dict(self.prompt),
            "options": [option.to_dict() for option in self.options],
            "lines": list(self.lines),
            "activity": self.activity,
            "hint": dict(self.hint) if self.hint is not None else None,
            "max_length": self.max_length,
        }


@dataclass(frozen=True)
class InstrumentDefinition:
    slug: str
    version: int
    population: str
    title: dict[str, str]
    intro: dict[str, str]
    layout: str  # "one_per_screen" | "grouped"
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    @property
    def lines(self) -> tuple[str, ...]:
        """The plan lines the questions target together, in canonical order."""
        targeted = {line for q in self.questions for line in q.lines}
        return tuple(line for line in LINE_IDS if line in targeted)

    @property
    def activities(self) -> tuple[str, ...]:
        """Workshop activities in the order the questions first use them."""
        return tuple(dict.fromkeys(q.activity for q in self.questions if q.activity))

    def to_dict(self) -> dict:
        return {
            "slug": self.slug,
            "version": self.version,
            "population": self.population,
            "title": dict(self.title),
            "intro": dict(self.intro),
            "layout": self.layout,
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(
        cls,
        data: Any,
        *,
        source: str | None = None,
        pictogram_dir: Path | None = None,
        check_icons: bool = True,
    ) -> InstrumentDefinition:
        """Validate and build. ``check_icons=False`` re-reads a stored version even if a
        pictogram file has since been removed (the icon then simply fails to show)."""
        folder = (pictogram_dir or PICTOGRAM_DIR) if check_icons else None
        from consulta.instruments.validation import Parser

        return Parser(source, folder).instrument(data)

    @property
    def checksum(self) -> str:
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def api_questions(self, lang: str) -> list[dict]:
        return [
            {
                "id": q.id,
                "type": q.type,
                "prompt": Translations(q.prompt).get_text(lang),
                "options": [
                    {
                        "value": o.value,
                        "label": Translations(o.label).get_text(lang),
                        "icon": PICTOGRAM_URL.format(o.icon) if o.icon else None,
                    }
                    for o in q.options
                ],
            }
            for q in self.questions
        ]


def load_file(path: str | Path) -> InstrumentDefinition:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{path.name}: cannot read YAML: {exc}") from exc
    return InstrumentDefinition.from_dict(data, source=path.name)


def discover(directory: str | Path | None = None) -> list[InstrumentDefinition]:
    directory = Path(directory) if directory is not None else INSTRUMENT_DIR
    found: dict[str, InstrumentDefinition] = {}
    for path in sorted(directory.glob("*.yaml")):
        definition = load_file(path)
        if definition.slug in found:
            raise InstrumentError(f"{path.name}: slug {definition.slug!r} is used by another file")
        found[definition.slug] = definition
    return [found[slug] for slug in sorted(found)]
