"""A trainer sees and acts only on the cohorts they teach; co-trainers join; admins see all."""

from __future__ import annotations

from datetime import date

import pytest

from lms.models import Cohort, Enrolment
from lms.services.cohorts import accommodations, attendance
from lms.services.cohorts import management as cohort_management
from lms.services.cohorts import management as cohorts
from lms.services.learning import enrolment as enrolments
from tests.factories import client_for, make_user, publish_demo_course


@pytest.fixture
def two_cohorts(app, db, tmp_path):
    """Cohorts A and B of an approval course, each with a trainee and a pending request."""
    course = publish_demo_course(tmp_path, enrolment="approval")
    world = {}
    for side in ("a", "b"):
        trainer = make_user(roles=("trainer",), name=f"Сургагч {side.upper()}")
        cohort = cohort_management.create_cohort(course, f"Бүлэг {side.upper()}", trainer)
        trainee = make_user(name=f"Суралцагч {side.upper()}")
        enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
        enrolments.decide(enrolment, True, trainer)
        waiting = make_user(name=f"Хүлээгч {side.upper()}")
        request = enrolments.enrol(waiting, course, key=cohort.enrolment_key).enrolment
        session = attendance.add_session(cohort, date(2027, 5, 1), "", trainer)
        world[side] = {
            "trainer": trainer,
            "cohort": cohort.id,
            "enrolment": enrolment.id,
            "request": request.id,
            "session": session.id,
        }
    return world


def _pages(app, side):
    """GET pages of one cohort and its trainee."""
    pages = [
        f"/trainer/cohorts/{side['cohort']}",
        f"/trainer/cohorts/{side['cohort']}/edit",
        f"/trainer/cohorts/{side['cohort']}/bulk",
        f"/trainer/cohorts/{side['cohort']}/move",
        f"/trainer/cohorts/{side['cohort']}/attendance",
        f"/trainer/enrolments/{side['enrolment']}",
        f"/trainer/cohorts/{side['cohort']}/progress",
    ]
    return pages


def _actions(side):
    """POSTs that change one cohort or its trainees (each is refused before it reads a form)."""
    cohort, trainer = side["cohort"], side["trainer"]
    return [
        f"/trainer/cohorts/{cohort}/key",
        f"/trainer/cohorts/{cohort}/edit",
        f"/trainer/cohorts/{cohort}/trainers",
        f"/trainer/cohorts/{cohort}/trainers/{trainer.id}/remove",
        f"/trainer/cohorts/{cohort}/bulk",
        f"/trainer/cohorts/{cohort}/bulk/apply",
        f"/trainer/cohorts/{cohort}/move",
        f"/trainer/cohorts/{cohort}/attendance",
        f"/trainer/sessions/{side['session']}/marks",
        f"/trainer/enrolments/{side['enrolment']}/practicum",
        f"/trainer/enrolments/{side['enrolment']}/issue",
        f"/trainer/requests/{side['request']}",
    ]


def test_a_trainer_works_in_their_own_cohort(app, two_cohorts):
    client = client_for(app, two_cohorts["a"]["trainer"], language=None)
    for url in _pages(app, two_cohorts["a"]):
        assert client.get(url).status_code == 200, url


def test_a_trainer_is_refused_everything_of_another_cohort(app, db, two_cohorts):
    client = client_for(app, two_cohorts["a"]["trainer"], language=None)
    b = two_cohorts["b"]
    for url in _pages(app, b):
        assert client.get(url).status_code == 403, url
    key = db.session.get(Cohort, b["cohort"]).enrolment_key
    for url in _actions(b):
        assert client.post(url, data={"approve": "1"}).status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Cohort, b["cohort"]).enrolment_key == key
    assert db.session.get(Enrolment, b["request"]).state == "requested"
    assert [u.id for u in cohorts.trainers(db.session.get(Cohort, b["cohort"]))] == [
        b["trainer"].id
    ]


def test_the_home_page_lists_only_their_own(app, two_cohorts):
    home = client_for(app, two_cohorts["a"]["trainer"], language=None).get("/trainer/").text
    assert "Бүлэг A" in home
    assert "Суралцагч A" in home
    assert "Хүлээгч A" in home
    assert "Бүлэг B" not in home
    assert "Суралцагч B" not in home
    assert "Хүлээгч B" not in home


def test_a_co_trainer_added_to_another_cohort_can_then_act_on_it(app, db, two_cohorts):
    a, b = two_cohorts["a"], two_cohorts["b"]
    owner = client_for(app, b["trainer"], language=None)
    owner.post(f"/trainer/cohorts/{b['cohort']}/trainers", data={"email": a["trainer"].email})
    client = client_for(app, a["trainer"], language=None)
    for url in _pages(app, b):
        assert client.get(url).status_code == 200, url
    client.post(f"/trainer/requests/{b['request']}", data={"approve": "1"})
    assert db.session.get(Enrolment, b["request"]).state == "active"
    assert "Бүлэг B" in client.get("/trainer/").text


def test_an_admin_sees_every_cohort(app, two_cohorts):
    client = client_for(app, make_user(roles=("admin",)))
    for side in ("a", "b"):
        for url in _pages(app, two_cohorts[side]):
            assert client.get(url).status_code == 200, url
    home = client.get("/trainer/").text
    assert "Бүлэг A" in home
    assert "Бүлэг B" in home


def test_home_lists_accommodations_only_of_followed_trainees(app, db, two_cohorts):
    admin = make_user(roles=("admin",))
    for side in ("a", "b"):
        trainee = db.session.get(Enrolment, two_cohorts[side]["enrolment"]).user
        accommodations.set_accommodation(trainee, 1.5, False, admin)
    a_trainee = db.session.get(Enrolment, two_cohorts["a"]["enrolment"]).user
    b_trainee = db.session.get(Enrolment, two_cohorts["b"]["enrolment"]).user
    page = client_for(app, two_cohorts["a"]["trainer"], language=None).get("/trainer/").text
    assert a_trainee.email in page
    assert b_trainee.email not in page
    everything = client_for(app, admin, language=None).get("/trainer/").text
    assert a_trainee.email in everything
    assert b_trainee.email in everything
