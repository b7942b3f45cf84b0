"""A drawn attempt's questions for the trainee's form, and form data back to answers.

Choices are shown in the attempt's drawn order. Field names and values carry opaque tokens
(`lms.domain.quiz.tokens`), never authored ids: the page source tells nothing about the
content or the answer. The tokens come from a secret made of the application's secret key and
the attempt's stored id and seed, so they stay the same for the whole attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from lms.domain.courses import Matching, MultipleChoice, Ordering, Question, SingleChoice
from lms.domain.quiz import DrawnQuestion, SharedPosition, presented_ids
from lms.domain.quiz.tokens import (
    FALSE,
    TRUE,
    AnswerTokens,
    answer_tokens,
    posted_values,
    read_form_answer,
    read_form_duplicates,
)
from lms.domain.quiz.tokens import token_values as _token_values
from lms.models import QuizAttempt
from lms.web.question_display import QuestionDisplay, QuizTexts


def attempt_secret(attempt: QuizAttempt) -> bytes:
    """The per-attempt secret the answer tokens are derived from (never sent to the browser)."""
    key = current_app.secret_key
    key_bytes = key if isinstance(key, bytes) else str(key).encode()
    message = f"quiz-answer-tokens\x00{attempt.id}\x00{attempt.seed}".encode()
    return hmac.new(key_bytes, message, hashlib.sha256).digest()


def tokens_for(attempt: QuizAttempt, question: Question, drawn: DrawnQuestion) -> AnswerTokens:
    """The tokens one question of ``attempt`` uses in its form."""
    return answer_tokens(attempt_secret(attempt), question, drawn)


def display_drawn(
    question: Question, drawn: DrawnQuestion, texts: QuizTexts, tokens: AnswerTokens
) -> QuestionDisplay:
    html = texts.html(question.text)
    token = tokens.choices
    shown = presented_ids(question, drawn)  # the drawn order; what `read_answer` accepts
    if isinstance(question, SingleChoice | MultipleChoice):
        options = {o.id: o.text for o in question.options}
        choices = tuple(texts.choice(token[i], options[i]) for i in shown)
        return QuestionDisplay(question.id, question.type, html, choices)
    if isinstance(question, Ordering):
        items = {i.id: i.text for i in question.items}
        choices = tuple(texts.choice(token[i], items[i]) for i in shown)
        return QuestionDisplay(question.id, question.type, html, choices)
    if isinstance(question, Matching):
        rights = {p.id: p.right for p in question.pairs}
        prompts = tuple(texts.choice(tokens.prompts[p.id], p.left) for p in question.pairs)
        right = tuple(texts.choice(token[pid], rights[pid]) for pid in shown)
        return QuestionDisplay(question.id, question.type, html, right, prompts)
    if TRUE in token:
        return QuestionDisplay(question.id, question.type, html, truth=(token[TRUE], token[FALSE]))
    return QuestionDisplay(question.id, question.type, html)


def read_answer(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
) -> Any:
    """The answer in the submitted form (None when unanswered); unknown tokens are dropped."""
    return read_form_answer(question, drawn, form, prefix, tokens)


def form_values(question: Question, value: Any, tokens: AnswerTokens) -> dict[str, Any]:
    """A saved answer as the values the form controls should show (checked, selected, typed)."""
    return _token_values(question, value, tokens)


@dataclass(frozen=True)
class AnswerProblem:
    """Why an answer was refused, in words, and the ids of the controls it concerns."""

    message: str
    fields: tuple[str, ...]


def duplicate_problems(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
    texts: QuizTexts,
) -> list[AnswerProblem]:
    """An ordering answer's repeated positions (or items), naming the items in ``texts``'s
    language; empty when the answer can be saved."""
    if not isinstance(question, Ordering):
        return []
    duplicates = read_form_duplicates(question, drawn, form, prefix, tokens)
    names = {i.id: _("“%(text)s”", text=texts.choice("", i.text).text) for i in question.items}
    problems = []
    for duplicate in duplicates:
        if isinstance(duplicate, SharedPosition):
            message = _(
                "Position %(num)d is given to more than one item: %(items)s."
                " Give each item its own position.",
                num=duplicate.position,
                items=", ".join(names[i] for i in duplicate.items),
            )
            items = duplicate.items
        else:
            message = _(
                "%(item)s is put in more than one position: %(positions)s."
                " Put each item in one position only.",
                item=names[duplicate.item],
                positions=", ".join(str(p) for p in duplicate.positions),
            )
            items = (duplicate.item,)
        problems.append(
            AnswerProblem(message, tuple(f"{prefix}-{tokens.choices[i]}" for i in items))
        )
    return problems


def refused_values(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
) -> dict[str, Any]:
    """A refused answer as the form controls should show it again (duplicates included)."""
    return posted_values(question, drawn, form, prefix, tokens)
