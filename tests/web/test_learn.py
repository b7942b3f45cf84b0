"""The trainee's journey outside quizzes: catalog, enrolment, lessons, progress, dashboard."""

from __future__ import annotations

import re

from lms.models import AuditEvent, Cohort, Enrolment, LessonContent, LessonProgress
from lms.services.cohorts import course_trainers
from lms.services.cohorts import management as cohort_management
from lms.services.learning import enrolment as enrolments
from tests.factories import make_user, publish_demo_course


def test_catalog_lists_published_courses_with_their_facts(client, db, tmp_path):
    publish_demo_course(tmp_path)
    page = client.get("/courses")
    assert page.status_code == 200
    assert "Туршилтын сургалт" in page.text
    client.post("/language", data={"lang": "en"})
    english = client.get("/courses/demo")
    assert "Demo training" in english.text
    assert "Open enrolment" in english.text
    assert "Log in to enrol" in english.text


def test_open_enrolment_and_lessons_with_progress(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    trainee = login_as("trainee")
    assert client.get("/learn/demo/lessons/01-social-model").status_code == 403
    response = client.post("/courses/demo/enrol", data={})
    assert response.status_code == 302
    enrolment = db.session.query(Enrolment).one()
    assert (enrolment.user_id, enrolment.state) == (trainee.id, "active")
    assert enrolment.course_version.version == "1.0.0"

    course_page = client.get("/courses/demo")
    assert "/learn/demo/lessons/01-social-model" in course_page.text  # next step
    lesson = client.get("/learn/demo/lessons/01-social-model")
    assert lesson.status_code == 200
    assert '<h1 lang="mn">Хөгжлийн бэрхшээлийн нийгмийн загвар</h1>' in lesson.text
    assert re.search(r'src="/courses/demo/files/[0-9a-f]{16}/assets/five-stages.svg"', lesson.text)
    done = client.post("/learn/demo/lessons/01-social-model/complete")
    assert done.headers["Location"].endswith("/learn/demo/quizzes/check-1")
    client.post("/learn/demo/lessons/01-social-model/complete")  # a double click
    assert db.session.query(LessonProgress).count() == 1
    dashboard = client.get("/my")
    assert "1 of 4 done" in dashboard.text or "4-с 1" in dashboard.text


def test_lesson_falls_back_visibly_to_another_language(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    # A course published only in Mongolian: no English rendering exists.
    db.session.query(LessonContent).filter_by(language="en").delete()
    db.session.commit()
    login_as("trainee")
    client.post("/courses/demo/enrol")
    client.post("/language", data={"lang": "en"})
    page = client.get("/learn/demo/lessons/01-social-model")
    assert "not yet available in your language" in page.text
    assert 'lang="mn"' in page.text


def test_key_enrolment_needs_the_cohort_key(client, login_as, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="key")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд, 2027 хавар", trainer)
    login_as("trainee")
    client.post("/courses/demo/enrol", data={"key": "WRONG"})
    assert db.session.query(Enrolment).count() == 0
    client.post("/courses/demo/enrol", data={"key": cohort.enrolment_key.lower()})
    enrolment = db.session.query(Enrolment).one()
    assert (enrolment.state, enrolment.cohort_id) == ("active", cohort.id)


def test_approval_enrolment_waits_for_a_trainer(app, client, login_as, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="approval")
    trainee = login_as("trainee")
    client.post("/courses/demo/enrol")
    enrolment = db.session.query(Enrolment).one()
    assert enrolment.state == "requested"
    assert client.get("/learn/demo/lessons/01-social-model").status_code == 403
    trainer_client = app.test_client()
    trainer = make_user(roles=("trainer",))
    with trainer_client.session_transaction() as session:
        session["_user_id"] = trainer.get_id()
    # A request without a cohort waits for the trainers assigned to the course.
    assert trainee.name not in trainer_client.get("/trainer/").text
    course_trainers.assign(course, trainer, None)
    assert trainee.name in trainer_client.get("/trainer/").text
    trainer_client.post(f"/trainer/requests/{enrolment.id}", data={"approve": "1", "message": "OK"})
    db.session.refresh(enrolment)
    assert enrolment.state == "active"
    assert enrolment.decided_by_id == trainer.id
    assert client.get("/learn/demo/lessons/01-social-model").status_code == 200
    assert db.session.query(AuditEvent).filter_by(action="enrolment.approve").count() == 1


def test_prerequisites_are_enforced_and_explained(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, prerequisites=True)
    login_as("trainee")
    page = client.get("/courses/demo")
    assert "not met yet" in page.text or "хангаагүй" in page.text
    client.post("/courses/demo/enrol")
    assert db.session.query(Enrolment).count() == 0


def test_a_patch_release_moves_in_progress_trainees_but_a_minor_does_not(
    client, login_as, db, tmp_path
):
    publish_demo_course(tmp_path)
    login_as("trainee")
    client.post("/courses/demo/enrol")
    publish_demo_course(
        tmp_path, version="1.0.1", replace={"lessons/02-stages.en.md": ("chooses", "decides")}
    )
    client.get("/courses/demo")
    enrolment = db.session.query(Enrolment).one()
    assert enrolment.course_version.version == "1.0.1"
    publish_demo_course(
        tmp_path, version="1.1.0", replace={"lessons/02-stages.en.md": ("chooses", "picks")}
    )
    client.get("/courses/demo")
    db.session.refresh(enrolment)
    assert enrolment.course_version.version == "1.0.1"


def test_a_trainee_cannot_enter_someone_elses_course(app, client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    other = make_user()
    other_client = app.test_client()
    with other_client.session_transaction() as session:
        session["_user_id"] = other.get_id()
    other_client.post("/courses/demo/enrol")
    login_as("trainee")
    assert client.get("/learn/demo/lessons/01-social-model").status_code == 403
    assert client.post("/learn/demo/lessons/01-social-model/complete").status_code == 403
    assert "Туршилтын" not in client.get("/my").text


def test_accommodation_is_audited(client, login_as, db, tmp_path):
    trainer = login_as("trainer")
    trainee = make_user(email="slow@example.mn")
    # Trainers set accommodations only for trainees they follow (here: no cohort, so the
    # trainers assigned to the course).
    course = publish_demo_course(tmp_path)
    course_trainers.assign(course, trainer, None)
    enrolments.enrol(trainee, course)
    client.post(
        "/trainer/accommodations", data={"email": "slow@example.mn", "time_multiplier": "1.5"}
    )
    event = db.session.query(AuditEvent).filter_by(action="accommodation.set").one()
    assert event.subject_id == str(trainee.id)
    assert event.details == {"time_multiplier": 1.5, "no_time_limit": False}


def test_trainer_creates_a_cohort_with_a_key(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, enrolment="key")
    login_as("trainer")
    client.post("/trainer/cohorts", data={"course": "demo", "name": "Дархан 2027"})
    cohort = db.session.query(Cohort).one()
    assert len(cohort.enrolment_key) == 8
    assert cohort.enrolment_key in client.get("/trainer/").text


def _publish_path(tmp_path):
    """Four courses: a seminar, the training after it, the trainer course after that, and an
    unrelated seminar whose slug sorts first (one folder: prerequisites are siblings)."""
    publish_demo_course(tmp_path, slug="aaa-employer")
    seminar = publish_demo_course(tmp_path, slug="intro-seminar")
    publish_demo_course(tmp_path, slug="job-coach-training", prerequisites=True)
    swap = ("course: intro-seminar", "course: job-coach-training")
    publish_demo_course(
        tmp_path, slug="trainer-of-trainers", prerequisites=True, replace={"course.yml": swap}
    )
    return seminar


def test_catalog_is_in_learning_path_order_with_the_path_shown(client, db, tmp_path):
    _publish_path(tmp_path)
    page = client.get("/courses").text
    links = re.findall(r'<h2>.*?href="/courses/([a-z-]+)"', page)
    assert links == ["intro-seminar", "job-coach-training", "trainer-of-trainers", "aaa-employer"]
    path = page.split('<ol class="learning-path">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'href="/courses/([a-z-]+)"', path) == links[:3]
    assert "badge" not in path  # a visitor has no status on the path


def test_the_path_shows_where_the_signed_in_learner_stands(client, login_as, db, tmp_path):
    seminar = _publish_path(tmp_path)
    trainee = login_as("trainee")
    enrolment = enrolments.enrol(trainee, seminar).enrolment
    enrolment.state = "completed"
    db.session.commit()
    client.post("/language", data={"lang": "en"})
    page = client.get("/courses").text
    path = page.split('<ol class="learning-path">', 1)[1].split("</ol>", 1)[0]
    steps = re.findall(r'<li><a href="/courses/([a-z-]+)">.*?class="badge[^"]*">([^<]+)<', path)
    assert steps == [
        ("intro-seminar", "course work completed"),
        ("job-coach-training", "you can enrol"),
        ("trainer-of-trainers", "needs the step before"),
    ]
