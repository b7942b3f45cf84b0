"""A person's own account details: name, region, organisation, phone and language.

Issued credentials keep the name they were issued with (their snapshot is immutable); a
corrected name reaches them only by a reissue, which an administrator does on request
(`request_name_correction`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import Credential, RoleGrant, User
from lms.services import audit, notifications

# A superseded credential has a successor; a revoked one is not corrected.
_CURRENT_EXCLUDED = ("superseded", "revoked")


@dataclass(frozen=True)
class AccountDetails:
    name: str
    region: str
    organisation: str
    phone: str
    locale: str


def update_details(user: User, details: AccountDetails) -> list[str]:
    """Save the details; returns the names of the fields that changed. Audited; commits.

    The log keeps the old and new name (it goes on credentials), and only the names of the
    other fields that changed (the phone number is private).
    """
    new = {
        "name": details.name.strip(),
        "region": details.region,
        "organisation": details.organisation.strip(),
        "phone": details.phone.strip(),
        "locale": details.locale,
    }
    changed = [field for field, value in new.items() if getattr(user, field) != value]
    if not changed:
        return []
    audit_details: dict[str, object] = {"fields": changed}
    if "name" in changed:
        audit_details["name"] = {"from": user.name, "to": new["name"]}
    for field in changed:
        setattr(user, field, new[field])
    audit.record(user, "account.details_changed", "user", user.id, audit_details)
    db.session.commit()
    return changed


def set_language(user: User, language: str) -> None:
    """Keep the language the person chose (on the login page or the language switch); commits."""
    if user.locale != language:
        user.locale = language
        db.session.commit()


def current_credentials(user: User) -> list[Credential]:
    """The person's credentials that are neither superseded nor revoked, newest first."""
    return list(
        db.session.execute(
            select(Credential)
            .where(Credential.user_id == user.id, Credential.status.not_in(_CURRENT_EXCLUDED))
            .order_by(Credential.issued_on.desc(), Credential.id.desc())
        ).scalars()
    )


def credentials_with_another_name(user: User) -> list[Credential]:
    """Current credentials issued under a name other than the account's name today."""
    return [c for c in current_credentials(user) if c.snapshot.get("holder_name") != user.name]


def request_name_correction(user: User, note: str) -> bool:
    """Ask every administrator to reissue the person's credentials under their current name.

    Sends each active administrator a notification and writes the audit entry; False (and
    nothing sent) when no credential carries another name, or the same request for the same
    name was already sent (the outbox's unique key: one request per name). Commits.
    """
    credentials = credentials_with_another_name(user)
    if not credentials:
        return False
    admins = list(
        db.session.execute(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == ADMIN, User.active.is_(True))
        ).scalars()
    )
    numbers = [c.number for c in credentials]
    sent = [
        notifications.name_correction_requested(admin, user, numbers, note.strip())
        for admin in admins
    ]
    if admins and not any(sent):
        db.session.rollback()
        return False
    audit.record(
        user,
        "account.name_correction_requested",
        "user",
        user.id,
        {"credentials": numbers, "name": user.name, "admins": len(admins)},
    )
    db.session.commit()
    return True
