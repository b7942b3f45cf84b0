"""Opaque answer tokens: the names and values a trainee's quiz form uses instead of authored ids.

Authored ids carry words (an option ``respect``, a matching pair ``attitude``), and a matching
prompt named after its pair id would even say which choice belongs to it. So the form never
shows them: every choice, every matching prompt and the two answers of a true/false question
get a token of twelve digits derived with HMAC-SHA256 from a per-attempt secret.

The secret is made by the caller from what the server keeps (the attempt's stored seed and id
with the application's secret key), so the mapping token -> choice never leaves the server, is
the same on every page load, every device and every worker (reloads, autosave and resumed
attempts keep working, including attempts started before tokens existed), and differs from one
attempt to the next. Tokens are digits only, so no authored id with a letter can appear in one.

Stored answers keep the authored ids (see `lms.domain.quiz.answers`): grading, regrading, item
analysis and the trainer's review are unaffected.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lms.domain.courses.questions import Matching, Ordering, Question, TrueFalse
from lms.domain.quiz.answers import (
    AnswerValue,
    OrderingDuplicate,
    ordering_duplicates,
    parse_form_answer,
)
from lms.domain.quiz.draw import DrawnQuestion, presented_ids

TRUE, FALSE = "true", "false"
"""The answers of a ``true_false`` question, as `parse_form_answer` reads them."""

TOKEN_DIGITS = 12


@dataclass(frozen=True)
class AnswerTokens:
    """One question's tokens: choice id -> token, and matching prompt (left pair id) -> token.

    For ``true_false`` the choices are `TRUE` and `FALSE`; for ``text`` and ``numeric`` there
    are none.
    """

    choices: Mapping[str, str]
    prompts: Mapping[str, str]

    def choice_id(self, token: str) -> str | None:
        """The choice a token stands for, or None if it is not one of this question's."""
        return next((c for c, t in self.choices.items() if t == token), None)


def _token(secret: bytes, question_id: str, role: str, choice_id: str, round_: int) -> str:
    message = "\x00".join((question_id, role, choice_id, str(round_))).encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**TOKEN_DIGITS
    return f"{number:0{TOKEN_DIGITS}d}"


def _tokens(
    secret: bytes, question_id: str, role: str, ids: Iterable[str], taken: set[str]
) -> dict[str, str]:
    tokens = {}
    for choice_id in ids:
        round_ = 0
        # A clash (about one in 10**12 per pair) takes the next round, so tokens stay unique.
        while (token := _token(secret, question_id, role, choice_id, round_)) in taken:
            round_ += 1
        taken.add(token)
        tokens[choice_id] = token
    return tokens


def answer_tokens(secret: bytes, question: Question, drawn: DrawnQuestion) -> AnswerTokens:
    """The tokens of ``question`` in the attempt whose secret is ``secret``.

    Choices are those `presented_ids` offers (so a patched quiz still gets a token for every
    choice it shows). Matching prompts and right-hand choices are derived separately: a prompt's
    token never equals the token of its matching choice.
    """
    taken: set[str] = set()
    if isinstance(question, TrueFalse):
        ids: tuple[str, ...] = (TRUE, FALSE)
    else:
        ids = presented_ids(question, drawn)
    choices = _tokens(secret, question.id, "choice", ids, taken)
    prompts: dict[str, str] = {}
    if isinstance(question, Matching):
        prompts = _tokens(secret, question.id, "prompt", (p.id for p in question.pairs), taken)
    return AnswerTokens(choices=choices, prompts=prompts)


