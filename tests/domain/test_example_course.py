"""The example course in docs/ is valid and shows every part of the format."""

from __future__ import annotations

from pathlib import Path

from lms.domain.courses import DirectorySource, Module, check_paths, load_course
from lms.domain.courses.questions import QUESTION_TYPES

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-course" / "example"


def test_example_course_loads_with_zero_problems() -> None:
    result = load_course(DirectorySource(EXAMPLE))
    assert [str(problem) for problem in result.problems] == []
    assert result.course is not None
    assert result.course.slug == "example"


def test_example_course_uses_every_question_type_a_module_and_an_image() -> None:
    course = load_course(DirectorySource(EXAMPLE)).course
    assert course is not None
    used = {question.type for quiz in course.quizzes.values() for question in quiz.questions}
    assert used == set(QUESTION_TYPES)
    assert any(isinstance(entry, Module) for entry in course.outline)
    bodies = [text.body for lesson in course.lessons.values() for text in lesson.texts.values()]
    assert all("](../assets/five-stages.svg)" in body for body in bodies[:2])
    assert (EXAMPLE / "assets" / "five-stages.svg").is_file()


def test_check_paths_on_the_example_is_silent() -> None:
    assert check_paths([EXAMPLE]) == []
