"""One trainee seen by their trainer: attempts and answers, accommodation, practicum."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from lms.models import Accommodation, AuditEvent, QuizAttempt
from lms.models.types import utcnow
from lms.services import clock
from lms.services.cohorts import course_trainers, practicum, trainee_overview
from lms.services.cohorts import management as cohort_management
from lms.services.learning import attempts as attempt_service
from lms.services.learning import enrolment as enrolments
from tests.factories import client_for, make_user, publish_demo_course


@pytest.fixture
def followed(app, db, tmp_path):
    """A trainee in a cohort with one graded attempt at `check-1`: model-1 right, model-2 wrong."""
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    trainee = make_user(name="Оюун Бат", email="oyun@example.mn")
    enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
    quiz = attempt_service.quiz_of(enrolment, "check-1")
    attempt = attempt_service.start(enrolment, quiz, "en").attempt
    attempt_service.submit(attempt, attempt.seq, {"model-1": "a", "model-2": False})
    return {
        "trainer": trainer,
        "trainee": trainee,
        "enrolment": enrolment,
        "attempt": attempt,
        "course": course,
    }


def test_trainee_page_lists_attempts_with_time_and_result(app, followed):
    client = client_for(app, followed["trainer"])
    response = client.get(f"/trainer/enrolments/{followed['enrolment'].id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert "Quiz attempts" in html
    assert "Check 1" in html
    assert "50% — passed" in html  # the pass mark of check-1 is 50
    assert "under a minute" in html
    assert f'href="/trainer/attempts/{followed["attempt"].id}"' in html
    assert "Answers of attempt 1: Check 1" in html
    assert "None: the normal time limits apply." in html
    assert f'action="/trainer/enrolments/{followed["enrolment"].id}/accommodation"' in html


def test_attempt_page_shows_each_answer_and_the_right_one(app, followed):
    client = client_for(app, followed["trainer"])
    response = client.get(f"/trainer/attempts/{followed['attempt'].id}")
    assert response.status_code == 200
    html = response.text
    assert "Attempt 1: Check 1" in html
    assert "Which is the social model?" in html
    # model-1: the trainee chose "a", which is right.
    first = html[html.index("Question 1") : html.index("Question 2")]
    assert "Correct" in first
    assert "1 of 1 points" in first
    chosen = first[first.index("Barriers are in society") :]
    assert chosen.index("(chosen by the trainee)") < chosen.index("Disability is in the person")
    assert "(correct answer)" in chosen
    # model-2: true/false answered False, the key is True.
    second = html[html.index("Question 2") :]
    assert "Not correct" in second
    assert "Trainee's answer: <strong>False</strong>" in second
    assert "Correct answer: <strong>True</strong>" in second


def test_attempt_of_an_unfollowed_trainee_is_refused(app, followed):
    outsider = client_for(app, make_user(roles=("trainer",)))
    assert outsider.get(f"/trainer/attempts/{followed['attempt'].id}").status_code == 403
    trainee = client_for(app, followed["trainee"])
    assert trainee.get(f"/trainer/attempts/{followed['attempt'].id}").status_code == 403
    assert client_for(app, followed["trainer"]).get("/trainer/attempts/9999").status_code == 404


def test_accommodation_is_set_on_the_trainee_page_and_audited(app, db, followed):
    client = client_for(app, followed["trainer"])
    enrolment_id = followed["enrolment"].id
    response = client.post(
        f"/trainer/enrolments/{enrolment_id}/accommodation", data={"time_multiplier": "2"}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"/trainer/enrolments/{enrolment_id}#accommodation")
    row = db.session.query(Accommodation).one()
    assert (row.user_id, row.time_multiplier, row.no_time_limit) == (
        followed["trainee"].id,
        2.0,
        False,
    )
    audit = db.session.query(AuditEvent).filter_by(action="accommodation.set").one()
    assert audit.actor_id == followed["trainer"].id
    assert audit.subject_id == str(followed["trainee"].id)
    html = client.get(f"/trainer/enrolments/{enrolment_id}").text
    assert "In force: 2× the time on every timed quiz." in html
    assert 'value="2"' in html  # the form shows what is in force
    client.post(
        f"/trainer/enrolments/{enrolment_id}/accommodation",
        data={"time_multiplier": "1", "no_time_limit": "y"},
    )
    assert (
        "In force: no time limit on any quiz."
        in client.get(f"/trainer/enrolments/{enrolment_id}").text
    )


def test_the_extra_time_field_is_empty_while_no_accommodation_is_in_force(app, db, followed):
    client = client_for(app, followed["trainer"])
    url = f"/trainer/enrolments/{followed['enrolment'].id}"
    html = client.get(url).text
    assert "None: the normal time limits apply." in html
    field = re.search(r'<input[^>]*name="time_multiplier"[^>]*>', html)
    assert field
    assert 'value=""' in field.group(0) or "value=" not in field.group(0), field.group(0)
    # An empty multiplier without "no time limit" is a form error, not a silent 1.5 or 1.
    response = client.post(f"{url}/accommodation", data={"time_multiplier": ""})
    assert response.status_code == 302
    assert db.session.query(Accommodation).count() == 0
    assert "a multiplier from 1 to 5, or no time limit" in client.get(url).text
    # No time limit needs no multiplier; the field stays empty afterwards.
    client.post(f"{url}/accommodation", data={"time_multiplier": "", "no_time_limit": "y"})
    assert db.session.query(Accommodation).one().no_time_limit is True
    html = client.get(url).text
    assert "In force: no time limit on any quiz." in html
    field = re.search(r'<input[^>]*name="time_multiplier"[^>]*>', html)
    assert field
    assert 'value=""' in field.group(0) or "value=" not in field.group(0), field.group(0)
    # The workspace's own form starts empty too.
    home = client.get("/trainer/").text
    field = re.search(r'<input[^>]*name="time_multiplier"[^>]*>', home)
    assert field
    assert "1.5" not in field.group(0)


def test_accommodation_out_of_range_is_refused(app, db, followed):
    client = client_for(app, followed["trainer"])
    client.post(
        f"/trainer/enrolments/{followed['enrolment'].id}/accommodation",
        data={"time_multiplier": "9"},
    )
    assert db.session.query(Accommodation).count() == 0


def test_only_the_trainees_trainers_set_their_accommodation(app, db, followed):
    outsider = client_for(app, make_user(roles=("trainer",)))
    response = outsider.post(
        f"/trainer/enrolments/{followed['enrolment'].id}/accommodation",
        data={"time_multiplier": "2"},
    )
    assert response.status_code == 403
    # The workspace's email form is limited the same way, and says nothing about the account.
    response = outsider.post(
        "/trainer/accommodations", data={"email": "oyun@example.mn", "time_multiplier": "2"}
    )
    assert response.status_code == 302
    assert db.session.query(Accommodation).count() == 0
    own = client_for(app, followed["trainer"])
    own.post("/trainer/accommodations", data={"email": "oyun@example.mn", "time_multiplier": "2"})
    assert db.session.query(Accommodation).one().time_multiplier == 2.0


def test_time_taken_stops_at_the_deadline(app, db, followed):
    attempt = followed["attempt"]
    start = utcnow() - timedelta(hours=2)
    attempt.started_at = start
    attempt.deadline = start + timedelta(minutes=30)
    attempt.submitted_at = start + timedelta(hours=1)  # closed late, when next opened
    db.session.commit()
    assert trainee_overview.time_taken(attempt) == timedelta(minutes=30)
    attempt.submitted_at = start + timedelta(minutes=12)
    assert trainee_overview.time_taken(attempt) == timedelta(minutes=12)


def test_an_overdue_attempt_is_closed_before_the_trainer_sees_it(app, db, followed):
    course = followed["course"]
    other = make_user()
    enrolment = enrolments.enrol(other, course).enrolment  # no cohort: the course's trainers
    course_trainers.assign(course, followed["trainer"], None)
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    db.session.query(QuizAttempt).filter_by(id=attempt.id).update(
        {"deadline": utcnow() - timedelta(minutes=1)}
    )
    db.session.commit()
    html = client_for(app, followed["trainer"]).get(f"/trainer/enrolments/{enrolment.id}").text
    assert "in progress" not in html
    db.session.refresh(attempt)
    assert attempt.state == "graded"


def test_practicum_log_shows_competency_titles(app, db, followed):
    practicum.record_practicum(
        followed["enrolment"],
        followed["trainer"],
        competency_id="task-analysis",
        hours=4,
        observed_on=clock.today(),
    )
    html = (
        client_for(app, followed["trainer"])
        .get(f"/trainer/enrolments/{followed['enrolment'].id}")
        .text
    )
    assert "<td>Task analysis</td>" in html


def test_every_question_type_is_shown_with_the_trainees_answer(app, db, followed):
    from lms.web.attempt_review import review

    enrolment = followed["enrolment"]
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "en").attempt
    answers = {
        "roles-1": ["a"],
        "term-1": "supported employment",
        "quota-1": "5",
        "stages-1": ["engage", "profile"],
        "match-1": {"mobility": "vision", "vision": "mobility"},
    }
    attempt_service.submit(attempt, attempt.seq, answers)
    db.session.refresh(attempt)
    reviewed = {q.id: q for q in review(attempt, quiz)}
    assert len(reviewed) == 4  # the quiz draws 4 of its 5 questions
    expectations = {
        "roles-1": lambda q: (
            [o.chosen for o in q.options].count(True) == 1
            and [o.correct for o in q.options].count(True) == 2
            and not q.correct
        ),
        "term-1": lambda q: (
            q.typed == "supported employment"
            and q.accepted == ("supported employment",)
            and q.correct
        ),
        "quota-1": lambda q: q.typed == "5" and q.accepted == ("4",) and not q.correct,
        "stages-1": lambda q: all(line.correct for line in q.lines) and q.correct,
        "match-1": lambda q: (
            not any(line.correct for line in q.lines)
            and [line.given_html for line in q.lines]
            == [q.lines[1].expected_html, q.lines[0].expected_html]
        ),
    }
    for question_id, question in reviewed.items():
        assert expectations[question_id](question), question
    html = client_for(app, followed["trainer"]).get(f"/trainer/attempts/{attempt.id}").text
    assert html.count('<section class="preview-question"') == 4
