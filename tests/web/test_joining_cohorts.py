"""A self-study trainee joins a cohort later (key or trainer), keeping progress; the course
page and the dashboard say what the credential needs and what to do next."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lms.models import AuditEvent, Credential, Enrolment
from lms.services.cohorts import attendance, joining
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.courses.store import parsed_course
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from tests.factories import add_graded_attempt, client_for, make_user

INTRO = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"


@pytest.fixture
def seminar(app, db):
    published = publishing.publish_path(INTRO, allow_dirty=True)
    assert published.status == "published", published.message
    trainer = make_user(roles=("trainer",))
    course = published.course_version.course
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    return {
        "course": course,
        "version": published.course_version,
        "cohort": cohort,
        "trainer": trainer,
    }


def _self_study(seminar, db):
    """A trainee who enrolled without a key and finished the online part."""
    trainee = make_user(name="Батбаяр Өлзий")
    enrolment = enrolments.enrol(trainee, seminar["course"]).enrolment
    assert enrolment.cohort_id is None
    for item in parsed_course(seminar["version"]).outline_items():
        if item.kind == "lesson":
            progress.complete_lesson(enrolment, item.id)
    add_graded_attempt(enrolment, score=10, max_score=10)
    db.session.commit()
    progress.refresh_completion(enrolment)
    return trainee, enrolment


def test_course_page_says_before_enrolment_what_the_credential_needs(app, seminar):
    html = client_for(app, make_user()).get("/courses/intro-seminar").text
    assert "What the credential needs" in html
    assert "attendance at 80% of the sessions of a cohort" in html
    assert "the attendance needs a cohort" in html
    assert "Course outline" in html  # the outline is shown before enrolment too
    anonymous = app.test_client().get("/courses/intro-seminar").text  # Mongolian by default
    assert "Гэрчилгээ авахад юу шаардлагатай вэ" in anonymous


def test_self_study_trainee_joins_with_a_key_and_gets_the_credential(app, db, seminar):
    trainee, enrolment = _self_study(seminar, db)
    client = client_for(app, trainee)
    dashboard = client.get("/my").text
    assert "Join a cohort with its key" in dashboard
    assert "/courses/intro-seminar#join-heading" in dashboard
    course_page = client.get("/courses/intro-seminar").text
    assert 'id="join-heading"' in course_page
    response = client.post(
        "/courses/intro-seminar/join-cohort",
        data={"join-key": seminar["cohort"].enrolment_key.lower()},
    )
    assert response.status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.cohort_id == seminar["cohort"].id
    assert enrolment.state == "completed"  # progress and state are kept
    assert progress.completed_lessons(enrolment)
    event = db.session.query(AuditEvent).filter_by(action="enrolment.join_cohort").one()
    assert event.details["cohort"] == seminar["cohort"].id
    assert 'id="join-heading"' not in client.get("/courses/intro-seminar").text
    session = attendance.add_session(seminar["cohort"], date(2027, 3, 1), "", seminar["trainer"])
    client_for(app, seminar["trainer"]).post(
        f"/trainer/sessions/{session.id}/marks", data={"present": [trainee.id]}
    )
    assert db.session.query(Credential).filter_by(user_id=trainee.id).count() == 1
    dashboard = client.get("/my").text
    assert "View your credential" in dashboard
    assert "Download the certificate (PDF)" in dashboard


def test_a_wrong_key_or_a_full_cohort_is_refused_with_words(app, db, seminar):
    trainee, enrolment = _self_study(seminar, db)
    client = client_for(app, trainee)
    client.post("/courses/intro-seminar/join-cohort", data={"join-key": "NOPE"})
    assert "This enrolment key is not valid" in client.get("/courses/intro-seminar").text
    cohort = seminar["cohort"]
    cohort.capacity = 1
    other = make_user()
    enrolments.enrol(other, seminar["course"], key=cohort.enrolment_key)
    assert joining.join_with_key(trainee, seminar["course"], cohort.enrolment_key) == "full"
    db.session.refresh(enrolment)
    assert enrolment.cohort_id is None


def test_a_trainer_moves_a_self_study_enrolment_into_the_cohort(app, db, seminar):
    trainee, enrolment = _self_study(seminar, db)
    trainer = client_for(app, seminar["trainer"])
    page = trainer.get(f"/trainer/cohorts/{seminar['cohort'].id}").text
    assert "Add a trainee who studies on their own" in page
    url = f"/trainer/cohorts/{seminar['cohort'].id}/move-in"
    trainer.post(url, data={"move-email": trainee.email.upper()})
    db.session.refresh(enrolment)
    assert enrolment.cohort_id == seminar["cohort"].id
    assert db.session.query(AuditEvent).filter_by(action="enrolment.move_to_cohort").count() == 1
    trainer.post(url, data={"move-email": trainee.email})
    assert (
        "is already in this cohort" in trainer.get(f"/trainer/cohorts/{seminar['cohort'].id}").text
    )
    trainer.post(url, data={"move-email": "nobody@example.mn"})
    assert (
        "no trainee with this address"
        in trainer.get(f"/trainer/cohorts/{seminar['cohort'].id}").text
    )
    assert db.session.query(Enrolment).count() == 1


def test_another_cohorts_trainer_cannot_move_anyone_in(app, db, seminar):
    trainee, enrolment = _self_study(seminar, db)
    outsider = client_for(app, make_user(roles=("trainer",)))
    response = outsider.post(
        f"/trainer/cohorts/{seminar['cohort'].id}/move-in", data={"move-email": trainee.email}
    )
    assert response.status_code == 403
    db.session.refresh(enrolment)
    assert enrolment.cohort_id is None
