"""Small quizzes built in Python for the quiz engine's tests: one question of every type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lms.domain.courses.questions import (
    Localised,
    Matching,
    MatchingPair,
    MultipleChoice,
    NumericAnswer,
    Option,
    Ordering,
    OrderingItem,
    Question,
    Quiz,
    QuizSettings,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.quiz import DrawnQuestion, choice_ids


def loc(en: str, mn: str | None = None) -> Localised:
    """A text in both course languages."""
    return {"mn": mn if mn is not None else f"mn:{en}", "en": en}


def single(question_id: str = "single", correct: str = "b", points: float = 1.0) -> SingleChoice:
    return SingleChoice(
        id=question_id,
        text=loc("Pick one"),
        points=points,
        options=tuple(Option(id=o, text=loc(o), correct=o == correct) for o in "abc"),
    )


def multiple(
    question_id: str = "multiple", correct: str = "ac", points: float = 1.0
) -> MultipleChoice:
    return MultipleChoice(
        id=question_id,
        text=loc("Pick some"),
        points=points,
        options=tuple(Option(id=o, text=loc(o), correct=o in correct) for o in "abcd"),
    )


def true_false(question_id: str = "true_false", answer: bool = True) -> TrueFalse:
    return TrueFalse(id=question_id, text=loc("True?"), answer=answer)


def text(question_id: str = "text") -> TextAnswer:
    return TextAnswer(
        id=question_id,
        text=loc("Name it"),
        accept={
            "mn": ("дэмжлэгтэй хөдөлмөр эрхлэлт", "ДХЭ"),
            "en": ("supported employment",),
        },
    )


def numeric(
    question_id: str = "numeric", answer: float = 4.0, tolerance: float = 0.0
) -> NumericAnswer:
    return NumericAnswer(id=question_id, text=loc("How many?"), answer=answer, tolerance=tolerance)


def ordering(question_id: str = "ordering", ids: str = "wxyz") -> Ordering:
    return Ordering(
        id=question_id,
        text=loc("Put in order"),
        items=tuple(OrderingItem(id=i, text=loc(f"item {i}")) for i in ids),
    )


def matching(question_id: str = "matching", ids: str = "pqr") -> Matching:
    return Matching(
        id=question_id,
        text=loc("Match"),
        pairs=tuple(
            MatchingPair(id=i, left=loc(f"left {i}"), right=loc(f"right {i}")) for i in ids
        ),
    )


def every_type() -> tuple[Question, ...]:
    """One question of each type, with distinct ids."""
    return (single(), multiple(), true_false(), text(), numeric(), ordering(), matching())


def make_quiz(questions: tuple[Question, ...] | None = None, **settings: Any) -> Quiz:
    """A quiz over ``questions`` (default: one of every type); settings override defaults."""
    defaults: dict[str, Any] = {"pass_mark": 80.0, "attempts": 3}
    return Quiz(
        id="quiz",
        title=loc("Quiz"),
        settings=QuizSettings(**(defaults | settings)),
        questions=every_type() if questions is None else questions,
        source_path="quizzes/quiz.yml",
    )


def correct_answer(question: Question) -> object:
    """An answer value that is right for ``question``."""
    match question:
        case SingleChoice():
            return next(o.id for o in question.options if o.correct)
        case MultipleChoice():
            return [o.id for o in question.options if o.correct]
        case TrueFalse():
            return question.answer
        case TextAnswer():
            return next(a for answers in question.accept.values() for a in answers)
        case NumericAnswer():
            return format(Decimal(repr(question.answer)), "f")  # never "1e-05"
        case Ordering():
            return [item.id for item in question.items]
        case Matching():
            return {pair.id: pair.id for pair in question.pairs}


def drawn_as_authored(quiz: Quiz) -> tuple[DrawnQuestion, ...]:
    """Every question of ``quiz`` in pool order, choices in authored order."""
    return tuple(DrawnQuestion(q.id, choice_ids(q)) for q in quiz.questions)
