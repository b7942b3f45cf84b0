"""How many SQL statements the pages people wait on send: a fixed, small number.

Counts are deterministic (unlike timings, which live in bench/bench_pages.py). Each page is
requested once first, so per-process caches (parsed course versions) are warm as on a
running server, and then counted.
"""

from __future__ import annotations

from datetime import date

from lms.extensions import db
from lms.models import AttendanceSession, LessonProgress, PracticumRecord, QuizAttempt
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.learning import enrolment as enrolments
from tests.factories import (
    add_graded_attempt,
    client_for,
    issue_demo_credential,
    issue_registry_credentials,
    make_user,
    publish_demo_course,
)
from tests.query_counter import count_queries

LESSON = "/learn/demo/lessons/01-social-model"
TODAY = date(2027, 3, 1)


def _enrolled(client, login_as, tmp_path):
    publish_demo_course(tmp_path)
    user = login_as("trainee")
    assert client.post("/courses/demo/enrol").status_code == 302
    return user


def _counted(client, url, **kwargs):
    client.get(url)  # warm: caches filled as in a running worker
    with count_queries() as log:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response, log


def test_a_lesson_page_takes_at_most_four_queries(client, login_as, db, tmp_path):
    _enrolled(client, login_as, tmp_path)
    response, log = _counted(client, LESSON)
    assert log.count <= 3, log  # user, course with enrolment and progress, the lesson's rows
    assert "Хөгжлийн бэрхшээлийн нийгмийн загвар" in response.text
    # Turning to another lesson also remembers it as the place to resume: one UPDATE more.
    with count_queries() as log:
        assert client.get("/learn/demo/lessons/02-stages").status_code == 200
    assert log.count <= 4, log
    assert any(s.startswith("UPDATE enrolment") for s in log.statements), log


def test_the_lesson_outline_reads_titles_not_every_lesson_body(client, login_as, db, tmp_path):
    _enrolled(client, login_as, tmp_path)
    _response, log = _counted(client, LESSON)
    lesson_reads = [s for s in log.statements if "FROM lesson_content" in s]
    assert len(lesson_reads) == 1, log
    # The full text columns are read for the requested lesson only (CASE … THEN html).
    assert "CASE WHEN" in lesson_reads[0], lesson_reads[0]


def test_a_quiz_question_and_its_autosave_take_few_queries(client, login_as, db, tmp_path):
    _enrolled(client, login_as, tmp_path)
    assert client.post("/learn/demo/quizzes/final/start").status_code == 302
    attempt = db.session.query(QuizAttempt).one()
    url = f"/attempts/{attempt.id}/questions/1"
    _response, log = _counted(client, url)
    assert log.count <= 4, log
    seq = attempt.seq
    with count_queries() as log:
        saved = client.post(url, data={"seq": str(seq)}, headers={"Accept": "application/json"})
    assert saved.json == {"outcome": "saved", "seq": seq + 1}
    # user, attempt (with enrolment and version), the seq UPDATE, answers read, answer
    # written, the attempt read back for its new seq.
    assert log.count <= 6, log


def _dashboard_queries(app, tmp_path, courses: int) -> tuple[int, str]:
    """A trainee enrolled in `courses` courses, each through a cohort with attendance, some
    progress, a practicum record and a graded attempt; one of them with a credential."""
    trainee = make_user()
    trainer = make_user(roles=("trainer",))
    for number in range(courses):
        slug = f"demo{number}"
        course = publish_demo_course(tmp_path / slug, slug=slug)
        cohort = cohort_management.create_cohort(course, f"Ховд {number}", trainer)
        enrolment = enrolments.enrol(trainee, course, key=cohort.enrolment_key).enrolment
        db.session.add(AttendanceSession(cohort_id=cohort.id, held_on=TODAY))
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id="01-social-model"))
        db.session.add(
            PracticumRecord(
                enrolment_id=enrolment.id, hours=2.5, observed_on=TODAY, signed_by_id=trainer.id
            )
        )
        add_graded_attempt(enrolment, percent=50, passed=False)
        db.session.commit()
        if number == 0:
            credentials.issue(enrolment, trainer)
    client = client_for(app, trainee)
    response, log = _counted(client, "/my")
    assert response.text.count('class="card"') == courses
    return log.count, str(log)


def test_the_dashboard_takes_the_same_few_queries_for_one_or_six_enrolments(app, db, tmp_path):
    one, log_one = _dashboard_queries(app, tmp_path / "one", 1)
    six, log_six = _dashboard_queries(app, tmp_path / "six", 6)
    assert one <= 8, log_one
    assert six == one, log_six


def test_the_registry_list_takes_the_same_queries_for_three_or_six_credentials(app, db, tmp_path):
    reviewer = make_user(roles=("reviewer",))
    client = client_for(app, reviewer)
    issue_registry_credentials(tmp_path)  # three holders with national IDs, one revoked
    response, few = _counted(client, "/registry/")
    assert response.text.count("<tr>") == 1 + 3
    for number in range(3):
        issue_demo_credential(tmp_path, make_user(national_id=f"УБ0{number}112233"))
    response, more = _counted(client, "/registry/")
    assert response.text.count("<tr>") == 1 + 6
    assert more.count == few.count, more


def test_the_registry_list_stops_counting_past_its_cap(app, db, tmp_path, monkeypatch):
    from lms.registry import list_views

    client = client_for(app, make_user(roles=("reviewer",)))
    issue_registry_credentials(tmp_path)
    monkeypatch.setattr(list_views, "COUNT_CAP", 2)
    page = client.get("/registry/")
    assert "More than 2 credentials found." in page.text
    monkeypatch.setattr(list_views, "COUNT_CAP", 3)
    assert "3 credentials found." in client.get("/registry/").text


def test_the_registry_count_stops_past_its_cap_on_every_database(app, db, tmp_path):
    """The capped count reads at most `up_to` + 1 matches on SQLite too (a filter that matches
    most of 100,000 credentials and scans the table counts in a third of the time)."""
    from lms.domain.registry.filters import RegistryFilter
    from lms.services.registry import query as registry_query

    issue_registry_credentials(tmp_path)  # three credentials
    with app.test_request_context():
        assert registry_query.count(RegistryFilter(), up_to=1) == 2
        assert registry_query.count(RegistryFilter(), up_to=5) == 3
        assert registry_query.count(RegistryFilter()) == 3
