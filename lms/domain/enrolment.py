"""Rules for enrolling: prerequisites and the course-work completion they refer to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lms.domain.courses import Prerequisite


@dataclass(frozen=True)
class LearnerRecord:
    """What counts for prerequisites: courses completed, credentials currently active."""

    completed_courses: frozenset[str]
    active_credentials: frozenset[str]


def unmet_prerequisites(
    prerequisites: Iterable[Prerequisite], record: LearnerRecord
) -> list[Prerequisite]:
    """The prerequisites `record` does not meet, in their declared order."""
    unmet = []
    for prerequisite in prerequisites:
        if prerequisite.requires == "credential":
            met = prerequisite.course in record.active_credentials
        else:
            met = (
                prerequisite.course in record.completed_courses
                or prerequisite.course in record.active_credentials
            )
        if not met:
            unmet.append(prerequisite)
    return unmet


def course_work_complete(
    required_lessons: Iterable[str],
    required_quizzes: Iterable[str],
    completed_lessons: set[str],
    passed_quizzes: set[str],
) -> bool:
    """Every required lesson completed and every required quiz passed.

    Attendance and the practicum are judged by the certification rules, not here.
    """
    return set(required_lessons) <= completed_lessons and set(required_quizzes) <= passed_quizzes
