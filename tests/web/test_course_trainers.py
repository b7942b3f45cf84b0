"""Who follows enrolments that have no cohort: trainers assigned to the course, and admins.

Finding 14 of the integrity issue: any trainer could follow any enrolment without a cohort,
issue its credential and sign off its practicum.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.models import AuditEvent, CourseTrainer, Credential
from lms.services import clock, demo
from lms.services.cohorts import course_trainers, practicum
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from tests.factories import add_graded_attempt, client_for, make_user, publish_demo_course


@pytest.fixture
def alone(app, db, tmp_path):
    """A trainee who enrolled in the open demo course without a cohort key, ready for the
    practicum sign-off."""
    course = publish_demo_course(tmp_path)
    trainee = make_user()
    enrolment = enrolments.enrol(trainee, course).enrolment
    assert enrolment.cohort_id is None
    for lesson in ("01-social-model", "02-stages"):
        progress.complete_lesson(enrolment, lesson)
    add_graded_attempt(enrolment, score=6, max_score=6)
    db.session.commit()
    return {"course": course, "enrolment": enrolment}


SIGN_OFF = {
    "competency": "task-analysis",
    "hours": "24",
    "supervisor_name": "Эрхлэгч",
    "notes": "",
}


def _sign_off():
    return {**SIGN_OFF, "observed_on": clock.today().isoformat()}  # a future date is refused


def test_an_unassigned_trainer_cannot_follow_an_enrolment_without_a_cohort(app, db, alone):
    enrolment = alone["enrolment"]
    stranger = client_for(app, make_user(roles=("trainer",)))
    assert stranger.get(f"/trainer/enrolments/{enrolment.id}").status_code == 403
    practicum_url = f"/trainer/enrolments/{enrolment.id}/practicum"
    assert stranger.post(practicum_url, data=_sign_off()).status_code == 403
    assert stranger.post(f"/trainer/enrolments/{enrolment.id}/issue").status_code == 403
    assert db.session.query(Credential).count() == 0
    assert str(enrolment.user.name) not in stranger.get("/trainer/").text


def test_an_assigned_trainer_follows_signs_off_and_issues(app, db, alone):
    enrolment, course = alone["enrolment"], alone["course"]
    trainer = make_user(roles=("trainer",))
    admin = client_for(app, make_user(roles=("admin",)))
    page = admin.get(f"/admin/users/{trainer.id}")
    assert "Courses followed outside cohorts" in page.text
    response = admin.post(f"/admin/users/{trainer.id}/courses", data={"courses-courses": course.id})
    assert response.status_code == 302
    assert db.session.execute(select(CourseTrainer.course_id)).scalars().all() == [course.id]
    assert db.session.query(AuditEvent).filter_by(action="course.trainer_assign").count() == 1

    followed = client_for(app, trainer)
    assert followed.get(f"/trainer/enrolments/{enrolment.id}").status_code == 200
    assert enrolment.user.name in followed.get("/trainer/").text
    practicum_url = f"/trainer/enrolments/{enrolment.id}/practicum"
    assert followed.post(practicum_url, data=_sign_off()).status_code == 302
    # Allowed (302, not 403); the demo course also wants seminar attendance, so not issued.
    assert followed.post(f"/trainer/enrolments/{enrolment.id}/issue").status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="practicum.sign_off").count() == 1

    # Unassigned again (every box cleared): the trainer no longer follows the trainee.
    admin.post(f"/admin/users/{trainer.id}/courses", data={"courses-submit": "Save"})
    assert db.session.query(CourseTrainer).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="course.trainer_unassign").count() == 1
    assert followed.get(f"/trainer/enrolments/{enrolment.id}").status_code == 403


def test_admins_follow_every_enrolment_without_a_cohort(app, db, alone):
    admin = client_for(app, make_user(roles=("admin",)))
    assert admin.get(f"/trainer/enrolments/{alone['enrolment'].id}").status_code == 200


def test_only_trainers_can_be_assigned(app, db, alone):
    trainee = make_user()
    admin = client_for(app, make_user(roles=("admin",)))
    response = admin.post(
        f"/admin/users/{trainee.id}/courses", data={"courses-courses": alone["course"].id}
    )
    assert response.status_code == 302
    assert db.session.query(CourseTrainer).count() == 0
    with pytest.raises(course_trainers.CourseTrainerRefused):
        course_trainers.assign(alone["course"], trainee, None)


def test_cli_assigns_and_removes(app, db, alone):
    trainer = make_user(roles=("trainer",))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "assign-course", trainer.email, "demo"])
    assert result.exit_code == 0, result.output
    assert "assigned to demo" in result.output
    again = runner.invoke(args=["users", "assign-course", trainer.email, "demo"])
    assert "already assigned" in again.output
    assert db.session.query(CourseTrainer).count() == 1
    removed = runner.invoke(args=["users", "assign-course", trainer.email, "demo", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert db.session.query(CourseTrainer).count() == 0


def test_demo_trainer_follows_every_bundled_course(app, db):
    demo.create_demo_data(lambda: "a demo password")
    from lms.services.accounts import users as accounts

    trainer = accounts.find_by_email("trainer@demo.example")
    slugs = {course.slug for course in course_trainers.assigned_courses(trainer)}
    assert slugs == {course.slug for course in course_trainers.all_courses()}
    assert slugs  # the bundled courses are published


def test_practicum_sign_off_needs_the_assignment_too(app, db, alone):
    trainer = make_user(roles=("trainer",))
    with pytest.raises(practicum.SignOffRefused):
        practicum.record_practicum(
            alone["enrolment"],
            trainer,
            competency_id="task-analysis",
            hours=1,
            observed_on=clock.today(),
        )
