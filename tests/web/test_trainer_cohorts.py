"""Cohorts in the trainer workspace: create, edit, key, co-trainers, capacity, requests, move."""

from __future__ import annotations

from datetime import date

import pytest

from lms.models import AuditEvent, Cohort, CohortTrainer, Enrolment, LessonProgress
from lms.services.cohorts import management as cohort_management
from lms.services.cohorts.management import CohortDetails
from lms.services.courses import publishing
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress, seats
from tests.domain.course_builder import valid_files, write_course
from tests.factories import client_for, make_user, publish_demo_course


def _events(db, action):
    return db.session.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id).all()


def _cohort_form(**overrides):
    return {
        "course": "demo",
        "name": "Ховд, 2027 хавар",
        "starts_on": "",
        "ends_on": "",
        "region": "",
        "capacity": "",
        "co_trainers": "",
        **overrides,
    }


def test_a_cohort_with_version_dates_place_capacity_and_co_trainers(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, enrolment="key")
    publish_demo_course(tmp_path, enrolment="key", version="1.1.0")
    make_user(roles=("trainer",), email="co@example.mn", name="Хамтрагч Багш")
    creator = login_as("trainer")
    page = client.get("/trainer/cohorts/new")
    assert page.status_code == 200
    assert 'value="demo@1.0.0"' in page.text
    assert 'value="demo"' in page.text
    response = client.post(
        "/trainer/cohorts",
        data=_cohort_form(
            course="demo@1.0.0",
            starts_on="2027-04-01",
            ends_on="2027-04-04",
            region="khovd",
            capacity="20",
            co_trainers="CO@example.mn,\n co@example.mn",
        ),
    )
    cohort = db.session.query(Cohort).one()
    assert response.headers["Location"].endswith(f"/trainer/cohorts/{cohort.id}")
    assert cohort.course_version.version == "1.0.0"
    assert (cohort.starts_on, cohort.ends_on) == (date(2027, 4, 1), date(2027, 4, 4))
    assert (cohort.region, cohort.online, cohort.capacity) == ("khovd", False, 20)
    trainers = db.session.query(CohortTrainer).filter_by(cohort_id=cohort.id).all()
    assert len(trainers) == 2
    assert trainers[0].user_id == creator.id
    [created] = _events(db, "cohort.create")
    assert created.details["version"] == "1.0.0"
    assert created.details["capacity"] == 20
    assert len(_events(db, "cohort.trainer_add")) == 1
    page = client.get(f"/trainer/cohorts/{cohort.id}")
    assert cohort.enrolment_key in page.text
    assert "Ховд аймаг" in page.text
    assert "Хамтрагч Багш" in page.text
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/trainer/cohorts/{cohort.id}")
    assert "Khovd province" in page.text
    assert "0 of 20 places taken" in page.text


def test_the_newest_version_is_the_default(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, enrolment="key")
    publish_demo_course(tmp_path, enrolment="key", version="1.1.0")
    login_as("trainer")
    client.post("/trainer/cohorts", data=_cohort_form(online="y"))
    cohort = db.session.query(Cohort).one()
    assert (cohort.course_version.version, cohort.online, cohort.region) == ("1.1.0", True, "")


def test_the_form_explains_every_mistake_and_creates_nothing(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, enrolment="key")
    make_user(roles=("trainee",), email="learner@example.mn")
    login_as("trainer")
    client.post("/language", data={"lang": "en"})
    response = client.post(
        "/trainer/cohorts",
        data=_cohort_form(
            starts_on="2027-04-04",
            ends_on="2027-04-01",
            capacity="0",
            co_trainers="nobody@example.mn; learner@example.mn",
        ),
    )
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.text
    assert "Use a number from 1 to 1000." in response.text
    assert db.session.query(Cohort).count() == 0
    response = client.post(
        "/trainer/cohorts",
        data=_cohort_form(co_trainers="nobody@example.mn; learner@example.mn"),
    )
    assert response.status_code == 400
    assert "nobody@example.mn: no trainer has an account with this address." in response.text
    assert "learner@example.mn: this account does not have the trainer role." in response.text
    assert db.session.query(Cohort).count() == 0


@pytest.fixture
def cohort_setup(app, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="key")
    trainer = make_user(roles=("trainer",), name="Сургагч Нэг")
    cohort = cohort_management.create_cohort(course, "Дархан 2027", trainer)
    return course, cohort, trainer, client_for(app, trainer, language=None)


