"""Demo data for a first look: one account per role (and the bundled courses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from lms.domain.roles import ADMIN, REVIEWER, TRAINEE, TRAINER
from lms.extensions import db
from lms.models import User
from lms.services import accounts

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
    for role, email, name in DEMO_ACCOUNTS:
        password = make_password()
        accounts.create_user(
            accounts.NewAccount(email=email, name=name, password=password, region="ub-bayangol"),
            roles=(role,),
        )
        result.logins.append((role, email, password))
    db.session.commit()
    return result
