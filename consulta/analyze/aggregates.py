"""The aggregation queries behind the overview and the report.

Every count is a GROUP BY in the database: 100,000 answers come back as at most a few thousand
rows (one per session and combination of lines), which Python folds into the published tables.
Lines are stored as a bit mask, so grouping by the mask and decomposing it afterwards costs one
scan instead of one per line.
"""

from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import (
    JSON,
    Select,
    String,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from ..extensions import db
from ..models import Answer, Encounter, Submission
from ..models.coding import LINE_BITS
from .filters import Filters, apply

CHILD_BANDS = ("6-8", "9-11")
ADOLESCENT_BANDS = ("12-14", "15-17")
ADULT_BANDS = ("18-28", "29-59", "60+")
ADULT_POPULATIONS = ("familias", "actores")


def _coded(filters: Filters, *columns) -> Select:
    """Coded free texts of the filtered answers, selecting only ``columns``."""
    query = (
        select(*columns)
        .select_from(Answer)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Encounter, Submission.encounter_id == Encounter.id)
        .where(Answer.codebook_version.is_not(None))
    )
    return apply(query, filters)


ANSWER_LEVEL = ("question", "line", "theme", "q")


def submissions(filters: Filters) -> int:
    """Submissions (one participant's turn at the tablet) in the filtered view.

    With only session and profile filters, that is every submission received in those sessions
    and the submissions table alone answers; filters on the answers (question, line, theme,
    search) count the submissions with at least one matching text.
    """
    if any(getattr(filters, name) for name in ANSWER_LEVEL):
        query = _coded(filters, func.count(distinct(Answer.submission_id)))
        return db.session.execute(query).scalar_one()
    query = apply(
        select(func.count())
        .select_from(Submission)
        .join(Encounter, Submission.encounter_id == Encounter.id),
        filters,
    )
    return db.session.execute(query).scalar_one()


def line_totals(filters: Filters, with_themes: bool = False):
    """One scan of the filtered texts, small results: per session (id, texts, texts per line
    E1..T5), per line mask (mask, texts) and, ``with_themes``, per theme (theme, texts).

    The scan groups by session, mask (and stored theme list); every result is a sum over that
    grouped set, which the database computes once (a CTE used more than once is materialised by
    SQLite and PostgreSQL alike). Theme lists are unpacked from JSON once per distinct list, not
    once per text. Python only ever sees a few hundred rows.
    """
    listed = cast(Answer.themes, String)
    columns = [
        Submission.encounter_id.label("session"),
        Answer.line_mask.label("mask"),
        func.count().label("n"),
    ]
    group = [Submission.encounter_id, Answer.line_mask]
    if with_themes:
        columns.append(listed.label("themes"))
        group.append(listed)
    grouped = _coded(filters, *columns).group_by(*group).cte("grouped")
    per_line = [
        func.sum(case((grouped.c.mask.op("&")(bit) != 0, grouped.c.n), else_=0))
        for bit in LINE_BITS.values()
    ]
    nothing = [literal(0)] * len(LINE_BITS)
    parts = [
        select(
            literal("s").label("kind"),
            cast(grouped.c.session, String).label("key"),
            func.sum(grouped.c.n),
            *per_line,
        ).group_by(grouped.c.session),
        select(
            literal("m"), cast(grouped.c.mask, String), func.sum(grouped.c.n), *nothing
        ).group_by(grouped.c.mask),
    ]
    if with_themes:
        lists = (
            select(grouped.c.themes, func.sum(grouped.c.n).label("n"))
            .group_by(grouped.c.themes)
            .cte("lists")
        )
        source = lists.c.themes
        if db.engine.dialect.name == "postgresql":
            source = cast(source, JSON)
        values = _theme_values(source)
        parts.append(
            select(literal("t"), cast(values.c.value, String), func.sum(lists.c.n), *nothing)
            .select_from(lists)
            .join(values, true())
            .group_by(values.c.value)
        )
    sessions, masks, themes = [], [], {}
    for kind, key, n, *lines in db.session.execute(union_all(*parts)):
        if kind == "s":
            sessions.append((int(key), int(n), tuple(int(v) for v in lines)))
        elif kind == "m":
            masks.append((int(key or 0), int(n)))
        else:
            themes[str(key)] = int(n)
    if with_themes:
        return sessions, masks, themes
    return sessions, masks


