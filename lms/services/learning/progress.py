"""Where a trainee is in a course: completed lessons, passed quizzes, the next step."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Enrolment, LessonContent, LessonProgress, QuizAttempt
from lms.services.events import record_changed
from lms.services.learning import enrolment as enrolments


@dataclass(frozen=True)
class OutlineEntry:
    kind: str  # "lesson" or "quiz"
    id: str
    title: str
    done: bool
    minutes: int | None = None


@dataclass(frozen=True)
class OutlineSection:
    title: str | None  # None for items outside any module
    entries: tuple[OutlineEntry, ...]


def completed_lessons(enrolment: Enrolment) -> set[str]:
    return set(
        db.session.execute(
            select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)
        ).scalars()
    )


def passed_quizzes(enrolment: Enrolment) -> set[str]:
    return set(
        db.session.execute(
            select(QuizAttempt.quiz_id).where(
                QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.passed.is_(True)
            )
        ).scalars()
    )


def complete_lesson(enrolment: Enrolment, lesson_id: str) -> None:
    """Record the lesson as completed (once, however often it is posted); commits."""
    enrolment.last_lesson_id = lesson_id
    if lesson_id not in completed_lessons(enrolment):
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson_id))
        try:
            db.session.commit()
        except IntegrityError:  # the same completion posted twice at once
            db.session.rollback()
    else:
        db.session.commit()
    refresh_completion(enrolment)


def refresh_completion(enrolment: Enrolment) -> bool:
    """Re-check course work after progress, then announce it (certification reconsiders)."""
    completed = enrolments.update_completion(
        enrolment, completed_lessons(enrolment), passed_quizzes(enrolment)
    )
    record_changed.send(enrolment)
    return completed


def lesson_titles(enrolment: Enrolment, language: str) -> dict[str, LessonContent]:
    rows = db.session.execute(
        select(LessonContent).where(LessonContent.course_version_id == enrolment.course_version_id)
    ).scalars()
    chosen: dict[str, LessonContent] = {}
    for row in rows:
        if row.lesson_id not in chosen or row.language == language:
            chosen[row.lesson_id] = row
    return chosen


def outline(enrolment: Enrolment, language: str) -> list[OutlineSection]:
    """The course outline with each item's title (in `language` when possible) and state."""
    meta = enrolment.course_version.meta
    lessons = lesson_titles(enrolment, language)
    done_lessons, done_quizzes = completed_lessons(enrolment), passed_quizzes(enrolment)

    def entry(item: dict[str, str]) -> OutlineEntry:
        if "lesson" in item:
            row = lessons[item["lesson"]]
            return OutlineEntry(
                "lesson", row.lesson_id, row.title, row.lesson_id in done_lessons, row.minutes
            )
        quiz_id = item["quiz"]
        titles = meta["quizzes"][quiz_id]
        return OutlineEntry("quiz", quiz_id, localised(titles, language), quiz_id in done_quizzes)

    sections: list[OutlineSection] = []
    loose: list[OutlineEntry] = []
    for part in meta["outline"]:
        if "module" in part:
            if loose:
                sections.append(OutlineSection(None, tuple(loose)))
                loose = []
            title = localised(part["title"], language)
            sections.append(OutlineSection(title, tuple(entry(i) for i in part["items"])))
        else:
            loose.append(entry(part))
    if loose:
        sections.append(OutlineSection(None, tuple(loose)))
    return sections


def next_step(
    sections: list[OutlineSection], last_lesson_id: str | None = None
) -> OutlineEntry | None:
    """Where to resume: the lesson last opened if it is not done, else the first item not done."""
    entries = [entry for section in sections for entry in section.entries]
    for entry in entries:
        if entry.kind == "lesson" and entry.id == last_lesson_id and not entry.done:
            return entry
    return next((entry for entry in entries if not entry.done), None)


def quiz_results(enrolment: Enrolment) -> dict[str, QuizAttempt]:
    """The attempt that counts for each quiz tried: the best graded one."""
    from lms.domain.quiz import best_result

    graded = db.session.execute(
        select(QuizAttempt).where(
            QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.state == "graded"
        )
    ).scalars()
    by_quiz: dict[str, list[QuizAttempt]] = {}
    for attempt in graded:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    return {quiz_id: best for quiz_id, rows in by_quiz.items() if (best := best_result(rows))}


def neighbours(
    sections: list[OutlineSection], kind: str, item_id: str
) -> tuple[OutlineEntry | None, OutlineEntry | None]:
    flat = [entry for section in sections for entry in section.entries]
    for index, entry in enumerate(flat):
        if (entry.kind, entry.id) == (kind, item_id):
            previous = flat[index - 1] if index > 0 else None
            following = flat[index + 1] if index + 1 < len(flat) else None
            return previous, following
    return None, None


def localised(texts: dict[str, str], language: str) -> str:
    """The text in `language`, else in the course's first language that has one."""
    return texts.get(language) or next(iter(texts.values()), "")
