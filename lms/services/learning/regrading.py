"""Regrading a quiz after a patch release corrected its answer key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.domain.quiz import RegradeChange, StoredAttempt, drawn_from_json, regrade
from lms.extensions import db
from lms.models import Enrolment, QuizAttempt
from lms.services import audit
from lms.services.courses.store import find_course, latest_patch, parsed_course
from lms.services.learning.attempts import GRADED, results_json, saved_answers


@dataclass(frozen=True)
class PlannedChange:
    attempt: QuizAttempt
    change: RegradeChange
    new_version_id: int
    new_version: str


def plan(slug: str, quiz_id: str) -> tuple[int, list[PlannedChange]]:
    """Grade every graded attempt of the quiz against the newest patch of its version.

    Returns how many attempts were checked and the ones whose score or verdict changes.
    """
    course = find_course(slug)
    if course is None:
        raise LookupError(f"no published course {slug!r}")
    attempts = db.session.execute(
        select(QuizAttempt)
        .join(Enrolment)
        .where(
            Enrolment.course_id == course.id,
            QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.state == GRADED,
        )
        .order_by(QuizAttempt.id)
    ).scalars()
    checked, planned = 0, []
    for attempt in attempts:
        target = latest_patch(attempt.course_version)
        quiz = parsed_course(target).quizzes.get(quiz_id)
        if quiz is None:
            continue
        checked += 1
        stored = StoredAttempt(
            ref=str(attempt.id),
            drawn=drawn_from_json(attempt.drawn),
            answers=saved_answers(attempt),
            language=attempt.language,
            score=attempt.score or 0.0,
            passed=bool(attempt.passed),
        )
        for change in regrade(quiz, [stored]):
            planned.append(PlannedChange(attempt, change, target.id, target.version))
    return checked, planned


def apply(changes: list[PlannedChange]) -> None:
    """Store the new grades, each written to the audit log; commits."""
    for item in changes:
        attempt, result = item.attempt, item.change.new_result
        old_version = attempt.course_version.version
        attempt.course_version_id = item.new_version_id
        attempt.score = result.score
        attempt.max_score = result.max_score
        attempt.percent = result.percent
        attempt.passed = result.passed
        attempt.results = results_json(result)
        audit.record(
            None,
            "attempt.regrade",
            "quiz_attempt",
            attempt.id,
            {
                "quiz": attempt.quiz_id,
                "from_version": old_version,
                "to_version": item.new_version,
                "old_score": item.change.old_score,
                "new_score": item.change.new_score,
                "old_passed": item.change.old_passed,
                "new_passed": item.change.new_passed,
            },
        )
    db.session.commit()
