"""Questions prepared for display: every text rendered once, choices in the order shown.

`QuestionDisplay` is what ``quiz/_question.html`` needs to draw a question's answer controls;
`AnswerKeyDisplay` is the author-only key the preview shows below it. All HTML here comes from
`render_quiz_text`, the course renderer; the ``text`` of a `Choice` is the same text without
tags, for ``<option>`` elements (which cannot hold markup).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from lms.domain.courses import (
    Matching,
    MultipleChoice,
    NumericAnswer,
    Ordering,
    Question,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.courses.questions import Localised, QuestionType
from lms.services.courses.urls import PublishedUrls

if TYPE_CHECKING:
    from lms.domain.courses.rendering import CourseUrls


@dataclass(frozen=True)
class Choice:
    """An option, ordering item or matching text: sanitised HTML and the same as plain text."""

    id: str
    html: str
    text: str


@dataclass(frozen=True)
class QuestionDisplay:
    """One question's text and answer choices, in the order a trainee sees them.

    ``choices``: options (single, multiple), the items to place (ordering) or the right-hand
    texts (matching); ``prompts``: the left-hand texts of a matching question; ``truth``: the
    values of the "true" and "false" answers. Choice, prompt and truth ids end up in field
    names and values, so a trainee's form gets opaque tokens (`lms.quiz.display`); only the
    author preview, which shows the answer key anyway, uses authored ids.
    """

    id: str
    type: QuestionType
    html: str
    choices: tuple[Choice, ...] = ()
    prompts: tuple[Choice, ...] = ()
    truth: tuple[str, str] = ("true", "false")


@dataclass(frozen=True)
class KeyedOption:
    """An option with whether it is correct and its feedback (HTML or None)."""

    html: str
    correct: bool
    feedback: str | None


@dataclass(frozen=True)
class AnswerKeyDisplay:
    """What counts as correct, and the feedback texts, for authors."""

    points: str
    feedback: str | None = None
    options: tuple[KeyedOption, ...] = ()
    truth: bool | None = None
    accepted: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (language, answers)
    number: str | None = None
    tolerance: str | None = None
    order: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()


# Published quiz texts never change: each is rendered (Markdown, then bleach) once per worker,
# not on every question page, where rendering was a third of the CPU (issue 18).
_PUBLISHED_HTML: dict[tuple[str, str, str, str], str] = {}
_PUBLISHED_HTML_LIMIT = 4096


def render_quiz_text(text: str, quiz_id: str, urls: CourseUrls) -> str:
    """`lms.domain.courses.rendering.render_quiz_text`, loaded with the first quiz text:
    Markdown, bleach and their parsers are no part of starting a worker (issue 18)."""
    from lms.domain.courses.rendering import render_quiz_text as render

    return render(text, quiz_id, urls)


class QuizTexts:
    """Renders one quiz's texts in one language."""

    def __init__(self, quiz_id: str, language: str, urls: CourseUrls) -> None:
        self.quiz_id = quiz_id
        self.language = language
        self.urls = urls

    def html(self, text: Localised) -> str:
        source = text.get(self.language, "")
        if not isinstance(self.urls, PublishedUrls):  # the author's preview: always fresh
            return render_quiz_text(source, self.quiz_id, self.urls)
        key = (self.urls.slug, self.urls.key, self.quiz_id, source)
        html = _PUBLISHED_HTML.get(key)
        if html is None:
            html = render_quiz_text(source, self.quiz_id, self.urls)
            if len(_PUBLISHED_HTML) >= _PUBLISHED_HTML_LIMIT:
                _PUBLISHED_HTML.clear()
            _PUBLISHED_HTML[key] = html
        return html

    def optional(self, text: Localised | None) -> str | None:
        return self.html(text) if text else None

    def choice(self, choice_id: str, text: Localised) -> Choice:
        html = self.html(text)
        return Choice(choice_id, html, Markup(html).striptags())  # noqa: S704 - renderer output


def display_question(question: Question, texts: QuizTexts) -> QuestionDisplay:
    """The question as a trainee's form shows it (ordering and matching choices shuffled)."""
    html = texts.html(question.text)
    if isinstance(question, SingleChoice | MultipleChoice):
        options = tuple(texts.choice(o.id, o.text) for o in question.options)
        return QuestionDisplay(question.id, question.type, html, options)
    if isinstance(question, Ordering):
        items = [texts.choice(item.id, item.text) for item in question.items]
        return QuestionDisplay(question.id, question.type, html, _shuffled(items, question.id))
    if isinstance(question, Matching):
        prompts = tuple(texts.choice(pair.id, pair.left) for pair in question.pairs)
        right = [texts.choice(pair.id, pair.right) for pair in question.pairs]
        # The right-hand ids are positions: a pair id there would give the answer away.
        shuffled = _shuffled(right, question.id)
        right_ids = tuple(
            Choice(f"m{index}", c.html, c.text) for index, c in enumerate(shuffled, 1)
        )
        return QuestionDisplay(question.id, question.type, html, right_ids, prompts)
    return QuestionDisplay(question.id, question.type, html)


def answer_key(question: Question, texts: QuizTexts) -> AnswerKeyDisplay:
    """The correct answer and every feedback text of ``question``."""
    key = AnswerKeyDisplay(_number(question.points), texts.optional(question.feedback))
    if isinstance(question, SingleChoice | MultipleChoice):
        options = tuple(
            KeyedOption(texts.html(o.text), o.correct, texts.optional(o.feedback))
            for o in question.options
        )
        return replace(key, options=options)
    if isinstance(question, TrueFalse):
        return replace(key, truth=question.answer)
    if isinstance(question, TextAnswer):
        accepted = tuple((lang, tuple(answers)) for lang, answers in question.accept.items())
        return replace(key, accepted=accepted)
    if isinstance(question, NumericAnswer):
        return replace(key, number=_number(question.answer), tolerance=_number(question.tolerance))
    if isinstance(question, Ordering):
        return replace(key, order=tuple(texts.html(item.text) for item in question.items))
    pairs = tuple((texts.html(p.left), texts.html(p.right)) for p in question.pairs)
    return replace(key, pairs=pairs)


def _shuffled(choices: Sequence[Choice], seed: str) -> tuple[Choice, ...]:
    """A fixed shuffle per question, so the preview does not change on every reload."""
    shuffled = list(choices)
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - display order, not security
    if len(shuffled) > 1 and shuffled == list(choices):  # never show the answer as given
        shuffled.append(shuffled.pop(0))
    return tuple(shuffled)


def _number(value: float) -> str:
    return f"{value:g}"
