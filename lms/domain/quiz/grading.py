"""Grading: answer values in, points out. Every question is all-or-nothing.

The grader never raises on an answer value: stored answers come from forms a trainee can tamper
with and from older releases of a quiz, so a value of the wrong shape is simply wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import assert_never

from lms.domain.courses.questions import (
    Localised,
    Matching,
    MultipleChoice,
    NumericAnswer,
    Ordering,
    Question,
    Quiz,
    QuizSettings,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.quiz.answers import MAX_TEXT_CHARS, is_answered, parse_number
from lms.domain.quiz.draw import DrawnQuestion
from lms.domain.text import normalise_answer

PASS_EPSILON = 1e-9
"""A percent this close below the pass mark passes (80.0 must not fail as 79.99999999999999)."""


@dataclass(frozen=True)
class QuestionResult:
    """Points for one question of an attempt."""

    question_id: str
    points: float
    max_points: float
    correct: bool
    answered: bool


@dataclass(frozen=True)
class AttemptResult:
    """Points for a whole attempt; ``percent`` is 0..100 and decides ``passed``."""

    results: tuple[QuestionResult, ...]
    score: float
    max_score: float
    percent: float
    passed: bool


def _strings(value: object) -> list[str] | None:
    """``value`` if it is a list of strings, else None."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _same_text(a: Localised, b: Localised) -> bool:
    """Two choices with the same text in every language look identical, so either is right."""
    return dict(a) == dict(b)


def _text_is_correct(question: TextAnswer, value: str) -> bool:
    if len(value) > MAX_TEXT_CHARS:
        return False
    typed = normalise_answer(value)
    # A trainee may answer in any of the course's languages, whichever the page is shown in.
    accepted = {normalise_answer(a) for answers in question.accept.values() for a in answers}
    return bool(typed) and typed in accepted


def _numeric_is_correct(question: NumericAnswer, value: str) -> bool:
    number = parse_number(value)
    if number is None:
        return False
    # Absorbs float error, e.g. 0.1 + 0.2 against 0.3 with tolerance 0.
    epsilon = 1e-9 * max(1.0, abs(question.answer))
    return abs(number - question.answer) <= question.tolerance + epsilon


def _ordering_is_correct(question: Ordering, value: object) -> bool:
    chosen = _strings(value)
    if chosen is None or len(chosen) != len(question.items):
        return False
    items = {item.id: item.text for item in question.items}
    return all(
        choice in items and _same_text(items[choice], item.text)
        for choice, item in zip(chosen, question.items, strict=True)
    )


def _matching_is_correct(question: Matching, value: object) -> bool:
    if not isinstance(value, dict):
        return False
    rights = {pair.id: pair.right for pair in question.pairs}
    for pair in question.pairs:
        chosen = value.get(pair.id)
        if not isinstance(chosen, str) or chosen not in rights:
            return False
        if not _same_text(rights[chosen], pair.right):
            return False
    return True


def _is_correct(question: Question, value: object) -> bool:
    match question:
        case SingleChoice():
            correct = {option.id for option in question.options if option.correct}
            return isinstance(value, str) and value in correct
        case MultipleChoice():
            chosen = _strings(value)
            correct = {option.id for option in question.options if option.correct}
            return chosen is not None and set(chosen) == correct
        case TrueFalse():
            return isinstance(value, bool) and value == question.answer
        case TextAnswer():
            return isinstance(value, str) and _text_is_correct(question, value)
        case NumericAnswer():
            return isinstance(value, str) and _numeric_is_correct(question, value)
        case Ordering():
            return _ordering_is_correct(question, value)
        case Matching():
            return _matching_is_correct(question, value)
        case _:
            assert_never(question)


def grade_question(question: Question, value: object | None, language: str) -> QuestionResult:
    """Grade one answer value (see `lms.domain.quiz.answers` for the shapes); never raises.

    Rules: ``single`` the chosen option is correct; ``multiple`` the chosen set is exactly the
    correct set; ``true_false`` the same truth value; ``text`` equals an accepted answer of any
    course language after `normalise_answer` (``language``, the language the attempt was shown
    in, is not needed: a trainee may answer in either); ``numeric`` within ``tolerance`` (plus
    float rounding) after `parse_number`; ``ordering`` every position right; ``matching``
    every pair right. Choices whose texts are identical in every language are interchangeable.
    A value of the wrong shape scores 0 and counts as answered.
    """
    correct = _is_correct(question, value)
    return QuestionResult(
        question_id=question.id,
        points=question.points if correct else 0.0,
        max_points=question.points,
        correct=correct,
        answered=is_answered(question, value),
    )


def grade_attempt(
    quiz: Quiz, drawn: Sequence[DrawnQuestion], answers: Mapping[str, object], language: str
) -> AttemptResult:
    """Grade the drawn questions of an attempt against the current ``quiz``.

    ``answers`` maps question ids to answer values (missing: unanswered). The maximum is the
    sum of the drawn questions' points, so a drawn subset of the pool can reach 100 %. A drawn
    question that is no longer in the quiz (removed by a patch release) scores 0 of 0 points
    and is reported as not answered: it neither helps nor hurts. A question drawn twice (which
    `draw_attempt` never does) counts once. ``percent`` is 0 when the maximum is 0.
    """
    results: list[QuestionResult] = []
    seen: set[str] = set()
    for entry in drawn:
        if entry.question_id in seen:
            continue
        seen.add(entry.question_id)
        question = quiz.question(entry.question_id)
        if question is None:
            results.append(QuestionResult(entry.question_id, 0.0, 0.0, False, False))
        else:
            results.append(grade_question(question, answers.get(entry.question_id), language))
    score = math.fsum(r.points for r in results)
    max_score = math.fsum(r.max_points for r in results)
    # score / max_score first: exactly 1.0 when every point was earned, so all right is 100 %.
    percent = 100.0 * min(1.0, score / max_score) if max_score > 0 else 0.0
    return AttemptResult(
        results=tuple(results),
        score=score,
        max_score=max_score,
        percent=percent,
        passed=percent >= quiz.settings.pass_mark - PASS_EPSILON,
    )


def feedback_visible(settings: QuizSettings, passed: bool) -> bool:
    """Whether a trainee may see correct answers and feedback after grading."""
    match settings.feedback:
        case "after_submit":
            return True
        case "after_pass":
            return passed
        case "never":
            return False
        case _:
            assert_never(settings.feedback)
