"""The answer key as answer values: full marks on every quiz of the bundled courses and of
the example course (which uses every question type)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.domain.courses import DirectorySource, load_course
from lms.domain.courses.questions import QUESTION_TYPES
from lms.domain.quiz import DrawnQuestion, choice_ids, grade_attempt
from lms.domain.quiz.answer_key import answer_key

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "example-course" / "example"
BUNDLED = ROOT / "lms" / "bundled_courses"
FOLDERS = [EXAMPLE] + sorted(p for p in BUNDLED.iterdir() if (p / "course.yml").is_file())


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_the_answer_key_scores_full_marks(folder: Path) -> None:
    course = load_course(DirectorySource(folder)).course
    assert course is not None
    assert course.quizzes
    for quiz in course.quizzes.values():
        drawn = [DrawnQuestion(q.id, tuple(reversed(choice_ids(q)))) for q in quiz.questions]
        result = grade_attempt(quiz, drawn, answer_key(quiz), "en")
        assert result.percent == 100.0, (quiz.id, [r for r in result.results if not r.correct])
        assert result.passed


def test_the_example_course_covers_every_question_type() -> None:
    course = load_course(DirectorySource(EXAMPLE)).course
    assert course is not None
    used = {q.type for quiz in course.quizzes.values() for q in quiz.questions}
    assert used == set(QUESTION_TYPES)
