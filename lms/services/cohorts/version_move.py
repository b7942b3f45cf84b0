"""Moving a cohort to a newer version of its course (minor and major releases).

Patch releases need no trainer: in-progress trainees follow them on their own
(`enrolment.follow_patch_releases`). Completed enrolments and issued credentials never move.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.domain.version_changes import Impact, TraineeProgress, VersionChanges, compare, impact
from lms.extensions import db
from lms.models import Cohort, CourseVersion, Enrolment, LessonProgress, QuizAttempt, User
from lms.services import audit
from lms.services.courses.store import parsed_course
from lms.services.learning import seats
from lms.services.learning.progress import refresh_completion

# A pending request moves too: it has not started, and will start on the cohort's version.
MOVING_STATES = ("active", "requested")


@dataclass(frozen=True)
class MovePreview:
    target: CourseVersion
    changes: VersionChanges
    impact: Impact


def _key(version: CourseVersion) -> tuple[int, int, int]:
    return (version.major, version.minor, version.patch)


def newer_versions(cohort: Cohort) -> list[CourseVersion]:
    """The newest patch of every release line above the cohort's version, newest first."""
    current = _key(cohort.course_version)
    lines: dict[tuple[int, int], CourseVersion] = {}
    for version in cohort.course.versions:
        if _key(version) <= current:
            continue
        line = (version.major, version.minor)
        if line not in lines or version.patch > lines[line].patch:
            lines[line] = version
    return sorted(lines.values(), key=_key, reverse=True)


def find_newer(cohort: Cohort, version_id: int | None) -> CourseVersion | None:
    return next((v for v in newer_versions(cohort) if v.id == version_id), None)


def _moving(cohort: Cohort) -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.state.in_(MOVING_STATES))
            .order_by(Enrolment.id)
        ).scalars()
    )


def _progress(enrolments: list[Enrolment]) -> list[TraineeProgress]:
    ids = [e.id for e in enrolments]
    lessons: dict[int, set[str]] = {i: set() for i in ids}
    quizzes: dict[int, set[str]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for enrolment_id, lesson_id in db.session.execute(
            select(LessonProgress.enrolment_id, LessonProgress.lesson_id).where(
                LessonProgress.enrolment_id.in_(chunk)
            )
        ):
            lessons[enrolment_id].add(lesson_id)
        for enrolment_id, quiz_id in db.session.execute(
            select(QuizAttempt.enrolment_id, QuizAttempt.quiz_id).where(
                QuizAttempt.enrolment_id.in_(chunk), QuizAttempt.passed.is_(True)
            )
        ):
            quizzes[enrolment_id].add(quiz_id)
    return [TraineeProgress(frozenset(lessons[i]), frozenset(quizzes[i])) for i in ids]


def preview(cohort: Cohort, target: CourseVersion) -> MovePreview:
    """What moving the cohort to `target` changes, and for how many of its trainees."""
    old, new = parsed_course(cohort.course_version), parsed_course(target)
    return MovePreview(target, compare(old, new), impact(old, new, _progress(_moving(cohort))))


def move(cohort: Cohort, target: CourseVersion, actor: User) -> int:
    """Move the cohort and its active trainees (and pending requests) to `target`.

    Audited with both versions; commits; returns how many enrolments moved. Trainees whose
    course work is complete under the new rules are then marked completed.
    """
    if _key(target) <= _key(cohort.course_version) or target.course_id != cohort.course_id:
        raise ValueError("a cohort moves only to a newer version of its own course")
    seats.lock(cohort)
    old_version = cohort.course_version.version
    moving = _moving(cohort)
    cohort.course_version_id = target.id
    for enrolment in moving:
        enrolment.course_version_id = target.id
    audit.record(
        actor,
        "cohort.move_version",
        "cohort",
        cohort.id,
        {"from": old_version, "to": target.version, "enrolments": [e.id for e in moving]},
    )
    db.session.commit()
    for enrolment in moving:
        db.session.refresh(enrolment)
        if enrolment.state == "active":
            refresh_completion(enrolment)
    return len(moving)
