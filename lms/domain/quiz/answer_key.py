"""The answer key of a quiz as answer values: what a trainee who knows every answer submits.

Used where the application itself answers a quiz (the demo coaches take their quizzes through
the attempts service with these values); the grader (`grading.grade_question`) marks each one
correct, which `tests/domain/quiz/test_answer_key.py` checks for every question type.
"""

from __future__ import annotations

from decimal import Decimal

from lms.domain.courses.questions import (
    Matching,
    MultipleChoice,
    NumericAnswer,
    Ordering,
    Question,
    Quiz,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.quiz.answers import AnswerValue


def correct_answer(question: Question) -> AnswerValue:
    """An answer value (shapes as in `lms.domain.quiz.answers`) that is right for `question`."""
    match question:
        case SingleChoice():
            return next(option.id for option in question.options if option.correct)
        case MultipleChoice():
            return [option.id for option in question.options if option.correct]
        case TrueFalse():
            return question.answer
        case TextAnswer():
            return next(answer for answers in question.accept.values() for answer in answers)
        case NumericAnswer():
            return format(Decimal(repr(question.answer)), "f")  # never "1e-05"
        case Ordering():
            return [item.id for item in question.items]  # the authored order is the answer
        case Matching():
            return {pair.id: pair.id for pair in question.pairs}  # each left with its own right


def answer_key(quiz: Quiz) -> dict[str, AnswerValue]:
    """Every question of `quiz` with a right answer (an attempt keeps the drawn ones)."""
    return {question.id: correct_answer(question) for question in quiz.questions}