def test_editing_details_is_audited_and_capacity_stays_above_the_enrolled(db, cohort_setup):
    course, cohort, _, client = cohort_setup
    for _ in range(2):
        assert enrolments.enrol(make_user(), course, key=cohort.enrolment_key).outcome == "enrolled"
    url = f"/trainer/cohorts/{cohort.id}/edit"
    assert client.get(url).status_code == 200
    form = {"name": "Дархан 2027 намар", "region": "darkhan-uul", "capacity": "1"}
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert db.session.get(Cohort, cohort.id).capacity is None
    response = client.post(url, data={**form, "capacity": "2", "starts_on": "2027-09-01"})
    assert response.status_code == 302
    cohort = db.session.get(Cohort, cohort.id)
    assert (cohort.name, cohort.region, cohort.capacity) == ("Дархан 2027 намар", "darkhan-uul", 2)
    [event] = _events(db, "cohort.update")
    assert event.details["capacity"] == {"from": None, "to": 2}
    assert event.details["starts_on"] == {"from": None, "to": "2027-09-01"}
    assert "online" not in event.details  # unchanged fields are not listed


def test_a_new_key_stops_the_old_one(db, cohort_setup):
    course, cohort, _, client = cohort_setup
    old_key = cohort.enrolment_key
    client.post(f"/trainer/cohorts/{cohort.id}/key")
    new_key = db.session.get(Cohort, cohort.id).enrolment_key
    assert new_key != old_key
    assert enrolments.enrol(make_user(), course, key=old_key).outcome == "bad_key"
    assert enrolments.enrol(make_user(), course, key=new_key).outcome == "enrolled"
    assert len(_events(db, "cohort.key_regenerate")) == 1


def test_co_trainers_come_and_go_but_the_last_one_stays(app, db, cohort_setup):
    _, cohort, trainer, client = cohort_setup
    co = make_user(roles=("trainer",), email="co@example.mn", name="Хамтрагч")
    make_user(email="trainee@example.mn")
    client.post(f"/trainer/cohorts/{cohort.id}/trainers", data={"email": "trainee@example.mn"})
    client.post(f"/trainer/cohorts/{cohort.id}/trainers", data={"email": "co@example.mn"})
    teaching = {
        row.user_id for row in db.session.query(CohortTrainer).filter_by(cohort_id=cohort.id)
    }
    assert teaching == {trainer.id, co.id}
    co_client = client_for(app, co, language=None)
    assert co_client.get(f"/trainer/cohorts/{cohort.id}").status_code == 200
    # The co-trainer removes the creator, then cannot remove themselves: one trainer stays.
    co_client.post(f"/trainer/cohorts/{cohort.id}/trainers/{trainer.id}/remove")
    co_client.post(f"/trainer/cohorts/{cohort.id}/trainers/{co.id}/remove")
    teaching = [
        row.user_id for row in db.session.query(CohortTrainer).filter_by(cohort_id=cohort.id)
    ]
    assert teaching == [co.id]
    assert client.get(f"/trainer/cohorts/{cohort.id}").status_code == 403
    assert [e.details["user"] for e in _events(db, "cohort.trainer_add")] == [co.id]
    assert [e.details["user"] for e in _events(db, "cohort.trainer_remove")] == [trainer.id]


def test_a_full_cohort_refuses_enrolment_by_key(app, db, cohort_setup):
    course, cohort, trainer, client = cohort_setup
    from lms.services.cohorts import management as cohorts

    cohorts.update_details(cohort, CohortDetails(name=cohort.name, capacity=1), trainer)
    first, second = make_user(), make_user()
    assert enrolments.enrol(first, course, key=cohort.enrolment_key).outcome == "enrolled"
    second_client = client_for(app, second, language=None)
    second_client.post("/language", data={"lang": "en"})
    response = second_client.post(
        "/courses/demo/enrol", data={"key": cohort.enrolment_key}, follow_redirects=True
    )
    assert "This cohort is full. Ask its trainer about a place." in response.text
    assert db.session.query(Enrolment).filter_by(user_id=second.id).count() == 0
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/trainer/cohorts/{cohort.id}")
    assert "1 of 1 places taken" in page.text


def test_pending_requests_take_a_seat(db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="approval")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(
        course, "Ховд", trainer, details=CohortDetails(name="Ховд", capacity=1)
    )
    assert enrolments.enrol(make_user(), course, key=cohort.enrolment_key).outcome == "requested"
    assert enrolments.enrol(make_user(), course, key=cohort.enrolment_key).outcome == "full"


def test_requests_name_their_cohort_and_the_trainee_reads_the_message(app, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="approval")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Увс, 2027 намар", trainer)
    trainee = make_user(name="Хүсэлт Гаргагч")
    enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
    trainer_client = client_for(app, trainer, language=None)
    home = trainer_client.get("/trainer/")
    assert "Хүсэлт Гаргагч" in home.text
    assert "Увс, 2027 намар" in home.text
    trainer_client.post(
        f"/trainer/requests/{enrolment.id}", data={"approve": "1", "message": "Тавтай морил!"}
    )
    dashboard = client_for(app, trainee, language=None).get("/my")
    assert "Тавтай морил!" in dashboard.text


