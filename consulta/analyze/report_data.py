"""The figures of the plan-adjustment report, computed once for the page, the print and the JSON.

Counts come from ``aggregates`` (GROUP BY in the database) with the small-cell rule applied by
``breakdowns``; quotes and emerging terms reuse ``analysis.summaries`` on a bounded set of the
newest texts, so the report stays quick however many answers a consultation holds.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from analysis import LINES
from analysis.summaries import Summarizer

from ..extensions import db
from ..models import Encounter
from ..services.instruments import definition_of
from ..services.text_analysis import current_codebook
from . import aggregates
from .breakdowns import Cell, Published, group_tables, lines_of
from .filters import Filters
from .labels import ACTION_MATRIX, line_names
from .overview import theme_names

GROUPS = ("ninez", "adolescencia", "adultos")
QUOTES = 3
QUOTE_CANDIDATES = 200  # newest texts of a line offered to the quote picker
EMERGING_SAMPLE = 2000  # newest texts without a theme parsed for emerging terms
THEMES_PER_LINE = 5


def group_names() -> dict[str, str]:
    return {
        "ninez": _("Niñas y niños (6 a 11)"),
        "adolescencia": _("Adolescentes (12 a 17)"),
        "adultos": _("Personas adultas"),
        "sin_dato": _("Sin dato de edad"),
    }


def idea_questions(consultation_id: int) -> tuple[str, ...]:
    """Ids of the "idea" questions in the instruments this consultation's sessions used."""
    encounters = db.session.scalars(
        select(Encounter).where(Encounter.consultation_id == consultation_id)
    )
    ids = set()
    for instrument in {e.instrument for e in encounters}:
        ids.update(q.id for q in definition_of(instrument).questions if q.type == "idea")
    return tuple(sorted(ids))


def _line_counts(rows, k: int, total_is_small_cell: bool) -> tuple[Cell, dict[str, Cell]]:
    c: Counter = Counter()
    for mask, n in rows:
        c["total"] += n
        for line in lines_of(mask):
            c[line] += n
    t = Published(k)
    t.add(("total",), c["total"], primary=total_is_small_cell)
    for line in LINES:
        t.add(("line", line), c[line])
    t.suppress()
    return t.cell("total"), {line: t.cell("line", line) for line in LINES}


def _themes_by_line(rows, k: int, codebook) -> dict[str, list[tuple[str, Cell]]]:
    """Per line, its own themes (per the codebook) among the texts coded to it, most frequent first."""
    own = {t.id: set(t.lines) for t in codebook.themes}
    c: Counter = Counter()
    for theme_ids, mask, n in rows:
        for line in lines_of(mask):
            for theme in theme_ids:
                if line in own.get(theme, ()):
                    c[line, theme] += n
    t = Published(k)
    for key, n in c.items():
        t.add(key, n)
    t.suppress()
    out = {}
    for line in LINES:
        ranked = sorted(
            ((theme, t.cell(line, theme)) for (ln, theme) in c if ln == line),
            key=lambda item: -c[line, item[0]],
        )
        out[line] = [(theme, cell) for theme, cell in ranked if cell.shown][:THEMES_PER_LINE]
    return out


def _quotes(records: list[dict], line: str, k: int, codebook) -> list[str]:
    """Diverse, redacted quotes via ``analysis.summaries`` (its scoring and MMR selection)."""
    picker = Summarizer(k=k, quotes=QUOTES, codebook=codebook)
    for record in records:
        picker._offer_quote({**record, "lines": [line]}, line)
    return picker._quotes(line)


def emerging_terms(filters: Filters, k: int, codebook, sessions=None) -> list[dict]:
    summary = Summarizer(k=k, codebook=codebook)
    for record in aggregates.texts(filters, uncoded=True, limit=EMERGING_SAMPLE, sessions=sessions):
        summary.add({"text": record["text"], "lines": [], "themes": []})
    return summary._emerging_terms()


