"""The result page: a clear pass/fail status, the score and pass mark, and per question the
trainee's own answer, with the right one only where the quiz's feedback setting allows."""

from __future__ import annotations

from tests.factories import client_for, make_user, publish_demo_course, take_quiz


def test_result_shows_status_score_and_the_trainees_answer_and_the_key(app, db, tmp_path):
    course = publish_demo_course(tmp_path)
    trainee = make_user()
    attempt = take_quiz(course, {"model-1": "b", "model-2": False}, user=trainee)
    html = client_for(app, trainee).get(f"/attempts/{attempt.id}").text
    assert '<span class="tag tag-bad">Not passed</span>' in html
    assert "Pass mark" in html
    assert "50%" in html
    assert "0 of 2 points (0%)" in html
    # Question 1: the option chosen and the right one; question 2: both truth values. The
    # attempt was taken in Mongolian; the page is in English, so are the questions.
    chosen = html.index("Disability is in the person")
    assert html.index("(your answer)") > chosen
    assert "(correct answer)" in html
    assert "Barriers are in society" in html
    assert "Your answer: <strong>False</strong>. Correct answer: <strong>True</strong>" in html


def test_result_hides_the_key_while_the_quiz_shows_feedback_only_after_passing(app, db, tmp_path):
    course = publish_demo_course(tmp_path)
    trainee = make_user()
    attempt = take_quiz(course, {}, quiz_id="final", user=trainee)
    html = client_for(app, trainee).get(f"/attempts/{attempt.id}").text
    assert "Not passed" in html
    assert "Your answers" in html
    assert "The right answers and feedback are shown once you pass." in html
    assert "(correct answer)" not in html
    assert "Correct answer:" not in html
    assert "Accepted answers:" not in html
