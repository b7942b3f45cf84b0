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
* ``{prefix}-pos-{n}`` for n = 1..number of items, each an item id: ordering (a position may
  carry several items, or an item several positions: `ordering_duplicates` finds those, and the
  web layer refuses them before anything is saved);
* ``{prefix}-match-{left pair id}``, each a right pair id: matching.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

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

# "1 000", "12 345,5", "1,000,000", "1,000.5": digits in groups of three (the first group not
# starting with 0), separated by spaces or by commas.
_GROUPED = re.compile(
    r"[+-]?[1-9][0-9]{0,2}(?P<sep>[ ,])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?P<fraction>[.,][0-9]*)?"
)
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def parse_number(typed: str) -> float | None:
    """Read a number as a person types it, or None if it is not one.

    Accepts surrounding spaces, a trailing ``%``, a decimal point or a decimal comma (``4,5``),
    digit groups of three separated by spaces (``1 000``, ``12 345,5``) or commas
    (``1,000,000``, ``1,000.5``), full-width digits and the minus sign ``−``. A single comma
    followed by exactly three digits after a non-zero integer part is a group separator: Mongolian
    writes ``1,000`` for a thousand, and decimal commas come with one or two decimals (``4,5``);
    ``0,125`` stays a decimal. Rejects exponents, ``inf``/``nan`` and mixed forms like
    ``1.000,5``.
    """
    if len(typed) > MAX_TEXT_CHARS:
        return None
    text = unicodedata.normalize("NFKC", typed).replace("\u2212", "-").strip()
    text = text.removesuffix("%").rstrip()
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        separator, fraction = grouped["sep"], grouped["fraction"] or ""
        if separator == "," and fraction.startswith(","):
            return None
        text = text[: len(text) - len(fraction)].replace(separator, "") + fraction
    if not _PLAIN.fullmatch(text):
        return None
    number = float(text.replace(",", "."))
    return number if math.isfinite(number) else None


def _values(form: Mapping[str, list[str]], name: str) -> list[str]:
    """The string values of a field (a well-behaved form has no others)."""
    values: object = form.get(name) or []
    if isinstance(values, str):  # a flat dict slipped in: one value, not its characters
        return [values]
    if not isinstance(values, list | tuple):
        return []
    return [value for value in values if isinstance(value, str)]


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = _values(form, name)
    return values[0] if values else ""


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
            chosen = [value for value in _values(form, prefix) if value in allowed]
            return chosen[0] if chosen else None
        case MultipleChoice():
            ticked = set(_values(form, prefix)) & allowed
            return [choice for choice in offered if choice in ticked] or None
        case TrueFalse():
            return {"true": True, "false": False}.get(_first(form, prefix).strip().lower())
        case TextAnswer() | NumericAnswer():
            return _typed(form, prefix)
        case Ordering():
            positions = [_first(form, f"{prefix}-pos-{n}") for n in range(1, len(offered) + 1)]
            order = [item if item in allowed else "" for item in positions]
            return order if any(order) else None
        case Matching():
            matches = {}
            for pair in question.pairs:
                right = _first(form, f"{prefix}-match-{pair.id}")
                matches[pair.id] = right if right in allowed else ""
            return matches if any(matches.values()) else None


@dataclass(frozen=True)
class SharedPosition:
    """An ordering answer that gives one position (from 1) to several items (ids)."""

    position: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class RepeatedItem:
    """An ordering answer that puts one item (an id) at several positions (from 1)."""

    item: str
    positions: tuple[int, ...]


OrderingDuplicate = SharedPosition | RepeatedItem


def ordering_duplicates(
    question: Question, drawn: DrawnQuestion, form: Mapping[str, list[str]], prefix: str
) -> tuple[OrderingDuplicate, ...]:
    """Where an ordering answer in ``form`` uses a position or an item more than once.

    Each item has exactly one place in an order, so such an answer is refused rather than saved
    (`parse_form_answer` would silently keep the first item of a position). Returns the shared
    positions in position order, then the repeated items in the order shown; empty for other
    question types and for an answer without duplicates. Ids that were not offered are ignored,
    as `parse_form_answer` ignores them; the same item sent twice for one position is one
    placement.
    """
    if not isinstance(question, Ordering):
        return ()
    offered = presented_ids(question, drawn)
    allowed = set(offered)
    at: dict[int, list[str]] = {}
    for position in range(1, len(offered) + 1):
        items = dict.fromkeys(v for v in _values(form, f"{prefix}-pos-{position}") if v in allowed)
        at[position] = list(items)
    shared = [SharedPosition(p, tuple(items)) for p, items in at.items() if len(items) > 1]
    repeated = []
    for item in offered:
        positions = tuple(p for p, items in at.items() if item in items)
        if len(positions) > 1:
            repeated.append(RepeatedItem(item, positions))
    return (*shared, *repeated)


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
