"""A cohort's progress grid: one row per trainee, built from plain data, sorted for display.

The service layer (`lms.services.cohorts.progress_grid`) gathers a cohort's records in a fixed
number of queries and hands them here as `TraineeFacts`; `grid_row` turns one trainee's facts into a
`GridRow` with the summary figures a trainer sorts by, and `sort_rows` orders the rows.

Summary figures, as the grid shows them:

* ``progress``: lessons completed plus quizzes passed, as a whole percent of all lessons and
  quizzes in the course outline (rounded down, so 100 means everything is done);
* ``quiz_average``: the mean of the counting score (`best_result`) of the *required* quizzes
  (the course's ``certification.requires.quizzes``) the trainee has a graded attempt at; a quiz
  not tried yet and an optional quiz do not count (`quiz_average`). None when no required quiz
  has a graded attempt, so a trainee with 100 % on the only required quiz shows 100 %, not
  the 17 % an average over six quizzes, five of them optional and untried, would give;
* practicum: competencies signed off, then hours; attendance: sessions attended.

Names sort in Mongolian alphabetical order (``Ө`` after ``О``, ``Ү`` after ``У``), which code
point order gets wrong; Latin letters come after Cyrillic.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lms.domain.quiz import best_result

SortKey = Literal["name", "progress", "quiz", "practicum", "attendance"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "progress", "quiz", "practicum", "attendance")

_MONGOLIAN = "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
_ORDER = {letter: index for index, letter in enumerate(_MONGOLIAN)}


def name_sort_key(name: str) -> tuple[tuple[int, int], ...]:
    """A key that sorts names in Mongolian alphabetical order, ignoring case."""
    return tuple(
        (0, _ORDER[ch]) if ch in _ORDER else (1, ord(ch)) for ch in name.casefold().strip()
    )


@dataclass(frozen=True)
class AttemptFacts:
    """One graded-or-not attempt, as far as the grid cares."""

    graded: bool
    percent: float
    passed: bool


@dataclass(frozen=True)
class QuizCell:
    """A trainee's standing on one quiz: the counting score, attempts used, passed or not."""

    percent: float | None  # None: no graded attempt yet
    attempts: int
    passed: bool


def quiz_cell(attempts: Iterable[AttemptFacts]) -> QuizCell:
    """The cell for a quiz: the best graded attempt counts (a pass beats a higher fail)."""
    rows = list(attempts)
    best = best_result(a for a in rows if a.graded)
    return QuizCell(
        percent=best.percent if best else None,
        attempts=len(rows),
        passed=bool(best and best.passed),
    )


def quiz_average(cells: Mapping[str, QuizCell], required: Collection[str]) -> float | None:
    """The mean counting score over the required quizzes with a graded attempt, else None.

    Optional quizzes are practice and never count; a required quiz not tried (or not graded
    yet) is left out rather than counted as 0, so the figure says how well the trainee does
    on what they have taken, and the progress figure says how much is left.
    """
    scores = [
        cell.percent
        for quiz, cell in cells.items()
        if quiz in required and cell.percent is not None
    ]
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class TraineeFacts:
    """What the database knows of one trainee in the cohort."""

    enrolment_id: int
    name: str
    completed_lessons: frozenset[str] = frozenset()
    attempts: Mapping[str, Sequence[AttemptFacts]] = field(default_factory=dict)
    signed_competencies: frozenset[str] = frozenset()
    practicum_hours: float = 0.0
    attended: int = 0
    status: str = "in_progress"  # a credential status, or awaiting_approval / in_progress


@dataclass(frozen=True)
class GridRow:
    enrolment_id: int
    name: str
    lessons: Mapping[str, bool]
    quizzes: Mapping[str, QuizCell]
    signed: int
    hours: float
    attended: int
    status: str
    progress: int
    quiz_average: float | None


def grid_row(
    facts: TraineeFacts,
    lesson_ids: Sequence[str],
    quiz_ids: Sequence[str],
    competency_ids: Sequence[str],
    *,
    required_quiz_ids: Collection[str],
) -> GridRow:
    """One trainee's row, with columns in the order of the given ids.

    `required_quiz_ids`: the quizzes certification requires, the only ones the average reads.
    """
    lessons = {lesson: lesson in facts.completed_lessons for lesson in lesson_ids}
    quizzes = {quiz: quiz_cell(facts.attempts.get(quiz, ())) for quiz in quiz_ids}
    items = len(lesson_ids) + len(quiz_ids)
    done = sum(lessons.values()) + sum(cell.passed for cell in quizzes.values())
    return GridRow(
        enrolment_id=facts.enrolment_id,
        name=facts.name,
        lessons=lessons,
        quizzes=quizzes,
        signed=len(facts.signed_competencies & frozenset(competency_ids)),
        hours=facts.practicum_hours,
        attended=facts.attended,
        status=facts.status,
        progress=(done * 100 // items) if items else 0,
        quiz_average=quiz_average(quizzes, required_quiz_ids),
    )


_KEYS: dict[str, Callable[[GridRow], tuple[float, ...]]] = {
    "progress": lambda row: (row.progress,),
    "quiz": lambda row: (-1.0 if row.quiz_average is None else row.quiz_average,),
    "practicum": lambda row: (row.signed, row.hours),
    "attendance": lambda row: (row.attended,),
}


def sort_rows(rows: Iterable[GridRow], key: str, descending: bool = False) -> list[GridRow]:
    """Rows ordered by `key` (one of `SORT_KEYS`; anything else sorts by name); ties by name.

    Ties stay in name order in both directions, so a trainer scanning a sorted column still
    finds people alphabetically within each value.
    """
    by_name = sorted(rows, key=lambda row: (name_sort_key(row.name), row.enrolment_id))
    sort_key = _KEYS.get(key)
    if sort_key is None:
        return by_name[::-1] if descending else by_name
    return sorted(by_name, key=sort_key, reverse=descending)
