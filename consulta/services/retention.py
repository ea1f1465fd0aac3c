"""Retention: once a consultation's date has passed, its free texts go; its codes and counts stay.

What goes and what stays (issue 6 §6), so that every count, chart and quality figure still works
while nothing anyone wrote survives:

- Answers to open and idea questions keep their row and coding (``line_mask``, ``themes``,
  ``auto_lines``, ``auto_themes``, ``codebook_version``, ``flagged``, ``flag_reasons``,
  ``analyst_reviewed``; analysts' codings stay too). ``value`` becomes JSON ``null``: the column
  is NOT NULL, so SQL NULL would need a migration, and JSON null reads back as ``None`` on both
  databases. ``evidence``, ``redactions`` and ``confidence`` become SQL NULL: their offsets would
  tell the length of the text and where names or evidence stood in it.
- Relatoría notes keep their row and coding; ``text`` becomes "" (NOT NULL too).
- Ideas and their supports are deleted: the wall cannot show an idea without its text, and the
  report counts ideas from the answers' codes, which stay. Approved ideas per line are printed
  by the command, not stored (that would need a column).
- The facilitator's action note on the consultation's alerts (a free text) is deleted; the other
  alert details go after ``ALERT_DETAIL_DAYS`` (``alert_care.purge_expired_details``, run once
  per application).
- Learned line classifiers keep stems and stem pairs of the reviewed texts they were trained on.
  Models do not record which texts those were, so every model created after the first analyst
  review of a text still present is deleted (not deactivated: its vocabulary would remain). New
  texts are then coded by the rules until ``flask analysis train`` runs again.
- Export audit rows keep who exported what and when, but lose the search words they recorded
  (an analyst may have searched for a participant's words).
- Each submission's content hash (SHA-256 of its answers, kept to tell a tablet's retry from a
  conflict) is replaced by zeros: a short text could be confirmed by hashing guesses, and a
  closed session refuses deliveries before any hash is compared.
- Open sessions are closed: no text can arrive after its deletion. Closed answers (choices,
  scales, yes/no) are not free text and stay.

One transaction per consultation; a run deletes only what is still there, so a second run deletes
nothing more. The database then compacts its files (``retention_storage``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import JSON, String, and_, cast, delete, func, null, or_, select, update

from analysis import LINES

from ..extensions import db
from ..models import (
    Alert,
    Answer,
    Consultation,
    Encounter,
    Idea,
    IdeaSupport,
    Instrument,
    LearnedModel,
    RelatoriaNote,
    Submission,
)
from ..timeutil import today_local, utcnow
from . import retention_storage, retention_traces
from .instruments import definition_of

NO_HASH = "0" * 64  # a submission's content hash once its texts are gone


def deleted_label() -> str:
    """What stands in for a text deleted by retention, in every analyst view and export."""
    return _("Texto eliminado al cumplirse el plazo de conservación")


def answer_text_kept():
    """Answers whose text has not been deleted (JSON null reads as the string "null")."""
    return cast(Answer.value, String) != "null"


def note_text_kept():
    return RelatoriaNote.text != ""


@dataclass
class ConsultationRetention:
    id: int
    title: str
    retention_until: date
    answers: int = 0
    notes: int = 0
    ideas: int = 0
    approved_ideas: dict[str, int] = field(default_factory=dict)
    supports: int = 0
    alert_notes: int = 0
    export_searches: int = 0
    fingerprints: int = 0
    sessions_closed: int = 0
    learned_models: list[int] = field(default_factory=list)

    @property
    def deleted_anything(self) -> bool:
        return bool(
            self.answers
            or self.notes
            or self.ideas
            or self.supports
            or self.alert_notes
            or self.export_searches
            or self.fingerprints
            or self.sessions_closed
            or self.learned_models
        )


@dataclass
class RetentionReport:
    today: date
    dry_run: bool
    consultations: list[ConsultationRetention] = field(default_factory=list)
    not_due: int = 0
    alert_details_purged: int | None = None  # None: not run (dry run or no alert_care)
    compacted: str | None = None  # what was done to the database files, in words

    @property
    def deleted_anything(self) -> bool:
        return any(c.deleted_anything for c in self.consultations)


def apply(today: date | None = None, dry_run: bool = False, compact: bool = False):
    """Delete the free texts of every consultation past its retention date.

    ``compact`` compacts the database files even when nothing was deleted now (after an
    interrupted run, for instance).
    """
    # An explicit day also dates the alert purge (a rehearsal with --today sees what it would do).
    now = datetime.combine(today, time(), tzinfo=UTC) if today else None
    today = today or today_local()
    report = RetentionReport(today=today, dry_run=dry_run)
    due = db.session.scalars(
        select(Consultation)
        .where(Consultation.retention_until < today)
        .order_by(Consultation.retention_until, Consultation.id)
    ).all()
    report.not_due = (db.session.scalar(select(func.count()).select_from(Consultation)) or 0) - len(
        due
    )
    counted_models: set[int] = set()
    for consultation in due:
        report.consultations.append(_one(consultation, today, dry_run, counted_models))
    if dry_run:
        return report
    report.alert_details_purged = _purge_alert_details(now)
    if report.deleted_anything or compact:
        report.compacted = retention_storage.compact()
    from . import learning

    learning._load.cache_clear()  # parameters of deleted models held by this process
    return report


def _one(consultation: Consultation, today: date, dry_run: bool, counted: set[int]):
    item = ConsultationRetention(consultation.id, consultation.title, consultation.retention_until)
    cid = consultation.id
    encounters = select(Encounter.id).where(Encounter.consultation_id == cid)
    submissions = select(Submission.id).where(Submission.encounter_id.in_(encounters))
    answers = and_(_text_answers(cid), _answer_left())
    notes = and_(RelatoriaNote.encounter_id.in_(encounters), _note_left())
    ideas = or_(Idea.consultation_id == cid, Idea.encounter_id.in_(encounters))
    alerts = and_(Alert.encounter_id.in_(encounters), Alert.action_note.is_not(None))
    still_open = and_(Encounter.consultation_id == cid, Encounter.status == "open")
    try:
        item.answers = _count(Answer, answers)
        item.notes = _count(RelatoriaNote, notes)
        for status, line, n in db.session.execute(
            select(Idea.status, Idea.line, func.count())
            .where(ideas)
            .group_by(Idea.status, Idea.line)
        ):
            item.ideas += n
            if status == "approved" and line:
                item.approved_ideas[line] = item.approved_ideas.get(line, 0) + n
        item.approved_ideas = {
            ln: item.approved_ideas[ln] for ln in LINES if ln in item.approved_ideas
        }
        idea_ids = select(Idea.id).where(ideas)
        item.supports = _count(IdeaSupport, IdeaSupport.idea_id.in_(idea_ids))
        item.alert_notes = _count(Alert, alerts)
        item.sessions_closed = _count(Encounter, still_open)
        hashed = and_(Submission.id.in_(submissions), Submission.content_hash != NO_HASH)
        item.fingerprints = _count(Submission, hashed)
        searches = retention_traces.export_searches(cid)
        item.export_searches = len(searches)
        models = [m for m in retention_traces.models_holding(answers, notes) if m not in counted]
        counted.update(models)
        item.learned_models = models
        if dry_run:
            db.session.rollback()
            return item
        retention_storage.zero_freed_space()
        session = db.session
        opts = {"synchronize_session": False}
        session.execute(
            update(Answer)
            .where(answers)
            .values(value=JSON.NULL, evidence=null(), redactions=null(), confidence=null())
            .execution_options(**opts)
        )
        session.execute(
            update(RelatoriaNote)
            .where(notes)
            .values(text="", evidence=null(), redactions=null(), confidence=null())
            .execution_options(**opts)
        )
        session.execute(
            delete(IdeaSupport).where(IdeaSupport.idea_id.in_(idea_ids)).execution_options(**opts)
        )
        session.execute(delete(Idea).where(ideas).execution_options(**opts))
        session.execute(
            update(Alert).where(alerts).values(action_note=None).execution_options(**opts)
        )
        session.execute(
            update(Submission).where(hashed).values(content_hash=NO_HASH).execution_options(**opts)
        )
        session.execute(
            update(Encounter)
            .where(still_open)
            .values(status="closed", closed_at=utcnow())
            .execution_options(**opts)
        )
        for log in searches:
            log.filters = {k: v for k, v in log.filters.items() if k != "q"}
        if models:
            session.execute(
                delete(LearnedModel).where(LearnedModel.id.in_(models)).execution_options(**opts)
            )
        if item.deleted_anything or consultation.texts_deleted_on is None:
            consultation.texts_deleted_on = today
        session.commit()
    except Exception:
        db.session.rollback()
        raise
    return item


def _count(model, where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(where)) or 0


def _text_answers(consultation_id: int):
    """Answers of the consultation that are free texts: to an open or idea question of their
    instrument, or coded (only free texts are)."""
    submissions = (
        select(Submission.id)
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Encounter.consultation_id == consultation_id)
    )
    instruments = db.session.scalars(
        select(Instrument).where(
            Instrument.id.in_(
                select(Encounter.instrument_id).where(Encounter.consultation_id == consultation_id)
            )
        )
    ).all()
    kinds = [Answer.codebook_version.is_not(None)]
    for instrument in instruments:
        ids = [q.id for q in definition_of(instrument).questions if q.is_text]
        if ids:
            of_instrument = select(Submission.id).where(Submission.instrument_id == instrument.id)
            kinds.append(and_(Answer.question_id.in_(ids), Answer.submission_id.in_(of_instrument)))
    return and_(Answer.submission_id.in_(submissions), or_(*kinds))


def _answer_left():
    """Anything of the text still stored: the text itself or offsets into it."""
    return or_(
        answer_text_kept(),
        Answer.evidence.is_not(None),
        Answer.redactions.is_not(None),
        Answer.confidence.is_not(None),
    )


def _note_left():
    return or_(
        note_text_kept(),
        RelatoriaNote.evidence.is_not(None),
        RelatoriaNote.redactions.is_not(None),
        RelatoriaNote.confidence.is_not(None),
    )


def _purge_alert_details(now: datetime | None) -> int | None:
    """Alert details past ``ALERT_DETAIL_DAYS``, when the alert care module is installed."""
    try:
        from .alert_care import purge_expired_details
    except ImportError:
        return None
    return purge_expired_details(now)
