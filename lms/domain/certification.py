"""The certification rules engine: does a trainee's record meet a course's requirements?

`evaluate` reads the course's ``certification.requires`` and its prerequisites and returns a
`Decision` listing every unmet requirement as a `Reason` with a machine code and counts, which
the web layer turns into a sentence ("2 of 9 practicum competencies still unsigned").

Reason codes, in the order they are reported:

=================  =============================================  ==============================
code               done / required                                detail
=================  =============================================  ==============================
prerequisite       prerequisites met / declared                   slugs of the unmet courses
lessons            required lessons completed / required          lesson ids not completed
quizzes            required quizzes passed / required             quiz ids not passed
attendance         sessions attended / sessions needed            ()
competencies       competencies signed off / competencies         competency ids unsigned
practicum_hours    whole hours signed (rounded down) / required   ()
                   hours (rounded up)
=================  =============================================  ==============================

Eligibility itself compares exact values; the rounding only shapes the counts shown, and is
chosen so that a shortfall never reads "24 of 24 hours". Attendance is a share of the sessions
held: with a required share of 0.8 and 10 sessions, 8 must be attended (the share is read as the
decimal written in ``course.yml``, so 0.7 × 10 needs 7, not 8 by a floating-point whisker).
When the course requires attendance and no session has been held, the requirement is unmet
(0 of 1): a certificate of attendance needs at least one attended session.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from lms.domain.courses import Course
from lms.domain.enrolment import LearnerRecord, unmet_prerequisites


@dataclass(frozen=True)
class TraineeRecord:
    """What a trainee has done, as far as certification is concerned."""

    completed_lessons: frozenset[str] = frozenset()
    passed_quizzes: frozenset[str] = frozenset()
    signed_competencies: frozenset[str] = frozenset()
    practicum_hours: float = 0.0
    attendance: tuple[int, int] | None = None  # (attended, sessions); None when none was held
    active_credentials: frozenset[str] = frozenset()  # course slugs
    completed_courses: frozenset[str] = frozenset()  # course slugs
    # Credentials in their renewal grace period: course slug -> the courses renewing them.
    in_grace: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def __post_init__(self) -> None:
        if not 0 <= self.practicum_hours < math.inf:
            raise ValueError(f"practicum hours must be a number >= 0: {self.practicum_hours}")
        if self.attendance is not None:
            attended, sessions = self.attendance
            if not 0 <= attended <= sessions:
                raise ValueError(f"attendance must be 0 <= attended <= sessions: {attended}")


@dataclass(frozen=True)
class Reason:
    """One unmet requirement: a code, how much is done of how much is required, and the ids
    still missing (where the requirement is a list of things)."""

    code: str
    done: int
    required: int
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """Whether a trainee may be certified, and if not, why.

    ``needs_trainer_approval`` says how an eligible trainee's credential is issued (the course's
    ``issue: trainer``); it does not make an eligible trainee ineligible.
    """

    eligible: bool
    reasons: tuple[Reason, ...]  # unmet requirements only
    needs_trainer_approval: bool


def _missing(required: tuple[str, ...], have: frozenset[str], code: str) -> Reason | None:
    missing = tuple(item for item in required if item not in have)
    if not missing:
        return None
    return Reason(code, len(required) - len(missing), len(required), missing)


def sessions_needed(share: float, sessions: int) -> int:
    """How many of ``sessions`` must be attended to reach ``share`` of them (at least one)."""
    exact = Fraction(repr(share)) * sessions  # the decimal as written, not its binary double
    return max(1, math.ceil(exact))


def _attendance(share: float | None, attendance: tuple[int, int] | None) -> Reason | None:
    if share is None:
        return None
    attended, sessions = attendance if attendance is not None else (0, 0)
    needed = sessions_needed(share, sessions)
    return None if attended >= needed else Reason("attendance", attended, needed)


def _prerequisites(course: Course, record: TraineeRecord) -> Reason | None:
    learner = LearnerRecord(record.completed_courses, record.active_credentials, record.in_grace)
    unmet = unmet_prerequisites(course.prerequisites, learner, course.slug)
    if not unmet:
        return None
    total = len(course.prerequisites)
    return Reason("prerequisite", total - len(unmet), total, tuple(p.course for p in unmet))


def evaluate(course: Course, record: TraineeRecord) -> Decision:
    """Judge ``record`` against ``course``'s certification rules and prerequisites.

    The decision is eligible exactly when there are no reasons. Prerequisites are checked again
    here because a credential they rely on may have expired or been revoked since enrolment.
    """
    requires = course.certification.requires
    found: list[Reason | None] = [
        _prerequisites(course, record),
        _missing(requires.lessons, record.completed_lessons, "lessons"),
        _missing(requires.quizzes, record.passed_quizzes, "quizzes"),
        _attendance(requires.attendance, record.attendance),
    ]
    practicum = requires.practicum
    if practicum is not None:
        competency_ids = tuple(competency.id for competency in practicum.competencies)
        found.append(_missing(competency_ids, record.signed_competencies, "competencies"))
        if record.practicum_hours < practicum.hours:
            found.append(
                Reason(
                    "practicum_hours",
                    math.floor(record.practicum_hours),
                    math.ceil(practicum.hours),
                )
            )
    reasons = tuple(reason for reason in found if reason is not None)
    return Decision(
        eligible=not reasons,
        reasons=reasons,
        needs_trainer_approval=course.certification.credential.issue == "trainer",
    )