def session_facts(ids) -> dict[int, tuple]:
    """(population, territory, date) of the sessions in a result."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Encounter.id, Encounter.population, Encounter.territory_code, Encounter.held_on
        ).where(Encounter.id.in_(list(ids)))
    )
    return {e: (population, territory, day) for e, population, territory, day in rows}


def age_group():
    """Children, adolescents or adults: the participant's age band, else the session's population."""
    band, population = Submission.age_band, Encounter.population
    return case(
        (band.in_(CHILD_BANDS), literal("ninez")),
        (band.in_(ADOLESCENT_BANDS), literal("adolescencia")),
        (band.in_(ADULT_BANDS), literal("adultos")),
        (population == "ninez", literal("ninez")),
        (population == "adolescencia", literal("adolescencia")),
        (population.in_(ADULT_POPULATIONS), literal("adultos")),
        else_=literal("sin_dato"),
    )


def group_masks(filters: Filters) -> list[tuple]:
    """(age group, line mask, texts)."""
    group = age_group().label("age_group")
    query = _coded(filters, group, Answer.line_mask, func.count()).group_by(group, Answer.line_mask)
    return [tuple(row) for row in db.session.execute(query)]


def mask_counts(filters: Filters, questions: tuple[str, ...] | None = None) -> list[tuple]:
    """(line mask, texts), optionally only answers to ``questions``."""
    query = _coded(filters, Answer.line_mask, func.count()).group_by(Answer.line_mask)
    if questions is not None:
        query = query.where(Answer.question_id.in_(questions or ("",)))
    return [tuple(row) for row in db.session.execute(query)]


def theme_lists(filters: Filters, by_line: bool = True) -> list[tuple]:
    """(theme ids, line mask, texts) per distinct stored theme list and line mask.

    Grouping on the stored JSON text is one pass with no JSON parsing in the database; the few
    thousand distinct lists are decoded here.
    """
    themes = cast(Answer.themes, String)
    mask = Answer.line_mask if by_line else literal(0)
    query = _coded(filters, themes, mask, func.count()).group_by(themes)
    if by_line:
        query = query.group_by(Answer.line_mask)
    out = []
    for raw, mask, n in db.session.execute(query):
        ids = _decoded(raw)
        if ids:
            out.append((ids, mask or 0, n))
    return out


@lru_cache(maxsize=65536)
def _decoded(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(dict.fromkeys(str(t) for t in value)) if isinstance(value, list) else ()


def _theme_values(column):
    """The JSON list of theme ids as rows, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value").lateral()
    return func.json_each(column).table_valued("value")


SESSION_BATCH = 12


def recent_sessions(filters: Filters) -> list[int]:
    """Session ids of the consultation, newest session date first."""
    query = apply(
        select(Encounter.id).order_by(Encounter.held_on.desc(), Encounter.id.desc()),
        Filters(
            consultation=filters.consultation,
            session=filters.session,
            territory=filters.territory,
            population=filters.population,
        ),
    )
    return list(db.session.scalars(query))


def texts(
    filters: Filters,
    *,
    line: str | None = None,
    questions: tuple[str, ...] | None = None,
    exclude_questions: tuple[str, ...] = (),
    uncoded: bool = False,
    limit: int = 200,
    sessions: list[int] | None = None,
) -> list[dict]:
    """Redacted texts as records for ``analysis.summaries`` (never texts flagged as alerts).

    From the newest sessions back, a few sessions per query, until ``limit`` texts are found:
    sorting every matching answer by date would cost a full scan and sort per call.
    """
    query = _coded(
        filters,
        Answer.value,
        Answer.themes,
        Answer.evidence,
        Answer.confidence,
        Answer.line_mask,
    ).where(Answer.flagged.is_not(True))
    if line is not None:
        query = query.where(Answer.line_mask.op("&")(LINE_BITS[line]) != 0)
    if questions is not None:
        query = query.where(Answer.question_id.in_(questions or ("",)))
    if exclude_questions:
        query = query.where(Answer.question_id.not_in(exclude_questions))
    if uncoded:
        listed = cast(Answer.themes, String)
        query = query.where(
            Answer.line_mask == 0,
            or_(Answer.themes.is_(None), listed.in_(("[]", "null"))),
        )
    order = sessions if sessions is not None else recent_sessions(filters)
    out: list[dict] = []
    for start in range(0, len(order), SESSION_BATCH):
        batch = order[start : start + SESSION_BATCH]
        rows = db.session.execute(
            query.where(Submission.encounter_id.in_(batch)).limit(limit - len(out))
        )
        for value, themes, evidence, confidence, mask in rows:
            if not isinstance(value, str) or not value.strip():
                continue
            if uncoded and themes:
                continue
            out.append(
                {
                    "text": value,
                    "themes": list(themes or []),
                    "evidence": evidence or [],
                    "confidence": confidence or {},
                    "mask": mask or 0,
                }
            )
        if len(out) >= limit:
            break
    return out
