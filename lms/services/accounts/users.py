"""Accounts: creation, authentication, passwords, roles and reset tokens."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.roles import ROLES, TRAINEE
from lms.extensions import db
from lms.models import RoleGrant, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.accounts import private_data

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of a login for an unknown email like a real one.

    Made on first use, not at import (0.4 s and 64 MB in every process that never sees a
    login: CLI commands, job workers, the server's boot). `authenticate` makes it before it
    looks the email up, so the one login that pays for it pays whether the email is known."""
    return _hasher.hash("not a real password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out (shown to the user)."""


class EmailTaken(AccountError):
    """An account with this e-mail address exists. Never shown as such: registration answers
    the same either way and mails the address's owner instead (no account discovery)."""


class DuplicateNationalId(AccountError):
    """Another account holds this national registration number: one account per person (a
    unique index on its keyed hash). Tell the person in words that reveal no account."""


@dataclass(frozen=True)
class NewAccount:
    email: str
    name: str
    password: str
    locale: str = "mn"
    region: str = ""
    organisation: str = ""
    national_id: str = ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def create_user(account: NewAccount, roles: tuple[str, ...] = (TRAINEE,)) -> User:
    """Create an account holding `roles`; the caller commits.

    Refuses a taken email (`AccountError`) or national ID (`DuplicateNationalId`); when the
    database refuses one that was taken a moment ago, the transaction is rolled back.
    """
    if find_by_email(account.email) is not None:
        raise EmailTaken("email already registered")
    user = User(
        email=normalise_email(account.email),
        name=account.name.strip(),
        password_hash=_hasher.hash(account.password),
        locale=account.locale,
        region=account.region,
        organisation=account.organisation.strip(),
    )
    set_national_id(user, account.national_id)
    if user.national_id_index is not None and _national_id_taken(user.national_id_index):
        raise DuplicateNationalId("national registration number already registered")
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same email or national ID registered a moment ago
        db.session.rollback()
        if user.national_id_index is not None and _national_id_taken(user.national_id_index):
            raise DuplicateNationalId("national registration number already registered") from None
        raise EmailTaken("email already registered") from None
    for role in roles:
        grant_role(user, role, actor=None)
    return user


def _national_id_taken(index: str) -> bool:
    return (
        db.session.execute(select(User.id).where(User.national_id_index == index)).first()
        is not None
    )


def set_national_id(user: User, value: str) -> None:
    value = normalise_national_id(value)
    if not value:
        user.national_id_encrypted = None
        user.national_id_index = None
        return
    if not is_valid_national_id(value):
        raise AccountError("invalid national registration number")
    user.national_id_encrypted = private_data.encrypt(value)
    user.national_id_index = private_data.blind_index(value)


def national_id(user: User) -> str | None:
    if not user.national_id_encrypted:
        return None
    return private_data.decrypt(user.national_id_encrypted)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Upgrades old password hashes."""
    user = verify_credentials(email, password)
    return user if user is not None and user.active else None


def verify_credentials(email: str, password: str) -> User | None:
    """The user with these credentials, active or disabled, or None. Upgrades old hashes."""
    dummy = _dummy_hash()
    user = find_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else dummy, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` (also spent, and thrown away, where timing must match)."""
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(user: User, password: str) -> None:
    """Change the password and end every existing session of the user; caller commits."""
    user.password_hash = _hasher.hash(password)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    user.session_version += 1


def grant_role(user: User, role: str, actor: User | None) -> bool:
    """Give `user` the role; False when they already held it. Audited; caller commits."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if role in user.role_names:
        return False
    user.roles.append(RoleGrant(role=role, granted_by_id=actor.id if actor else None))
    db.session.flush()
    audit.record(actor, "role.grant", "user", user.id, {"role": role})
    return True


def revoke_role(user: User, role: str, actor: User | None) -> bool:
    """Take the role away; False when they did not hold it. Audited; caller commits.

    The last admin cannot lose the admin role, so the system is never left unmanaged.
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    grant = next((g for g in user.roles if g.role == role), None)
    if grant is None:
        return False
    if role == "admin" and count_admins() <= 1:
        raise AccountError("cannot remove the last administrator")
    user.roles.remove(grant)
    db.session.flush()
    audit.record(actor, "role.revoke", "user", user.id, {"role": role})
    return True


def count_admins() -> int:
    return db.session.execute(
        select(func.count()).select_from(RoleGrant).where(RoleGrant.role == "admin")
    ).scalar_one()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User, *, welcome: bool = False) -> str:
    """A single-use set-your-password token (bound to the current password hash).

    A `welcome` token, sent to an account someone else created (bulk enrolment), lives for
    LMS_WELCOME_LINK_MAX_AGE instead of the short password-reset lifetime.
    """
    data: dict[str, object] = {"uid": user.id, "ph": user.password_hash[-16:]}
    if welcome:
        data["w"] = 1
    return _reset_serializer().dumps(data)


def user_for_reset_token(token: str) -> User | None:
    config = current_app.config
    reset_age = config["LMS_PASSWORD_RESET_MAX_AGE"]
    longest = max(reset_age, config["LMS_WELCOME_LINK_MAX_AGE"])
    try:
        data, signed_at = _reset_serializer().loads(token, max_age=longest, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if not data.get("w") and (utcnow() - signed_at).total_seconds() > reset_age:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("ph"):
        return None
    return user
