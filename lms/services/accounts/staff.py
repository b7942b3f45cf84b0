"""What an administrator does to other people's accounts: find them, disable or enable them,
correct a name, and send a fresh welcome link. Every change is audited and committed here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from lms.extensions import db
from lms.models import Credential, RoleGrant, User
from lms.models.types import utcnow
from lms.public_urls import public_url
from lms.services import audit
from lms.services.accounts import users as accounts
from lms.services.mail import send_mail

#: An administrator may send one person a welcome link at most this often (a double click,
#: or two administrators at once, sends one mail).
WELCOME_INTERVAL = timedelta(minutes=10)


class CannotDisableSelf(accounts.AccountError):
    """An administrator tried to disable their own account."""


class WelcomeTooSoon(accounts.AccountError):
    """A welcome link went to this person less than `WELCOME_INTERVAL` ago."""


def search(query: str = "", role: str = "") -> Any:
    """The users matching `query` (name or e-mail) and holding `role`, by name."""
    statement = select(User).order_by(User.name, User.id)
    if query:
        pattern = f"%{query.casefold()}%"
        statement = statement.where(or_(User.name_folded.like(pattern), User.email.like(pattern)))
    if role:
        holds = select(RoleGrant.id).where(RoleGrant.user_id == User.id, RoleGrant.role == role)
        statement = statement.where(holds.exists())
    return statement


def set_active(user: User, active: bool, actor: User) -> bool:
    """Disable (ending every session) or enable the account; False when nothing changed."""
    if not active and user.id == actor.id:
        raise CannotDisableSelf("an administrator cannot disable their own account")
    if user.active == active:
        return False
    user.active = active
    if not active:
        accounts.end_all_sessions(user)
    audit.record(actor, "account.enable" if active else "account.disable", "user", user.id)
    db.session.commit()
    return True


def correct_name(user: User, name: str, actor: User) -> bool:
    """Correct the account's name; False when unchanged. Credentials already issued keep the
    name they were issued with: reissuing them is a separate, audited credential change."""
    name = name.strip()
    if not name or name == user.name:
        return False
    previous = user.name
    user.name = name
    audit.record(actor, "account.rename", "user", user.id, {"from": previous, "to": name})
    db.session.commit()
    return True


def credentials_of(user: User) -> list[Credential]:
    """The person's current (not superseded) credentials, newest first."""
    return list(
        db.session.execute(
            select(Credential)
            .where(Credential.user_id == user.id, Credential.status != "superseded")
            .order_by(Credential.issued_on.desc(), Credential.id.desc())
        ).scalars()
    )


def send_welcome(user: User, actor: User) -> None:
    """Mail the person a fresh set-your-password link (a welcome link), through the outbox.

    At most one per `WELCOME_INTERVAL`: a conditional UPDATE claims the slot, so two clicks
    at once send one mail (`WelcomeTooSoon` for the other)."""
    if not user.active:
        raise accounts.AccountError("the account is disabled")
    now = utcnow()
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.welcome_sent_at.is_(None), User.welcome_sent_at < now - WELCOME_INTERVAL),
        )
        .values(welcome_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise WelcomeTooSoon("a welcome link was sent a moment ago")
    link = public_url("auth.reset_password", token=accounts.make_reset_token(user, welcome=True))
    with force_locale(user.locale):
        send_mail(
            user.email,
            _("Your account for job coach training"),
            _(
                "An administrator has sent you a link to choose your password and log in:\n"
                "%(link)s\n\nIf the link has expired, ask for a new one here:\n%(reset)s",
                link=link,
                reset=public_url("auth.reset_request"),
            ),
        )
    audit.record(actor, "account.welcome_sent", "user", user.id)
    db.session.commit()
