"""Answer values: what a trainee answered, as plain JSON-able data, and how forms become them.

One value per question type (stored per question in the database):

===========  ===============================================================================
single       ``str``: the chosen option id
multiple     ``list[str]``: the chosen option ids
true_false   ``bool``
text         ``str`` as typed
numeric      ``str`` as typed; read leniently at grading by `parse_number`
ordering     ``list[str]``: item id at position 1..n; ``""`` where a position is unanswered
matching     ``dict[str, str]``: left pair id -> chosen right pair id; ``""`` when unanswered
===========  ===============================================================================

Form fields (``prefix`` is chosen by the page, e.g. ``q-<question id>``):

* ``{prefix}``: single (an option id), true_false (``"true"`` or ``"false"``), text, numeric;
* ``{prefix}`` repeated, one per ticked check box: multiple;
* ``{prefix}-pos-{n}`` for n = 1..number of items, each an item id: ordering;
* ``{prefix}-match-{left pair id}``, each a right pair id: matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from lms.domain.courses.questions import (
    Matching,
    MultipleChoice,
    NumericAnswer,
    Ordering,
    Question,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.quiz.draw import DrawnQuestion, presented_ids

AnswerValue = str | list[str] | bool | dict[str, str]
"""A well-formed answer; stored values may be anything, and the grader copes."""

MAX_TEXT_CHARS = 2000
"""Longer text or numeric answers are cut when read from a form and never graded correct."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# Spaces people put between groups of digits: space, no-break space, thin and narrow spaces.
_DIGIT_GROUP_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f")


def parse_number(typed: str) -> float | None:
    """Read a number as a person types it, or None if it is not one.

    Accepts surrounding spaces, a decimal comma (``4,5``), a trailing ``%``, spaces between
    digit groups (``1 000``), full-width digits and the minus sign ``−``. Rejects exponents,
    ``inf``/``nan``, and numbers with both a comma and a point (``1,000.5`` is ambiguous).
    """
    if len(typed) > MAX_TEXT_CHARS:
        return None
    text = unicodedata.normalize("NFKC", typed).strip().replace("\u2212", "-")
    text = text.removesuffix("%").translate(_DIGIT_GROUP_SPACES)
    if "," in text:
        if "." in text or text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if number not in (float("inf"), float("-inf")) else None


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or []
    return values[0] if values and isinstance(values[0], str) else ""


def _typed(form: Mapping[str, list[str]], name: str) -> str | None:
    typed = _first(form, name)[:MAX_TEXT_CHARS]
    return typed if typed.strip() else None


def parse_form_answer(
    question: Question, drawn: DrawnQuestion, form: Mapping[str, list[str]], prefix: str
) -> AnswerValue | None:
    """The answer to ``question`` in submitted form data, or None when nothing was answered.

    ``form`` maps each field name to all its values (e.g. ``request.form.to_dict(flat=False)``);
    field names are listed in the module docstring. Ids that were not offered for this attempt
    (see `presented_ids`) are dropped, so a tampered form gives a wrong or empty answer, never
    an error.
    """
    offered = presented_ids(question, drawn)
    allowed = set(offered)
    match question:
        case SingleChoice():
            chosen = [v for v in form.get(prefix) or [] if v in allowed]
            return chosen[0] if chosen else None
        case MultipleChoice():
            ticked = set(form.get(prefix) or []) & allowed
            return [choice for choice in offered if choice in ticked] or None
        case TrueFalse():
            return {"true": True, "false": False}.get(_first(form, prefix))
        case TextAnswer() | NumericAnswer():
            return _typed(form, prefix)
        case Ordering():
            positions = [_first(form, f"{prefix}-pos-{n}") for n in range(1, len(offered) + 1)]
            order = [item if item in allowed else "" for item in positions]
            return order if any(order) else None
        case Matching():
            chosen_right = {
                pair.id: _first(form, f"{prefix}-match-{pair.id}") for pair in question.pairs
            }
            matches = {left: right if right in allowed else "" for left, right in chosen_right.items()}
            return matches if any(matches.values()) else None


def is_answered(question: Question, value: object | None) -> bool:
    """Whether ``value`` counts as an answer to ``question``.

    None and empty answers (no option, blank text, every position or pair left open) are not
    answered. A partly answered ordering or matching is answered (and graded wrong if
    incomplete). A value of the wrong shape, which only a tampered or corrupted store produces,
    counts as answered: something was sent, and it is graded wrong.
    """
    if value is None:
        return False
    match question:
        case SingleChoice() | TextAnswer() | NumericAnswer():
            return not isinstance(value, str) or bool(value.strip())
        case MultipleChoice() | Ordering():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return any(value)
            return True
        case TrueFalse():
            return True
        case Matching():
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return any(value.values())
            return True
