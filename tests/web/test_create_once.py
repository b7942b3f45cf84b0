"""Create-once actions under real concurrent requests (gunicorn, several workers).

Each test fires the same POST from several signed-in sessions at one instant against the real
server (tests/concurrency.py), then counts rows in the database: one row, every loser told in
words, never a 500. Findings 1, 5 and 9 of the integrity issue, and every other POST that
creates something once.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.models import (
    AuditEvent,
    CohortTrainer,
    Course,
    CourseTrainer,
    Credential,
    Enrolment,
    RegistryDecision,
    RegistrySnapshot,
    User,
)
from lms.services import certification, clock
from lms.services.accounts import private_data
from lms.services.cohorts import attendance, practicum
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from tests.factories import add_graded_attempt, make_user, publish_demo_course

N = 6  # concurrent requests per test: more than the server's workers


def _count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _no_server_errors(responses, server) -> None:
    statuses = [response.status_code for response in responses]
    assert all(status < 500 for status in statuses), (statuses, server.log_tail())


@pytest.fixture
def eligible(app, db, tmp_path):
    """A trainee of the demo course (`issue: trainer`, qualifies for the subsidy) whose record
    meets every rule: the credential waits only for the trainer's approval."""
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",))
    trainee = make_user()
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
    for lesson in ("01-social-model", "02-stages"):
        progress.complete_lesson(enrolment, lesson)
    add_graded_attempt(enrolment, score=6, max_score=6)
    db.session.commit()
    session = attendance.add_session(cohort, date(2027, 3, 1), "Өдөр 1", trainer)
    attendance.mark_attendance(session, {trainee.id}, trainer)
    practicum.record_practicum(
        enrolment, trainer, competency_id="task-analysis", hours=24, observed_on=clock.today()
    )
    db.session.commit()
    assert certification.decision(enrolment).eligible
    return {"trainer": trainer, "trainee": trainee, "enrolment": enrolment, "course": course}


def test_concurrent_trainer_approvals_issue_one_credential(app, db, eligible, real_server):
    """Finding 1: concurrent POSTs to /trainer/enrolments/<id>/issue issued several."""
    enrolment, trainer = eligible["enrolment"], eligible["trainer"]
    assert _count(db, Credential) == 0
    sessions = [real_server.login(trainer.email) for _ in range(N)]
    path = f"/trainer/enrolments/{enrolment.id}/issue"
    responses = real_server.post_all(sessions, path)
    _no_server_errors(responses, real_server)
    assert _count(db, Credential, Credential.enrolment_id == enrolment.id) == 1
    page = f"/trainer/enrolments/{enrolment.id}"
    told = [real_server.messages(session, page) for session in sessions]
    assert sum(("success" in {kind for kind, _ in messages}) for messages in told) == 1
    assert all(messages for messages in told)  # every loser was told why, in words


def test_concurrent_corrections_leave_one_active_credential(app, db, eligible, real_server):
    """Finding 1: two concurrent "correction" reissues left two active credentials."""
    old = credentials.issue(eligible["enrolment"], eligible["trainer"])
    admin = make_user(roles=("admin",))
    sessions = [real_server.login(admin.email) for _ in range(N)]
    responses = real_server.post_all(
        sessions,
        f"/admin/credentials/{old.number}",
        {"action": "correction", "reason": "other", "note": "Нэр засав"},
    )
    _no_server_errors(responses, real_server)
    of_enrolment = Credential.enrolment_id == eligible["enrolment"].id
    assert _count(db, Credential, of_enrolment) == 2  # the old one and one successor
    assert _count(db, Credential, of_enrolment, Credential.status == "active") == 1
    db.session.refresh(old)
    assert old.status == "superseded"
    assert old.superseded_by_id is not None


def test_concurrent_proposals_open_one_and_the_admin_page_works(app, db, eligible, real_server):
    """Finding 5: several open proposals on one credential, then the admin page answered 500."""
    credential = credentials.issue(eligible["enrolment"], eligible["trainer"])
    reviewers = [make_user(roles=("reviewer",)) for _ in range(N)]
    sessions = [real_server.login(reviewer.email) for reviewer in reviewers]
    prefix = f"change{credential.id}"
    responses = real_server.post_all(
        sessions,
        f"/registry/credentials/{credential.number}/proposals",
        {f"{prefix}-action": "suspend", f"{prefix}-reason": "other", f"{prefix}-note": "Шалга"},
        form_page=f"/registry/coaches/{credential.user_id}",
        csrf_field=f"{prefix}-csrf_token",
    )
    _no_server_errors(responses, real_server)
    assert (
        _count(
            db,
            RegistryDecision,
            RegistryDecision.credential_id == credential.id,
            RegistryDecision.state == "open",
        )
        == 1
    )
    admin = real_server.login(make_user(roles=("admin",)).email)
    assert admin.get(real_server.url(f"/admin/credentials/{credential.number}")).status_code == 200


