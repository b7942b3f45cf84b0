"""Drawing an attempt: which questions a trainee gets, and in which order their choices appear.

The draw is fixed when an attempt starts and stored with it (`drawn_to_json`), so a reload, a
resumed attempt or a later regrade shows and grades exactly what the trainee saw.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from lms.domain.courses.questions import (
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    Quiz,
    SingleChoice,
)


@dataclass(frozen=True)
class DrawnQuestion:
    """One question of an attempt and the display order of its choices.

    ``order`` holds option ids (``single``, ``multiple``), the item ids in the order they are
    listed as choices (``ordering``), or the pair ids of the right-hand choices (``matching``);
    it is empty for ``true_false``, ``text`` and ``numeric``.
    """

    question_id: str
    order: tuple[str, ...]


def choice_ids(question: Question) -> tuple[str, ...]:
    """The ids of a question's choices in authored order (empty for types without choices)."""
    match question:
        case SingleChoice() | MultipleChoice():
            return tuple(option.id for option in question.options)
        case Ordering():
            return tuple(item.id for item in question.items)
        case Matching():
            return tuple(pair.id for pair in question.pairs)
        case _:
            return ()


def presented_ids(question: Question, drawn: DrawnQuestion) -> tuple[str, ...]:
    """The choice ids to show for ``question``, in the drawn order.

    Normally this is ``drawn.order``. If the quiz changed since the draw (a patch release), ids
    that no longer exist are skipped and new ones are appended in authored order, so the page
    and `parse_form_answer` always agree on what can be chosen.
    """
    existing = choice_ids(question)
    known = set(existing)
    shown = tuple(dict.fromkeys(choice for choice in drawn.order if choice in known))
    missing = known.difference(shown)
    return shown + tuple(choice for choice in existing if choice in missing)


def _choice_order(question: Question, shuffle: bool, rng: random.Random) -> tuple[str, ...]:
    authored = choice_ids(question)
    ids = list(authored)
    # Ordering items and matching right-hand choices are always shuffled: listed as authored,
    # they would give the answer away (the correct order, or the pairs line by line).
    if shuffle or isinstance(question, Ordering | Matching):
        rng.shuffle(ids)
    # No "never in the correct order" rule: the position menus start blank, so the listed
    # order tells nothing, while such a rule would make two items always appear reversed.
    return tuple(ids)


def draw_attempt(quiz: Quiz, seed: int) -> tuple[DrawnQuestion, ...]:
    """Draw the questions of a new attempt, the same every time for the same quiz and seed.

    Takes ``settings.draw`` questions from the pool (all when it is None): a random sample when
    fewer than the pool. With ``settings.shuffle`` the questions and the options of every
    question come in random order; without it, pool order and authored option order are kept.
    Ordering items and matching right-hand choices are shuffled regardless (plainly at random:
    the answer menus start blank, so the listed order gives nothing away).

    Uses `random.Random` seeded with ``seed``: reproducible, not a secure generator. The caller
    should pick each attempt's seed unpredictably (e.g. ``secrets.randbelow(2**31)``, which
    also fits a 32-bit column) so that the questions of a next attempt cannot be foreseen.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy
    settings = quiz.settings
    pool = len(quiz.questions)
    count = pool if settings.draw is None else max(0, min(settings.draw, pool))
    if count < pool:
        picked = rng.sample(range(pool), count)
        if not settings.shuffle:
            picked.sort()
    else:
        picked = list(range(pool))
        if settings.shuffle:
            rng.shuffle(picked)
    return tuple(
        DrawnQuestion(
            question_id=quiz.questions[index].id,
            order=_choice_order(quiz.questions[index], settings.shuffle, rng),
        )
        for index in picked
    )


def drawn_to_json(drawn: Sequence[DrawnQuestion]) -> list[dict[str, str | list[str]]]:
    """The drawn questions as JSON-able data, to store with the attempt."""
    return [{"question_id": d.question_id, "order": list(d.order)} for d in drawn]


def drawn_from_json(data: object) -> tuple[DrawnQuestion, ...]:
    """Read back what `drawn_to_json` stored; raise ValueError if it is not of that shape."""
    if not isinstance(data, list):
        raise ValueError("drawn questions must be a list")
    drawn = []
    for entry in data:
        if not isinstance(entry, dict):
            raise ValueError("each drawn question must be an object")
        question_id, order = entry.get("question_id"), entry.get("order")
        if not isinstance(question_id, str):
            raise ValueError("a drawn question needs a string question_id")
        if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
            raise ValueError(f"drawn question {question_id!r} needs a list of string ids")
        drawn.append(DrawnQuestion(question_id=question_id, order=tuple(order)))
    return tuple(drawn)
