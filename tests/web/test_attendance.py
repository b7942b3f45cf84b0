"""Attendance of seminar days: sessions, marking a cohort, and what attendance certifies."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lms.models import AttendanceMark, AuditEvent, Credential
from lms.services import certification
from lms.services.cohorts import attendance
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.courses.store import parsed_course
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from tests.factories import (
    add_graded_attempt,
    client_for,
    enrol_many,
    make_user,
    publish_demo_course,
)

INTRO = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"


@pytest.fixture
def cohort(app, db, tmp_path):
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    names = ["Пүрэв Дорж", "Өлзий Бат", "Оюун Сүх", "Үүрцайх Нар", "Уянга Бат"]
    users = {name: make_user(name=name) for name in names}
    for user in users.values():
        enrolments.enrol(user, course, key=cohort.enrolment_key)
    session = attendance.add_session(cohort, date(2027, 3, 1), "Өдөр 1", trainer)
    return {"cohort": cohort, "trainer": trainer, "users": users, "session": session}


def _names(html):
    return re.findall(r'<label for="present-\d+">([^<]+)</label>', html)


def test_session_page_lists_the_cohort_by_name_with_one_checkbox_each(app, cohort):
    client = client_for(app, cohort["trainer"])
    html = client.get(f"/trainer/sessions/{cohort['session'].id}").text
    # Mongolian alphabetical order: О, Ө, П, У, Ү.
    assert _names(html) == ["Оюун Сүх", "Өлзий Бат", "Пүрэв Дорж", "Уянга Бат", "Үүрцайх Нар"]
    assert html.count('type="checkbox" name="present"') == 5
    assert html.count("<fieldset") == 1
    assert html.count(">Save attendance</button>") == 2  # at the top and at the bottom
    assert 'name="bulk" value="all"' in html
    assert 'name="bulk" value="none"' in html
    assert "0 of 5 present" in html
    assert re.search(r'src="/static/js/attendance\.[0-9a-f]+\.js"', html)  # content-hashed name


def test_marking_saves_idempotently_and_is_audited(app, db, cohort):
    client = client_for(app, cohort["trainer"])
    session_id = cohort["session"].id
    present = [cohort["users"]["Оюун Сүх"].id, cohort["users"]["Уянга Бат"].id]
    response = client.post(f"/trainer/sessions/{session_id}/marks", data={"present": present})
    assert response.headers["Location"].endswith(f"/trainer/sessions/{session_id}")
    page = client.get(f"/trainer/sessions/{session_id}").text
    assert "Attendance saved: 2 of 5 present." in page
    assert "2 of 5 present" in page
    assert page.count(" checked>") == 2
    marks = db.session.query(AttendanceMark).filter_by(session_id=session_id).all()
    assert len(marks) == 5  # the absent are recorded as absent
    assert {m.user_id for m in marks if m.present} == set(present)
    events = db.session.query(AuditEvent).filter_by(action="attendance.mark").all()
    assert len(events) == 1
    assert events[0].details["present"] == sorted(present)
    client.post(f"/trainer/sessions/{session_id}/marks", data={"present": present})
    assert db.session.query(AuditEvent).filter_by(action="attendance.mark").count() == 1
    assert db.session.query(AttendanceMark).count() == 5
    # Untick one: one change, audited as removed.
    client.post(f"/trainer/sessions/{session_id}/marks", data={"present": present[:1]})
    last = db.session.query(AuditEvent).filter_by(action="attendance.mark").all()[-1]
    assert last.details["removed"] == [present[1]]
    assert last.details["added"] == []


def test_mark_everyone_present_or_absent_without_javascript(app, db, cohort):
    client = client_for(app, cohort["trainer"])
    session_id = cohort["session"].id
    client.post(f"/trainer/sessions/{session_id}/marks", data={"bulk": "all"})
    assert db.session.query(AttendanceMark).filter_by(present=True).count() == 5
    assert "5 of 5 present" in client.get(f"/trainer/sessions/{session_id}").text
    client.post(f"/trainer/sessions/{session_id}/marks", data={"bulk": "none", "present": ["1"]})
    assert db.session.query(AttendanceMark).filter_by(present=True).count() == 0


def test_people_outside_the_cohort_are_ignored(app, db, cohort):
    stranger = make_user()
    client = client_for(app, cohort["trainer"])
    client.post(
        f"/trainer/sessions/{cohort['session'].id}/marks",
        data={"present": [stranger.id, "not-a-number"]},
    )
    assert db.session.query(AttendanceMark).filter_by(user_id=stranger.id).count() == 0


def test_adding_a_session_opens_its_marking_page(app, db, cohort):
    client = client_for(app, cohort["trainer"])
    cohort_id = cohort["cohort"].id
    response = client.post(
        f"/trainer/cohorts/{cohort_id}/attendance", data={"held_on": "2027-03-02", "title": "2"}
    )
    assert re.search(r"/trainer/sessions/\d+$", response.headers["Location"])
    assert db.session.query(AuditEvent).filter_by(action="attendance.session").count() == 2
    html = client.get(f"/trainer/cohorts/{cohort_id}/attendance").text
    assert html.count("Take attendance of") == 2
    assert "at least 80% of the sessions" in html


def test_another_cohorts_trainer_cannot_see_or_mark_a_session(app, db, cohort):
    outsider = client_for(app, make_user(roles=("trainer",)))
    session_id = cohort["session"].id
    assert outsider.get(f"/trainer/sessions/{session_id}").status_code == 403
    response = outsider.post(f"/trainer/sessions/{session_id}/marks", data={"bulk": "all"})
    assert response.status_code == 403
    assert db.session.query(AttendanceMark).count() == 0
    assert outsider.get(f"/trainer/cohorts/{cohort['cohort'].id}/attendance").status_code == 403


def test_session_summaries_count_who_was_present(app, db, cohort):
    users = list(cohort["users"].values())
    attendance.mark_attendance(cohort["session"], {users[0].id, users[1].id}, cohort["trainer"])
    later = attendance.add_session(cohort["cohort"], date(2027, 3, 2), "", cohort["trainer"])
    summaries = attendance.sessions(cohort["cohort"])
    assert [(s.session.id, s.present, s.marked) for s in summaries] == [
        (cohort["session"].id, 2, True),
        (later.id, 0, False),
    ]


def test_ninety_trainees_are_marked_in_one_save(app, db, cohort):
    users = enrol_many(cohort["cohort"], 90)
    client = client_for(app, cohort["trainer"])
    session_id = cohort["session"].id
    chosen = [u.id for u in users[::3]]
    client.post(f"/trainer/sessions/{session_id}/marks", data={"present": chosen})
    page = client.get(f"/trainer/sessions/{session_id}").text
    assert "30 of 95 present" in page
    assert len(_names(page)) == 95


def test_attendance_feeds_the_seminar_certificate(app, db, tmp_path):
    """The bundled introductory seminar needs 80% attendance: 4 of 5 sessions issue, 3 don't."""
    published = publishing.publish_path(INTRO, allow_dirty=True)
    assert published.status == "published", published.message
    course = parsed_course(published.course_version)
    assert course.kind == "seminar"
    assert course.certification.requires.attendance == 0.8
    assert course.certification.credential.issue == "automatic"
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(published.course_version.course, "Ховд", trainer)
    trainee = make_user(name="Батбаяр Өлзий")
    enrolment = enrolments.enrol(trainee, published.course_version.course, key=cohort.enrolment_key)
    enrolment = enrolment.enrolment
    sessions = [
        attendance.add_session(cohort, date(2027, 3, day), "", trainer) for day in range(1, 6)
    ]
    for item in course.outline_items():
        if item.kind == "lesson":
            progress.complete_lesson(enrolment, item.id)
    add_graded_attempt(enrolment, score=10, max_score=10)
    db.session.commit()
    progress.refresh_completion(enrolment)
    for session in sessions[:3]:
        attendance.mark_attendance(session, {trainee.id}, trainer)
    reasons = certification.decision(enrolment).reasons
    assert [(r.code, r.done, r.required) for r in reasons] == [("attendance", 3, 4)]
    assert db.session.query(Credential).count() == 0
    # The trainer marks the fourth day on the session page: the certificate is issued.
    client = client_for(app, trainer)
    client.post(f"/trainer/sessions/{sessions[3].id}/marks", data={"present": [trainee.id]})
    credential = db.session.query(Credential).one()
    assert credential.user_id == trainee.id
    assert credential.number.startswith("IS-")
    assert certification.decision(enrolment).eligible


