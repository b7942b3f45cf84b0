"""Certification: reconsidering a trainee's record and issuing when the rules are met.

Sits above the learning, cohort and credential services. They announce that a record changed
(`lms.services.events.record_changed`); this module listens and reconsiders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import func, or_, select

from lms.domain.certification import Decision, TraineeRecord, evaluate
from lms.domain.credentials.lifecycle import CredentialStatus, effective_status
from lms.extensions import db
from lms.models import (
    AttendanceMark,
    AttendanceSession,
    Course,
    Credential,
    Enrolment,
    PracticumRecord,
    User,
)
from lms.services import clock
from lms.services.courses.store import course_rules
from lms.services.credentials.issuing import AlreadyIssued, current_credential, issue
from lms.services.events import record_changed
from lms.services.learning.prerequisites import active_credential_slugs, learner_record
from lms.services.learning.progress import Progress, completed_lessons, passed_quizzes


def attendance(enrolment: Enrolment) -> tuple[int, int] | None:
    """(sessions attended, sessions held) in the enrolment's cohort; None without sessions."""
    if enrolment.cohort_id is None:
        return None
    held = db.session.execute(
        select(func.count())
        .select_from(AttendanceSession)
        .where(AttendanceSession.cohort_id == enrolment.cohort_id)
    ).scalar_one()
    if not held:
        return None
    attended = db.session.execute(
        select(func.count())
        .select_from(AttendanceMark)
        .join(AttendanceSession, AttendanceSession.id == AttendanceMark.session_id)
        .where(
            AttendanceSession.cohort_id == enrolment.cohort_id,
            AttendanceMark.user_id == enrolment.user_id,
            AttendanceMark.present.is_(True),
        )
    ).scalar_one()
    return attended, held


def practicum(enrolment: Enrolment) -> tuple[frozenset[str], float]:
    """(competencies signed off, supervised hours) from the records that are not void."""
    rows = db.session.execute(
        select(PracticumRecord).where(
            PracticumRecord.enrolment_id == enrolment.id, PracticumRecord.voided_at.is_(None)
        )
    ).scalars()
    signed: set[str] = set()
    hours = 0.0
    for row in rows:
        hours += row.hours
        if row.competency_id:
            signed.add(row.competency_id)
    return frozenset(signed), hours


def trainee_record(enrolment: Enrolment) -> TraineeRecord:
    signed, hours = practicum(enrolment)
    learner = learner_record(enrolment.user)
    return TraineeRecord(
        completed_lessons=frozenset(completed_lessons(enrolment)),
        passed_quizzes=frozenset(passed_quizzes(enrolment)),
        signed_competencies=signed,
        practicum_hours=hours,
        attendance=attendance(enrolment),
        active_credentials=learner.active_credentials,
        completed_courses=learner.completed_courses,
        in_grace=learner.in_grace,
    )


def decision(enrolment: Enrolment) -> Decision:
    return evaluate(course_rules(enrolment.course_version), trainee_record(enrolment))


ACTIVE, SUPERSEDED = CredentialStatus.ACTIVE.value, CredentialStatus.SUPERSEDED.value


