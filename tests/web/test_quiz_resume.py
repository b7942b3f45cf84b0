"""'Continue your attempt' opens the first question still unanswered, or the review."""

from __future__ import annotations

import pytest

from lms.domain.quiz import drawn_from_json
from lms.models import QuizAttempt
from tests.factories import publish_demo_course
from tests.web.test_quiz import _right_answers, _start


@pytest.fixture
def attempt(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path)
    login_as("trainee")
    client.post("/courses/demo/enrol")
    _start(client)
    return db.session.query(QuizAttempt).one()


def _continue_link(client):
    html = client.get("/learn/demo/quizzes/final").text
    start = html.index('class="button" href="') + len('class="button" href="')
    return html[start : html.index('"', start)]


def test_continue_opens_the_first_unanswered_question(client, db, attempt):
    assert _continue_link(client) == f"/attempts/{attempt.id}/questions/1"
    answers = _right_answers(attempt)
    total = len(drawn_from_json(attempt.drawn))
    assert total >= 3
    for number in (1, 2):  # answer the first two, then leave the quiz
        db.session.refresh(attempt)
        client.post(
            f"/attempts/{attempt.id}/questions/{number}",
            data={**answers[number], "seq": str(attempt.seq)},
        )
    assert _continue_link(client) == f"/attempts/{attempt.id}/questions/3"
    html = client.get("/learn/demo/quizzes/final").text
    assert f'href="/attempts/{attempt.id}/review"' in html  # the review stays one click away


def test_continue_opens_the_review_when_every_question_is_answered(client, db, attempt):
    answers = _right_answers(attempt)
    for number in sorted(answers):
        db.session.refresh(attempt)
        client.post(
            f"/attempts/{attempt.id}/questions/{number}",
            data={**answers[number], "seq": str(attempt.seq)},
        )
    assert _continue_link(client) == f"/attempts/{attempt.id}/review"