def test_concurrent_snapshots_of_one_date_store_one(app, db, eligible, real_server):
    credentials.issue(eligible["enrolment"], eligible["trainer"])
    reviewer = make_user(roles=("reviewer",))
    sessions = [real_server.login(reviewer.email) for _ in range(N)]
    day = clock.today().isoformat()
    responses = real_server.post_all(
        sessions, "/registry/snapshots", {"taken_on": day}, form_page="/registry/snapshots"
    )
    _no_server_errors(responses, real_server)
    assert all(response.status_code == 302 for response in responses)
    assert _count(db, RegistrySnapshot) == 1
    # A second attempt later opens the stored one, with a message.
    again = real_server.post_all(
        sessions[:1], "/registry/snapshots", {"taken_on": day}, form_page="/registry/snapshots"
    )[0]
    assert "#snapshot-" in again.headers["Location"]
    assert _count(db, RegistrySnapshot) == 1


def test_concurrent_enrolments_make_one(app, db, tmp_path, real_server):
    course = publish_demo_course(tmp_path)
    trainee = make_user()
    sessions = [real_server.login(trainee.email) for _ in range(N)]
    responses = real_server.post_all(sessions, "/courses/demo/enrol")
    _no_server_errors(responses, real_server)
    assert _count(db, Enrolment, Enrolment.course_id == course.id) == 1


def test_concurrent_registrations_with_one_national_id_make_one_account(app, db, real_server):
    """Finding 9: two accounts could register with the same national registration number."""
    sessions = [real_server.session() for _ in range(N)]
    tokens = [real_server.csrf_token(session, "/account/register") for session in sessions]
    responses = real_server.fire(
        [
            lambda session=session, token=token, number=number: session.post(
                real_server.url("/account/register"),
                data={
                    "csrf_token": token,
                    "name": "Дорж Бат",
                    "email": f"dorj{number}@example.mn",
                    "password": "a long enough password",
                    "locale": "mn",
                    "region": "khovd",
                    "national_id": "УБ99112233",
                },
                allow_redirects=False,
                timeout=60,
            )
            for number, (session, token) in enumerate(zip(sessions, tokens, strict=True))
        ]
    )
    _no_server_errors(responses, real_server)
    index = private_data.blind_index("УБ99112233")
    assert _count(db, User, User.national_id_index == index) == 1
    refused = [response for response in responses if response.status_code == 200]
    assert len(refused) == N - 1
    assert all("ask your trainer" in r.text or "сургагч" in r.text for r in refused)


def test_concurrent_course_assignments_make_one(app, db, tmp_path, real_server):
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",))
    admin = make_user(roles=("admin",))
    sessions = [real_server.login(admin.email) for _ in range(N)]
    responses = real_server.post_all(
        sessions,
        f"/admin/users/{trainer.id}/courses",
        {"courses-courses": str(course.id)},
        form_page=f"/admin/users/{trainer.id}",
        csrf_field="courses-csrf_token",
    )
    _no_server_errors(responses, real_server)
    assert _count(db, CourseTrainer, CourseTrainer.user_id == trainer.id) == 1
    assert db.session.get(Course, course.id) is not None


def test_concurrent_decisions_on_a_request_decide_it_once(app, db, tmp_path, real_server):
    """A pending request approved and declined at the same moment: one decision stands."""
    course = publish_demo_course(tmp_path, enrolment="approval")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    request = enrolments.enrol(make_user(), course, key=cohort.enrolment_key).enrolment
    assert request.state == "requested"
    sessions = [real_server.login(trainer.email) for _ in range(N)]
    tokens = [real_server.csrf_token(session, "/trainer/") for session in sessions]
    path = real_server.url(f"/trainer/requests/{request.id}")
    responses = real_server.fire(
        [
            lambda session=session, token=token, number=number: session.post(
                path,
                data={"csrf_token": token, "approve" if number % 2 else "decline": "x"},
                allow_redirects=False,
                timeout=60,
            )
            for number, (session, token) in enumerate(zip(sessions, tokens, strict=True))
        ]
    )
    _no_server_errors(responses, real_server)
    decided = AuditEvent.action.in_(("enrolment.approve", "enrolment.decline"))
    of_request = AuditEvent.subject_id == str(request.id)
    assert _count(db, AuditEvent, decided, of_request) == 1
    event = db.session.execute(select(AuditEvent).where(decided, of_request)).scalar_one()
    db.session.refresh(request)
    assert request.state == ("active" if event.action == "enrolment.approve" else "declined")
    told = [real_server.messages(session, "/trainer/") for session in sessions]
    assert sum(("success" in {kind for kind, _ in messages}) for messages in told) == 1


def test_concurrent_co_trainer_additions_make_one(app, db, tmp_path, real_server):
    """The same co-trainer added from several sessions at once: one row, no 500."""
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",))
    colleague = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    sessions = [real_server.login(trainer.email) for _ in range(N)]
    responses = real_server.post_all(
        sessions,
        f"/trainer/cohorts/{cohort.id}/trainers",
        {"email": colleague.email},
        form_page=f"/trainer/cohorts/{cohort.id}",
    )
    _no_server_errors(responses, real_server)
    assert (
        _count(
            db,
            CohortTrainer,
            CohortTrainer.cohort_id == cohort.id,
            CohortTrainer.user_id == colleague.id,
        )
        == 1
    )
