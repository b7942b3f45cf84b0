"""The progress grid's quiz average: required quizzes with a graded attempt, nothing else."""

from __future__ import annotations

import pytest

from lms.domain.progress_grid import AttemptFacts, QuizCell, TraineeFacts, grid_row, quiz_average

NOT_TRIED = QuizCell(percent=None, attempts=0, passed=False)
NOT_GRADED = QuizCell(percent=None, attempts=1, passed=False)  # submitted, not graded yet


def _cell(percent: float, passed: bool = True) -> QuizCell:
    return QuizCell(percent=percent, attempts=1, passed=passed)


@pytest.mark.parametrize(
    ("cells", "required", "expected"),
    [
        # The issue: 100 % on the only required quiz, five optional quizzes never tried.
        (
            {"final": _cell(100), **{f"check-{n}": NOT_TRIED for n in range(1, 6)}},
            {"final"},
            100.0,
        ),
        # Optional quizzes do not count even when tried, high or low.
        ({"final": _cell(80), "check-1": _cell(0, passed=False)}, {"final"}, 80.0),
        ({"final": _cell(60), "check-1": _cell(100)}, {"final"}, 60.0),
        # Required quizzes not tried yet are left out, not counted as 0.
        ({"mid": _cell(70), "final": NOT_TRIED}, {"mid", "final"}, 70.0),
        ({"mid": _cell(70), "final": NOT_GRADED}, {"mid", "final"}, 70.0),
        # Every attempted required quiz counts, failed ones with their real score.
        ({"mid": _cell(40, passed=False), "final": _cell(90)}, {"mid", "final"}, 65.0),
        # Nothing to average: no required quiz graded yet, no required quiz, no quiz at all.
        ({"final": NOT_TRIED, "check-1": _cell(100)}, {"final"}, None),
        ({"check-1": _cell(100)}, set(), None),
        ({}, {"final"}, None),
    ],
)
def test_quiz_average(cells, required, expected):
    assert quiz_average(cells, required) == expected


def test_a_row_reads_the_average_over_required_quizzes_only():
    facts = TraineeFacts(
        enrolment_id=1,
        name="Бат",
        attempts={
            "final": [AttemptFacts(True, 50, False), AttemptFacts(True, 100, True)],
            "check-1": [AttemptFacts(True, 20, False)],
        },
    )
    quizzes = ["check-1", "check-2", "final"]
    row = grid_row(facts, [], quizzes, [], required_quiz_ids={"final"})
    assert row.quiz_average == 100.0  # the best attempt counts; optional check-1 does not
    none_required = grid_row(facts, [], quizzes, [], required_quiz_ids=())
    assert none_required.quiz_average is None
