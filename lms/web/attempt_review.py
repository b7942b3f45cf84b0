"""One attempt laid out question by question: the trainee's answer and the right answer.

Used by the trainer's view of an attempt and by the trainee's result page, which shows the
right answers only where the quiz's feedback setting allows (`without_key`).

Texts are rendered by the course renderer through `QuizTexts` (the only trusted HTML); the
trainee's own typed answers stay plain text and are escaped by the template. Stored answers
of an unexpected shape (a tampered or corrupted store) show as unanswered rather than fail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lms.domain.courses import (
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
from lms.domain.quiz import drawn_from_json, is_answered
from lms.models import QuizAttempt
from lms.services.courses.urls import PublishedUrls
from lms.services.learning import attempts as attempt_service
from lms.web.question_display import QuizTexts


@dataclass(frozen=True)
class ReviewedOption:
    html: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ReviewedLine:
    """An ordering position or a matching pair: what was given and what was expected."""

    label_html: str  # the matching prompt; empty for ordering (the template numbers positions)
    given_html: str  # empty: left open
    expected_html: str
    correct: bool


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    id: str
    type: str
    html: str
    answered: bool
    correct: bool | None  # None until graded
    points: float | None
    max_points: float | None
    options: tuple[ReviewedOption, ...] = ()
    lines: tuple[ReviewedLine, ...] = ()
    typed: str | None = None
    accepted: tuple[str, ...] = ()  # text: accepted answers; numeric: the number (± tolerance)
    truth_given: bool | None = None
    truth_key: bool | None = None


def review(attempt: QuizAttempt, quiz: Quiz, language: str | None = None) -> list[ReviewedQuestion]:
    """Every drawn question of `attempt`, in the order the trainee saw them, with the texts in
    `language` (default: the language the attempt was started in)."""
    version = attempt.course_version
    language = language or attempt.language
    texts = QuizTexts(
        attempt.quiz_id, language, PublishedUrls(version.course.slug, version.content_hash)
    )
    saved = attempt_service.saved_answers(attempt)
    results = {row["question"]: row for row in attempt.results or []}
    reviewed = []
    for number, drawn in enumerate(drawn_from_json(attempt.drawn), 1):
        question = quiz.question(drawn.question_id)
        if question is None:
            continue
        value = saved.get(question.id)
        result = results.get(question.id)
        base = ReviewedQuestion(
            number=number,
            id=question.id,
            type=question.type,
            html=texts.html(question.text),
            answered=bool(result["answered"]) if result else is_answered(question, value),
            correct=bool(result["correct"]) if result else None,
            points=result["points"] if result else None,
            max_points=result["max_points"] if result else question.points,
        )
        reviewed.append(_details(base, question, drawn.order, value, texts, language))
    return reviewed


def _details(
    base: ReviewedQuestion,
    question: Question,
    order: tuple[str, ...],
    value: Any,
    texts: QuizTexts,
    language: str,
) -> ReviewedQuestion:
    if isinstance(question, SingleChoice | MultipleChoice):
        chosen = set(value) if isinstance(value, list) else {value}
        options = {o.id: o for o in question.options}
        shown = [options[i] for i in order if i in options] or list(question.options)
        return replace(
            base,
            options=tuple(
                ReviewedOption(texts.html(o.text), o.id in chosen, o.correct) for o in shown
            ),
        )
    if isinstance(question, TrueFalse):
        truth = value if isinstance(value, bool) else None
        return replace(base, truth_given=truth, truth_key=question.answer)
    if isinstance(question, TextAnswer):
        accepted = question.accept.get(language) or next(iter(question.accept.values()), ())
        return replace(base, typed=_typed(value), accepted=tuple(accepted))
    if isinstance(question, NumericAnswer):
        number = f"{question.answer:g}"
        if question.tolerance:
            number += f" ± {question.tolerance:g}"
        return replace(base, typed=_typed(value), accepted=(number,))
    if isinstance(question, Ordering):
        items = {item.id: texts.html(item.text) for item in question.items}
        positions = value if isinstance(value, list) else []
        lines = []
        for index, item in enumerate(question.items):
            placed = positions[index] if index < len(positions) else ""
            placed = placed if isinstance(placed, str) else ""
            lines.append(ReviewedLine("", items.get(placed, ""), items[item.id], placed == item.id))
        return replace(base, lines=tuple(lines))
    if isinstance(question, Matching):
        rights = {pair.id: texts.html(pair.right) for pair in question.pairs}
        pairs = value if isinstance(value, dict) else {}
        lines = [
            ReviewedLine(
                texts.html(pair.left),
                rights.get(str(pairs.get(pair.id, "")), ""),
                rights[pair.id],
                pairs.get(pair.id) == pair.id,
            )
            for pair in question.pairs
        ]
        return replace(base, lines=tuple(lines))
    return base


def _typed(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    return None


def without_key(questions: list[ReviewedQuestion]) -> list[ReviewedQuestion]:
    """The same questions with the trainee's answers only: no right answer, no verdict.

    For a result page whose quiz does not show feedback (yet): the key stays on the server."""
    return [
        replace(
            q,
            correct=None,
            points=None,
            options=tuple(replace(o, correct=False) for o in q.options),
            lines=tuple(replace(line, expected_html="", correct=False) for line in q.lines),
            accepted=(),
            truth_key=None,
        )
        for q in questions
    ]
