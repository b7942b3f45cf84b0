"""A small, dated registry for the registry tests: credentials issued and changed on chosen days.

Credentials go through the real services (`credentials.issue`, `change_status`), with
`clock.today` set to the day each step happens, so their event history is what the
registry reads in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lms.extensions import db
from lms.models import PracticumRecord
from lms.services import clock
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.learning import enrolment as enrolments
from tests.factories import make_user, publish_demo_course

TODAY = date(2027, 6, 15)
PAST = date(2026, 12, 1)  # "qualified on this date?" in the tests
NATIONAL_ID = "УБ99112233"


@contextmanager
def on_day(day: date) -> Iterator[None]:
    """Run the services as if it were `day` in Mongolia."""
    original = clock.today
    clock.today = lambda: day  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.today = original  # type: ignore[assignment]


def publish_seminar(root: Path) -> Any:
    """A second course: a seminar whose certificate does not qualify for the subsidy."""
    from lms.services.courses import publishing
    from tests.domain.course_builder import valid_files, write_course

    files = dict(valid_files())
    text = files["course.yml"]
    for old, new in (
        ("slug: demo", "slug: seminar"),
        ("kind: training", "kind: seminar"),
        ("  en: Demo training", "  en: Demo seminar"),
        ("  mn: Туршилтын сургалт", "  mn: Туршилтын семинар"),
        ("prefix: JC", "prefix: SM"),
        ("qualifies_for_subsidy: true", "qualifies_for_subsidy: false"),
        ("enrolment: approval", "enrolment: open"),
        ("prerequisites:\n  - course: intro-seminar\n    requires: completion\n", ""),
    ):
        assert old in text, old
        text = text.replace(old, new)
    files["course.yml"] = text
    result = publishing.publish_path(write_course(root, files, slug="seminar"))
    assert result.status in ("published", "unchanged"), result.problems
    return result.course_version.course


def issue(course: Any, holder: Any, day: date, trainer: Any) -> Any:
    enrolment = enrolments.enrol(holder, course).enrolment
    with on_day(day):
        return credentials.issue(enrolment, trainer)


def change(credential: Any, action: str, day: date, actor: Any, reason: str = "other") -> None:
    with on_day(day):
        credential_lifecycle.change_status(credential, action, actor, reason, f"{action} on {day}")


@dataclass
class Registry:
    trainer: Any
    admin: Any
    holders: dict[str, Any]
    creds: dict[str, Any]


def seed(root: Path) -> Registry:
    """Six credentials; with TODAY = 2027-06-15 and PAST = 2026-12-01:

    active   A  demo     ub-bayangol  issued 2026-01-10                    qualifies on PAST
    expired  B  demo     khovd        issued 2024-03-01, expired 2027-03-01  qualifies on PAST
    revoked  C  demo     dornod       issued 2025-05-05, revoked 2027-02-01  qualifies on PAST
    revoked  D  demo     khovd        issued 2025-05-05, revoked 2026-06-01  not on PAST
    active   E  seminar  ub-bayangol  issued 2027-06-01 (not subsidy)        not on PAST
    suspended F demo     selenge      issued 2026-07-07, suspended 2027-05-01 qualifies on PAST
    """
    demo = publish_demo_course(root)
    seminar = publish_seminar(root)
    trainer = make_user(roles=("trainer",), name="Сургагч Дулмаа")
    admin = make_user(roles=("admin",), name="Админ Болд")
    people = {
        "A": ("Батбаяр Дорж", "ub-bayangol", "Найдвар ТББ", NATIONAL_ID),
        "B": ("Сарнай Өлзий", "khovd", "Ховд ХБТ", ""),
        "C": ("Энхжин Бат", "dornod", "Дорнод ТББ", ""),
        "D": ("Төмөр Ганбаатар", "khovd", "Ховд ХБТ", ""),
        "E": ("Oyuna Smith", "ub-bayangol", "Найдвар ТББ", ""),
        "F": ("Цэцэг Мөнх", "selenge", "Сэлэнгэ ТББ", ""),
    }
    holders = {
        key: make_user(
            name=name,
            region=region,
            organisation=organisation,
            national_id=national,
            email=f"holder-{key.lower()}@example.mn",
        )
        for key, (name, region, organisation, national) in people.items()
    }
    creds = {
        "A": issue(demo, holders["A"], date(2026, 1, 10), trainer),
        "B": issue(demo, holders["B"], date(2024, 3, 1), trainer),
        "C": issue(demo, holders["C"], date(2025, 5, 5), trainer),
        "D": issue(demo, holders["D"], date(2025, 5, 5), trainer),
        "E": issue(seminar, holders["E"], date(2027, 6, 1), trainer),
        "F": issue(demo, holders["F"], date(2026, 7, 7), trainer),
    }
    change(creds["C"], "revoke", date(2027, 2, 1), admin, "misconduct")
    change(creds["D"], "revoke", date(2026, 6, 1), admin, "fraud")
    change(creds["F"], "suspend", date(2027, 5, 1), admin)
    db.session.add(
        PracticumRecord(
            enrolment_id=creds["A"].enrolment_id,
            competency_id="task-analysis",
            hours=24,
            observed_on=date(2025, 12, 20),
            signed_by_id=trainer.id,
            supervisor_name="Дэлгүүрийн эрхлэгч",
            notes="Бие даан хийв.",
        )
    )
    db.session.commit()
    return Registry(trainer=trainer, admin=admin, holders=holders, creds=creds)
