"""The demo data obeys the rules: every demo credential follows from the records behind it.

The records are read straight from the tables and judged by the pure certification rules
(`lms.domain.certification.evaluate`), not by the service that issued them."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import select

from lms.domain.certification import TraineeRecord, evaluate
from lms.domain.credentials.lifecycle import effective_status
from lms.models import (
    AttendanceMark,
    AttendanceSession,
    AuditEvent,
    Credential,
    CredentialEvent,
    Enrolment,
    LessonProgress,
    PracticumRecord,
    QuizAttempt,
    User,
)
from lms.services import audit, clock, demo
from lms.services.courses.store import parsed_course


def test_demo_data_obeys_the_rules(db, client, login_as):
    """One demo for every check: it is made once, as the quick start makes it."""
    started, cpu = time.perf_counter(), time.process_time()
    result = demo.create_demo_data(lambda: "a long demo password")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"demo data created in {seconds:.1f} s ({cpu:.1f} s CPU)")  # noqa: T201 - with -s
    assert result.created
    assert [email for _role, email, _pw in result.logins] == [a[1] for a in demo.DEMO_ACCOUNTS]
    _every_credential_satisfies_its_course_rules(db)
    _records_are_dated_in_order(db)
    _the_registry_shows_varied_statuses_and_who_issued(db)
    # The second reviewer sees the coaches in the registry, practicum beside each credential.
    reviewer = db.session.execute(
        select(User).where(User.email == "reviewer2@demo.example")
    ).scalar_one()
    login_as(user=reviewer)
    listing = client.get("/registry/")
    assert listing.status_code == 200
    coach = db.session.execute(select(User).where(User.email == "coach2@demo.example")).scalar_one()
    assert coach.name in listing.get_data(as_text=True)
    page = client.get(f"/registry/coaches/{coach.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(c in html for c in ("intake-interview", "ethics-in-practice", "JC-", "IS-"))


def _stored_record(db, credential: Credential) -> TraineeRecord:
    """The trainee's record as stored, on the day the credential was issued."""
    enrolment = db.session.get(Enrolment, credential.enrolment_id)
    lessons = db.session.execute(
        select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)
    ).scalars()
    quizzes = db.session.execute(
        select(QuizAttempt.quiz_id).where(
            QuizAttempt.enrolment_id == enrolment.id,
            QuizAttempt.state == "graded",
            QuizAttempt.passed.is_(True),
        )
    ).scalars()
    practicum = list(
        db.session.execute(
            select(PracticumRecord).where(
                PracticumRecord.enrolment_id == enrolment.id, PracticumRecord.voided_at.is_(None)
            )
        ).scalars()
    )
    sessions = list(
        db.session.execute(
            select(AttendanceSession).where(AttendanceSession.cohort_id == enrolment.cohort_id)
        ).scalars()
    )
    attended = db.session.execute(
        select(AttendanceMark).where(
            AttendanceMark.session_id.in_([s.id for s in sessions]),
            AttendanceMark.user_id == enrolment.user_id,
            AttendanceMark.present.is_(True),
        )
    ).all()
    completed = db.session.execute(
        select(Enrolment).where(
            Enrolment.user_id == enrolment.user_id, Enrolment.state == "completed"
        )
    ).scalars()
    held = db.session.execute(
        select(Credential).where(
            Credential.user_id == enrolment.user_id,
            Credential.issued_on <= credential.issued_on,
            Credential.id != credential.id,
        )
    ).scalars()
    return TraineeRecord(
        completed_lessons=frozenset(lessons),
        passed_quizzes=frozenset(quizzes),
        signed_competencies=frozenset(r.competency_id for r in practicum if r.competency_id),
        practicum_hours=sum(r.hours for r in practicum),
        attendance=(len(attended), len(sessions)) if sessions else None,
        active_credentials=frozenset(
            c.course_slug
            for c in held
            if effective_status(c.status, c.expires_on, credential.issued_on) == "active"
        ),
        completed_courses=frozenset(e.course.slug for e in completed),
    )


def _every_credential_satisfies_its_course_rules(db) -> None:
    credentials = list(db.session.execute(select(Credential)).scalars())
    # Each coach: the seminar certificate and the job coach credential.
    assert len(credentials) == 2 * len(demo.DEMO_COACHES)
    for credential in credentials:
        enrolment = db.session.get(Enrolment, credential.enrolment_id)
        record = _stored_record(db, credential)
        verdict = evaluate(parsed_course(enrolment.course_version), record)
        assert verdict.eligible, (credential.number, verdict.reasons)
    training = [c for c in credentials if c.course_slug == "job-coach-training"]
    assert len(training) == len(demo.DEMO_COACHES)
    for credential in training:
        record = _stored_record(db, credential)
        assert record.practicum_hours >= 24
        assert len(record.signed_competencies) == 9
        assert "intro-seminar" in record.completed_courses


def _records_are_dated_in_order(db) -> None:
    """Nothing a credential rests on happens after it, or before the enrolment began."""
    for credential in db.session.execute(select(Credential)).scalars():
        enrolment = db.session.get(Enrolment, credential.enrolment_id)
        started = clock_day(enrolment.activated_at)
        assert started <= credential.issued_on <= clock.today()
        for record in db.session.execute(
            select(PracticumRecord).where(PracticumRecord.enrolment_id == enrolment.id)
        ).scalars():
            assert started <= record.observed_on < credential.issued_on
            assert clock_day(record.recorded_at) == record.observed_on
        for attempt in db.session.execute(
            select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id)
        ).scalars():
            assert started <= clock_day(attempt.submitted_at) <= credential.issued_on
        sessions = db.session.execute(
            select(AttendanceSession).where(AttendanceSession.cohort_id == enrolment.cohort_id)
        ).scalars()
        assert all(started <= s.held_on <= credential.issued_on for s in sessions)
        events = db.session.execute(
            select(CredentialEvent).where(CredentialEvent.credential_id == credential.id)
        ).scalars()
        assert [(e.action, e.effective_on) for e in events] == [("issue", credential.issued_on)]
    # The audit log tells the same story in order, and its chain verifies.
    moments = list(db.session.execute(select(AuditEvent.at).order_by(AuditEvent.id)).scalars())
    assert moments == sorted(moments)
    assert audit.verify() == []


def _the_registry_shows_varied_statuses_and_who_issued(db) -> None:
    today = clock.today()
    training = list(
        db.session.execute(
            select(Credential).where(Credential.course_slug == "job-coach-training")
        ).scalars()
    )
    statuses = {effective_status(c.status, c.expires_on, today) for c in training}
    assert statuses == {"active", "expired"}
    soon = [c for c in training if today <= c.expires_on <= today + timedelta(days=30)]
    assert len(soon) == 1
    assert min(c.issued_on for c in training) < date(today.year - 2, today.month, 1)
    for credential in training:  # approved by the cohort's trainer
        enrolment = db.session.get(Enrolment, credential.enrolment_id)
        assert credential.issued_by_id == enrolment.cohort.created_by_id
    seminars = db.session.execute(
        select(Credential).where(Credential.course_slug == "intro-seminar")
    ).scalars()
    assert all(c.issued_by_id is None for c in seminars)  # issued by certification itself
    trainers = {c.issued_by_id for c in training}
    assert len(trainers) == 2
    emails = {u.email for u in db.session.execute(select(User)).scalars()}
    assert {"reviewer2@demo.example", "trainer2@demo.example"} <= emails


def clock_day(moment) -> date:
    from zoneinfo import ZoneInfo

    from flask import current_app

    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
