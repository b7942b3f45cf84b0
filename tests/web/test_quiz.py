"""The quiz engine on the web: saved as you go, stale posts harmless, graded exactly once."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from lms.domain.quiz import drawn_from_json
from lms.models import AttemptAnswer, AuditEvent, Enrolment, QuizAttempt
from lms.models.types import utcnow
from lms.quiz.display import tokens_for
from lms.services.cohorts import accommodations
from lms.services.learning import attempts as attempt_service
from tests.factories import make_user, publish_demo_course


@pytest.fixture
def enrolled(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    user = login_as("trainee")
    client.post("/courses/demo/enrol")
    return user


def _start(client, quiz="final"):
    response = client.post(f"/learn/demo/quizzes/{quiz}/start")
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def _attempt(db):
    return db.session.query(QuizAttempt).order_by(QuizAttempt.id.desc()).first()


def _right_answers(attempt):
    """Form data answering every drawn question correctly, page by page (with its tokens)."""
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id)
    pages = {}
    for number, drawn in enumerate(drawn_from_json(attempt.drawn), 1):
        question = quiz.question(drawn.question_id)
        token = tokens_for(attempt, question, drawn)
        name = f"q{number}"
        match question.type:
            case "single":
                pages[number] = {
                    name: token.choices[next(o.id for o in question.options if o.correct)]
                }
            case "multiple":
                pages[number] = {name: [token.choices[o.id] for o in question.options if o.correct]}
            case "true_false":
                pages[number] = {name: token.choices["true" if question.answer else "false"]}
            case "text":
                pages[number] = {name: question.accept["mn"][0].upper()}
            case "numeric":
                pages[number] = {name: f"{question.answer:g}".replace(".", ",")}
            case "ordering":  # each item's position, by the item's token
                pages[number] = {
                    f"{name}-{token.choices[item.id]}": str(i)
                    for i, item in enumerate(question.items, 1)
                }
            case "matching":
                pages[number] = {
                    f"{name}-{token.prompts[p.id]}": token.choices[p.id] for p in question.pairs
                }
    return pages


def test_question_pages_never_contain_the_answers(client, enrolled, db):
    location = _start(client)
    attempt = _attempt(db)
    assert attempt.state == "in_progress"
    assert len(attempt.drawn) == 4  # draw: 4 from a pool of 5
    for number in range(1, 5):
        page = client.get(f"/attempts/{attempt.id}/questions/{number}")
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        secrets = (
            "Well done",
            "Сайн.",
            "Үгүй.",
            "дэмжлэгтэй хөдөлмөр эрхлэлт<",
            "supported employment",
        )
        for secret in secrets:
            assert secret not in page.text
    assert location.endswith(f"/attempts/{attempt.id}/questions/1")


def test_answers_are_saved_as_you_go_and_survive_a_new_device(app, client, enrolled, db):
    _start(client)
    attempt = _attempt(db)
    answers = _right_answers(attempt)
    for number, data in answers.items():
        response = client.post(
            f"/attempts/{attempt.id}/questions/{number}",
            data={**data, "seq": str(attempt.seq), "go": "next"},
        )
        assert response.status_code == 302
        db.session.refresh(attempt)
    assert db.session.query(AttemptAnswer).filter_by(attempt_id=attempt.id).count() == 4
    # Another device (a new session for the same user) resumes with the answers in place.
    phone = app.test_client()
    with phone.session_transaction() as session:
        session["_user_id"] = enrolled.get_id()
    resumed = phone.post("/learn/demo/quizzes/final/start")
    assert resumed.headers["Location"].endswith(f"/attempts/{attempt.id}/questions/1")
    first = phone.get(f"/attempts/{attempt.id}/questions/1").text
    assert "checked" in first or "selected" in first or 'value="' in first


def test_a_stale_or_repeated_post_changes_nothing(client, enrolled, db):
    _start(client)
    attempt = _attempt(db)
    answers = _right_answers(attempt)
    seq = attempt.seq
    client.post(f"/attempts/{attempt.id}/questions/1", data={**answers[1], "seq": str(seq)})
    db.session.refresh(attempt)
    assert attempt.seq == seq + 1
    saved = attempt_service.saved_answers(attempt)
    # The same form posted again (double click, replay) with the old token: ignored.
    stale = client.post(
        f"/attempts/{attempt.id}/questions/1",
        data={"q1": "tampered", "seq": str(seq)},
        follow_redirects=True,
    )
    assert "out of date" in stale.text or "хуучирсан" in stale.text
    db.session.refresh(attempt)
    assert attempt.seq == seq + 1
    assert attempt_service.saved_answers(attempt) == saved


def test_submit_grades_once_and_shows_feedback(client, enrolled, db):
    _start(client)
    attempt = _attempt(db)
    answers = _right_answers(attempt)
    for number, data in answers.items():
        client.post(
            f"/attempts/{attempt.id}/questions/{number}", data={**data, "seq": str(attempt.seq)}
        )
        db.session.refresh(attempt)
    review = client.get(f"/attempts/{attempt.id}/review")
    assert review.status_code == 200
    for _ in range(3):  # a triple click
        client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
    db.session.refresh(attempt)
    assert attempt.state == "graded"
    assert attempt.passed is True
    assert attempt.percent == pytest.approx(100)
    assert db.session.query(AuditEvent).filter_by(action="attempt.grade").count() == 1
    result = client.get(f"/attempts/{attempt.id}")
    assert "100%" in result.text
    assert f'href="/attempts/{attempt.id}"' in client.get("/my").text  # on the dashboard
    # Saving after submission changes nothing.
    client.post(f"/attempts/{attempt.id}/questions/1", data={"q1": "x", "seq": str(attempt.seq)})
    assert db.session.query(AuditEvent).filter_by(action="attempt.grade").count() == 1


def test_attempt_limit_and_cooldown_are_enforced_on_the_server(client, enrolled, db):
    for expected_number in (1,):
        _start(client)
        attempt = _attempt(db)
        client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
        assert attempt.number == expected_number
    db.session.refresh(attempt)
    assert attempt.state == "graded"
    assert attempt.passed is False
    # cooldown_minutes: 60 in the demo final quiz
    refused = client.post("/learn/demo/quizzes/final/start")
    assert refused.headers["Location"].endswith("/learn/demo/quizzes/final")
    assert db.session.query(QuizAttempt).count() == 1


def test_time_limit_is_enforced_and_accommodations_extend_it(client, enrolled, login_as, db):
    trainer = make_user(roles=("trainer",))
    accommodations.set_accommodation(enrolled, 1.5, False, trainer)
    _start(client)
    attempt = _attempt(db)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=45)  # 30 × 1.5
    answers = _right_answers(attempt)
    client.post(f"/attempts/{attempt.id}/questions/1", data={**answers[1], "seq": str(attempt.seq)})
    # The clock runs out: the server closes the attempt and grades what was saved.
    db.session.query(QuizAttempt).filter_by(id=attempt.id).update(
        {"deadline": utcnow() - timedelta(minutes=1)}
    )
    db.session.commit()
    late = client.post(
        f"/attempts/{attempt.id}/questions/2", data={**answers[2], "seq": str(attempt.seq + 1)}
    )
    assert late.headers["Location"].endswith(f"/attempts/{attempt.id}")
    db.session.refresh(attempt)
    assert attempt.state == "graded"
    assert [r["answered"] for r in attempt.results].count(True) == 1


def test_another_trainee_cannot_see_or_change_an_attempt(app, client, enrolled, db):
    _start(client)
    attempt = _attempt(db)
    other = make_user()
    intruder = app.test_client()
    with intruder.session_transaction() as session:
        session["_user_id"] = other.get_id()
    for path in (
        f"/attempts/{attempt.id}",
        f"/attempts/{attempt.id}/questions/1",
        f"/attempts/{attempt.id}/review",
    ):
        assert intruder.get(path).status_code == 404
    assert intruder.post(f"/attempts/{attempt.id}/submit", data={"seq": "0"}).status_code == 404
    assert (
        intruder.post(f"/attempts/{attempt.id}/questions/1", data={"seq": "0"}).status_code == 404
    )
    db.session.refresh(attempt)
    assert attempt.state == "in_progress"


def test_twenty_simultaneous_submits_grade_exactly_once(make_app, tmp_path):
    from lms.extensions import db

    app = make_app(SERVER_NAME=None)
    with app.app_context():
        publish_demo_course(tmp_path)
        user = make_user()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        client.post("/courses/demo/enrol")
        client.post("/learn/demo/quizzes/final/start")
        attempt = db.session.query(QuizAttempt).one()
        cookie = client.get_cookie("session").value
        attempt_id, seq = attempt.id, attempt.seq
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/attempts/{attempt_id}/submit"
    barrier = threading.Barrier(20)

    def submit(_: int) -> int:
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode({"seq": seq}).encode(),
            headers={"Cookie": f"session={cookie}"},
            method="POST",
        )
        barrier.wait()
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(submit, range(20)))
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert statuses == [302] * 20
    with app.app_context():
        graded = db.session.query(AuditEvent).filter_by(action="attempt.grade").all()
        assert len(graded) == 1
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.state == "graded"
        assert db.session.query(Enrolment).count() == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_regrade_after_a_patch_release_fixes_the_answer_key(app, client, enrolled, db, tmp_path):
    # The trainee answers "false" to check-1's true/false question; the key said true.
    _start(client, "check-1")
    attempt = _attempt(db)
    drawn = drawn_from_json(attempt.drawn)
    number = next(n for n, d in enumerate(drawn, 1) if d.question_id == "model-2")
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id)
    tokens = tokens_for(attempt, quiz.question("model-2"), drawn[number - 1])
    client.post(
        f"/attempts/{attempt.id}/questions/{number}",
        data={f"q{number}": tokens.choices["false"], "seq": "0"},
    )
    db.session.refresh(attempt)
    client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
    db.session.refresh(attempt)
    before = attempt.score
    publish_demo_course(
        tmp_path,
        version="1.0.1",
        replace={"quizzes/check-1.yml": ("    answer: true\n", "    answer: false\n")},
    )
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["quizzes", "regrade", "demo", "check-1"], input="n\n")
    assert shown.exit_code == 0, shown.output
    assert "1 would change" in shown.output
    db.session.refresh(attempt)
    assert attempt.score == before
    applied = runner.invoke(args=["quizzes", "regrade", "demo", "check-1", "--yes"])
    assert "Applied 1 change" in applied.output
    db.session.refresh(attempt)
    assert attempt.score == before + 1
    assert attempt.course_version.version == "1.0.1"
    event = db.session.query(AuditEvent).filter_by(action="attempt.regrade").one()
    assert event.details["from_version"] == "1.0.0"
