"""Factory helpers for tests: small functions that make valid objects with defaults."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from lms.extensions import db
from lms.services.accounts import users as accounts
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import lifecycle as credential_lifecycle

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(
    roles: tuple[str, ...] = ("trainee",),
    email: str | None = None,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **fields: Any,
) -> Any:
    number = next(_counter)
    user = accounts.create_user(
        accounts.NewAccount(
            email=email or f"user{number}@example.mn",
            name=name or f"Туршилт Хэрэглэгч {number}",
            password=password,
            region=fields.pop("region", "ub-bayangol"),
            **fields,
        ),
        roles=roles,
    )
    db.session.commit()
    return user


def publish_demo_course(
    root: Path,
    *,
    enrolment: str = "open",
    prerequisites: bool = False,
    version: str = "1.0.0",
    slug: str = "demo",
    replace: dict[str, tuple[str, str]] | None = None,
) -> Any:
    """Publish the test course `demo` (tests/domain/course_builder.py) and return its row.

    `replace` maps a file to (old, new) text to change before publishing.
    """
    from lms.services.courses import publishing
    from tests.domain.course_builder import valid_files, write_course

    files = dict(valid_files())
    course_yml = files["course.yml"]
    course_yml = course_yml.replace("enrolment: approval", f"enrolment: {enrolment}")
    course_yml = course_yml.replace("version: 1.0.0", f"version: {version}")
    course_yml = course_yml.replace("slug: demo", f"slug: {slug}")
    if not prerequisites:
        course_yml = course_yml.replace(
            "prerequisites:\n  - course: intro-seminar\n    requires: completion\n", ""
        )
    files["course.yml"] = course_yml
    for path, (old, new) in (replace or {}).items():
        assert old in files[path], (path, old)
        files[path] = files[path].replace(old, new)
    folder = write_course(root, files, slug=slug)
    result = publishing.publish_path(folder)
    assert result.status in ("published", "unchanged"), (result.message, result.problems)
    return result.course_version.course


def issue_demo_credential(root: Path, holder: Any = None) -> Any:
    """A credential of the demo course for `holder` (issued directly, for routes and pages)."""
    from lms.services.credentials import issuing as credentials
    from lms.services.learning import enrolment as enrolments

    course = publish_demo_course(root)
    holder = holder or make_user()
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Дархан 2027", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return credentials.issue(enrolment, trainer)


def issue_registry_credentials(root: Path) -> dict[str, Any]:
    """Three credentials for registry tests: two in Khovd (one with a formula-like
    organisation), one in Bayangol that is revoked. Holders have national IDs."""

    people = {
        "khovd": make_user(
            name="Бат-Эрдэнэ Өлзийсайхан",
            region="khovd",
            organisation="Ховдын ТББ",
            national_id="УБ99112233",
        ),
        "formula": make_user(
            name="Үүрцайх Дорж",
            region="khovd",
            organisation='=HYPERLINK("http://evil.example","x")',
            national_id="ХО88001122",
        ),
        "revoked": make_user(
            name="Сараа Болд", region="ub-bayangol", organisation="", national_id="УБ77001122"
        ),
    }
    issued = {key: issue_demo_credential(root, holder) for key, holder in people.items()}
    credential_lifecycle.change_status(issued["revoked"], "revoke", None, "fraud", "Хуурамч баримт")
    return {"people": people, "credentials": issued}


def take_quiz(
    course: Any, answers: dict[str, Any], *, quiz_id: str = "check-1", user: Any = None
) -> Any:
    """A graded attempt at a quiz of `course` by `user` (a new trainee by default).

    `answers` maps question ids to answer values (lms/domain/quiz/answers.py); the demo
    course's `check-1` has `model-1` (single, "a" is right) and `model-2` (true_false, True).
    """
    from lms.services.learning import attempts
    from lms.services.learning import enrolment as enrolments

    enrolment = enrolments.enrol(user or make_user(), course).enrolment
    attempt = attempts.start(enrolment, attempts.quiz_of(enrolment, quiz_id), "mn").attempt
    attempts.submit(attempt, attempt.seq, answers)
    return attempt


_GIVEN = ("Анар", "Болор", "Гэрэл", "Дулмаа", "Энх", "Золбоо", "Мөнх", "Номин", "Өлзий", "Үүрцайх")


def enrol_many(cohort: Any, count: int) -> list[Any]:
    """`count` trainees enrolled (active) in `cohort`, fast: no password hashing, no audit.

    Names are distinct and sort in Mongolian order in a known way (Ө after О, Ү after У).
    Returns the users in creation order.
    """
    from lms.models import Enrolment, User

    users = []
    for index in range(count):
        number = next(_counter)
        user = User(
            email=f"bulk{number}@example.mn",
            name=f"{_GIVEN[index % len(_GIVEN)]} {index + 1:03d}",
            password_hash="!",  # cannot log in
            region="khovd",
        )
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for user in users:
        db.session.add(
            Enrolment(
                user_id=user.id,
                course_id=cohort.course_id,
                course_version_id=cohort.course_version_id,
                cohort_id=cohort.id,
                state="active",
            )
        )
    db.session.commit()
    return users


def client_for(app: Any, user: Any, language: str | None = "en") -> Any:
    """A test client of its own, signed in as `user` (pages in `language`; None: the default)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        if language:
            session["lang"] = language
    return client


def add_graded_attempt(enrolment: Any, quiz_id: str = "final", **fields: Any) -> Any:
    """A first attempt at `quiz_id`, already graded and passed unless `fields` say otherwise."""
    from lms.models import QuizAttempt

    values = {
        "number": 1,
        "state": "graded",
        "seed": 1,
        "drawn": [],
        "language": "mn",
        "percent": 100,
        "passed": True,
        **fields,
    }
    attempt = QuizAttempt(
        enrolment_id=enrolment.id,
        course_version_id=enrolment.course_version_id,
        quiz_id=quiz_id,
        **values,
    )
    db.session.add(attempt)
    return attempt


CE_RENEWAL = """\
    renewal:
      continuing_education:
        hours: 36
        areas:
          - id: practice
            title: {mn: Практик, en: Practice}
            min_hours: 12
          - id: ethics
            title: {mn: Ёс зүй, en: Ethics}
            max_hours: 12
"""


def issue_renewable_credential(root: Path, holder: Any = None) -> tuple[Any, Any, Any]:
    """(holder, trainer, credential): a credential renewable by 36 continuing-education hours
    (areas `practice` and `ethics`), issued in a cohort of `trainer`."""
    from lms.services.credentials import issuing as credentials
    from lms.services.learning import enrolment as enrolments

    course = publish_demo_course(
        root, replace={"course.yml": ("    issue: trainer\n", "    issue: trainer\n" + CE_RENEWAL)}
    )
    holder = holder or make_user()
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return holder, trainer, credentials.issue(enrolment, trainer)
