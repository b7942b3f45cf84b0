"""Quiz attempts: start, save answers as the trainee goes, submit once, grade.

Correctness under retries and concurrency rests on conditional UPDATEs: an answer form
carries the attempt's `seq`, and a save only lands when `seq` still matches; a submit only
moves an attempt that is still in progress. Twenty simultaneous submits grade once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.domain.courses import Quiz
from lms.domain.quiz import (
    Accommodation,
    AttemptHistory,
    AttemptResult,
    AttemptState,
    StartDecision,
    deadline,
    draw_attempt,
    drawn_from_json,
    drawn_to_json,
    grade_attempt,
    is_answered,
    is_expired,
    may_start,
    move,
    shown_language,
)
from lms.extensions import db
from lms.models import Accommodation as AccommodationRow
from lms.models import AttemptAnswer, CourseVersion, Enrolment, QuizAttempt
from lms.models.types import utcnow
from lms.services import audit
from lms.services.courses.store import course_languages, stored_quiz
from lms.services.learning.progress import refresh_completion

IN_PROGRESS = AttemptState.IN_PROGRESS.value
# Each conditional UPDATE below performs one transition of the domain's state machine;
# `move` refuses any transition it does not allow.
SUBMITTED = move(AttemptState.IN_PROGRESS, AttemptState.SUBMITTED).value
EXPIRED = move(AttemptState.IN_PROGRESS, AttemptState.EXPIRED).value
GRADED = move(AttemptState.SUBMITTED, AttemptState.GRADED).value
move(AttemptState.EXPIRED, AttemptState.GRADED)  # expired attempts are graded too
SaveOutcome = Literal["saved", "stale", "closed"]


def quiz_of(attempt_or_enrolment: QuizAttempt | Enrolment, quiz_id: str) -> Quiz | None:
    # The quiz alone, from its stored file: not the whole course (issue 18: worker memory).
    return stored_quiz(attempt_or_enrolment.course_version, quiz_id)


def shown_language_of(attempt: QuizAttempt, interface: str) -> str:
    """The language to show `attempt`'s questions in (see `lms.domain.quiz.shown_language`)."""
    languages = course_languages(attempt.course_version)
    return shown_language(interface, languages, attempt.language)


def get_attempt(attempt_id: int) -> QuizAttempt | None:
    """The attempt with its enrolment and course version (every attempt page needs them), in
    one query."""
    return db.session.get(
        QuizAttempt,
        attempt_id,
        options=[
            joinedload(QuizAttempt.enrolment),
            joinedload(QuizAttempt.course_version).joinedload(CourseVersion.course),
        ],
    )


def accommodation_for(user_id: int) -> Accommodation | None:
    row = db.session.execute(
        select(AccommodationRow).where(AccommodationRow.user_id == user_id)
    ).scalar_one_or_none()
    if row is None:
        return None
    return Accommodation(time_multiplier=row.time_multiplier, no_time_limit=row.no_time_limit)


def attempts_of(enrolment: Enrolment, quiz_id: str) -> list[QuizAttempt]:
    return list(
        db.session.execute(
            select(QuizAttempt)
            .where(QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.quiz_id == quiz_id)
            .order_by(QuizAttempt.number)
        ).scalars()
    )


def history(attempts: list[QuizAttempt]) -> AttemptHistory:
    finished = [a for a in attempts if a.state != IN_PROGRESS]
    last = max((a.submitted_at or a.graded_at or a.started_at for a in finished), default=None)
    return AttemptHistory(
        count=len(attempts), last_finished_at=last, passed=any(a.passed for a in attempts)
    )


@dataclass
class StartResult:
    attempt: QuizAttempt | None
    decision: StartDecision | None = None


def start(
    enrolment: Enrolment, quiz: Quiz, language: str, now: datetime | None = None
) -> StartResult:
    """Resume the attempt in progress, or start a new one if the settings allow; commits."""
    now = now or utcnow()
    attempts = attempts_of(enrolment, quiz.id)
    for attempt in attempts:
        if attempt.state == IN_PROGRESS and not expire_if_due(attempt, now):
            return StartResult(attempt)
    attempts = attempts_of(enrolment, quiz.id)
    decision = may_start(quiz.settings, history(attempts), now)
    if not decision.allowed:
        return StartResult(None, decision)
    seed = secrets.randbits(31)
    attempt = QuizAttempt(
        enrolment_id=enrolment.id,
        course_version_id=enrolment.course_version_id,
        quiz_id=quiz.id,
        number=len(attempts) + 1,
        state=IN_PROGRESS,
        seed=seed,
        drawn=drawn_to_json(draw_attempt(quiz, seed)),
        language=language,
        seq=0,
        started_at=now,
        deadline=deadline(now, quiz.settings, accommodation_for(enrolment.user_id)),
    )
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:  # a double-clicked start: the other request created it
        db.session.rollback()
        current = [a for a in attempts_of(enrolment, quiz.id) if a.state == IN_PROGRESS]
        return StartResult(current[0] if current else None, decision)
    audit.record(
        enrolment.user,
        "attempt.start",
        "quiz_attempt",
        attempt.id,
        {"quiz": quiz.id, "number": attempt.number, "deadline": _iso(attempt.deadline)},
    )
    db.session.commit()
    return StartResult(attempt)


