"""How far the automatic coding agrees with analysts, on the texts analysts reviewed.

Each line is a yes/no decision per text, so the figures are the usual binary ones: precision
and recall of the automatic coding taking the analyst as reference, F1, and Cohen's kappa
(agreement beyond chance, which precision and recall alone hide for rare lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from analysis import LINES

from ..extensions import db
from ..models import Answer, Encounter, RelatoriaNote, Submission, mask_to_lines

MIN_TEXTS = 30  # fewer reviewed texts than this: the figures move too much to be trusted
MIN_LINE_CASES = 5  # fewer analyst-coded cases of a line: its recall rests on a handful
MAX_DISAGREEMENTS = 200


@dataclass(frozen=True)
class ReviewedText:
    kind: str  # "answer" | "note"
    key: tuple  # (submission_id, question_id) or (note_id,)
    text: str
    flagged: bool
    auto: frozenset[str]
    analyst: frozenset[str]


@dataclass
class LineScore:
    line: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        return f1_score(self.tp, self.fp, self.fn)

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.tp, self.fp, self.fn, self.tn)

    @property
    def few_cases(self) -> bool:
        return self.support < MIN_LINE_CASES


@dataclass
class Agreement:
    reviewed: int
    lines: list[LineScore]
    disagreements: list[ReviewedText] = field(default_factory=list)
    disagreement_total: int = 0

    @property
    def too_few(self) -> bool:
        return self.reviewed < MIN_TEXTS

    @property
    def exact_match(self) -> float | None:
        if not self.reviewed:
            return None
        return (self.reviewed - self.disagreement_total) / self.reviewed

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.lines)


def f1_score(tp: int, fp: int, fn: int) -> float | None:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Kappa for two raters on one yes/no decision; None when chance agreement is total."""
    n = tp + fp + fn + tn
    if not n:
        return None
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def macro_f1(scores: list[LineScore]) -> float | None:
    """Mean F1 over the lines the reference uses at least once."""
    values = [s.f1 or 0.0 for s in scores if s.support]
    return sum(values) / len(values) if values else None


def score(pairs) -> list[LineScore]:
    """Per-line counts from (predicted, reference) line sets."""
    scores = {line: LineScore(line) for line in LINES}
    for predicted, reference in pairs:
        for line, s in scores.items():
            p, r = line in predicted, line in reference
            if p and r:
                s.tp += 1
            elif p:
                s.fp += 1
            elif r:
                s.fn += 1
            else:
                s.tn += 1
    return list(scores.values())


def reviewed_texts(consultation_id: int | None = None) -> list[ReviewedText]:
    """Every text analysts reviewed (answers, then notes), in a stable order."""
    answers = (
        select(
            Answer.submission_id,
            Answer.question_id,
            Answer.value,
            Answer.flagged,
            Answer.auto_lines,
            Answer.line_mask,
        )
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Answer.analyst_reviewed.is_(True))
        .order_by(
            Encounter.held_on.desc(), Encounter.id.desc(), Answer.submission_id, Answer.question_id
        )
    )
    notes = (
        select(
            RelatoriaNote.id,
            RelatoriaNote.text,
            RelatoriaNote.flagged,
            RelatoriaNote.auto_lines,
            RelatoriaNote.line_mask,
        )
        .join(Encounter, RelatoriaNote.encounter_id == Encounter.id)
        .where(RelatoriaNote.analyst_reviewed.is_(True))
        .order_by(RelatoriaNote.id)
    )
    if consultation_id is not None:
        answers = answers.where(Encounter.consultation_id == consultation_id)
        notes = notes.where(Encounter.consultation_id == consultation_id)
    out = [
        ReviewedText(
            "answer",
            (r.submission_id, r.question_id),
            r.value if isinstance(r.value, str) else "; ".join(map(str, r.value or [])),
            bool(r.flagged),
            frozenset(r.auto_lines or []),
            frozenset(mask_to_lines(r.line_mask or 0)),
        )
        for r in db.session.execute(answers)
    ]
    out += [
        ReviewedText(
            "note",
            (r.id,),
            r.text,
            bool(r.flagged),
            frozenset(r.auto_lines or []),
            frozenset(mask_to_lines(r.line_mask or 0)),
        )
        for r in db.session.execute(notes)
    ]
    return out


def agreement(consultation_id: int | None = None) -> Agreement:
    texts = reviewed_texts(consultation_id)
    different = [t for t in texts if t.auto != t.analyst]
    return Agreement(
        reviewed=len(texts),
        lines=score((t.auto, t.analyst) for t in texts),
        disagreements=different[:MAX_DISAGREEMENTS],
        disagreement_total=len(different),
    )
