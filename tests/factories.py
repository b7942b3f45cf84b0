"""Factory helpers for tests: small functions that make valid objects with defaults."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from lms.extensions import db
from lms.services import accounts

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
    from lms.services import publishing
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
    from lms.services import credentials, trainer_tools
    from lms.services import enrolment as enrolments

    course = publish_demo_course(root)
    holder = holder or make_user()
    trainer = make_user(roles=("trainer",))
    cohort = trainer_tools.create_cohort(course, "Дархан 2027", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return credentials.issue(enrolment, trainer)
