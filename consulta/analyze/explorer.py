"""The answers explorer: every coded text, filtered and searched, with why it was coded so.

Pages are offset pages over a stable order (session date, session, the submission's random
UUID, question), fetched in two steps: first the keys of one page, sorted on narrow rows, then
the texts of those keys only. The count is the same query the exports record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BuildError

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Answer, Consultation, Encounter, Submission, mask_to_lines
from ..profiles import AGE_BANDS
from ..services.exporting import (
    ANSWER_ORDER,
    ROW_COLUMNS,
    coding_source,
    prompt_index,
    session_index,
    theme_names,
)
from ..services.retention import deleted_label
from ..services.text_analysis import current_codebook
from . import ANALYSIS_ROLES, bp
from .explorer_queries import (
    REVERSED_ORDER,
    beyond,
    capped_count,
    keys_by_session_chunks,
    session_chunks,
)
from .filters import Filters, coded_answers, filter_choices
from .highlight import highlight, highlight_labels
from .labels import line_names

PAGE_SIZE = 25
COUNT_CAP = 10_000
TEXT_COUNT_CAP = 500


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
    after, before = _cursor("after"), _cursor("before")
    rows, cursors, more = _page(filters, page, after, before) if total else ([], None, False)
    if before and not more:
        page = 1  # went back past the start: this is the first page, whatever the link said
    return render_template(
        "analyze/explorer.html",
        consultation=consultation,
        filters=filters,
        choices=_choices(filters.consultation),
        total=total,
        exact=exact,
        rows=rows,
        page=page,
        last_page=last_page,
        has_next=more if not before else True,
        next_cursor=cursors[1] if cursors else None,
        prev_cursor=cursors[0] if cursors else None,
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


_CHOICES: dict[tuple, dict] = {}


def _choices(consultation_id: int) -> dict:
    """``filter_choices``, rebuilt only when what it lists changed (sessions, codebook, language).

    Building it walks every session's instrument; at hundreds of sessions that was a third of
    the page. The fingerprint is one narrow query.
    """
    sessions = db.session.execute(
        select(
            Encounter.id,
            Encounter.held_on,
            Encounter.territory_code,
            Encounter.code,
            Encounter.instrument_id,
        ).where(Encounter.consultation_id == consultation_id)
    ).all()
    key = (
        consultation_id,
        current_language(),
        str(current_codebook().version),
        hash(tuple(sessions)),
    )
    if key not in _CHOICES:
        if len(_CHOICES) > 32:
            _CHOICES.clear()
        _CHOICES[key] = filter_choices(consultation_id)
    return _CHOICES[key]


def _by_chunks() -> bool:
    """Text filters go a few sessions at a time on PostgreSQL, whose planner cannot estimate a
    LIKE and would scan and sort every text; SQLite already walks the sessions in order."""
    return db.engine.dialect.name == "postgresql"


def _count(filters: Filters) -> tuple[int, bool]:
    """How many answers match, exactly up to a cap: past it, "more than 10 000" says as much
    to a reader and costs a fraction (the scan stops at the cap). Filters that read every
    stored text (search, theme) stop sooner. The exports count exactly, and so does the
    overview."""
    if not (filters.q or filters.theme):
        total = db.session.scalar(capped_count(coded_answers(filters), COUNT_CAP)) or 0
        return min(total, COUNT_CAP), total <= COUNT_CAP
    if not _by_chunks():
        total = db.session.scalar(capped_count(coded_answers(filters), TEXT_COUNT_CAP)) or 0
        return min(total, TEXT_COUNT_CAP), total <= TEXT_COUNT_CAP
    total = 0
    for chunk in session_chunks(filters):
        query = coded_answers(filters).where(Encounter.id.in_(chunk))
        total += db.session.scalar(capped_count(query, TEXT_COUNT_CAP - total)) or 0
        if total > TEXT_COUNT_CAP:
            break
    return min(total, TEXT_COUNT_CAP), total <= TEXT_COUNT_CAP


def _cursor(name: str) -> tuple | None:
    """A page boundary from the query string: (session date, session, submission, question)."""
    raw = request.args.get(name, "")
    parts = raw.split("~")
    if len(parts) != 4:
        return None
    try:
        return (date.fromisoformat(parts[0]), int(parts[1]), parts[2][:36], parts[3][:60])
    except ValueError:
        return None


def _page(filters: Filters, page: int, after: tuple | None = None, before: tuple | None = None):
    """One page of rows, its (first, last) cursors, and whether more rows lie beyond it.

    Following a cursor (Siguiente / Anterior) seeks straight to the page, at any depth; a bare
    ``page=N`` (a typed or bookmarked number) skips N-1 pages. Keys come first (narrow, sorted),
    then the texts of those keys only.
    """
    keys_query = coded_answers(filters).with_only_columns(
        Encounter.held_on, Encounter.id, Answer.submission_id, Answer.question_id
    )
    if before:
        keys_query = keys_query.where(beyond(before, forward=False)).order_by(*REVERSED_ORDER)
    elif after:
        keys_query = keys_query.where(beyond(after, forward=True)).order_by(*ANSWER_ORDER)
    else:
        keys_query = keys_query.order_by(*ANSWER_ORDER)
    skip = 0 if (after or before) else (page - 1) * PAGE_SIZE
    if (filters.q or filters.theme) and _by_chunks():
        found_keys = keys_by_session_chunks(
            filters, keys_query, after or before, bool(before), skip + PAGE_SIZE + 1
        )[skip:]
    else:
        query = keys_query.offset(skip).limit(PAGE_SIZE + 1)
        found_keys = [tuple(k) for k in db.session.execute(query)]
    more, full_keys = len(found_keys) > PAGE_SIZE, found_keys[:PAGE_SIZE]
    if before:
        full_keys.reverse()
    if not full_keys:
        return [], None, False
    cursors = tuple(
        f"{k[0].isoformat()}~{k[1]}~{k[2]}~{k[3]}" for k in (full_keys[0], full_keys[-1])
    )
    keys = [(k[2], k[3]) for k in full_keys]
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
    names, lines, labels = theme_names(lang), line_names(), highlight_labels()
    can_review = "analyze.review" in current_app.view_functions
    deleted = Markup('<em class="deleted-text">%s</em>') % deleted_label()
    rows = []
    for key in keys:
        r = by_key.get(key)
        if r is None:  # deleted between the two queries
            continue
        info = sessions[r.encounter_id]
        rows.append(
            ExplorerRow(
                html=_text_html(r, deleted, names, labels),
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
    return rows, cursors, more


def _text_html(r, deleted: Markup, names, labels) -> Markup | None:
    """The text with its evidence; None when reserved; a notice once retention deleted it."""
    if r.value is None:
        return deleted
    if r.flagged:
        return None
    return highlight(_as_text(r.value), r.evidence or [], r.redactions or [], names, labels)


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
