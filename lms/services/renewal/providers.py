"""Pre-approved continuing-education providers, kept by administrators (audited).

An activity submitted with a provider on the list is approved on submission, and stays
auditable: the row names the provider (`CeActivity.provider_id`) and the audit log holds a
`ce.approve_preapproved` entry. A provider taken off the list is kept (inactive) so the
activities it approved still name it; adding the same name again puts it back.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.domain.credentials.evidence import provider_key
from lms.extensions import db
from lms.models import CeProvider, User
from lms.services import audit


def active_providers() -> list[CeProvider]:
    return list(
        db.session.execute(
            select(CeProvider).where(CeProvider.active.is_(True)).order_by(CeProvider.name_key)
        ).scalars()
    )


def match(name: str) -> CeProvider | None:
    """The active pre-approved provider called `name` (case and spacing aside), if any."""
    key = provider_key(name)
    if not key:
        return None
    return db.session.execute(
        select(CeProvider).where(CeProvider.name_key == key, CeProvider.active.is_(True))
    ).scalar_one_or_none()


def add(name: str, actor: User) -> CeProvider:
    """Put `name` on the list (again, if it was taken off); audited, commits."""
    name = " ".join(name.split())
    key = provider_key(name)
    row = db.session.execute(
        select(CeProvider).where(CeProvider.name_key == key)
    ).scalar_one_or_none()
    if row is None:
        row = CeProvider(name=name, name_key=key, active=True, added_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
    else:
        row.active, row.name = True, name
    audit.record(actor, "ce.provider_add", "ce_provider", row.id, {"name": name})
    db.session.commit()
    return row


def remove(provider: CeProvider, actor: User) -> None:
    """Take the provider off the list; what it approved stays approved. Audited, commits."""
    provider.active = False
    audit.record(actor, "ce.provider_remove", "ce_provider", provider.id, {"name": provider.name})
    db.session.commit()
