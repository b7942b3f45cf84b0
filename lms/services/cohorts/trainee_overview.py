"""What a trainer sees of one trainee: attempts, accommodation, practicum log, who they follow.

Attempt data is grade data: it is read here for the trainee's own trainers and admins (the
views check `can_follow_enrolment`), never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from lms.extensions import db
from lms.models import Accommodation, Enrolment, PracticumRecord, QuizAttempt, User
from lms.permissions import can_follow_enrolment
from lms.services.accounts import users as accounts
from lms.services.learning import attempts as attempt_service
from lms.services.learning.progress import localised, quiz_results


@dataclass(frozen=True)
class AttemptRow:
    attempt: QuizAttempt
    quiz_title: str
    time_taken: timedelta | None  # None while in progress
    counts: bool  # the attempt that counts for its quiz (the best graded one)


def time_taken(attempt: QuizAttempt) -> timedelta | None:
    """From start to submission, or to the deadline for an attempt closed when time ran out."""
    if attempt.submitted_at is None:
        return None
    end: datetime = attempt.submitted_at
    if attempt.deadline is not None and end > attempt.deadline:
        end = attempt.deadline  # expired attempts are closed lazily, after the deadline
    return max(end - attempt.started_at, timedelta(0))


def attempt_rows(enrolment: Enrolment, language: str) -> list[AttemptRow]:
    """Every attempt of the enrolment, by quiz in outline order, then by number.

    Attempts whose time ran out are closed and graded first, as the trainee's own pages do,
    so the trainer never sees an attempt "in progress" that can no longer change.
    """
    rows = list(
        db.session.execute(
            select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id)
        ).scalars()
    )
    for attempt in rows:
        if attempt.state == attempt_service.IN_PROGRESS:
            attempt_service.expire_if_due(attempt)
    quizzes = enrolment.course_version.meta.get("quizzes", {})
    order = [item.get("quiz") for item in _outline_items(enrolment.course_version.meta)]
    position = {quiz_id: index for index, quiz_id in enumerate(order) if quiz_id}
    counting = {attempt.id for attempt in quiz_results(enrolment).values()}
    rows.sort(key=lambda a: (position.get(a.quiz_id, len(position)), a.quiz_id, a.number))
    return [
        AttemptRow(
            attempt=attempt,
            quiz_title=localised(quizzes.get(attempt.quiz_id, {}), language) or attempt.quiz_id,
            time_taken=time_taken(attempt),
            counts=attempt.id in counting,
        )
        for attempt in rows
    ]


def _outline_items(meta: dict) -> list[dict[str, str]]:  # type: ignore[type-arg]
    items: list[dict[str, str]] = []
    for part in meta.get("outline", []):
        items.extend(part["items"] if "module" in part else [part])
    return items


def accommodation_of(user: User) -> Accommodation | None:
    return db.session.execute(
        select(Accommodation).where(Accommodation.user_id == user.id)
    ).scalar_one_or_none()


def practicum_log(enrolment: Enrolment) -> list[PracticumRecord]:
    return list(
        db.session.execute(
            select(PracticumRecord)
            .where(PracticumRecord.enrolment_id == enrolment.id)
            .order_by(PracticumRecord.observed_on, PracticumRecord.id)
        ).scalars()
    )


def follows_user(actor: User, user: User) -> bool:
    """Whether `actor` follows any enrolment of `user` (so may set their accommodation)."""
    enrolments = db.session.execute(select(Enrolment).where(Enrolment.user_id == user.id))
    return any(can_follow_enrolment(actor, enrolment) for enrolment in enrolments.scalars())


def followed_user_by_email(actor: User, email: str) -> User | None:
    """The account with `email`, only if `actor` follows one of its enrolments.

    Anyone else is None, exactly like an unknown address, so the form does not tell a
    trainer which email addresses have accounts.
    """
    user = accounts.find_by_email(email)
    if user is None or not follows_user(actor, user):
        return None
    return user
