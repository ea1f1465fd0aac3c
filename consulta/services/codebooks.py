"""Saved codebook versions: validated before they exist, previewed before they are saved.

A saved version becomes the active codebook for new texts at once; stored texts keep their
coding until someone runs ``flask analysis retag`` (a long job that does not belong in a web
request). The preview runs the candidate and the current codebook over the same recent texts,
so what it lists is the effect of the edit alone, not drift from older versions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from analysis import LINES
from analysis.codebook import DEFAULT_PATH, Codebook, CodebookError
from analysis.pipeline import get_nlp
from analysis.tagger import load_codebook, tag_doc

from ..extensions import db
from ..models import Answer, CodebookVersion, Encounter, RelatoriaNote, Submission
from .text_analysis import current_codebook

PREVIEW_CAP = 2_000  # most recent texts the preview reads (a few seconds); said on the page
# The tagger reads words and lemmas only: the parser and NER, half of the parsing time, are not
# needed (same coding on the development set), and skipping them per call is thread-safe.
TAGGING_ONLY = {"disable": ["parser", "ner"]}
LISTED_CAP = 200  # changed texts listed one by one
MAX_CHARS = 500_000


class CodebookInputError(ValueError):
    """What is wrong with an edited codebook, in words an administrator can act on."""


@dataclass
class Change:
    kind: str  # "answer" | "note"
    key: tuple
    text: str
    flagged: bool
    reviewed: bool
    before: list[str]
    after: list[str]
    themes_added: list[str]
    themes_removed: list[str]


@dataclass
class Preview:
    examined: int
    capped: bool
    changed: int = 0
    lines_changed: int = 0
    reviewed_changed: int = 0  # automatic coding changes, analyst coding still wins
    gained: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)


def current_content() -> tuple[str, str]:
    """(version, YAML) of the codebook in use, as an administrator would edit it."""
    row = db.session.execute(
        select(CodebookVersion.version, CodebookVersion.content).filter_by(is_active=True).limit(1)
    ).first()
    if row is not None:
        return row.version, row.content
    return load_codebook().version, DEFAULT_PATH.read_text(encoding="utf-8")


def pattern_help() -> str:
    """The editing guide at the top of the shipped codebook, without the comment marks."""
    lines = []
    for raw in DEFAULT_PATH.read_text(encoding="utf-8").splitlines():
        if not raw.startswith("#"):
            break
        lines.append(raw[2:] if raw.startswith("# ") else raw[1:])
    return "\n".join(lines).strip()


def validate(content: str) -> Codebook:
    """Parse and check an edited codebook; the version must not have been used before."""
    if not content or not content.strip():
        raise CodebookInputError(_("El libro de códigos está vacío."))
    if len(content) > MAX_CHARS:
        raise CodebookInputError(_("El libro de códigos es demasiado largo."))
    try:
        codebook = Codebook.from_yaml(content)
    except CodebookError as exc:
        raise CodebookInputError(
            _("El libro de códigos no es válido y no se guardó. Detalle: %(detail)s", detail=exc)
        ) from exc
    if len(codebook.version) > 40:
        raise CodebookInputError(_("La versión debe tener como máximo 40 caracteres."))
    if _version_used(codebook.version):
        raise CodebookInputError(
            _(
                "La versión «%(version)s» ya existe. Cambie el campo «version» por una nueva.",
                version=codebook.version,
            )
        )
    return codebook


def _version_used(version: str) -> bool:
    if version == load_codebook().version:
        return True  # texts coded with the shipped file carry this version already
    return db.session.scalar(select(CodebookVersion.id).filter_by(version=version)) is not None


def save(content: str, note: str | None, user_id: int) -> CodebookVersion:
    """Store a new version and make it the active one, in one transaction."""
    codebook = validate(content)
    try:
        for row in db.session.scalars(select(CodebookVersion).filter_by(is_active=True)):
            row.is_active = False
        saved = CodebookVersion(
            version=codebook.version,
            content=content,
            note=(note or "").strip()[:500] or None,
            is_active=True,
            created_by_id=user_id,
        )
        db.session.add(saved)
        db.session.commit()
    except IntegrityError as exc:  # the same version saved at the same moment by someone else
        db.session.rollback()
        raise CodebookInputError(
            _("La versión «%(version)s» ya existe.", version=codebook.version)
        ) from exc
    return saved


def _recent_texts(cap: int) -> list[tuple]:
    """(kind, key, text, flagged, reviewed) of the most recent coded texts."""
    answers = db.session.execute(
        select(
            Answer.submission_id,
            Answer.question_id,
            Answer.value,
            Answer.flagged,
            Answer.analyst_reviewed,
        )
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Answer.codebook_version.is_not(None))
        .order_by(Submission.received_on.desc(), Encounter.id.desc(), Answer.submission_id)
        .limit(cap)
    ).all()
    notes = db.session.execute(
        select(
            RelatoriaNote.id,
            RelatoriaNote.text,
            RelatoriaNote.flagged,
            RelatoriaNote.analyst_reviewed,
        )
        .where(RelatoriaNote.codebook_version.is_not(None))
        .order_by(RelatoriaNote.id.desc())
        .limit(cap)
    ).all()
    # Notes first: a session has a handful, and they are the group's own conclusions.
    out = [("note", (r.id,), r.text, r.flagged, r.analyst_reviewed) for r in notes]
    out += [
        (
            "answer",
            (r.submission_id, r.question_id),
            _as_text(r.value),
            r.flagged,
            r.analyst_reviewed,
        )
        for r in answers
    ]
    return out[:cap]


def preview(candidate: Codebook, cap: int | None = None) -> Preview:
    """Which of the most recent stored texts the candidate would code differently."""
    cap = cap or PREVIEW_CAP
    current = current_codebook()
    texts = _recent_texts(cap + 1)
    capped = len(texts) > cap
    texts = texts[:cap]
    result = Preview(examined=len(texts), capped=capped)
    gained: Counter = Counter()
    lost: Counter = Counter()
    nlp = get_nlp()
    skip = [name for name in TAGGING_ONLY["disable"] if name in nlp.pipe_names]
    docs = nlp.pipe((t[2] for t in texts), batch_size=256, disable=skip)
    for (kind, key, text, flagged, reviewed), doc in zip(texts, docs, strict=True):
        old, new = tag_doc(doc, current), tag_doc(doc, candidate)
        if set(old.lines) == set(new.lines) and old.themes == new.themes:
            continue
        result.changed += 1
        if set(old.lines) != set(new.lines):
            result.lines_changed += 1
            gained.update(set(new.lines) - set(old.lines))
            lost.update(set(old.lines) - set(new.lines))
        if reviewed:
            result.reviewed_changed += 1
        if len(result.changes) < LISTED_CAP:
            result.changes.append(
                Change(
                    kind,
                    key,
                    text,
                    bool(flagged),
                    bool(reviewed),
                    [x for x in LINES if x in old.lines],
                    [x for x in LINES if x in new.lines],
                    [t for t in new.themes if t not in old.themes],
                    [t for t in old.themes if t not in new.themes],
                )
            )
    result.gained = {line: gained[line] for line in LINES if gained[line]}
    result.lost = {line: lost[line] for line in LINES if lost[line]}
    return result


def _as_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