def _plain_form(
    question: Question, form: Mapping[str, list[str]], prefix: str, tokens: AnswerTokens
) -> dict[str, list[str]]:
    """``form`` with tokens turned back into ids, under the names `parse_form_answer` reads."""

    def strings(name: str) -> list[str]:
        values: object = form.get(name) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list | tuple):
            return []
        return [v for v in values if isinstance(v, str)]

    def decoded(name: str) -> list[str]:
        return [tokens.choice_id(v) or "" for v in strings(name)]

    # Typed text (``text``, ``numeric``) passes as it is; everything else is a token.
    plain: dict[str, list[str]] = {prefix: decoded(prefix) if tokens.choices else strings(prefix)}
    for n in range(1, len(tokens.choices) + 1):
        plain[f"{prefix}-pos-{n}"] = decoded(f"{prefix}-pos-{n}")
    if isinstance(question, Ordering):
        positions = {str(n): n for n in range(1, len(tokens.choices) + 1)}
        for item_id, token in tokens.choices.items():
            for value in strings(f"{prefix}-{token}"):
                if value.strip() in positions:
                    plain[f"{prefix}-pos-{positions[value.strip()]}"].append(item_id)
    for pair_id, token in tokens.prompts.items():
        plain[f"{prefix}-match-{pair_id}"] = decoded(f"{prefix}-{token}")
    return plain


def read_form_answer(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
) -> AnswerValue | None:
    """The answer in a form that uses ``tokens`` (None when unanswered).

    Field names are those of `lms.domain.quiz.answers` with tokens in place of ids:
    ``{prefix}`` (a choice token, or typed text), ``{prefix}-{item token}`` (ordering: the
    item's position, ``1`` to the number of items; the older ``{prefix}-pos-{n}`` naming an item
    token is read too) and ``{prefix}-{prompt token}`` (matching: a choice token; no word such
    as "match" either). Unknown tokens are dropped, so a tampered form gives a wrong or empty
    answer, never an error. Check `read_form_duplicates` first: of two items given one
    position, this keeps only one.
    """
    return parse_form_answer(question, drawn, _plain_form(question, form, prefix, tokens), prefix)


def read_form_duplicates(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
) -> tuple[OrderingDuplicate, ...]:
    """An ordering answer's positions given to several items, or items given several positions
    (see `ordering_duplicates`), in a form that uses ``tokens``; empty when there are none."""
    plain = _plain_form(question, form, prefix, tokens)
    return ordering_duplicates(question, drawn, plain, prefix)


def posted_values(
    question: Question,
    drawn: DrawnQuestion,
    form: Mapping[str, list[str]],
    prefix: str,
    tokens: AnswerTokens,
) -> dict[str, object]:
    """What a refused form said, as `token_values` gives it, to show the trainee's answer again.

    For ordering, each item's position as sent, duplicates included (a stored answer cannot hold
    them); for other types, the answer `read_form_answer` reads.
    """
    if not isinstance(question, Ordering):
        return token_values(
            question, read_form_answer(question, drawn, form, prefix, tokens), tokens
        )
    plain = _plain_form(question, form, prefix, tokens)
    shown: dict[str, str] = {}
    for n in range(1, len(tokens.choices) + 1):
        for item_id in plain[f"{prefix}-pos-{n}"]:
            if item_id in tokens.choices:
                shown.setdefault(tokens.choices[item_id], str(n))
    return {"positions": shown}


def token_values(question: Question, value: object, tokens: AnswerTokens) -> dict[str, object]:
    """A saved answer as the form should show it: tokens in place of ids.

    Returns ``{"scalar": token or typed text}``, ``{"list": [tokens]}``,
    ``{"positions": {item token: position from 1, as text}}`` (ordering) or
    ``{"match": {prompt token: choice token}}``; empty when nothing was saved.
    """
    if value is None:
        return {}
    token = tokens.choices.get
    if isinstance(question, Ordering):
        if not isinstance(value, list):
            return {}
        positions: dict[str, str] = {}
        for n, item in enumerate(value, 1):
            if isinstance(item, str) and item in tokens.choices:
                positions.setdefault(tokens.choices[item], str(n))
        return {"positions": positions}
    if isinstance(question, Matching):
        if not isinstance(value, dict):
            return {}
        return {
            "match": {
                tokens.prompts[left]: token(right, "")
                for left, right in value.items()
                if left in tokens.prompts and isinstance(right, str)
            }
        }
    if isinstance(value, bool):
        return {"scalar": token(TRUE if value else FALSE, "")}
    if isinstance(value, list):
        return {"list": [token(v, "") if isinstance(v, str) else "" for v in value]}
    if isinstance(value, str) and tokens.choices:
        return {"scalar": token(value, "")}
    return {"scalar": value}
