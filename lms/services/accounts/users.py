"""Accounts: creation, authentication, passwords, roles and reset tokens."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.roles import ROLES, TRAINEE
from lms.extensions import db
from lms.models import RoleGrant, User
from lms.models.types import utcnow
from lms.services import audit
from lms.services.accounts import private_data

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verifying against this keeps the time of a login for an unknown email like a real one.
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out (shown to the user)."""


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
    """Create an account holding `roles`; the caller commits."""
    if find_by_email(account.email) is not None:
        raise AccountError("email already registered")
    user = User(
        email=normalise_email(account.email),
        name=account.name.strip(),
        password_hash=_hasher.hash(account.password),
        locale=account.locale,
        region=account.region,
        organisation=account.organisation.strip(),
    )
    set_national_id(user, account.national_id)
    db.session.add(user)
    db.session.flush()
    for role in roles:
        grant_role(user, role, actor=None)
    return user


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
    user = find_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


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
