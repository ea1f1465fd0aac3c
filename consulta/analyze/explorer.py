"""The answers explorer: every coded text, filtered and searched, with why it was coded so.

Pages are offset pages over a stable order (session date, session, the submission's random
UUID, question), fetched in two steps: first the keys of one page, sorted on narrow rows, then
the texts of those keys only. The count is the same query the exports record.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Answer, Consultation, Submission, mask_to_lines
from ..profiles import AGE_BANDS
from ..services.exporting import (
    ANSWER_ORDER,
    ROW_COLUMNS,
    coding_source,
    count_answers,
    prompt_index,
    session_index,
    theme_names,
)
from . import ANALYSIS_ROLES, bp
from .filters import Filters, coded_answers, filter_choices
from .labels import line_names

PAGE_SIZE = 25
COUNT_CAP = 1000


@dataclass
class ExplorerRow:
    html: Markup | None  # None when the text is reserved for safeguarding
    lines: list[tuple[str, str]]
    themes: list[str]
    source: str
    reviewed: bool
    question: str
    session: object
    age_band: str
    review_url: str | None


@bp.route("/respuestas")
@role_required(*ANALYSIS_ROLES)
def explorer():
    filters = Filters.from_args(request.args)
    if filters.consultation is None:
        return redirect(url_for("analyze.index"))
    consultation = db.get_or_404(Consultation, filters.consultation)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    total, exact = _count(filters)
    last_page = max(1, -(-total // PAGE_SIZE)) if exact else None
    if last_page is not None:
        page = min(page, last_page)
    rows, more = _page(filters, page) if total else ([], False)
    return render_template(
        "analyze/explorer.html",
        consultation=consultation,
        filters=filters,
        choices=filter_choices(filters.consultation),
        total=total,
        exact=exact,
        rows=rows,
        page=page,
        last_page=last_page,
        has_next=more,
        first_shown=(page - 1) * PAGE_SIZE + 1,
        last_shown=(page - 1) * PAGE_SIZE + len(rows),
        has_overview="analyze.overview" in current_app.view_functions,
        t={
            "question": _("Pregunta"),
            "lines": _("Líneas"),
            "no_lines": _("ninguna"),
            "themes": _("Temas"),
            "coding": _("Codificación"),
            "session": _("Sesión"),
            "review": _("Revisar la codificación"),
            "reserved": _("Texto reservado por protección"),
        },
    )


def _count(filters: Filters) -> tuple[int, bool]:
    """Exact when the filters only touch indexed columns; capped when every stored text must be
    read (text search, theme), where "more than 1 000" is as useful and costs a fraction."""
    if not (filters.q or filters.theme):
        return count_answers(filters), True
    capped = (
        coded_answers(filters).with_only_columns(Answer.submission_id).limit(COUNT_CAP + 1)
    ).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return min(total, COUNT_CAP), total <= COUNT_CAP


def _page(filters: Filters, page: int) -> tuple[list[ExplorerRow], bool]:
    """One page and whether another follows; keys first (narrow, sorted), then their rows."""
    keys_query = (
        coded_answers(filters)
        .with_only_columns(Answer.submission_id, Answer.question_id)
        .order_by(*ANSWER_ORDER)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    )
    keys = [tuple(k) for k in db.session.execute(keys_query)]
    more, keys = len(keys) > PAGE_SIZE, keys[:PAGE_SIZE]
    if not keys:
        return [], False
    # By submission id (the primary key's first column): an index search per submission.
    found = db.session.execute(
        select(*ROW_COLUMNS, Answer.evidence, Answer.redactions)
        .join(Submission, Answer.submission_id == Submission.id)
        .where(Answer.submission_id.in_(sorted({sid for sid, _q in keys})))
    ).all()
    by_key = {(r.submission_id, r.question_id): r for r in found}
    lang = current_language()
    sessions = session_index(filters.consultation, only={r.encounter_id for r in found})
    prompts = prompt_index(sessions, lang)
    names, lines, labels = theme_names(lang), line_names(), _highlight_labels()
    can_review = "analyze.review" in current_app.view_functions
    rows = []
    for key in keys:
        r = by_key.get(key)
        if r is None:  # deleted between the two queries
            continue
        info = sessions[r.encounter_id]
        rows.append(
            ExplorerRow(
                html=None
                if r.flagged
                else highlight(
                    _as_text(r.value), r.evidence or [], r.redactions or [], names, labels
                ),
                lines=[(code, lines[code]) for code in mask_to_lines(r.line_mask or 0)],
                themes=[] if r.flagged else [names.get(t, t) for t in r.themes or []],
                source=coding_source(r.analyst_reviewed),
                reviewed=bool(r.analyst_reviewed),
                question=prompts.get((info.instrument_id, r.question_id), r.question_id),
                session=info,
                age_band=str(AGE_BANDS.get(r.age_band, "")) if r.age_band else "",
                review_url=_review_url(r.submission_id, r.question_id)
                if can_review and not r.flagged
                else None,
            )
        )
    return rows, more


def _review_url(submission_id: str, question_id: str) -> str | None:
    """The coding review of one text, once that page exists with these parameters."""
    try:
        return url_for("analyze.review", submission_id=submission_id, question_id=question_id)
    except BuildError:
        return None


def _as_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _highlight_labels() -> dict[str, str]:
    """Translated once per page, not once per span."""
    person = _("nombre")
    return {
        "NOMBRE": person,
        "TELÉFONO": _("teléfono"),
        "TELEFONO": _("teléfono"),
        "CORREO": _("correo"),
        "DOCUMENTO": _("documento"),
        "DIRECCIÓN": _("dirección"),
        "DIRECCION": _("dirección"),
        "ENLACE": _("enlace"),
        "PLACA": _("placa"),
        "USUARIO": _("usuario"),
        "": _("dato personal"),
        "hint": _("Dato personal retirado antes de guardar"),
        "evidence": _("Evidencia: %(themes)s"),
    }


def highlight(
    text: str, evidence: list, redactions: list, names: dict[str, str], labels: dict | None = None
) -> Markup:
    """The text, escaped, with evidence spans as <mark> and placeholders as chips.

    Offsets come from the stored analysis; any span that does not fit the text is ignored
    rather than trusted, and an evidence span never cuts a placeholder in two.
    """
    labels = labels or _highlight_labels()
    hint = escape(labels["hint"])
    size = len(text)
    chips = []
    for r in redactions:
        start, end = _span(r, size)
        if start is not None and text[start] == "[" and text[end - 1] == "]":
            if not any(s < end and start < e for s, e, _k in chips):
                chips.append((start, end, str(r.get("type", ""))))
    marks = []
    for e in evidence:
        start, end = _span(e, size)
        if start is None:
            continue
        for cs, ce, _k in chips:
            start = cs if cs < start < ce else start
            end = ce if cs < end < ce else end
        marks.append((start, end, names.get(e.get("theme"), str(e.get("theme", "")))))
    cuts = sorted({0, size, *(p for s, e, _k in chips + marks for p in (s, e))})
    out: list[str] = []
    open_themes: tuple[str, ...] = ()
    for a, b in zip(cuts, cuts[1:], strict=False):
        themes = tuple(dict.fromkeys(t for s, e, t in marks if s <= a and b <= e))
        if themes != open_themes:
            if open_themes:
                out.append("</mark>")
            if themes:
                title = escape(labels["evidence"] % {"themes": ", ".join(themes)})
                out.append(f'<mark title="{title}">')
            open_themes = themes
        chip = next((c for c in chips if c[0] == a and c[1] == b), None)
        if chip:
            label = labels.get(chip[2], labels[""])
            out.append(f'<span class="redacted" title="{hint}">{escape(label)}</span>')
        else:
            out.append(str(escape(text[a:b])))
    if open_themes:
        out.append("</mark>")
    return Markup("".join(out))


def _span(item, size: int) -> tuple[int | None, int | None]:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError):
        return None, None
    if 0 <= start < end <= size:
        return start, end
    return None, None
