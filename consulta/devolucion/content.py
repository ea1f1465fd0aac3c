"""What each public page shows, line by line, assembled from the figures, the codebook's theme
names, the plain line names and the admins' answers. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from analysis import LINES

from ..analyze.breakdowns import Cell
from ..analyze.labels import line_names
from ..extensions import db
from ..models import LineResponse
from ..plain_lines import plain_line
from ..services.text_analysis import current_codebook
from ..timeutil import today_local
from . import numbers
from .ideas import PublicIdea, top_ideas

THEMES_PER_LINE = 3


@dataclass
class Said:
    """A text in the language it was written in (the page says so when it differs)."""

    text: str
    lang: str


@dataclass
class LineBlock:
    line: str
    name: str  # plain words
    official: str  # the plan's name, for adults
    pictogram: str
    count: Cell
    by_group: dict[str, Cell]
    themes: list[tuple[str, Cell]]
    plan: Said | None
    next_update: date | None
    share: float = 0.0  # of the largest shown count, for the bar

    @property
    def has_plan(self) -> bool:
        return self.plan is not None


@dataclass
class Page:
    figures: numbers.Figures
    k: int
    lines: list[LineBlock]
    ideas: list[tuple[PublicIdea, str | None, str | None]] = field(default_factory=list)


def _said(lang: str, *candidates: tuple[str | None, str]) -> Said | None:
    """The first non-empty text among (text, language) candidates."""
    for text, text_lang in candidates:
        if text and text.strip():
            return Said(text.strip(), text_lang)
    return None


def plan_text(row: LineResponse | None, lang: str, children: bool) -> Said | None:
    if row is None:
        return None
    adults = [(row.text_en, "en")] if lang == "en" else []
    adults.append((row.text_es, "es"))
    if not children:
        return _said(lang, *adults)
    kids = [(row.children_text_en, "en")] if lang == "en" else []
    kids.append((row.children_text_es, "es"))
    return _said(lang, *kids, *adults)


def _upcoming(day: date | None) -> date | None:
    """A promised date that has passed is not announced as the next update any more."""
    return day if day is not None and day >= today_local() else None


def responses(consultation_id: int) -> dict[str, LineResponse]:
    rows = db.session.scalars(db.select(LineResponse).filter_by(consultation_id=consultation_id))
    return {row.line: row for row in rows}


def _theme_names(lang: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        t.id: (t.name.get(lang) or t.name["es"], tuple(t.lines))
        for t in current_codebook().themes
        if t.kind == "content"
    }


def build(consultation_id: int, lang: str, children: bool) -> Page:
    figures = numbers.figures(consultation_id)
    k = numbers.small_cell_k()
    answers = responses(consultation_id)
    themes = _theme_names(lang)
    official = line_names()
    per_line: dict[str, list[tuple[str, Cell]]] = {line: [] for line in LINES}
    for theme, cell in figures.themes.items():
        if cell.shown and theme in themes:
            name, lines = themes[theme]
            for line in lines:
                if line in per_line:
                    per_line[line].append((name, cell))
    order = numbers.lines_ranked(figures.by_line) if children else list(LINES)
    shown = [c.value for c in figures.by_line.values() if c.shown]
    largest = max(shown) if shown else 0
    blocks = []
    for line in order:
        row = answers.get(line)
        cell = figures.by_line[line]
        plain = plain_line(line, lang)
        blocks.append(
            LineBlock(
                line=line,
                name=plain["name"],
                official=official[line],
                pictogram=plain["icon"],
                count=cell,
                by_group={g: figures.group_by_line.get(g, {}).get(line) for g in figures.by_group},
                themes=sorted(per_line[line], key=lambda t: (-t[1].value, t[0]))[:THEMES_PER_LINE],
                plan=plan_text(row, lang, children),
                next_update=_upcoming(row.next_update if row else None),
                share=(cell.value / largest) if cell.shown and largest else 0.0,
            )
        )
    ideas = []
    for idea in top_ideas(consultation_id, k):
        plain = plain_line(idea.line, lang) if idea.line in LINES else None
        ideas.append((idea, plain and plain["name"], plain and plain["icon"]))
    return Page(figures=figures, k=k, lines=blocks, ideas=ideas)