# ---- moving to a newer version ---------------------------------------------------------------

PART_ONE = (
    "  - module: part-1\n"
    "    title: {mn: Нэгдүгээр хэсэг, en: Part one}\n"
    "    items:\n"
    "      - lesson: 01-social-model\n"
    "      - quiz: check-1\n"
)


def _publish_v2(tmp_path):
    """Version 2.0.0 of the demo course: lesson 01 and quiz check-1 are gone."""
    files = dict(valid_files())
    course_yml = str(files["course.yml"])
    course_yml = course_yml.replace("enrolment: approval", "enrolment: key")
    course_yml = course_yml.replace("version: 1.0.0", "version: 2.0.0").replace(PART_ONE, "")
    course_yml = course_yml.replace(
        "prerequisites:\n  - course: intro-seminar\n    requires: completion\n", ""
    )
    files["course.yml"] = course_yml
    files["quizzes/final.yml"] = str(files["quizzes/final.yml"]).replace(
        "pass_mark: 80", "pass_mark: 70"
    )
    for path in ("lessons/01-social-model.mn.md", "lessons/01-social-model.en.md"):
        files[path] = None
    files["quizzes/check-1.yml"] = None
    folder = write_course(tmp_path / "v2", files)
    result = publishing.publish_path(folder)
    assert result.status == "published", (result.message, result.problems)
    return result.course_version


def test_moving_a_cohort_shows_the_changes_then_moves_its_active_trainees(app, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="key")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Говь-Алтай", trainer)
    studying = enrolments.enrol(make_user(), course, key=cohort.enrolment_key).enrolment
    progress.complete_lesson(studying, "01-social-model")
    done = enrolments.enrol(make_user(), course, key=cohort.enrolment_key).enrolment
    done.state = "completed"
    db.session.commit()
    v1 = cohort.course_version
    v2 = _publish_v2(tmp_path)
    client = client_for(app, trainer, language=None)
    client.post("/language", data={"lang": "en"})

    page = client.get(f"/trainer/cohorts/{cohort.id}/move")
    assert "See what changes in version 2.0.0" in page.text
    preview = client.get(f"/trainer/cohorts/{cohort.id}/move?version={v2.id}")
    assert preview.status_code == 200
    assert "The social model of disability" in preview.text  # the removed lesson
    assert "1 trainee moves to the new version." in preview.text
    assert "1 trainee has completed lessons that no longer exist" in preview.text
    assert "Pass mark, percent: 80 → 70" in preview.text
    assert client.get(f"/trainer/cohorts/{cohort.id}/move?version=999").status_code == 404
    assert db.session.get(Cohort, cohort.id).course_version_id == v1.id  # nothing moved yet

    client.post(f"/trainer/cohorts/{cohort.id}/move", data={"version": str(v2.id)})
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).course_version_id == v2.id
    assert db.session.get(Enrolment, studying.id).course_version_id == v2.id
    assert db.session.get(Enrolment, done.id).course_version_id == v1.id
    assert db.session.query(LessonProgress).filter_by(enrolment_id=studying.id).count() == 1
    [event] = _events(db, "cohort.move_version")
    assert (event.details["from"], event.details["to"]) == ("1.0.0", "2.0.0")
    assert event.details["enrolments"] == [studying.id]
    # Now on the newest version: nothing more to move to, and an old id is refused.
    assert (
        "The cohort is on the newest version."
        in client.get(f"/trainer/cohorts/{cohort.id}/move").text
    )
    client.post(f"/trainer/cohorts/{cohort.id}/move", data={"version": str(v1.id)})
    assert db.session.get(Cohort, cohort.id).course_version_id == v2.id


def test_concurrent_enrolments_never_overfill_a_cohort(app, db, tmp_path, monkeypatch):
    import threading
    import time

    from lms.models import Course, User
    from lms.services.cohorts import management as cohorts

    course = publish_demo_course(tmp_path, enrolment="key")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(
        course, "Ховд", trainer, details=CohortDetails(name="Ховд", capacity=1)
    )
    ids, key = [make_user().id, make_user().id], cohort.enrolment_key
    real_count = seats.seats_taken

    def slow_count(c):
        taken = real_count(c)
        time.sleep(0.3)  # without the lock, the other request would count the same seats
        return taken

    monkeypatch.setattr(cohorts, "seats_taken", slow_count)
    start, outcomes = threading.Barrier(2), []

    def enrol(user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            course_row = db.session.query(Course).filter_by(slug="demo").one()
            start.wait()
            outcomes.append(enrolments.enrol(user, course_row, key=key).outcome)
            db.session.remove()

    threads = [threading.Thread(target=enrol, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["enrolled", "full"]
    assert db.session.query(Enrolment).filter_by(cohort_id=cohort.id).count() == 1
