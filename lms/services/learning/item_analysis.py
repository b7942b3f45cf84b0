"""Item analysis of a quiz in one course version, from its graded attempts.

Loads in a fixed number of queries (attempts with their per-question results, then every saved
answer of those attempts, plus the cached parsed course) and hands plain dataclasses to
`lms.domain.quiz.item_analysis`. The data is aggregated over trainees and names nobody, so every
trainer may see it for every course (course quality is everyone's business), not only the
trainers of a cohort.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from lms.domain.courses import Quiz
from lms.domain.quiz.item_analysis import (
    GradedAttempt,
    ItemResponse,
    ItemSpec,
    ItemStatistics,
    QuizStatistics,
    Selection,
    analyse_quiz,
    chosen_choices,
    countable_choices,
    review_order,
)
from lms.extensions import db
from lms.models import AttemptAnswer, Course, CourseVersion, QuizAttempt
from lms.services.courses.store import parsed_course
from lms.services.learning.attempts import GRADED


@dataclass(frozen=True)
class QuizEntry:
    """A quiz of a course version and how many trainees have a graded attempt at it."""

    quiz_id: str
    title: dict[str, str]
    trainees: int


@dataclass(frozen=True)
class VersionEntry:
    version: CourseVersion
    quizzes: list[QuizEntry]


@dataclass(frozen=True)
class QuizReport:
    """A quiz's analysis; ``ordered`` lists the questions to look at first first."""

    version: CourseVersion
    quiz: Quiz
    selection: Selection
    statistics: QuizStatistics
    ordered: list[ItemStatistics]


def versions_with_quizzes() -> list[VersionEntry]:
    """Every published version that has quizzes: courses by slug, newest version first."""
    versions = db.session.execute(
        select(CourseVersion)
        .join(Course)
        .options(contains_eager(CourseVersion.course))
        .order_by(
            Course.slug,
            CourseVersion.major.desc(),
            CourseVersion.minor.desc(),
            CourseVersion.patch.desc(),
        )
    ).scalars()
    counts = {
        (version_id, quiz_id): trainees
        for version_id, quiz_id, trainees in db.session.execute(
            select(
                QuizAttempt.course_version_id,
                QuizAttempt.quiz_id,
                func.count(func.distinct(QuizAttempt.enrolment_id)),
            )
            .where(QuizAttempt.state == GRADED)
            .group_by(QuizAttempt.course_version_id, QuizAttempt.quiz_id)
        ).all()
    }
    entries = []
    for version in versions:
        quizzes = [
            QuizEntry(quiz_id, dict(title), counts.get((version.id, quiz_id), 0))
            for quiz_id, title in (version.meta.get("quizzes") or {}).items()
        ]
        if quizzes:
            entries.append(VersionEntry(version, quizzes))
    return entries


def find_version(slug: str, version: str) -> CourseVersion | None:
    return db.session.execute(
        select(CourseVersion)
        .join(Course)
        .where(Course.slug == slug, CourseVersion.version == version)
    ).scalar_one_or_none()


def analyse(version: CourseVersion, quiz_id: str, selection: Selection) -> QuizReport | None:
    """The item analysis of ``quiz_id`` in ``version``; None if the version has no such quiz."""
    quiz = parsed_course(version).quizzes.get(quiz_id)
    if quiz is None:
        return None
    specs = [ItemSpec(q.id, countable_choices(q)) for q in quiz.questions]
    statistics = analyse_quiz(_graded_attempts(version, quiz), specs, selection)
    return QuizReport(version, quiz, selection, statistics, review_order(statistics.items))


def _graded_attempts(version: CourseVersion, quiz: Quiz) -> list[GradedAttempt]:
    graded = (
        QuizAttempt.course_version_id == version.id,
        QuizAttempt.quiz_id == quiz.id,
        QuizAttempt.state == GRADED,
    )
    attempts = db.session.execute(
        select(QuizAttempt.id, QuizAttempt.enrolment_id, QuizAttempt.number, QuizAttempt.results)
        .where(*graded)
        .order_by(QuizAttempt.enrolment_id, QuizAttempt.number)
    ).all()
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for attempt_id, question_id, value in db.session.execute(
        select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.value)
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(*graded)
    ).all():
        answers[attempt_id][question_id] = value
    return [
        GradedAttempt(
            trainee=str(enrolment_id),
            number=number,
            responses=_responses(quiz, results, answers.get(attempt_id, {})),
        )
        for attempt_id, enrolment_id, number, results in attempts
    ]


def _responses(quiz: Quiz, results: Any, answers: dict[str, Any]) -> tuple[ItemResponse, ...]:
    """Stored per-question results (see `attempts.results_json`) with the choices picked."""
    responses = []
    for entry in results if isinstance(results, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
            continue
        question = quiz.question(entry["question"])
        value = answers.get(entry["question"])
        responses.append(
            ItemResponse(
                question_id=entry["question"],
                points=_number(entry.get("points")),
                max_points=_number(entry.get("max_points")),
                answered=bool(entry.get("answered")),
                chosen=chosen_choices(question, value) if question is not None else (),
            )
        )
    return tuple(responses)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
