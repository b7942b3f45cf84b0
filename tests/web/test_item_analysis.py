"""Item analysis pages: which quiz questions need fixing, for trainers, without names."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from lms.services.learning import item_analysis as analysis_service
from tests.factories import make_user, publish_demo_course, take_quiz

CHECK_1 = "/trainer/courses/demo/versions/1.0.0/quizzes/check-1/analysis"


@pytest.fixture
def course(db, tmp_path):
    return publish_demo_course(tmp_path)


def _class(course, right_on_model_2=1, size=12):
    """`size` trainees: all right on model-1; only `right_on_model_2` right on model-2."""
    names = []
    for number in range(size):
        user = make_user(name=f"Нэр Нууц {number}")
        names.append(user.name)
        take_quiz(course, {"model-1": "a", "model-2": number < right_on_model_2}, user=user)
    return names


def test_trainer_sees_broken_questions_first_in_words(client, login_as, course):
    names = _class(course)
    login_as("trainer")
    page = client.get(CHECK_1)
    assert page.status_code == 200
    text = page.text
    # model-2 (question 2) is too hard and comes before model-1 (too easy, informational).
    assert text.index("#question-2") < text.index("#question-1")
    client.post("/language", data={"lang": "en"})
    text = client.get(CHECK_1).text
    assert "12 attempts counted." in text
    assert "Almost nobody answers correctly: check the answer key and the wording." in text
    assert "Almost everybody answers correctly (for information)." in text
    assert "1 question needs review." in text
    summary = text[text.index("<caption>") : text.index("</table>")]
    assert "<li>Too hard</li>" in summary
    assert "<li>Very easy (for information)</li>" in summary
    # Question texts come through the course renderer, in the page's language.
    assert "A job coach helps find work." in text
    # The choice table says in words which answer is right, and counts every choice.
    question_2 = text[text.index('id="question-2"') :]
    true_row = question_2[question_2.index('<th scope="row">True</th>') :][:300]
    assert "<td>1 (8%)</td>" in true_row
    assert "Correct answer" in true_row
    false_row = question_2[question_2.index('<th scope="row">False</th>') :][:300]
    assert "<td>11 (92%)</td>" in false_row
    assert "Correct answer" not in false_row
    assert not any(name in text for name in names)


def test_question_text_goes_through_the_sanitising_renderer(client, login_as, db, tmp_path):
    course = publish_demo_course(
        tmp_path,
        replace={
            "quizzes/check-1.yml": (
                "en: A job coach helps find work.",
                'en: "A **job coach** helps <script>alert(1)</script> find work."',
            )
        },
    )
    take_quiz(course, {"model-1": "a", "model-2": True})
    login_as("trainer")
    client.post("/language", data={"lang": "en"})
    text = client.get(CHECK_1).text
    assert "<strong>job coach</strong>" in text
    assert "<script>alert(1)</script>" not in text


def test_first_attempts_count_by_default(client, login_as, course):
    trainee = make_user()
    take_quiz(course, {"model-1": "b", "model-2": False}, user=trainee)
    take_quiz(course, {"model-1": "a", "model-2": True}, user=trainee)
    report = analysis_service.analyse(course.versions[0], "check-1", "first")
    assert report.statistics.attempts == 1
    assert report.statistics.items[0].difficulty == 0.0
    assert analysis_service.analyse(course.versions[0], "check-1", "last").statistics.items[
        0
    ].difficulty == (1.0)
    assert analysis_service.analyse(course.versions[0], "check-1", "all").statistics.attempts == 2
    login_as("trainer")
    client.post("/language", data={"lang": "en"})
    assert "1 attempt counted." in client.get(CHECK_1).text
    assert "2 attempts counted." in client.get(CHECK_1 + "?attempts=all").text
    assert "1 attempt counted." in client.get(CHECK_1 + "?attempts=bogus").text


def test_few_responses_give_a_notice_not_flags(client, login_as, course):
    _class(course, right_on_model_2=0, size=3)
    login_as("trainer")
    client.post("/language", data={"lang": "en"})
    text = client.get(CHECK_1).text
    assert "Too few responses to judge (fewer than 10)." in text
    assert "Almost nobody answers correctly" not in text


def test_a_quiz_nobody_took_says_so(client, login_as, course):
    login_as("admin")
    client.post("/language", data={"lang": "en"})
    text = client.get(CHECK_1).text
    assert "No graded attempt yet" in text


@pytest.mark.parametrize(
    "url",
    [
        "/trainer/courses/demo/versions/9.9.9/quizzes/check-1/analysis",
        "/trainer/courses/nope/versions/1.0.0/quizzes/check-1/analysis",
        "/trainer/courses/demo/versions/1.0.0/quizzes/nope/analysis",
    ],
)
def test_unknown_course_version_or_quiz_is_404(client, login_as, course, url):
    login_as("trainer")
    assert client.get(url).status_code == 404


def test_index_and_home_link_to_the_analyses(client, login_as, course):
    login_as("trainer")
    client.post("/language", data={"lang": "en"})
    index = client.get("/trainer/analysis").text
    assert CHECK_1 in index
    assert "/trainer/courses/demo/versions/1.0.0/quizzes/final/analysis" in index
    assert "0 trainees with a graded attempt" in index
    home = client.get("/trainer/").text
    assert "/trainer/analysis" in home
    assert CHECK_1 not in home  # nobody has taken it yet
    take_quiz(course, {"model-1": "a", "model-2": True})
    assert CHECK_1 in client.get("/trainer/").text
    assert "1 trainee with a graded attempt" in client.get("/trainer/analysis").text


def test_trainees_are_refused(client, login_as, course):
    login_as("trainee")
    assert client.get(CHECK_1).status_code == 403
    assert client.get("/trainer/analysis").status_code == 403


def _queries(db, work):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_queries_do_not_grow_with_the_attempts(db, course):
    version = course.versions[0]
    _class(course, size=2)
    db.session.refresh(version)  # commits expired it; parsed courses are cached after one use
    analysis_service.analyse(version, "check-1", "first")
    few = _queries(db, lambda: analysis_service.analyse(version, "check-1", "first"))
    _class(course, size=10)
    db.session.refresh(version)
    many = _queries(db, lambda: analysis_service.analyse(version, "check-1", "first"))
    assert analysis_service.analyse(version, "check-1", "first").statistics.attempts == 12
    assert few == many == 2  # the attempts with their results, then their answers
