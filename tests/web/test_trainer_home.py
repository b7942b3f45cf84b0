"""The trainer's home: their cohorts first with what needs attention, a paged search of their
own trainees (never a stranger), in the same few queries however many cohorts they teach."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from lms.domain.progress_grid import name_sort_key
from lms.models import Enrolment
from lms.services import clock
from lms.services.cohorts import attendance, course_trainers, practicum
from lms.services.cohorts import management as cohort_management
from lms.services.learning import enrolment as enrolments
from tests.factories import client_for, enrol_many, make_user, publish_demo_course
from tests.query_counter import count_queries


@pytest.fixture
def world(app, db, tmp_path):
    """A trainer's cohort on an approval course, and strangers the trainer must not see."""
    course = publish_demo_course(tmp_path / "demo", enrolment="approval")
    other_course = publish_demo_course(tmp_path / "other", slug="other", enrolment="open")
    trainer = make_user(roles=("trainer",), name="Сургагч Бат")
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    own = make_user(name="Өлзий Дорж", email="olzii@example.mn")
    enrolment = enrolments.enrol(own, course, key=cohort.enrolment_key).enrolment
    enrolments.decide(enrolment, True, trainer)
    waiting = make_user(name="Анар Хүлээгч", email="anar@example.mn")
    request = enrolments.enrol(waiting, course, key=cohort.enrolment_key).enrolment
    # Strangers: self-enrolled in another course, and alone (no cohort) in the same course.
    stranger = make_user(name="Танихгүй Хүн", email="stranger@example.mn")
    enrolments.enrol(stranger, other_course)
    alone = make_user(name="Ганцаар Суралцагч", email="alone@example.mn")
    enrolments.enrol(alone, course)
    # Another trainer's cohort with its own trainee.
    other_trainer = make_user(roles=("trainer",))
    other_cohort = cohort_management.create_cohort(course, "Дархан 2027", other_trainer)
    neighbour = make_user(name="Хөрш Суралцагч", email="neighbour@example.mn")
    neighbour_enrolment = enrolments.enrol(neighbour, course, key=other_cohort.enrolment_key)
    enrolments.decide(neighbour_enrolment.enrolment, True, other_trainer)
    return {
        "course": course,
        "trainer": trainer,
        "cohort": cohort,
        "enrolment": enrolment,
        "request": request,
        "other_course": other_course,
    }


STRANGERS = ("Танихгүй Хүн", "Ганцаар Суралцагч", "Хөрш Суралцагч", "Дархан 2027")


def _trainee_names(html):
    section = html[html.index('id="trainees-heading"') :]
    return re.findall(r'<th scope="row"><a href="/trainer/enrolments/\d+">([^<]+)</a>', section)


def test_cohorts_come_first_and_a_trainer_never_sees_a_stranger(app, world):
    html = client_for(app, world["trainer"]).get("/trainer/").text
    cohorts_at = html.index('id="cohorts-heading"')
    assert cohorts_at < html.index('id="requests-heading"') < html.index('id="trainees-heading"')
    assert "Ховд 2027" in html
    assert _trainee_names(html) == ["Анар Хүлээгч", "Өлзий Дорж"]
    for name in STRANGERS:
        assert name not in html, name
    # A search for a stranger by name or email finds nothing either.
    client = client_for(app, world["trainer"])
    for query in ("Танихгүй", "stranger@example.mn", "alone", "Хөрш"):
        html = client.get("/trainer/", query_string={"q": query}).text
        assert _trainee_names(html) == [], query
        assert "None of your trainees has a name or email containing" in html


def test_a_course_trainer_sees_the_courses_lone_trainees_and_an_admin_sees_everyone(app, world):
    course_trainers.assign(world["course"], world["trainer"], None)
    html = client_for(app, world["trainer"]).get("/trainer/").text
    assert "Ганцаар Суралцагч" in _trainee_names(html)  # no cohort, on a course assigned to them
    assert "Танихгүй Хүн" not in html  # the other course is not theirs
    assert "Хөрш Суралцагч" not in html  # another trainer's cohort
    admin_html = client_for(app, make_user(roles=("admin",))).get("/trainer/").text
    names = _trainee_names(admin_html)
    for name in ("Танихгүй Хүн", "Ганцаар Суралцагч", "Хөрш Суралцагч", "Өлзий Дорж"):
        assert name in names
    assert "Дархан 2027" in admin_html


