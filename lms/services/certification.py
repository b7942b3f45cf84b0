"""Certification: reconsidering a trainee's record and issuing when the rules are met.

Sits above the learning, cohort and credential services. They announce that a record changed
(`lms.services.events.record_changed`); this module listens and reconsiders."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.domain.certification import Decision, TraineeRecord, evaluate
from lms.extensions import db
from lms.models import AttendanceMark, AttendanceSession, Credential, Enrolment, PracticumRecord
from lms.services.courses.store import parsed_course
from lms.services.credentials.issuing import current_credential, issue
from lms.services.events import record_changed
from lms.services.learning.prerequisites import learner_record
from lms.services.learning.progress import completed_lessons, passed_quizzes


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
    rows = db.session.execute(
        select(PracticumRecord).where(PracticumRecord.enrolment_id == enrolment.id)
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
    )


def decision(enrolment: Enrolment) -> Decision:
    return evaluate(parsed_course(enrolment.course_version), trainee_record(enrolment))


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
    return issue(enrolment, actor=None)


def _on_record_changed(enrolment: Enrolment) -> None:
    reconsider(enrolment)


def listen() -> None:
    """Reconsider certification whenever a lower service announces a changed record."""
    record_changed.connect(_on_record_changed)
