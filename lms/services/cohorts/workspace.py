"""The trainer's home: their cohorts with what needs attention, and a search over their trainees.

Only a trainer's own people: the cohorts they teach, and the trainees `following._followed`
allows (their cohorts' trainees, and enrolments outside any cohort on courses an administrator
assigned them to); admins see everything. The cohort list costs the same few queries however
many cohorts there are (`tests/web/test_trainer_home.py` counts them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from lms.domain.cohort_attention import (
    Attention,
    TodaySession,
    cohort_order,
    needs_attention,
    practicum_outstanding,
)
from lms.domain.progress_grid import name_sort_key
from lms.domain.registry.paging import page_count
from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import (
    AttendanceMark,
    AttendanceSession,
    Cohort,
    Enrolment,
    PracticumRecord,
    User,
)
from lms.services.cohorts.following import _followed, taught_cohort_ids
from lms.services.courses.store import course_rules

MEMBER_STATES = ("active", "completed")
SEARCH_STATES = ("requested", "active", "completed")
PAGE_SIZE = 25
QUERY_MAX = 100  # characters of a search; longer input is cut, not refused


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    trainees: int  # active and completed
    attention: Attention = field(default_factory=Attention)

    @property
    def needs_attention(self) -> bool:
        return needs_attention(self.attention)


def cohort_summaries(user: User, today: date) -> list[CohortSummary]:
    """The cohorts `user` teaches (every cohort for an admin), running ones first; `today` is
    the date in Mongolia (`lms.services.clock.today`)."""
    query = select(Cohort).options(joinedload(Cohort.course_version))
    if not user.has_role(ADMIN):
        query = query.where(Cohort.id.in_(taught_cohort_ids(user)))
    cohorts = list(db.session.execute(query).scalars())
    if not cohorts:
        return []
    ids = [cohort.id for cohort in cohorts]
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    for cohort_id, state, count in db.session.execute(
        select(Enrolment.cohort_id, Enrolment.state, func.count())
        .where(Enrolment.cohort_id.in_(ids))
        .group_by(Enrolment.cohort_id, Enrolment.state)
    ):
        counts[cohort_id][state] = count
    practicum = _practicum_to_sign(cohorts)
    sessions = _sessions_on(ids, today)
    summaries = [
        CohortSummary(
            cohort=cohort,
            trainees=sum(counts[cohort.id].get(state, 0) for state in MEMBER_STATES),
            attention=Attention(
                requests=counts[cohort.id].get("requested", 0),
                practicum_to_sign=practicum.get(cohort.id, 0),
                today=tuple(sessions.get(cohort.id, ())),
            ),
        )
        for cohort in cohorts
    ]
    return sorted(
        summaries,
        key=lambda s: (cohort_order(s.cohort.starts_on, s.cohort.ends_on, today), -s.cohort.id),
    )


def _practicum_to_sign(cohorts: list[Cohort]) -> dict[int, int]:
    """Per cohort: trainees who finished the course work and whose practicum is incomplete."""
    with_practicum = {
        cohort.id: practicum
        for cohort in cohorts
        if (practicum := course_rules(cohort.course_version).certification.requires.practicum)
    }
    if not with_practicum:
        return {}
    signed: dict[int, set[str]] = defaultdict(set)
    hours: dict[int, float] = defaultdict(float)
    cohort_of: dict[int, int | None] = {}
    for enrolment_id, cohort_id, competency_id, record_hours in db.session.execute(
        select(
            Enrolment.id, Enrolment.cohort_id, PracticumRecord.competency_id, PracticumRecord.hours
        )
        .outerjoin(
            PracticumRecord,
            (PracticumRecord.enrolment_id == Enrolment.id) & PracticumRecord.voided_at.is_(None),
        )
        .where(Enrolment.cohort_id.in_(with_practicum), Enrolment.state == "completed")
    ):
        cohort_of[enrolment_id] = cohort_id
        hours[enrolment_id] += record_hours or 0.0
        if competency_id:
            signed[enrolment_id].add(competency_id)
    waiting: dict[int, int] = defaultdict(int)
    for enrolment_id, cohort_id in cohort_of.items():
        if cohort_id is not None and practicum_outstanding(
            with_practicum[cohort_id], frozenset(signed[enrolment_id]), hours[enrolment_id]
        ):
            waiting[cohort_id] += 1
    return waiting


def _sessions_on(cohort_ids: list[int], day: date) -> dict[int, list[TodaySession]]:
    """Sessions held on `day` in the cohorts, with how many trainees are marked and present."""
    rows = db.session.execute(
        select(
            AttendanceSession.id,
            AttendanceSession.cohort_id,
            AttendanceSession.title,
            func.count(AttendanceMark.id),
            func.sum(case((AttendanceMark.present.is_(True), 1), else_=0)),
        )
        .outerjoin(AttendanceMark, AttendanceMark.session_id == AttendanceSession.id)
        .where(AttendanceSession.cohort_id.in_(cohort_ids), AttendanceSession.held_on == day)
        .group_by(AttendanceSession.id, AttendanceSession.cohort_id, AttendanceSession.title)
        .order_by(AttendanceSession.id)
    )
    found: dict[int, list[TodaySession]] = defaultdict(list)
    for session_id, cohort_id, title, marked, present in rows:
        found[cohort_id].append(TodaySession(session_id, title, int(marked), int(present or 0)))
    return found


@dataclass(frozen=True)
class TraineePage:
    """One page of a trainer's trainees: the rows, and where it sits in the whole list."""

    rows: list[tuple[Enrolment, User]]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_trainees(user: User, query: str, page: int = 1) -> TraineePage:
    """The trainees `user` follows whose name or email contains `query`, in Mongolian
    alphabetical order, `PAGE_SIZE` a page (a page past the end shows the last one).

    Sorting happens here, not in SQL: no database collation puts Ө after О and Ү after У. Only
    the (id, name) pairs of the matches are read for it; the page's rows are loaded after.
    """
    needle = query.strip().casefold()[:QUERY_MAX]
    matches = select(Enrolment.id, User.name).join(User, User.id == Enrolment.user_id)
    matches = matches.where(Enrolment.state.in_(SEARCH_STATES), _followed(user))
    if needle:
        pattern = _like(needle)
        matches = matches.where(
            User.name_folded.like(pattern, escape="\\") | User.email.like(pattern, escape="\\")
        )
    found = sorted(db.session.execute(matches), key=lambda r: (name_sort_key(r[1]), r[0]))
    pages = page_count(len(found), PAGE_SIZE)
    page = min(max(page, 1), pages)
    wanted = [row[0] for row in found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    rows: list[tuple[Enrolment, User]] = []
    if wanted:
        loaded = {
            enrolment.id: (enrolment, person)
            for enrolment, person in db.session.execute(
                select(Enrolment, User)
                .join(User, User.id == Enrolment.user_id)
                .options(joinedload(Enrolment.cohort), joinedload(Enrolment.course_version))
                .where(Enrolment.id.in_(wanted))
            )
        }
        rows = [loaded[enrolment_id] for enrolment_id in wanted]
    return TraineePage(rows=rows, total=len(found), page=page, pages=pages)
