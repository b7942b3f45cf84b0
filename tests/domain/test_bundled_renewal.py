"""The renewal rules shipped with the bundled courses (issue 19): the job coach credential's
rules as chosen, and every refresher they name is a bundled continuing-education course that
asks for that credential and counts in one of its areas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lms.domain.courses import DirectorySource, load_course
from lms.domain.courses.model import Course
from lms.domain.credentials.renewal import Activity, Phase, renewal_state

BUNDLED = Path(__file__).resolve().parents[2] / "lms" / "bundled_courses"


def _course(slug: str) -> Course:
    result = load_course(DirectorySource(BUNDLED / slug))
    assert result.course is not None, [str(p) for p in result.problems]
    return result.course


def _bundled() -> list[Course]:
    return [_course(p.name) for p in sorted(BUNDLED.iterdir()) if (p / "course.yml").is_file()]


def test_the_job_coach_credential_renews_like_apse_cesp() -> None:
    rules = _course("job-coach-training").certification.credential.renewal
    assert rules is not None
    assert (rules.valid_for_months, rules.window_months, rules.grace_days) == (36, 9, 30)
    assert rules.refreshers == ("job-coach-refresher",)
    assert rules.automatic is False
    ce = rules.continuing_education
    assert ce is not None
    assert ce.hours == 36
    assert ce.kinds == {"course", "module", "workshop", "conference"}
    limits = {a.id: (a.min_hours, a.max_hours) for a in ce.areas}
    twelve, zero = Decimal(12), Decimal(0)
    assert limits == {
        "practice": (twelve, None),
        "employers-and-support": (zero, twelve),
        "ethics": (Decimal(3), None),
        "disability-knowledge": (zero, twelve),
    }


def test_every_refresher_is_a_bundled_ce_course_that_needs_the_credential() -> None:
    courses = {course.slug: course for course in _bundled()}
    renewable = [c for c in courses.values() if c.certification.credential.renewal is not None]
    assert renewable
    for course in renewable:
        rules = course.certification.credential.renewal
        assert rules is not None
        areas = (
            {a.id for a in rules.continuing_education.areas}
            if rules.continuing_education
            else set()
        )
        for slug in rules.refreshers:
            refresher = courses[slug]
            assert (course.slug, "credential") in {
                (p.course, p.requires) for p in refresher.prerequisites
            }
            assert refresher.continuing_education is not None
            assert refresher.continuing_education.area in areas
            # Worth its classroom hours; its own certificate never expires, gives no subsidy.
            assert refresher.continuing_education.hours == Decimal(str(refresher.hours.classroom))
            assert refresher.certification.credential.valid_for_months is None
            assert refresher.certification.credential.qualifies_for_subsidy is False
            assert refresher.enrolment == "open"


def test_the_refresher_renews_alone_or_counts_as_practice_hours() -> None:
    rules = _course("job-coach-training").certification.credential.renewal
    refresher = _course("job-coach-refresher").continuing_education
    assert rules is not None
    assert refresher is not None
    issued, expires, today = date(2024, 1, 10), date(2027, 1, 9), date(2026, 6, 1)
    passed = renewal_state(
        rules,
        issued_on=issued,
        expires_on=expires,
        on=today,
        refreshers_passed={"job-coach-refresher": date(2026, 5, 20)},
    )
    assert passed.phase is Phase.WINDOW
    assert passed.met_by == ("refresher",)
    # By hours, the refresher's 6 practice hours count; 30 more, 3 of them ethics, complete it.
    as_course = Activity(date(2025, 5, 20), refresher.hours, refresher.area, "course")
    others = [
        Activity(date(2025, 9, 1), Decimal(6), "practice", "workshop"),
        Activity(date(2025, 10, 1), Decimal(12), "employers-and-support", "conference"),
        Activity(date(2026, 2, 1), Decimal(12), "disability-knowledge", "course"),
    ]
    short = renewal_state(
        rules, issued_on=issued, expires_on=expires, on=today, activities=[as_course, *others]
    )
    assert short.hours is not None
    assert short.hours.counted == 36
    assert short.met_by == ()  # 36 hours, but none in ethics
    ethics = Activity(date(2026, 3, 1), Decimal(3), "ethics", "workshop")
    met = renewal_state(
        rules,
        issued_on=issued,
        expires_on=expires,
        on=today,
        activities=[as_course, *others, ethics],
    )
    assert met.met_by == ("hours",)
