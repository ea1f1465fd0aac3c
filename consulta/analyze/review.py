"""Coding review: an analyst confirms, removes or adds the lines and themes of one text.

Answers are addressed by (submission, question), relatoría notes by their id. The explorer's
filters travel in the query string, so "next / previous unreviewed" walk the same list the
analyst came from. A text flagged for safeguarding can be coded (lines only) but not read here.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, or_, select

from analysis import LINES

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Answer, Encounter, RelatoriaNote, Submission, User
from ..services import coding_review
from ..services.exporting import ANSWER_ORDER, prompt_index, session_index, theme_names
from ..services.retention import deleted_label
from ..services.text_analysis import current_codebook
from . import ANALYSIS_ROLES, bp
from .filters import Filters, coded_answers
from .highlight import highlight, highlight_labels
from .labels import line_names


@bp.route("/revision/<submission_id>/<question_id>")
@role_required(*ANALYSIS_ROLES)
def review(submission_id: str, question_id: str):
    row = _answer_or_404(submission_id, question_id)
    return _render(row)


@bp.route("/revision/<submission_id>/<question_id>/guardar", methods=["POST"])
@role_required(*ANALYSIS_ROLES)
def review_save(submission_id: str, question_id: str):
    row = _answer_or_404(submission_id, question_id)
    return _save(row)


@bp.route("/revision/nota/<int:note_id>")
@role_required(*ANALYSIS_ROLES)
def review_note(note_id: int):
    return _render(_note_or_404(note_id))


@bp.route("/revision/nota/<int:note_id>/guardar", methods=["POST"])
@role_required(*ANALYSIS_ROLES)
def review_note_save(note_id: int):
    return _save(_note_or_404(note_id))


def _answer_or_404(submission_id: str, question_id: str) -> Answer:
    row = db.session.get(Answer, (submission_id[:36], question_id[:60]))
    if row is None or row.codebook_version is None:  # only coded free texts have a review
        abort(404)
    return row


def _note_or_404(note_id: int) -> RelatoriaNote:
    row = db.session.get(RelatoriaNote, note_id)
    if row is None or row.codebook_version is None:
        abort(404)
    return row


def _save(row):
    filters = Filters.from_args(request.args)
    if request.form.get("form") != "review":
        abort(400)
    lines = request.form.getlist("lines")
    # A reserved text's themes are not shown, so the analyst cannot have decided on them.
    themes = list(row.themes or []) if row.flagged else request.form.getlist("themes")
    try:
        coding_review.save_coding(row, lines, themes, current_user.id)
    except coding_review.ReviewError:
        flash(_("La codificación tiene una línea o un tema que no existe. No se guardó."), "error")
        return redirect(_url_of(row, filters))
    flash(_("Codificación guardada. Ahora manda sobre la automática."), "success")
    if request.form.get("then") == "next":
        following = _neighbour(row, filters, forward=True)
        if following:
            return redirect(following)
        flash(_("No quedan textos sin revisar con estos filtros."), "info")
    return redirect(_url_of(row, filters))


def _render(row):
    filters = Filters.from_args(request.args)
    lang = current_language()
    names = theme_names(lang)
    is_note = isinstance(row, RelatoriaNote)
    encounter = db.session.get(
        Encounter, row.encounter_id if is_note else row.submission.encounter_id
    )
    if is_note:
        question = _("Relatoría de la actividad «%(activity)s»", activity=row.activity)
        raw = row.text
    else:
        info = session_index(None, only={encounter.id})
        question = prompt_index(info, lang).get(
            (encounter.instrument_id, row.question_id), row.question_id
        )
        raw = row.value
        if raw is not None and not isinstance(raw, str):
            raw = "; ".join(map(str, raw))
    if (raw is None and not is_note) or (is_note and raw == ""):
        text_html = Markup('<em class="deleted-text">%s</em>') % deleted_label()
    elif row.flagged:
        text_html = None
    else:
        text_html = highlight(
            raw, row.evidence or [], row.redactions or [], names, highlight_labels()
        )
    codebook = current_codebook()
    theme_choices = sorted(
        ((t.id, t.name.get(lang) or t.name["es"]) for t in codebook.themes), key=lambda x: x[1]
    )
    known = {t for t, _n in theme_choices}
    theme_choices += [(t, t) for t in (row.themes or []) if t not in known]
    history = coding_review.history(row)
    analysts = {
        u.id: u.email
        for u in db.session.scalars(
            select(User).where(User.id.in_({h.analyst_id for h in history}))
        )
    }
    return render_template(
        "analyze/review.html",
        row=row,
        is_note=is_note,
        encounter=encounter,
        question=question,
        text_html=text_html,
        lines=line_names(),
        line_ids=LINES,
        auto_lines=[x for x in LINES if x in (row.auto_lines or [])],
        auto_themes=[names.get(t, t) for t in row.auto_themes or []],
        effective=set(row.effective_lines),
        effective_themes=set(row.themes or []),
        theme_choices=theme_choices,
        history=history,
        analysts=analysts,
        filters=filters,
        save_url=_url_of(row, filters, save=True),
        prev_url=_neighbour(row, filters, forward=False),
        next_url=_neighbour(row, filters, forward=True),
        explorer_url=url_for("analyze.explorer", **filters.as_args())
        if filters.consultation
        else None,
    )


def _url_of(row, filters: Filters, save: bool = False) -> str:
    args = filters.as_args()
    if isinstance(row, RelatoriaNote):
        endpoint = "analyze.review_note_save" if save else "analyze.review_note"
        return url_for(endpoint, note_id=row.id, **args)
    endpoint = "analyze.review_save" if save else "analyze.review"
    return url_for(endpoint, submission_id=row.submission_id, question_id=row.question_id, **args)


# The explorer's order (services.exporting.ANSWER_ORDER) read backwards, for "previous".
REVERSED_ORDER = (
    Encounter.held_on.asc(),
    Encounter.id.asc(),
    Answer.submission_id.desc(),
    Answer.question_id.desc(),
)


def _beyond(key: tuple, forward: bool):
    """Answers after ``key`` in the explorer's order (newest sessions first, then ids), or
    before it going back."""
    day, session, submission, question = key
    later = (Encounter.held_on < day) if forward else (Encounter.held_on > day)
    other_session = (Encounter.id < session) if forward else (Encounter.id > session)
    next_submission = (
        (Answer.submission_id > submission) if forward else (Answer.submission_id < submission)
    )
    next_question = (Answer.question_id > question) if forward else (Answer.question_id < question)
    return or_(
        later,
        and_(Encounter.held_on == day, other_session),
        and_(Encounter.id == session, next_submission),
        and_(Encounter.id == session, Answer.submission_id == submission, next_question),
    )


def _neighbour(row, filters: Filters, forward: bool) -> str | None:
    """The next (or previous) unreviewed text in the explorer's order, within the filters."""
    if isinstance(row, RelatoriaNote):
        query = select(RelatoriaNote).where(
            RelatoriaNote.analyst_reviewed.is_(False),
            RelatoriaNote.codebook_version.is_not(None),
            RelatoriaNote.id > row.id if forward else RelatoriaNote.id < row.id,
        )
        if filters.consultation is not None:
            query = query.join(Encounter, RelatoriaNote.encounter_id == Encounter.id).where(
                Encounter.consultation_id == filters.consultation
            )
        order = RelatoriaNote.id.asc() if forward else RelatoriaNote.id.desc()
        found = db.session.scalars(query.order_by(order).limit(1)).first()
        return _url_of(found, filters) if found else None
    encounter = db.session.execute(
        select(Encounter.held_on, Encounter.id)
        .join(Submission, Submission.encounter_id == Encounter.id)
        .where(Submission.id == row.submission_id)
    ).one()
    key = (encounter.held_on, encounter.id, row.submission_id, row.question_id)
    query = (
        coded_answers(filters)
        .with_only_columns(Answer.submission_id, Answer.question_id)
        .where(Answer.analyst_reviewed.is_(False), _beyond(key, forward))
        .order_by(*(ANSWER_ORDER if forward else REVERSED_ORDER))
        .limit(1)
    )
    found = db.session.execute(query).first()
    if found is None:
        return None
    return url_for(
        "analyze.review",
        submission_id=found.submission_id,
        question_id=found.question_id,
        **filters.as_args(),
    )