def saved_answers(attempt: QuizAttempt) -> dict[str, Any]:
    return {
        row.question_id: row.value
        for row in db.session.execute(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
        ).scalars()
    }


def expire_if_due(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Close an attempt whose time is up and grade what was saved. True if it is expired."""
    now = now or utcnow()
    if attempt.state != IN_PROGRESS or not is_expired(attempt.deadline, now):
        return attempt.state == EXPIRED
    _close(attempt, EXPIRED, now)
    db.session.commit()
    db.session.refresh(attempt)
    return True


def _close(attempt: QuizAttempt, state: str, now: datetime) -> bool:
    """Move an attempt still in progress to `state` and grade it; False if it was not open.

    The conditional UPDATE is what makes a repeated or concurrent submit harmless.
    """
    moved = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == IN_PROGRESS)
        .values(state=state, submitted_at=now)
    ).rowcount
    if moved:
        _grade(attempt, now)
    return bool(moved)


def save(
    attempt: QuizAttempt, seq: int, answers: dict[str, Any], now: datetime | None = None
) -> SaveOutcome:
    """Store answers if `seq` is current and the attempt open; commits. Never double-applies."""
    now = now or utcnow()
    if expire_if_due(attempt, now) or attempt.state != IN_PROGRESS:
        return "closed"
    outcome = _save_in_transaction(attempt, seq, answers, now)
    db.session.commit()
    db.session.refresh(attempt)
    return outcome


def _save_in_transaction(
    attempt: QuizAttempt, seq: int, answers: dict[str, Any], now: datetime
) -> SaveOutcome:
    # The conditional UPDATE comes first: it takes the row's write lock, so concurrent
    # saves and submits of the same attempt queue behind it.
    moved = db.session.execute(
        update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.seq == seq,
            QuizAttempt.state == IN_PROGRESS,
        )
        .values(seq=QuizAttempt.seq + 1)
    ).rowcount
    if not moved:
        return "stale"
    drawn_ids = {d.question_id for d in drawn_from_json(attempt.drawn)}
    existing = {
        row.question_id: row
        for row in db.session.execute(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
        ).scalars()
    }
    for question_id, value in answers.items():
        if question_id not in drawn_ids:
            continue
        row = existing.get(question_id)
        if row is None:
            db.session.add(
                AttemptAnswer(
                    attempt_id=attempt.id, question_id=question_id, value=value, saved_at=now
                )
            )
        else:
            row.value = value
            row.saved_at = now
    db.session.flush()
    return "saved"


def submit(
    attempt: QuizAttempt, seq: int, answers: dict[str, Any], now: datetime | None = None
) -> bool:
    """Save the last answers and submit; True only for the request that graded it; commits."""
    now = now or utcnow()
    if expire_if_due(attempt, now):
        return False
    _save_in_transaction(attempt, seq, answers, now)  # a stale form must not overwrite
    graded = _close(attempt, SUBMITTED, now)
    db.session.commit()
    db.session.refresh(attempt)
    return graded


def _grade(attempt: QuizAttempt, now: datetime) -> None:
    db.session.refresh(attempt)
    quiz = quiz_of(attempt, attempt.quiz_id)
    drawn = drawn_from_json(attempt.drawn)
    if quiz is None:  # pragma: no cover - a published version always has its quizzes
        raise LookupError(attempt.quiz_id)
    result = grade_attempt(quiz, drawn, saved_answers(attempt), attempt.language)
    moved = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state.in_((SUBMITTED, EXPIRED)))
        .values(
            state=GRADED,
            graded_at=now,
            score=result.score,
            max_score=result.max_score,
            percent=result.percent,
            passed=result.passed,
            results=results_json(result),
        )
    ).rowcount
    if moved:
        audit.record(
            attempt.enrolment.user,
            "attempt.grade",
            "quiz_attempt",
            attempt.id,
            {
                "quiz": attempt.quiz_id,
                "version": attempt.course_version.version,
                "score": result.score,
                "max_score": result.max_score,
                "passed": result.passed,
            },
        )
        if result.passed:
            db.session.flush()
            refresh_completion(attempt.enrolment)


def results_json(result: AttemptResult) -> list[dict[str, Any]]:
    """Per-question results as stored with the attempt (what result pages show)."""
    return [
        {
            "question": r.question_id,
            "points": r.points,
            "max_points": r.max_points,
            "correct": r.correct,
            "answered": r.answered,
        }
        for r in result.results
    ]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def first_unanswered(attempt: QuizAttempt, quiz: Quiz) -> int | None:
    """The number (from 1) of the attempt's first question without an answer; None when every
    question is answered (the trainee continues on the review page)."""
    saved = saved_answers(attempt)
    for number, item in enumerate(drawn_from_json(attempt.drawn), start=1):
        question = quiz.question(item.question_id)
        if question is not None and not is_answered(question, saved.get(item.question_id)):
            return number
    return None
