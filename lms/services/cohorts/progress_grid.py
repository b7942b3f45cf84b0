"""A cohort's progress grid, read in a fixed number of queries whatever its size.

Ten queries build the grid for a cohort of any size (trainees, lessons, attempts, practicum,
sessions, marks, credentials, and the two facts prerequisites need), so 90 trainees × 30
items cost the same round trips as 3 × 3. The rows themselves are built by the pure
`lms.domain.progress_grid`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from lms.domain.certification import TraineeRecord, evaluate
from lms.domain.credentials.lifecycle import CredentialStatus, effective_status
from lms.domain.progress_grid import AttemptFacts, GridRow, TraineeFacts, grid_row, sort_rows
from lms.extensions import db
from lms.models import (
    AttendanceMark,
    AttendanceSession,
    Cohort,
    Course,
    Credential,
    Enrolment,
    LessonProgress,
    PracticumRecord,
    QuizAttempt,
    User,
)
from lms.services.courses.store import parsed_course
from lms.services.learning.progress import localised

FOLLOWED_STATES = ("active", "completed")


@dataclass(frozen=True)
class Column:
    """A lesson or quiz column: its position within its kind (for a short code) and title."""

    kind: str
    id: str
    number: int
    title: str
    attempts_allowed: int | None = None  # quizzes: None for unlimited
    required: bool = False  # quizzes: certification requires it (the quiz average reads these)


@dataclass(frozen=True)
class CohortGrid:
    cohort: Cohort
    lessons: tuple[Column, ...]
    quizzes: tuple[Column, ...]
    competencies: int  # how many the practicum lists (0: no practicum)
    practicum_hours: float | None  # required hours; None: the course has no practicum
    sessions: int  # attendance sessions held (created) in the cohort
    rows: list[GridRow]


def _members(cohort: Cohort) -> Select[int]:
    return select(Enrolment.id).where(
        Enrolment.cohort_id == cohort.id, Enrolment.state.in_(FOLLOWED_STATES)
    )


def _columns(cohort: Cohort, language: str) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    course = parsed_course(cohort.course_version)
    lessons: list[Column] = []
    quizzes: list[Column] = []
    required = set(course.certification.requires.quizzes)
    for item in course.outline_items():
        if item.kind == "lesson":
            shown = language if language in course.languages else course.main_language
            title = course.lessons[item.id].text(shown).title
            lessons.append(Column("lesson", item.id, len(lessons) + 1, title))
        else:
            quiz = course.quizzes[item.id]
            title = localised(dict(quiz.title), language)
            quizzes.append(
                Column(
                    "quiz",
                    item.id,
                    len(quizzes) + 1,
                    title,
                    quiz.settings.attempts,
                    required=item.id in required,
                )
            )
    return tuple(lessons), tuple(quizzes)


def cohort_grid(
    cohort: Cohort, language: str, sort: str = "name", descending: bool = False
) -> CohortGrid:
    """Every active or completed trainee of `cohort` with their progress, sorted."""
    from lms.services import clock

    course = parsed_course(cohort.course_version)
    lessons, quizzes = _columns(cohort, language)
    practicum = course.certification.requires.practicum
    competency_ids = tuple(c.id for c in practicum.competencies) if practicum else ()
    members = _members(cohort)

    enrolments = list(
        db.session.execute(
            select(Enrolment, User)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.id.in_(members))
        )
    )
    done: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, lesson_id in db.session.execute(
        select(LessonProgress.enrolment_id, LessonProgress.lesson_id).where(
            LessonProgress.enrolment_id.in_(members)
        )
    ):
        done[enrolment_id].add(lesson_id)
    attempts: dict[int, dict[str, list[AttemptFacts]]] = defaultdict(lambda: defaultdict(list))
    for enrolment_id, quiz_id, state, percent, passed in db.session.execute(
        select(
            QuizAttempt.enrolment_id,
            QuizAttempt.quiz_id,
            QuizAttempt.state,
            QuizAttempt.percent,
            QuizAttempt.passed,
        ).where(QuizAttempt.enrolment_id.in_(members))
    ):
        graded = state == "graded" and percent is not None
        attempts[enrolment_id][quiz_id].append(AttemptFacts(graded, percent or 0.0, bool(passed)))
    signed: dict[int, set[str]] = defaultdict(set)
    hours: dict[int, float] = defaultdict(float)
    for enrolment_id, competency_id, record_hours in db.session.execute(
        select(
            PracticumRecord.enrolment_id, PracticumRecord.competency_id, PracticumRecord.hours
        ).where(PracticumRecord.enrolment_id.in_(members), PracticumRecord.voided_at.is_(None))
    ):
        hours[enrolment_id] += record_hours
        if competency_id:
            signed[enrolment_id].add(competency_id)
    sessions = db.session.execute(
        select(func.count())
        .select_from(AttendanceSession)
        .where(AttendanceSession.cohort_id == cohort.id)
    ).scalar_one()
    attended: dict[int, int] = {
        user_id: count
        for user_id, count in db.session.execute(
            select(AttendanceMark.user_id, func.count())
            .join(AttendanceSession, AttendanceSession.id == AttendanceMark.session_id)
            .where(AttendanceSession.cohort_id == cohort.id, AttendanceMark.present.is_(True))
            .group_by(AttendanceMark.user_id)
        )
    }
    credentials: dict[int, Credential] = {}
    for credential in db.session.execute(
        select(Credential)
        .where(
            Credential.enrolment_id.in_(members),
            Credential.status != CredentialStatus.SUPERSEDED.value,
        )
        .order_by(Credential.id)
    ).scalars():
        credentials[credential.enrolment_id] = credential  # the latest wins
    on = clock.today()
    completed_courses, active_credentials = _prerequisite_facts(members, on)

    facts = []
    for enrolment, user in enrolments:
        record = TraineeRecord(
            completed_lessons=frozenset(done[enrolment.id]),
            passed_quizzes=frozenset(
                quiz for quiz, rows in attempts[enrolment.id].items() if any(r.passed for r in rows)
            ),
            signed_competencies=frozenset(signed[enrolment.id]),
            practicum_hours=hours[enrolment.id],
            attendance=(attended.get(user.id, 0), sessions) if sessions else None,
            active_credentials=active_credentials.get(user.id, frozenset()),
            completed_courses=completed_courses.get(user.id, frozenset()),
        )
        facts.append(
            TraineeFacts(
                enrolment_id=enrolment.id,
                name=user.name,
                completed_lessons=record.completed_lessons,
                attempts=attempts[enrolment.id],
                signed_competencies=record.signed_competencies,
                practicum_hours=record.practicum_hours,
                attended=attended.get(user.id, 0),
                status=_status(enrolment, record, credentials.get(enrolment.id), on),
            )
        )
    rows = [
        grid_row(
            f,
            [c.id for c in lessons],
            [c.id for c in quizzes],
            competency_ids,
            required_quiz_ids=[c.id for c in quizzes if c.required],
        )
        for f in facts
    ]
    return CohortGrid(
        cohort=cohort,
        lessons=lessons,
        quizzes=quizzes,
        competencies=len(competency_ids),
        practicum_hours=practicum.hours if practicum else None,
        sessions=sessions,
        rows=sort_rows(rows, sort, descending),
    )


def _status(
    enrolment: Enrolment, record: TraineeRecord, credential: Credential | None, on: date
) -> str:
    """The credential's status on `on`, else whether the rules are met yet."""
    if credential is not None:
        return effective_status(credential.status, credential.expires_on, on)
    verdict = evaluate(parsed_course(enrolment.course_version), record)
    if not verdict.eligible:
        return "in_progress"
    return "awaiting_approval" if verdict.needs_trainer_approval else "eligible"