def test_a_session_date_and_title_can_be_corrected(app, db, cohort):
    client = client_for(app, cohort["trainer"])
    session_id = cohort["session"].id
    client.post(
        f"/trainer/sessions/{session_id}/edit", data={"held_on": "2027-03-04", "title": "Нэг"}
    )
    db.session.refresh(cohort["session"])
    assert cohort["session"].held_on == date(2027, 3, 4)
    assert cohort["session"].title == "Нэг"
    event = db.session.query(AuditEvent).filter_by(action="attendance.session_edit").one()
    assert event.details["before"]["held_on"] == "2027-03-01"


def test_only_a_session_nobody_attended_can_be_deleted(app, db, cohort):
    client = client_for(app, cohort["trainer"])
    session = cohort["session"]
    someone = next(iter(cohort["users"].values()))
    attendance.mark_attendance(session, {someone.id}, cohort["trainer"])
    response = client.post(f"/trainer/sessions/{session.id}/delete")
    assert response.headers["Location"].endswith(f"/trainer/sessions/{session.id}")
    assert len(attendance.sessions(cohort["cohort"])) == 1
    attendance.mark_attendance(session, set(), cohort["trainer"])
    response = client.post(f"/trainer/sessions/{session.id}/delete")
    assert response.headers["Location"].endswith(
        f"/trainer/cohorts/{cohort['cohort'].id}/attendance"
    )
    assert attendance.sessions(cohort["cohort"]) == []
    assert db.session.query(AttendanceMark).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="attendance.session_delete").count() == 1


def test_deleting_a_mistaken_session_can_complete_a_certificate(app, db, tmp_path):
    from tests.domain.course_builder import COURSE_YML

    # The demo course as a one-day seminar: no practicum, issued automatically.
    start, end = COURSE_YML.index("    practicum:"), COURSE_YML.index("issue: trainer")
    credential = COURSE_YML[COURSE_YML.index("  credential:") : end]
    course = publish_demo_course(
        tmp_path,
        replace={
            "course.yml": (
                COURSE_YML[start:end] + "issue: trainer",
                credential + "issue: automatic",
            )
        },
    )
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд", trainer)
    trainee = make_user()
    enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
    held = attendance.add_session(cohort, date(2027, 3, 1), "", trainer)
    mistake = attendance.add_session(cohort, date(2027, 3, 2), "", trainer)
    attendance.mark_attendance(held, {trainee.id}, trainer)
    for lesson in ("01-social-model", "02-stages"):
        progress.complete_lesson(enrolment, lesson)
    add_graded_attempt(enrolment)
    db.session.commit()
    progress.refresh_completion(enrolment)
    assert [r.code for r in certification.decision(enrolment).reasons] == ["attendance"]
    assert db.session.query(Credential).count() == 0
    client_for(app, trainer).post(f"/trainer/sessions/{mistake.id}/delete")
    assert db.session.query(Credential).filter_by(user_id=trainee.id).count() == 1
