"""Logging in, registering and asking for a password reset, never telling who has an account.

Both answer the visitor the same whether or not the address is known, and do the same work
either way: one lookup, one password hash or reset token, one queued mail, one audit event.
The mail goes to the address itself, so only its owner learns anything:
- registration with a known address mails its owner ("someone tried to register with your
  address; log in or reset your password") instead of creating a second account;
- a reset request for an unknown address mails "this address has no account here".
Mail is queued (`lms.services.mail.send_mail` writes an outbox row in this transaction), so the
request never waits for SMTP.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from lms.extensions import db
from lms.models import User
from lms.models.types import utcnow
from lms.public_urls import public_url
from lms.services import audit
from lms.services.accounts import login_throttle, private_data
from lms.services.accounts import users as accounts
from lms.services.mail import send_mail


@dataclass(frozen=True)
class LoginOutcome:
    """The account logged in to (None: wrong e-mail or password, disabled, or throttled)."""

    user: User | None
    retry_after: int = 0  # above 0: throttled, the password was not even checked
    disabled: bool = False  # the password was right, but an administrator disabled the account


def log_in(email: str, password: str, device: str | None) -> LoginOutcome:
    """Check a password, within the account's login throttle (`login_throttle`).

    The attempt is spent before the password is checked, so concurrent guesses on several
    workers never get more checks than the limit. `device` is the browser's device token.
    """
    verdict = login_throttle.claim(email, device)
    if not verdict.allowed:
        return LoginOutcome(None, verdict.retry_after)
    user = accounts.verify_credentials(email, password)
    if user is not None and not user.active:
        return LoginOutcome(None, disabled=True)
    if user is not None:
        login_throttle.clear(email, device)
        user.last_login_at = utcnow()  # one UPDATE in this commit; no write on other requests
        db.session.commit()
    return LoginOutcome(user)


def register(account: accounts.NewAccount) -> User | None:
    """Create a trainee account and mail a welcome, or mail the owner of a taken address.

    Returns the new account, or None when the address was taken. Raises `AccountError` for
    other refusals (for example a national ID held by another account). Commits.
    """
    try:
        user = accounts.create_user(account)
    except accounts.EmailTaken:
        db.session.rollback()
        accounts.hash_password(account.password)  # the same work as a new account
        _mail_owner_of_taken_address(account.email)
        db.session.commit()
        return None
    login = public_url("auth.login")
    send_mail(
        user.email,
        _("Your job coach training account"),
        _(
            "Your account has been created. Log in here:\n%(login)s\n\n"
            "If you did not create it, reset its password here:\n%(reset)s",
            login=login,
            reset=public_url("auth.reset_request"),
        ),
    )
    db.session.commit()
    return user


def _mail_owner_of_taken_address(email: str) -> None:
    owner = accounts.find_by_email(email)
    if owner is None:  # the account that took it a moment ago was rolled back after all
        return
    with force_locale(owner.locale):
        send_mail(
            owner.email,
            _("Someone tried to register with your address"),
            _(
                "Someone tried to create an account with this e-mail address, but it already has"
                " one. If it was you, log in here:\n%(login)s\n\n"
                "Forgotten your password? Choose a new one here:\n%(reset)s\n\n"
                "If it was not you, you can ignore this message: your account has not changed.",
                login=public_url("auth.login"),
                reset=public_url("auth.reset_request"),
            ),
        )


def request_reset(email: str) -> None:
    """Mail a reset link to the account of `email`, or tell the address it has none; commits.

    The same statements run either way (checked by the tests), so neither the answer nor its
    timing shows whether the address has an account.
    """
    address = accounts.normalise_email(email)
    user = db.session.execute(
        select(User).options(lazyload(User.roles)).where(User.email == address)
    ).scalar_one_or_none()
    if user is not None and user.active:
        link = public_url("auth.reset_password", token=accounts.make_reset_token(user))
        with force_locale(user.locale):
            send_mail(
                user.email,
                _("Reset your password"),
                _("Open this link within an hour to choose a new password:\n%(link)s", link=link),
            )
        audit.record(user, "account.reset_requested", "user", user.id)
    else:
        # The same signing work as a real link, for nobody.
        accounts.make_reset_token(User(id=0, password_hash="0" * 16))
        send_mail(
            address,
            _("Password reset requested"),
            _(
                "Someone asked to reset the password of an account with this e-mail address,"
                " but there is no active account with it here. If it was you, you may have"
                " registered with another address, or you can create an account here:\n"
                "%(register)s\n\nIf it was not you, you can ignore this message.",
                register=public_url("auth.register"),
            ),
        )
        # Keyed hash, not the address: the log keeps no addresses of people without accounts.
        audit.record(
            None, "account.reset_requested_unknown", "email", private_data.blind_index(address)
        )
    db.session.commit()


def password_was_reset(user: User) -> None:
    """After a successful reset: audited, and the account's login throttle cleared. Commits."""
    audit.record(user, "account.password_reset", "user", user.id)
    login_throttle.clear(user.email)
    db.session.commit()
