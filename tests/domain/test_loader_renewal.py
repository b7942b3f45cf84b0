"""Renewal rules and continuing-education value in course.yml: read into the course, and each
mistake reported with its file:line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lms.domain.credentials.renewal import CeValue
from tests.domain.test_loader_errors import C, load_variant

ISSUE = "    issue: trainer\n"
RENEWAL = """\
    renewal:
      window_months: 9
      grace_days: 30
      continuing_education:
        hours: 36
        kinds: [course, workshop]
        areas:
          - id: practice
            title: {mn: Практик, en: Practice}
            min_hours: 12
          - id: ethics
            title: {mn: Ёс зүй, en: Ethics}
            max_hours: 12
      refreshers: [job-coach-refresher]
"""
LINE = 42  # the line of "renewal:" in the demo course.yml


def _with(renewal: str, tmp_path, monkeypatch, extra: dict | None = None):
    return load_variant(
        tmp_path, monkeypatch, {"course.yml": (ISSUE, ISSUE + renewal), **(extra or {})}
    )


def _problems(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_renewal_rules_are_read_into_the_credential(tmp_path, monkeypatch):
    result = _with(RENEWAL, tmp_path, monkeypatch)
    assert _problems(result) == []
    rules = result.course.certification.credential.renewal
    assert rules.valid_for_months == 36
    assert (rules.window_months, rules.grace_days) == (9, 30)
    assert rules.refreshers == ("job-coach-refresher",)
    ce = rules.continuing_education
    assert ce.hours == Decimal(36)
    assert ce.kinds == frozenset({"course", "workshop"})
    assert [(a.id, a.min_hours, a.max_hours) for a in ce.areas] == [
        ("practice", Decimal(12), None),
        ("ethics", Decimal(0), Decimal(12)),
    ]
    assert ce.areas[1].title == {"mn": "Ёс зүй", "en": "Ethics"}


def test_a_course_without_renewal_rules_has_none(tmp_path, monkeypatch):
    result = load_variant(tmp_path, monkeypatch, {})
    assert result.course.certification.credential.renewal is None
    assert result.course.continuing_education is None


def test_a_course_counts_as_continuing_education(tmp_path, monkeypatch):
    result = load_variant(
        tmp_path,
        monkeypatch,
        {"course.yml": ("enrolment: approval\n", "enrolment: approval\n"
                        "continuing_education:\n  hours: 6\n  area: practice\n")},
    )  # fmt: skip
    assert _problems(result) == []
    assert result.course.continuing_education == CeValue(Decimal(6), "practice")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "            min_hours: 12\n",
            "            min_hours: 12\n            max_hours: 12\n",
            f"{C}:{LINE + 4}: error: certification.credential.renewal.continuing_education"
            ".hours: the areas' max_hours allow only",
        ),
        (
            "            min_hours: 12\n",
            "            min_hours: 40\n",
            f"{C}:{LINE + 4}: error: certification.credential.renewal.continuing_education"
            ".hours: the areas' min_hours add up to 40, more than the 36 hours required",
        ),
        (
            "          - id: ethics\n",
            "          - id: practice\n",
            f"{C}:{LINE + 10}: error: certification.credential.renewal.continuing_education"
            ".areas[1].id: duplicate area id 'practice'",
        ),
        (
            "        kinds: [course, workshop]\n",
            "        kinds: [course, worksop]\n",
            f"{C}:{LINE + 5}: error: certification.credential.renewal.continuing_education"
            ".kinds[1]: 'worksop' is not one of",
        ),
        (
            "      grace_days: 30\n",
            "      grace_days: -1\n",
            f"{C}:{LINE + 2}: error: certification.credential.renewal.grace_days: "
            "must be at least 0",
        ),
    ],
)
def test_renewal_mistakes_name_their_line(tmp_path, monkeypatch, old, new, expected):
    result = _with(RENEWAL.replace(old, new), tmp_path, monkeypatch)
    problems = _problems(result)
    assert any(p.startswith(expected) for p in problems), problems
    assert result.course is None


def test_renewal_needs_a_way_to_renew(tmp_path, monkeypatch):
    result = _with("    renewal:\n      grace_days: 30\n", tmp_path, monkeypatch)
    assert f"{C}:{LINE}: error: certification.credential.renewal: say how to renew" in "\n".join(
        _problems(result)
    )


def test_a_credential_that_never_expires_cannot_have_renewal_rules(tmp_path, monkeypatch):
    result = load_variant(
        tmp_path,
        monkeypatch,
        {"course.yml": (
            "    valid_for_months: 36\n    qualifies_for_subsidy: true\n" + ISSUE,
            "    valid_for_months: null\n    qualifies_for_subsidy: true\n" + ISSUE + RENEWAL,
        )},
    )  # fmt: skip
    assert any("never expires and has nothing to renew" in p for p in _problems(result))