def trainee_credentials(user: User) -> tuple[dict[int, Credential], frozenset[str]]:
    """In one query: the current credential of each of `user`'s enrolments (as
    `current_credential`) and the courses in which they hold an active one (as
    `active_credential_slugs`, today)."""
    current: dict[int, Credential] = {}
    active: set[str] = set()
    on = clock.today()
    rows = db.session.execute(
        select(Credential, Enrolment.user_id, Course.slug)
        .join(Enrolment, Enrolment.id == Credential.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(or_(Credential.user_id == user.id, Enrolment.user_id == user.id))
        .order_by(Credential.id)
    )
    for credential, enrolled_user_id, slug in rows:
        if enrolled_user_id == user.id and credential.status != SUPERSEDED:
            current[credential.enrolment_id] = credential  # the latest wins
        if credential.user_id == user.id and credential.status == ACTIVE:
            if effective_status(credential.status, credential.expires_on, on) == ACTIVE:
                active.add(slug)
    return current, frozenset(active)


def decisions(
    enrolments: Sequence[Enrolment],
    progress: Mapping[int, Progress],
    completed_courses: frozenset[str] | None = None,
    active_credentials: frozenset[str] | None = None,
) -> dict[int, Decision]:
    """`decision` for several enrolments of one trainee, in a fixed number of queries however
    many there are (for the dashboard). `progress` is each enrolment's (`progress_of`);
    `completed_courses` and `active_credentials` the trainee's, when the caller read them
    already."""
    if not enrolments:
        return {}
    user = enrolments[0].user
    if any(e.user_id != user.id for e in enrolments):
        raise ValueError("decisions() takes the enrolments of one trainee")
    ids = [e.id for e in enrolments]
    signed: dict[int, set[str]] = defaultdict(set)
    hours: dict[int, float] = defaultdict(float)
    for enrolment_id, competency_id, record_hours in db.session.execute(
        select(
            PracticumRecord.enrolment_id, PracticumRecord.competency_id, PracticumRecord.hours
        ).where(PracticumRecord.enrolment_id.in_(ids), PracticumRecord.voided_at.is_(None))
    ):
        hours[enrolment_id] += record_hours
        if competency_id:
            signed[enrolment_id].add(competency_id)
    attended = _attendance_by_cohort(user.id, {e.cohort_id for e in enrolments if e.cohort_id})
    active = active_credentials
    if active is None:
        active = active_credential_slugs(user)
    if completed_courses is None:
        completed_courses = learner_record(user).completed_courses
    result = {}
    for enrolment in enrolments:
        done = progress.get(enrolment.id, Progress())
        record = TraineeRecord(
            completed_lessons=done.lessons,
            passed_quizzes=done.quizzes,
            signed_competencies=frozenset(signed[enrolment.id]),
            practicum_hours=hours[enrolment.id],
            attendance=attended.get(enrolment.cohort_id) if enrolment.cohort_id else None,
            active_credentials=active,
            completed_courses=completed_courses,
        )
        result[enrolment.id] = evaluate(course_rules(enrolment.course_version), record)
    return result


def _attendance_by_cohort(user_id: int, cohort_ids: set[int | None]) -> dict[int, tuple[int, int]]:
    """`attendance` for one trainee in several cohorts: (attended, held) where sessions exist."""
    if not cohort_ids:
        return {}
    rows = db.session.execute(
        select(
            AttendanceSession.cohort_id,
            func.count(AttendanceSession.id),
            func.count(AttendanceMark.id),
        )
        .outerjoin(
            AttendanceMark,
            (AttendanceMark.session_id == AttendanceSession.id)
            & (AttendanceMark.user_id == user_id)
            & AttendanceMark.present.is_(True),
        )
        .where(AttendanceSession.cohort_id.in_(cohort_ids))
        .group_by(AttendanceSession.cohort_id)
    )
    return {cohort_id: (attended, held) for cohort_id, held, attended in rows if held}


def reconsider(enrolment: Enrolment) -> Credential | None:
    """Issue automatically when the rules are met and the course issues without approval.

    Idempotent: an enrolment that already has a credential gets no second one. Called for every
    `record_changed` event (see `listen`), and directly where a caller needs the result.
    """
    if current_credential(enrolment) is not None:
        return None
    verdict = decision(enrolment)
    if not verdict.eligible or verdict.needs_trainer_approval:
        return None
    try:
        return issue(enrolment, actor=None)
    except AlreadyIssued:  # issued a moment ago by a concurrent request: nothing to do
        return None


def _on_record_changed(enrolment: Enrolment) -> None:
    reconsider(enrolment)


def listen() -> None:
    """Reconsider certification whenever a lower service announces a changed record."""
    record_changed.connect(_on_record_changed)