def build(filters: Filters, k: int, small: bool) -> dict:
    codebook = current_codebook()
    names = line_names()
    theme_label = theme_names()
    ideas_q = idea_questions(filters.consultation)
    sessions, masks = aggregates.line_totals(filters)
    total, by_line = _line_counts(masks, k, small)
    _, ideas_by_line = _line_counts(aggregates.mask_counts(filters, ideas_q), k, True)
    groups = group_tables(aggregates.group_masks(filters), GROUPS, k, small)
    themes = _themes_by_line(aggregates.theme_lists(filters), k, codebook)
    plan_actions = sum(actions for actions, _ in ACTION_MATRIX.values())
    strategic_texts = sum(by_line[line].value or 0 for line in ACTION_MATRIX)
    recent = aggregates.recent_sessions(filters)
    lines = []
    for line in LINES:
        count = by_line[line]
        actions, goals = ACTION_MATRIX.get(line, (None, None))
        entry = {
            "id": line,
            "name": names[line],
            "strategic": line.startswith("E"),
            "texts": count,
            "share": count.share_of(total),
            "actions": actions,
            "goals": goals,
            "share_of_actions": actions / plan_actions if actions else None,
            "share_of_strategic_texts": (
                count.value / strategic_texts
                if actions and count.shown and strategic_texts
                else None
            ),
            "themes": [
                (theme, theme_label.get(theme, theme), cell) for theme, cell in themes[line]
            ],
            "groups": {
                g: {
                    "texts": groups["group_by_line"][g][line],
                    "share": groups["group_by_line"][g][line].share_of(groups["by_group"][g]),
                }
                for g in groups["by_group"]
            },
            "quotes": [],
            "ideas": ideas_by_line[line],
            "idea_quotes": [],
        }
        if count.shown and count.value >= k:
            records = aggregates.texts(
                filters,
                line=line,
                exclude_questions=ideas_q,
                limit=QUOTE_CANDIDATES,
                sessions=recent,
            )
            entry["quotes"] = _quotes(records, line, k, codebook)
        if ideas_q and entry["ideas"].shown and entry["ideas"].value >= k:
            records = aggregates.texts(
                filters, line=line, questions=ideas_q, limit=QUOTE_CANDIDATES, sessions=recent
            )
            entry["idea_quotes"] = _quotes(records, line, k, codebook)
        lines.append(entry)
    return {
        "k": k,
        "generated_on": date.today(),
        "codebook_version": str(codebook.version),
        "total": total,
        "sessions": len(sessions),
        "groups": groups["by_group"],
        "lines": lines,
        "emerging": emerging_terms(filters, k, codebook, recent),
        "emerging_sample": EMERGING_SAMPLE,
    }


def as_json(data: dict, consultation, filters: Filters) -> dict:
    """The report's figures as plain JSON: hidden cells are ``null``, never their value."""
    group_label = group_names()
    return {
        "schema": "consulta.plan_report/1",
        "consultation": {"id": consultation.id, "title": consultation.title},
        "filters": filters.as_args(),
        "generated_on": data["generated_on"].isoformat(),
        "codebook_version": data["codebook_version"],
        "k": data["k"],
        "texts": data["total"].value,
        "sessions": data["sessions"],
        "groups": {
            g: {"label": group_label[g], "texts": c.value} for g, c in data["groups"].items()
        },
        "lines": [
            {
                "id": e["id"],
                "name": e["name"],
                "texts": e["texts"].value,
                "share": _round(e["share"]),
                "plan_actions": e["actions"],
                "plan_goals": e["goals"],
                "share_of_plan_actions": _round(e["share_of_actions"]),
                "share_of_strategic_texts": _round(e["share_of_strategic_texts"]),
                "top_themes": [
                    {"id": t, "name": name, "texts": cell.value} for t, name, cell in e["themes"]
                ],
                "by_group": {
                    g: {"texts": v["texts"].value, "share": _round(v["share"])}
                    for g, v in e["groups"].items()
                },
                "quotes": e["quotes"],
                "ideas": {"texts": e["ideas"].value, "quotes": e["idea_quotes"]},
            }
            for e in data["lines"]
        ],
        "emerging_terms": data["emerging"],
    }


def _round(share: float | None) -> float | None:
    return None if share is None else round(share, 4)