def _prerequisite_facts(
    members: Select[int], on: date
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """Per user of the cohort: courses completed, and courses with an active credential."""
    users = select(Enrolment.user_id).where(Enrolment.id.in_(members))
    completed: dict[int, set[str]] = defaultdict(set)
    for user_id, slug in db.session.execute(
        select(Enrolment.user_id, Course.slug)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id.in_(users), Enrolment.state == "completed")
    ):
        completed[user_id].add(slug)
    active: dict[int, set[str]] = defaultdict(set)
    for user_id, slug, status, expires_on in db.session.execute(
        select(Credential.user_id, Course.slug, Credential.status, Credential.expires_on)
        .join(Enrolment, Enrolment.id == Credential.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Credential.user_id.in_(users), Credential.status == CredentialStatus.ACTIVE.value)
    ):
        if effective_status(status, expires_on, on) == CredentialStatus.ACTIVE.value:
            active[user_id].add(slug)
    return (
        {user: frozenset(slugs) for user, slugs in completed.items()},
        {user: frozenset(slugs) for user, slugs in active.items()},
    )


def record_export(grid: CohortGrid, actor: User) -> None:
    """Exporting grades is audited (who took which cohort's results away); commits."""
    from lms.services import audit

    audit.record(
        actor,
        "cohort.progress_export",
        "cohort",
        grid.cohort.id,
        {"rows": len(grid.rows), "format": "csv"},
    )
    db.session.commit()
