"""The public figures of a consultation: participants, sessions, answers per line and themes.

Everything shown in public obeys the small-cell rule of the analyst views (the folds and the
suppression in ``analyze.breakdowns`` and ``analysis.suppression``); answers flagged by the
safeguarding signals are left out of every count and theme. Two grouped scans answer it all, and
the result is kept for a short while per process so a page shared widely costs nothing more.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import String, cast, distinct, func, select

from analysis import LINES

from ..analyze.aggregates import _decoded as theme_ids
from ..analyze.aggregates import age_group
from ..analyze.breakdowns import Cell, Published, group_tables, theme_table
from ..extensions import db
from ..models import Answer, Encounter, Submission

GROUPS = ("ninez", "adolescencia", "adultos")
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Figures:
    sessions: int
    participants: Cell
    participants_by_group: dict[str, Cell]
    answers: Cell
    by_line: dict[str, Cell]
    by_group: dict[str, Cell]
    group_by_line: dict[str, dict[str, Cell]]
    themes: dict[str, Cell]

    @property
    def empty(self) -> bool:
        return self.sessions == 0


def small_cell_k() -> int:
    return int(current_app.config.get("SMALL_CELL_K", 5))


def figures(consultation_id: int) -> Figures:
    """The consultation's public figures, from the per-process cache when fresh.

    At 100,000 answers the two scans take a second or two on SQLite (benchmarks/devolucion.py),
    so a stale entry is served at once while one background thread refreshes it: only the very
    first visitor of a process waits for the scans.
    """
    ttl = float(current_app.config.get("DEVOLUCION_CACHE_SECONDS", CACHE_SECONDS))
    k = small_cell_k()
    if ttl <= 0:
        return compute(consultation_id, k)
    cache = current_app.extensions.setdefault("devolucion_figures", {})
    key = (consultation_id, k)
    hit = cache.get(key)
    if hit is None:
        result = compute(consultation_id, k)
        cache[key] = (time.monotonic(), result)
        return result
    if time.monotonic() - hit[0] >= ttl:
        _refresh_in_background(current_app._get_current_object(), cache, key)
    return hit[1]


_refreshing: set = set()
_lock = threading.Lock()


def _refresh_in_background(app, cache: dict, key: tuple) -> None:
    token = (id(app), key)
    with _lock:
        if token in _refreshing:
            return
        _refreshing.add(token)

    def work():
        try:
            with app.app_context():
                cache[key] = (time.monotonic(), compute(*key))
                db.session.remove()
        except Exception:  # the stale figures stay; the next visit tries again
            app.logger.exception("devolución figures could not be refreshed")
        finally:
            with _lock:
                _refreshing.discard(token)

    threading.Thread(target=work, name="devolucion-refresh", daemon=True).start()


def compute(consultation_id: int, k: int) -> Figures:
    sessions, participants = _participants(consultation_id)
    people = Published(k)
    people.add(("total",), sum(participants.values()))
    present = [g for g in (*GROUPS, "sin_dato") if participants.get(g)]
    for group in present:
        people.add(("group", group), participants[group])
    people.add_sum(("total",), [("group", g) for g in present])
    people.suppress()

    masks, theme_counts = _texts(consultation_id)
    texts = group_tables(masks, GROUPS, k, total_is_small_cell=True)
    return Figures(
        sessions=sessions,
        participants=people.cell("total"),
        participants_by_group={g: people.cell("group", g) for g in present},
        answers=texts["total"],
        by_line=texts["by_line"],
        by_group=texts["by_group"],
        group_by_line=texts["group_by_line"],
        themes=theme_table(theme_counts, k),
    )


def _consultation_scope(query, consultation_id: int):
    return query.join(Encounter, Submission.encounter_id == Encounter.id).where(
        Encounter.consultation_id == consultation_id
    )


def _participants(consultation_id: int) -> tuple[int, dict[str, int]]:
    """(sessions with at least one participant, participants per age group)."""
    group = age_group().label("age_group")
    query = _consultation_scope(
        select(group, func.count()).select_from(Submission), consultation_id
    ).group_by(group)
    counts = {str(g): int(n) for g, n in db.session.execute(query)}
    held = _consultation_scope(
        select(func.count(distinct(Submission.encounter_id))).select_from(Submission),
        consultation_id,
    )
    return int(db.session.execute(held).scalar_one()), counts


def _texts(consultation_id: int) -> tuple[list[tuple], dict[str, int]]:
    """(age group, line mask, answers) rows and answers per theme, flagged answers excluded.

    One grouped scan by (age group, mask, stored theme list): the few thousand distinct theme
    lists are decoded here, never one JSON value per answer.
    """
    group = age_group().label("age_group")
    listed = cast(Answer.themes, String)
    query = (
        _consultation_scope(
            select(group, Answer.line_mask, listed, func.count())
            .select_from(Answer)
            .join(Submission, Answer.submission_id == Submission.id),
            consultation_id,
        )
        .where(Answer.codebook_version.is_not(None), Answer.flagged.is_not(True))
        .group_by(group, Answer.line_mask, listed)
    )
    masks: Counter = Counter()
    themes: Counter = Counter()
    for g, mask, raw, n in db.session.execute(query):
        masks[str(g), int(mask or 0)] += int(n)
        for theme in theme_ids(raw):
            themes[theme] += int(n)
    rows = [(g, mask, n) for (g, mask), n in masks.items()]
    return rows, dict(themes)


def lines_ranked(by_line: dict[str, Cell]) -> list[str]:
    """Lines most spoken of first; hidden counts keep the plan's order at the end, so the order
    itself says nothing about a hidden count."""
    shown = sorted((line for line in LINES if by_line[line].shown), key=lambda x: -by_line[x].value)
    return shown + [line for line in LINES if not by_line[line].shown]
