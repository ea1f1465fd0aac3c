"""One filter model shared by the overview, the explorer, the exports and the report.

Every analyst view reads the same query-string parameters, so a filtered overview, its
explorer and its export always describe the same answers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

from sqlalchemy import Select, and_, func, select

from ..extensions import db
from ..models import Answer, Encounter, Submission
from ..models.coding import LINE_BITS
from ..profiles import AGE_BANDS, POPULATION_GROUPS
from ..territories import territory


@dataclass(frozen=True)
class Filters:
    consultation: int | None = None
    session: int | None = None
    territory: int | None = None
    population: str | None = None
    age_band: str | None = None
    question: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    line: str | None = None
    theme: str | None = None
    q: str | None = None  # free-text search in the (redacted) answers

    @classmethod
    def from_args(cls, args) -> Filters:
        """Unknown or malformed values are dropped, never an error page: a filter is a view."""

        def integer(name):
            try:
                value = int(args.get(name, ""))
            except ValueError:
                return None
            return value if 0 < value < 2**31 else None  # ids are 32-bit keys

        def words(name, limit):
            # NUL cannot be searched for (PostgreSQL refuses it in text) and nobody types it.
            return (args.get(name) or "").replace("\x00", "").strip()[:limit] or None

        def day(name):
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None

        def choice(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None

        code = integer("territory")
        text = words("q", 200)
        theme = words("theme", 60)
        question = words("question", 60)
        return cls(
            consultation=integer("consultation"),
            session=integer("session"),
            territory=code if code is not None and territory(code) else None,
            population=choice("population", POPULATION_GROUPS),
            age_band=choice("age_band", AGE_BANDS),
            question=question,
            date_from=day("date_from"),
            date_to=day("date_to"),
            line=choice("line", LINE_BITS),
            theme=theme,
            q=text,
        )

    def as_args(self, **changes) -> dict[str, str]:
        """Query-string form (for links, pagination and the export audit log)."""
        values = {**asdict(self), **changes}
        return {
            k: v.isoformat() if isinstance(v, date) else str(v)
            for k, v in values.items()
            if v not in (None, "")
        }

    def active(self) -> dict[str, str]:
        return {f.name: v for f in fields(self) if (v := self.as_args().get(f.name))}


def coded_answers(filters: Filters) -> Select:
    """Answers with a coded free text, joined to their submission and session, filtered."""
    query = (
        select(Answer, Submission, Encounter)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Answer.codebook_version.is_not(None))
    )
    return apply(query, filters)


def apply(query: Select, f: Filters) -> Select:
    conditions = []
    if f.consultation is not None:
        conditions.append(Encounter.consultation_id == f.consultation)
    if f.session is not None:
        conditions.append(Encounter.id == f.session)
    if f.territory is not None:
        conditions.append(Encounter.territory_code == f.territory)
    if f.population:
        conditions.append(Encounter.population == f.population)
    if f.age_band:
        conditions.append(Submission.age_band == f.age_band)
    if f.question:
        conditions.append(Answer.question_id == f.question)
    if f.date_from:
        conditions.append(Submission.received_on >= f.date_from)
    if f.date_to:
        conditions.append(Submission.received_on <= f.date_to)
    if f.line:
        conditions.append(Answer.line_mask.op("&")(LINE_BITS[f.line]) != 0)
    if f.theme:
        # Themes are stored as a JSON list of ids; ids are [a-z0-9_] so a quoted match is exact.
        conditions.append(func.cast(Answer.themes, db.String).like(f'%"{f.theme}"%'))
    if f.q:
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(
            func.lower(func.cast(Answer.value, db.String)).like(f"%{escaped.lower()}%", escape="\\")
        )
        # A text deleted by retention is JSON null: searching "nul" must not find it.
        conditions.append(func.cast(Answer.value, db.String) != "null")
    return query.where(and_(*conditions)) if conditions else query


def filter_choices(consultation_id: int | None) -> dict:
    """Everything the filter bar offers, in the current language."""
    from ..i18n import current_language
    from ..services.instruments import definition_of
    from ..services.text_analysis import current_codebook
    from .labels import line_names, population_names

    lang = current_language()
    sessions = []
    questions: dict[str, str] = {}
    if consultation_id is not None:
        rows = db.session.scalars(
            select(Encounter).filter_by(consultation_id=consultation_id).order_by(Encounter.held_on)
        ).all()
        for row in rows:
            place = territory(row.territory_code)
            sessions.append(
                (
                    row.id,
                    f"{row.held_on.isoformat()} · {place.name if place else row.territory_code} · {row.code}",
                )
            )
            for question in definition_of(row.instrument).questions:
                if question.is_text:
                    questions.setdefault(
                        question.id, question.prompt.get(lang) or question.prompt["es"]
                    )
    from ..territories import all_territories

    codebook = current_codebook()
    return {
        "sessions": sessions,
        "territories": [(t.code, t.label) for t in all_territories()],
        "populations": list(population_names().items()),
        "age_bands": [(k, str(v)) for k, v in AGE_BANDS.items()],
        "questions": sorted(questions.items(), key=lambda item: item[1]),
        "lines": list(line_names().items()),
        "themes": sorted(
            ((t.id, t.name.get(lang) or t.name["es"]) for t in codebook.themes),
            key=lambda item: item[1],
        ),
    }
