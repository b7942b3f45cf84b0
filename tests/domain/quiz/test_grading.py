"""grade_question and grade_attempt: one table per question type, then whole attempts."""

from __future__ import annotations

import pytest

from lms.domain.courses.questions import Matching, MatchingPair, Ordering, OrderingItem, Question
from lms.domain.quiz import DrawnQuestion, feedback_visible, grade_attempt, grade_question
from tests.domain.quiz.quiz_builder import (
    correct_answer,
    drawn_as_authored,
    loc,
    make_quiz,
    matching,
    multiple,
    numeric,
    ordering,
    single,
    text,
    true_false,
)

TAMPERED = [{"a": 1}, 1, 1.5, ["b"], {"b"}, b"b", object(), "x" * 100_000]


def _correct(question: Question, value: object) -> bool:
    return grade_question(question, value, "mn").correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        ("b", True),
        ("a", False),
        ("B", False),
        ("zz", False),
        ("", False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_single(value: object, correct: bool) -> None:
    assert _correct(single(), value) is correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        (["a", "c"], True),
        (["c", "a"], True),
        (["a", "c", "a"], True),  # a repeated id is the same set
        (["a"], False),  # missing one
        (["a", "b", "c"], False),  # one extra
        (["a", "c", "zz"], False),  # an unknown extra
        ([], False),
        ("ac", False),
        (["a", 3], False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_multiple_is_all_or_nothing(value: object, correct: bool) -> None:
    assert _correct(multiple(), value) is correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        (True, True),
        (False, False),
        ("true", False),
        (1, False),
        (None, False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_true_false(value: object, correct: bool) -> None:
    assert _correct(true_false(answer=True), value) is correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        ("дэмжлэгтэй хөдөлмөр эрхлэлт", True),
        ("  ДЭМЖЛЭГТЭЙ   хөдөлмөр эрхлэлт ", True),
        ("дэмжлэгтэй xөдөлмөр эрхлэлт", True),  # Latin x typed for Cyrillic х
        ("дэмжлэгтэй хөдөлмөр эрхлэлт\u200b", True),  # invisible character
        ("Supported Employment", True),  # English accepted on a Mongolian page
        ("SUPPORTED\u00a0employment", True),
        ("ДXЭ", True),  # second accepted answer, Latin X
        ("дэмжлэгтэй ходолмор эрхлэлт", False),  # о is not ө
        ("supported", False),
        ("", False),
        ("   ", False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_text(value: object, correct: bool) -> None:
    assert _correct(text(), value) is correct


@pytest.mark.parametrize(
    ("value", "answer", "tolerance", "correct"),
    [
        ("4", 4, 0, True),
        ("4.0", 4, 0, True),
        (" 4 ", 4, 0, True),
        ("4%", 4, 0, True),
        ("4 %", 4, 0, True),
        ("４", 4, 0, True),  # full-width digit
        ("4,5", 4.5, 0, True),  # decimal comma
        ("4.5", 4.5, 0, True),
        ("-2,5", -2.5, 0, True),
        ("\u22122.5", -2.5, 0, True),  # minus sign
        ("0.3", 0.1 + 0.2, 0, True),  # float error absorbed
        ("1 000", 1000, 0, True),
        ("1,000,000", 1_000_000, 0, True),
        ("4.4", 4, 0.5, True),
        ("4.5", 4, 0.5, True),  # the tolerance boundary is inside
        ("3.5", 4, 0.5, True),
        ("4.5000001", 4, 0.5, False),
        ("3.4999999", 4, 0.5, False),
        ("4.01", 4, 0, False),
        ("5", 4, 0, False),
        ("four", 4, 0, False),
        ("", 4, 0, False),
        ("4e0", 4, 0, False),  # no exponents
        ("inf", float("inf"), 0, False),
        ("nan", 4, 0, False),
        ("1.000,5", 1000.5, 0, False),  # ambiguous
        ("9" * 400, 4, 0, False),
        *[(t, 4, 0, False) for t in TAMPERED],
        (4, 4, 0, False),  # a number where the typed text is expected
    ],
)
def test_numeric(value: object, answer: float, tolerance: float, correct: bool) -> None:
    assert _correct(numeric(answer=answer, tolerance=tolerance), value) is correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        (["w", "x", "y", "z"], True),
        (["x", "w", "y", "z"], False),
        (["w", "x", "y", ""], False),  # a position left open
        (["w", "x", "y"], False),
        (["w", "x", "y", "z", "z"], False),
        (["w", "w", "w", "w"], False),
        (["w", "x", "y", 4], False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_ordering(value: object, correct: bool) -> None:
    assert _correct(ordering(), value) is correct


@pytest.mark.parametrize(
    ("value", "correct"),
    [
        ({"p": "p", "q": "q", "r": "r"}, True),
        ({"p": "p", "q": "q", "r": "r", "zz": "x"}, True),  # a stray key changes nothing
        ({"p": "q", "q": "p", "r": "r"}, False),
        ({"p": "p", "q": "q", "r": ""}, False),
        ({"p": "p", "q": "q"}, False),
        ({"p": "p", "q": "q", "r": 3}, False),
        ({"p": "p", "q": "q", "r": ["r"]}, False),
        *[(t, False) for t in TAMPERED],
    ],
)
def test_matching(value: object, correct: bool) -> None:
    assert _correct(matching(), value) is correct


def test_identical_choices_are_interchangeable() -> None:
    same = loc("same")
    order = Ordering(
        id="o",
        text=loc("Order"),
        items=(OrderingItem("a", loc("a")), OrderingItem("b", same), OrderingItem("c", same)),
    )
    match = Matching(
        id="m",
        text=loc("Match"),
        pairs=(MatchingPair("a", loc("1"), same), MatchingPair("b", loc("2"), same)),
    )
    assert _correct(order, ["a", "c", "b"])
    assert not _correct(order, ["b", "a", "c"])
    assert _correct(match, {"a": "b", "b": "a"})


def test_points_and_answered() -> None:
    question = single(points=2.5)
    assert grade_question(question, "b", "en").points == 2.5
    wrong = grade_question(question, "a", "en")
    assert (wrong.points, wrong.max_points, wrong.answered) == (0.0, 2.5, True)
    assert grade_question(question, None, "en").answered is False
    assert grade_question(question, {"tampered": True}, "en").answered is True
    assert grade_question(ordering(), ["", "", "", ""], "en").answered is False


def test_attempt_all_correct_and_none() -> None:
    quiz = make_quiz(pass_mark=100)
    drawn = drawn_as_authored(quiz)
    right = grade_attempt(quiz, drawn, {q.id: correct_answer(q) for q in quiz.questions}, "mn")
    assert (right.score, right.max_score, right.percent, right.passed) == (7.0, 7.0, 100.0, True)
    empty = grade_attempt(quiz, drawn, {}, "mn")
    assert (empty.score, empty.percent, empty.passed) == (0.0, 0.0, False)
    assert not any(r.answered for r in empty.results)


def test_attempt_counts_drawn_questions_only_and_pass_mark_is_inclusive() -> None:
    quiz = make_quiz((single("a", points=3), single("b"), single("c")), pass_mark=75)
    drawn = (DrawnQuestion("a", ("a", "b", "c")), DrawnQuestion("b", ("a", "b", "c")))
    result = grade_attempt(quiz, drawn, {"a": "b", "b": "a", "c": "b"}, "en")
    assert (result.score, result.max_score, result.percent, result.passed) == (3, 4, 75.0, True)


def test_pass_mark_survives_float_error() -> None:
    quiz = make_quiz(tuple(single(str(i), points=0.1) for i in range(10)), pass_mark=70)
    answers = {str(i): "b" if i < 7 else "a" for i in range(10)}
    assert grade_attempt(quiz, drawn_as_authored(quiz), answers, "en").passed


def test_removed_question_scores_nothing_of_nothing() -> None:
    quiz = make_quiz((single("kept"),))
    drawn = (DrawnQuestion("kept", ("a", "b", "c")), DrawnQuestion("gone", ("x",)))
    result = grade_attempt(quiz, drawn, {"kept": "b", "gone": "x"}, "en")
    assert result.results[1] == grade_attempt(quiz, drawn[1:], {}, "en").results[0]
    assert (result.results[1].max_points, result.results[1].answered) == (0.0, False)
    assert (result.percent, result.passed) == (100.0, True)


def test_nothing_drawn_is_zero_percent() -> None:
    result = grade_attempt(make_quiz(), (), {}, "en")
    assert (result.max_score, result.percent, result.passed) == (0.0, 0.0, False)


@pytest.mark.parametrize(
    ("policy", "passed", "visible"),
    [
        ("after_submit", False, True),
        ("after_submit", True, True),
        ("after_pass", False, False),
        ("after_pass", True, True),
        ("never", True, False),
        ("never", False, False),
    ],
)
def test_feedback_visible(policy: str, passed: bool, visible: bool) -> None:
    assert feedback_visible(make_quiz(feedback=policy).settings, passed) is visible
