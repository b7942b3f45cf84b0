"""Attendance of a cohort's seminar days: sessions, who was present, and what it counts for.

A session counts as held once it exists (`lms.services.certification.attendance` divides by
every session of the cohort), so a trainer who adds the days of a course in advance cannot have a
credential issued before enough of them were attended. Marks are per trainee (user) and
session; saving the same marks again changes nothing and writes no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError

from lms.domain.progress_grid import name_sort_key
from lms.extensions import db
from lms.models import AttendanceMark, AttendanceSession, Cohort, Enrolment, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.events import record_changed

MEMBER_STATES = ("active", "completed")


@dataclass(frozen=True)
class SessionSummary:
    session: AttendanceSession
    present: int  # trainees marked present
    marked: bool  # attendance has been taken at least once


@dataclass(frozen=True)
class RosterEntry:
    enrolment: Enrolment
    user: User
    present: bool


def add_session(cohort: Cohort, held_on: date, title: str, actor: User) -> AttendanceSession:
    """A new seminar day of `cohort`; audited; commits."""
    session = AttendanceSession(
        cohort_id=cohort.id, held_on=held_on, title=title.strip(), created_by_id=actor.id
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        actor,
        "attendance.session",
        "cohort",
        cohort.id,
        {"session": session.id, "held_on": held_on.isoformat(), "title": session.title},
    )
    db.session.commit()
    return session


def members(cohort: Cohort) -> list[tuple[Enrolment, User]]:
    """The cohort's active and completed trainees, in Mongolian alphabetical order."""
    rows = db.session.execute(
        select(Enrolment, User)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.state.in_(MEMBER_STATES))
    )
    pairs = [(enrolment, user) for enrolment, user in rows]
    return sorted(pairs, key=lambda pair: (name_sort_key(pair[1].name), pair[1].id))


def sessions(cohort: Cohort) -> list[SessionSummary]:
    """The cohort's sessions by date, each with how many trainees were marked present."""
    rows = db.session.execute(
        select(AttendanceSession)
        .where(AttendanceSession.cohort_id == cohort.id)
        .order_by(AttendanceSession.held_on, AttendanceSession.id)
    ).scalars()
    counts: dict[int, tuple[int, int]] = {
        session_id: (int(present or 0), int(marked))
        for session_id, present, marked in db.session.execute(
            select(
                AttendanceMark.session_id,
                func.sum(case((AttendanceMark.present.is_(True), 1), else_=0)),
                func.count(),
            )
            .join(AttendanceSession, AttendanceSession.id == AttendanceMark.session_id)
            .where(AttendanceSession.cohort_id == cohort.id)
            .group_by(AttendanceMark.session_id)
        )
    }
    return [
        SessionSummary(s, counts.get(s.id, (0, 0))[0], counts.get(s.id, (0, 0))[1] > 0)
        for s in rows
    ]


def present_user_ids(session: AttendanceSession) -> set[int]:
    return set(
        db.session.execute(
            select(AttendanceMark.user_id).where(
                AttendanceMark.session_id == session.id, AttendanceMark.present.is_(True)
            )
        ).scalars()
    )


def roster(session: AttendanceSession) -> list[RosterEntry]:
    """Every trainee of the session's cohort, by name, with whether they were present."""
    present = present_user_ids(session)
    return [
        RosterEntry(enrolment, user, user.id in present)
        for enrolment, user in members(session.cohort)
    ]


def mark_attendance(session: AttendanceSession, present: set[int], actor: User) -> int:
    """Set who was present (user ids) among the cohort's trainees; others are marked absent.

    Ids outside the cohort are ignored. Audited when anything changed; may issue credentials
    to those newly present. Returns how many marks changed. Commits.
    """
    for attempt in range(2):
        try:
            changed, newly_present = _apply_marks(session, present, actor)
            db.session.commit()
            break
        except IntegrityError:  # another trainer saved the same session's first marks at once
            db.session.rollback()
            if attempt:
                raise
    if newly_present:
        for enrolment in newly_present:
            record_changed.send(enrolment)
    return changed


def _apply_marks(
    session: AttendanceSession, present: set[int], actor: User
) -> tuple[int, list[Enrolment]]:
    enrolled = [enrolment for enrolment, _user in members(session.cohort)]
    marks = {
        mark.user_id: mark
        for mark in db.session.execute(
            select(AttendanceMark).where(AttendanceMark.session_id == session.id)
        ).scalars()
    }
    added: list[int] = []
    removed: list[int] = []
    changed = 0
    newly_present: list[Enrolment] = []
    now = utcnow()
    for enrolment in enrolled:
        wanted = enrolment.user_id in present
        mark = marks.get(enrolment.user_id)
        was_present = bool(mark and mark.present)
        if mark is None:
            mark = AttendanceMark(session_id=session.id, user_id=enrolment.user_id)
            db.session.add(mark)
        elif mark.present == wanted:
            continue
        mark.present = wanted
        mark.marked_by_id = actor.id
        mark.marked_at = now
        changed += 1
        if wanted and not was_present:
            added.append(enrolment.user_id)
            newly_present.append(enrolment)
        elif was_present and not wanted:
            removed.append(enrolment.user_id)
    if changed:
        db.session.flush()
        audit.record(
            actor,
            "attendance.mark",
            "attendance_session",
            session.id,
            {
                "present": sorted(present & {e.user_id for e in enrolled}),
                "added": sorted(added),
                "removed": sorted(removed),
            },
        )
    return changed, newly_present


def edit_session(session: AttendanceSession, held_on: date, title: str, actor: User) -> None:
    """Correct a session's date or title; audited; commits."""
    before = {"held_on": session.held_on.isoformat(), "title": session.title}
    session.held_on = held_on
    session.title = title.strip()
    audit.record(
        actor,
        "attendance.session_edit",
        "attendance_session",
        session.id,
        {"before": before, "after": {"held_on": held_on.isoformat(), "title": session.title}},
    )
    db.session.commit()


class SessionNotEmpty(ValueError):
    """A session where someone was marked present is a record: it is not deleted."""


def delete_session(session: AttendanceSession, actor: User) -> None:
    """Remove a session added by mistake (nobody marked present); audited; commits.

    Every session counts as held, so a wrong one would lower everyone's attendance share.
    """
    if present_user_ids(session):
        raise SessionNotEmpty(session.id)
    cohort = session.cohort
    details = {"cohort": session.cohort_id, "held_on": session.held_on.isoformat()}
    db.session.execute(delete(AttendanceMark).where(AttendanceMark.session_id == session.id))
    audit.record(actor, "attendance.session_delete", "attendance_session", session.id, details)
    db.session.delete(session)
    db.session.commit()
    for enrolment, _user in members(cohort):  # fewer sessions held: some may now qualify
        record_changed.send(enrolment)
