"""Demo data for a first look: one account per role (and the bundled courses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from lms.domain.roles import ADMIN, REVIEWER, TRAINEE, TRAINER
from lms.extensions import db
from lms.models import User
from lms.services import accounts, publishing

DEMO_ACCOUNTS = (
    (TRAINEE, "trainee@demo.example", "Батбаяр Дорж"),
    (TRAINER, "trainer@demo.example", "Оюунчимэг Баатар"),
    (REVIEWER, "reviewer@demo.example", "Сарантуяа Ганболд"),
    (ADMIN, "admin@demo.example", "Админ Хэрэглэгч"),
)


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    messages: list[str] = field(default_factory=list)

    def logins_text(self) -> str:
        return "".join(f"  {role:<9} {email:<24} {pw}\n" for role, email, pw in self.logins)


def create_demo_data(make_password: Callable[[], str]) -> DemoResult:
    """Create the demo accounts, only when the database has no user yet."""
    if db.session.execute(select(func.count()).select_from(User)).scalar_one():
        return DemoResult(created=False)
    result = DemoResult(created=True)
    for folder in bundled_course_folders():
        published = publishing.publish_path(folder, allow_dirty=True)
        result.messages.extend(str(problem) for problem in published.problems)
        result.messages.append(published.message)
    for role, email, name in DEMO_ACCOUNTS:
        password = make_password()
        accounts.create_user(
            accounts.NewAccount(email=email, name=name, password=password, region="ub-bayangol"),
            roles=(role,),
        )
        result.logins.append((role, email, password))
    db.session.commit()
    return result


def bundled_course_folders() -> list[Path]:
    """The course folders shipped with the application (`courses/` in a checkout)."""
    root = Path(str(resources.files("lms") / "bundled_courses"))
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
