"""Where a trainee is in a course: completed lessons, passed quizzes, the next step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, case, func, select
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


@dataclass(frozen=True)
class Progress:
    """What an enrolment has done: lessons completed and quizzes passed."""

    lessons: frozenset[str] = field(default_factory=frozenset)
    quizzes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_columns(cls, lessons: str | None, quizzes: str | None) -> Progress:
        """From the two columns of `progress_columns` (ids never contain spaces)."""
        return cls(frozenset((lessons or "").split()), frozenset((quizzes or "").split()))


def progress_columns(enrolment_id: Any) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """Completed lesson ids and passed quiz ids as two space-separated columns, to read an
    enrolment's progress in the same query that reads the enrolment (a correlated subquery
    each). Lesson and quiz ids are lowercase letters, digits and hyphens."""
    lessons = (
        select(func.aggregate_strings(LessonProgress.lesson_id, " "))
        .where(LessonProgress.enrolment_id == enrolment_id)
        .scalar_subquery()
    )
    quizzes = (
        select(func.aggregate_strings(QuizAttempt.quiz_id, " "))
        .where(QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.passed.is_(True))
        .scalar_subquery()
    )
    return lessons, quizzes


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


@dataclass(frozen=True)
class LessonText:
    """A lesson in one language; `summary`, `outcomes` and `html` only where asked for."""

    lesson_id: str
    language: str
    title: str
    minutes: int
    summary: str | None = None
    outcomes: list[str] = field(default_factory=list)
    html: str = ""


Titles = dict[str, LessonText]  # lesson id → its title in the language chosen


def _choose(titles: Titles, row: LessonText, language: str) -> None:
    if row.lesson_id not in titles or row.language == language:
        titles[row.lesson_id] = row


def _title_columns() -> tuple[ColumnElement[Any], ...]:
    # Only what an outline shows: not the HTML, summary and outcomes of every lesson.
    return (
        LessonContent.course_version_id,
        LessonContent.lesson_id,
        LessonContent.language,
        LessonContent.title,
        LessonContent.minutes,
    )


def lesson_titles_of(version_ids: Collection[int], language: str) -> dict[int, Titles]:
    """Each version's lesson titles (in `language` where it exists), in one query."""
    result: dict[int, Titles] = defaultdict(dict)
    if version_ids:
        for version_id, lesson_id, lang, title, minutes in db.session.execute(
            select(*_title_columns()).where(LessonContent.course_version_id.in_(version_ids))
        ):
            _choose(result[version_id], LessonText(lesson_id, lang, title, minutes), language)
    return result


def lesson_titles(enrolment: Enrolment, language: str) -> Titles:
    return lesson_titles_of([enrolment.course_version_id], language)[enrolment.course_version_id]


def lesson_with_titles(
    version_id: int, lesson_id: str, language: str
) -> tuple[dict[str, LessonText], Titles]:
    """One lesson in every language it has (full text), and the titles of all lessons.

    One query: the full columns are read for the one lesson only."""
    this = LessonContent.lesson_id == lesson_id
    rows = db.session.execute(
        select(
            *_title_columns(),
            case((this, LessonContent.summary)),
            case((this, LessonContent.outcomes)),
            case((this, LessonContent.html)),
        ).where(LessonContent.course_version_id == version_id)
    )
    texts: dict[str, LessonText] = {}
    titles: Titles = {}
    for _version, row_lesson, lang, title, minutes, summary, outcomes, html in rows:
        if row_lesson == lesson_id:
            texts[lang] = LessonText(
                row_lesson, lang, title, minutes, summary, list(outcomes or []), html or ""
            )
        _choose(titles, LessonText(row_lesson, lang, title, minutes), language)
    return texts, titles


def progress_of(enrolments: Iterable[Enrolment]) -> dict[int, Progress]:
    """Progress of many enrolments in one query."""
    ids = [e.id for e in enrolments]
    if not ids:
        return {}
    lessons, quizzes = progress_columns(Enrolment.id)
    rows = db.session.execute(
        select(Enrolment.id, lessons.label("lessons"), quizzes.label("quizzes")).where(
            Enrolment.id.in_(ids)
        )
    )
    return {row.id: Progress.from_columns(row.lessons, row.quizzes) for row in rows}


def outline(
    enrolment: Enrolment,
    language: str,
    done: Progress | None = None,
    titles: Titles | None = None,
) -> list[OutlineSection]:
    """The course outline with each item's title (in `language` when possible) and state.

    Pass `done` and `titles` when they were read already (they are read otherwise)."""
    meta = enrolment.course_version.meta
    lessons = titles if titles is not None else lesson_titles(enrolment, language)
    if done is None:
        done = Progress(
            frozenset(completed_lessons(enrolment)), frozenset(passed_quizzes(enrolment))
        )
    done_lessons, done_quizzes = done.lessons, done.quizzes

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
    return quiz_results_of([enrolment]).get(enrolment.id, {})


def quiz_results_of(enrolments: Iterable[Enrolment]) -> dict[int, dict[str, QuizAttempt]]:
    """`quiz_results` of many enrolments in one query."""
    from lms.domain.quiz import best_result

    ids = [e.id for e in enrolments]
    if not ids:
        return {}
    graded = db.session.execute(
        select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(ids), QuizAttempt.state == "graded")
    ).scalars()
    by_quiz: dict[int, dict[str, list[QuizAttempt]]] = defaultdict(dict)
    for attempt in graded:
        by_quiz[attempt.enrolment_id].setdefault(attempt.quiz_id, []).append(attempt)
    return {
        enrolment_id: {q: best for q, rows in quizzes.items() if (best := best_result(rows))}
        for enrolment_id, quizzes in by_quiz.items()
    }


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
