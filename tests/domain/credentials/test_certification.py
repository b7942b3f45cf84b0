"""The certification rules engine: table-driven cases and properties."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.certification import Decision, Reason, TraineeRecord, evaluate
from lms.domain.courses import (
    Certification,
    CertificationRequirements,
    Competency,
    Course,
    CredentialSpec,
    Hours,
    Practicum,
    Prerequisite,
)

LESSONS = ("01-role", "02-profiling", "03-task-analysis")
COMPETENCIES = tuple(f"c{i}" for i in range(1, 10))


def make_course(
    *,
    quizzes: tuple[str, ...] = ("final",),
    attendance: float | None = None,
    practicum_hours: float | None = 24,
    prerequisites: tuple[Prerequisite, ...] = (),
    issue: str = "automatic",
) -> Course:
    practicum = None
    if practicum_hours is not None:
        competencies = tuple(Competency(c, {"en": c}) for c in COMPETENCIES)
        practicum = Practicum(hours=practicum_hours, competencies=competencies)
    return Course(
        slug="job-coach",
        version="1.0.0",
        kind="training",
        languages=("mn", "en"),
        title={"mn": "Сургалт", "en": "Training"},
        summary={"mn": "", "en": ""},
        hours=Hours(classroom=26, practicum=24),
        prerequisites=prerequisites,
        enrolment="approval",
        outline=(),
        certification=Certification(
            requires=CertificationRequirements(
                lessons=LESSONS,
                all_lessons=True,
                quizzes=quizzes,
                attendance=attendance,
                practicum=practicum,
            ),
            credential=CredentialSpec(
                name={"en": "Job coach"},
                prefix="JC",
                valid_for_months=36,
                qualifies_for_subsidy=True,
                issue=issue,  # type: ignore[arg-type]
            ),
        ),
        lessons={},
        quizzes={},
    )


COURSE = make_course()
DONE = TraineeRecord(
    completed_lessons=frozenset(LESSONS),
    passed_quizzes=frozenset({"final"}),
    signed_competencies=frozenset(COMPETENCIES),
    practicum_hours=24,
)


def test_complete_record_is_eligible() -> None:
    assert evaluate(COURSE, DONE) == Decision(True, (), needs_trainer_approval=False)
    assert evaluate(make_course(issue="trainer"), DONE).needs_trainer_approval


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"completed_lessons": frozenset({"01-role"})},
            Reason("lessons", 1, 3, ("02-profiling", "03-task-analysis")),
        ),
        ({"passed_quizzes": frozenset()}, Reason("quizzes", 0, 1, ("final",))),
        (
            {"signed_competencies": frozenset(COMPETENCIES[:7])},
            Reason("competencies", 7, 9, ("c8", "c9")),
        ),
        ({"practicum_hours": 23.5}, Reason("practicum_hours", 23, 24)),
        ({"practicum_hours": 0}, Reason("practicum_hours", 0, 24)),
    ],
)
def test_one_unmet_requirement(change: dict[str, object], reason: Reason) -> None:
    decision = evaluate(COURSE, replace(DONE, **change))  # type: ignore[arg-type]
    assert decision == Decision(False, (reason,), needs_trainer_approval=False)


def test_shortfall_never_reads_equal() -> None:
    course = make_course(practicum_hours=24.5)
    (reason,) = evaluate(course, replace(DONE, practicum_hours=24.4)).reasons
    assert reason == Reason("practicum_hours", 24, 25)
    assert evaluate(course, replace(DONE, practicum_hours=24.5)).eligible


@pytest.mark.parametrize(
    ("share", "attendance", "reason"),
    [
        (0.8, (8, 10), None),
        (0.8, (7, 10), Reason("attendance", 7, 8)),
        (0.7, (7, 10), None),  # 0.7 x 10 needs 7, not 8
        (1.0, (2, 3), Reason("attendance", 2, 3)),
        (0.5, (1, 3), Reason("attendance", 1, 2)),
        (0.8, None, Reason("attendance", 0, 1)),  # no session held yet
        (0.8, (0, 0), Reason("attendance", 0, 1)),
        (None, None, None),  # the course does not count attendance
    ],
)
def test_attendance(
    share: float | None, attendance: tuple[int, int] | None, reason: Reason | None
) -> None:
    course = make_course(attendance=share, practicum_hours=None, quizzes=())
    record = TraineeRecord(completed_lessons=frozenset(LESSONS), attendance=attendance)
    assert evaluate(course, record).reasons == (() if reason is None else (reason,))


PREREQUISITES = (
    Prerequisite("intro-seminar", "completion"),
    Prerequisite("job-coach", "credential"),
)


@pytest.mark.parametrize(
    ("completed", "active", "reason"),
    [
        ({"intro-seminar"}, {"job-coach"}, None),
        (set(), {"intro-seminar", "job-coach"}, None),  # a credential counts as completion
        ({"intro-seminar", "job-coach"}, set(), Reason("prerequisite", 1, 2, ("job-coach",))),
        (set(), set(), Reason("prerequisite", 0, 2, ("intro-seminar", "job-coach"))),
    ],
)
def test_prerequisites_still_valid(
    completed: set[str], active: set[str], reason: Reason | None
) -> None:
    course = make_course(prerequisites=PREREQUISITES)
    record = replace(
        DONE, completed_courses=frozenset(completed), active_credentials=frozenset(active)
    )
    assert evaluate(course, record).reasons == (() if reason is None else (reason,))


def test_reasons_come_in_a_fixed_order() -> None:
    course = make_course(attendance=0.8, prerequisites=PREREQUISITES[:1])
    codes = [reason.code for reason in evaluate(course, TraineeRecord()).reasons]
    expected = ["prerequisite", "lessons", "quizzes", "attendance"]
    assert codes == [*expected, "competencies", "practicum_hours"]


@pytest.mark.parametrize(
    "record",
    [
        {"practicum_hours": -1},
        {"practicum_hours": float("nan")},
        {"attendance": (3, 2)},
        {"attendance": (-1, 2)},
    ],
)
def test_impossible_records_are_refused(record: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        TraineeRecord(**record)  # type: ignore[arg-type]


ALL_IDS = (*LESSONS, "final", "other-quiz", *COMPETENCIES)
ids = st.frozensets(st.sampled_from(ALL_IDS))
records = st.builds(
    TraineeRecord,
    completed_lessons=ids,
    passed_quizzes=ids,
    signed_competencies=ids,
    practicum_hours=st.floats(0, 40),
    attendance=st.none() | st.tuples(st.integers(0, 10), st.just(10)),
    active_credentials=st.frozensets(st.sampled_from(("intro-seminar", "job-coach"))),
    completed_courses=st.frozensets(st.sampled_from(("intro-seminar", "job-coach"))),
)
courses = st.builds(
    make_course,
    quizzes=st.sampled_from(((), ("final",), ("final", "other-quiz"))),
    attendance=st.sampled_from((None, 0.5, 0.8, 1.0)),
    practicum_hours=st.sampled_from((None, 8, 24.5)),
    prerequisites=st.sampled_from(((), PREREQUISITES[:1], PREREQUISITES)),
)


def _more(record: TraineeRecord, extra: TraineeRecord) -> TraineeRecord:
    """``record`` with everything in ``extra`` done as well (never less); the sessions held stay
    the same, since holding a session is not something the trainee completes."""
    attendance = record.attendance
    if attendance is not None and extra.attendance is not None:
        attendance = (max(attendance[0], extra.attendance[0]), attendance[1])
    return TraineeRecord(
        completed_lessons=record.completed_lessons | extra.completed_lessons,
        passed_quizzes=record.passed_quizzes | extra.passed_quizzes,
        signed_competencies=record.signed_competencies | extra.signed_competencies,
        practicum_hours=max(record.practicum_hours, extra.practicum_hours),
        attendance=attendance,
        active_credentials=record.active_credentials | extra.active_credentials,
        completed_courses=record.completed_courses | extra.completed_courses,
    )


@given(course=courses, record=records, extra=records)
def test_doing_more_never_makes_a_decision_worse(
    course: Course, record: TraineeRecord, extra: TraineeRecord
) -> None:
    before, after = evaluate(course, record), evaluate(course, _more(record, extra))
    assert before.eligible <= after.eligible
    unmet_before = {reason.code: reason for reason in before.reasons}
    for reason in after.reasons:
        earlier = unmet_before[reason.code]  # nothing newly unmet
        assert reason.done >= earlier.done
        assert reason.required == earlier.required
        assert set(reason.detail) <= set(earlier.detail)


@given(course=courses, record=records)
def test_eligible_iff_no_reasons(course: Course, record: TraineeRecord) -> None:
    decision = evaluate(course, record)
    assert decision.eligible == (decision.reasons == ())
    for reason in decision.reasons:
        assert 0 <= reason.done < reason.required
    assert decision.needs_trainer_approval is False
