"""Rules for enrolling: prerequisites and the course-work completion they refer to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lms.domain.courses import Prerequisite


@dataclass(frozen=True)
class LearnerRecord:
    """What counts for prerequisites: courses completed, credentials currently active.

    ``in_grace`` maps the course of a credential past its last day but inside its renewal
    grace period to the courses that renew it (its refreshers): for those courses, and only
    those, the credential still counts as held, since the prerequisite exists to renew it."""

    completed_courses: frozenset[str]
    active_credentials: frozenset[str]
    in_grace: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def holds_credential(self, course: str, for_course: str = "") -> bool:
        """Whether a credential of `course` counts for a prerequisite of `for_course`."""
        return course in self.active_credentials or (
            bool(for_course) and for_course in self.in_grace.get(course, frozenset())
        )


def unmet_prerequisites(
    prerequisites: Iterable[Prerequisite], record: LearnerRecord, course: str = ""
) -> list[Prerequisite]:
    """The prerequisites `record` does not meet for enrolling in (or being certified in)
    `course`, in their declared order."""
    unmet = []
    for prerequisite in prerequisites:
        if prerequisite.requires == "credential":
            met = record.holds_credential(prerequisite.course, course)
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