def test_search_by_name_or_email_case_insensitive_and_paged(app, db, world):
    client = client_for(app, world["trainer"])
    html = client.get("/trainer/", query_string={"q": "өлзий"}).text  # lower case Cyrillic
    assert _trainee_names(html) == ["Өлзий Дорж"]
    assert "1 trainee matches “өлзий”" in html
    assert _trainee_names(client.get("/trainer/?q=OLZII@EXAMPLE").text) == ["Өлзий Дорж"]
    # LIKE wildcards in the query are plain characters.
    assert _trainee_names(client.get("/trainer/?q=%25").text) == []
    assert _trainee_names(client.get("/trainer/?q=_").text) == []
    enrol_many(world["cohort"], 30)  # 32 trainees: two pages of 25
    html = client.get("/trainer/").text
    first = _trainee_names(html)
    assert len(first) == 25
    assert "32 trainees" in html
    assert 'aria-label="Page 2"' in html
    second = _trainee_names(client.get("/trainer/?page=2").text)
    assert len(second) == 7
    assert not set(first) & set(second)
    # Mongolian order across pages: Ө after О, Ү after У and before Э (code point order puts
    # Ө and Ү after every other letter).
    everyone = first + second
    assert everyone == sorted(everyone, key=name_sort_key)
    assert first[0].startswith("Анар")
    assert second[-1].startswith("Энх")
    assert everyone.index("Үүрцайх 010") < everyone.index("Энх 005")
    # A page past the end shows the last page; nonsense is the first page.
    assert _trainee_names(client.get("/trainer/?page=99").text) == second
    assert _trainee_names(client.get("/trainer/?page=abc").text) == first
    assert client.get("/trainer/?page=-3").status_code == 200
    # A search narrows before paging.
    html = client.get("/trainer/", query_string={"q": "Үүрцайх"}).text
    assert len(_trainee_names(html)) == 3
    assert "Page 2" not in html


def _attention_cell(html, cohort_name):
    row = html[html.index(f">{cohort_name}</a></th>") :]
    return row[: row.index("</tr>")]


def test_attention_counts_requests_practicums_and_todays_session(app, db, world):
    client = client_for(app, world["trainer"])
    cell = _attention_cell(client.get("/trainer/").text, "Ховд 2027")
    assert "1 join request waiting" in cell
    assert "practicum" not in cell
    assert "Session today" not in cell
    # Өлзий finishes the course work; the practicum (24 h and task analysis) is not signed yet.
    enrolment = world["enrolment"]
    enrolment.state = "completed"
    db.session.commit()
    cell = _attention_cell(client.get("/trainer/").text, "Ховд 2027")
    assert "1 practicum to sign off" in cell
    assert "sort=practicum" in cell
    # A session today: first not marked, then marked.
    today = clock.today()
    session = attendance.add_session(world["cohort"], today, "Өдөр 1", world["trainer"])
    attendance.add_session(world["cohort"], today - timedelta(days=1), "", world["trainer"])
    cell = _attention_cell(client.get("/trainer/").text, "Ховд 2027")
    assert "Session today: attendance not marked yet" in cell
    assert f'href="/trainer/sessions/{session.id}"' in cell
    attendance.mark_attendance(session, {enrolment.user_id}, world["trainer"])
    cell = _attention_cell(client.get("/trainer/").text, "Ховд 2027")
    assert "Session today: 1 of 1 present" in cell
    # The practicum signed in full, the request decided: nothing is waiting but today's session.
    practicum.record_practicum(
        enrolment, world["trainer"], competency_id="task-analysis", hours=24, observed_on=today
    )
    enrolments.decide(world["request"], False, world["trainer"])
    cell = _attention_cell(client.get("/trainer/").text, "Ховд 2027")
    assert "join request" not in cell
    assert "practicum" not in cell


def test_cohorts_show_their_dates_and_running_ones_come_first(app, db, world):
    cohort = world["cohort"]
    cohort.starts_on, cohort.ends_on = date(2027, 3, 1), date(2027, 3, 5)
    old = cohort_management.create_cohort(world["course"], "Хуучин 2020", world["trainer"])
    old.starts_on, old.ends_on = date(2020, 1, 1), date(2020, 1, 5)
    db.session.commit()
    html = client_for(app, world["trainer"]).get("/trainer/").text
    assert html.index("Ховд 2027") < html.index("Хуучин 2020")
    assert "Mar 1, 2027" in html
    assert "Finished" in _attention_cell(html, "Хуучин 2020")
    assert "Finished" not in _attention_cell(html, "Ховд 2027")


def _home_queries(app, trainer):
    client = client_for(app, trainer)
    client.get("/trainer/")  # warm the parsed-course cache
    with count_queries() as log:
        assert client.get("/trainer/").status_code == 200
    return log


def test_the_home_costs_the_same_queries_for_one_or_six_cohorts(app, db, world):
    trainer = world["trainer"]

    def busy_cohort(name):
        cohort = cohort_management.create_cohort(world["course"], name, trainer)
        members = enrol_many(cohort, 2)
        db.session.query(Enrolment).filter_by(user_id=members[0].id).update({"state": "completed"})
        db.session.commit()
        enrolments.enrol(make_user(), world["course"], key=cohort.enrolment_key)  # a request
        attendance.add_session(cohort, clock.today(), "", trainer)
        return cohort

    busy_cohort("Нэг")
    few = _home_queries(app, trainer)
    for number in range(5):
        busy_cohort(f"Бүлэг {number}")
    many = _home_queries(app, trainer)
    assert many.count == few.count, str(many)
    assert few.count <= 14, str(few)
