"""Proposals waiting for a second person: the reviewers' queue, its count and the list's tags.

Reads only. The count is one COUNT on the indexed `state` column (it runs on every page a
reviewer or administrator opens, for the number in the menu); the queue and the tags are one
query each, whatever the number of proposals.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.domain.registry.decisions import OPEN
from lms.extensions import db
from lms.models import Credential, RegistryDecision, User
from lms.services.registry.decisions import PROPOSAL

QUEUE_LIMIT = 200
"""The queue shows at most this many proposals, the oldest first (the rest wait their turn)."""


def _open() -> list[object]:
    return [RegistryDecision.state == OPEN, RegistryDecision.kind == PROPOSAL]


def waiting_count(user: User) -> int:
    """Open proposals `user` may confirm or reject: everyone's but their own."""
    return int(
        db.session.execute(
            select(func.count())
            .select_from(RegistryDecision)
            .where(*_open(), RegistryDecision.actor_id != user.id)
        ).scalar_one()
    )


def open_count() -> int:
    """Every open proposal, the reviewer's own included."""
    return int(
        db.session.execute(
            select(func.count()).select_from(RegistryDecision).where(*_open())
        ).scalar_one()
    )


def open_proposals(limit: int = QUEUE_LIMIT) -> list[RegistryDecision]:
    """Open proposals, oldest first, with their credential and proposer loaded (one query)."""
    return list(
        db.session.execute(
            select(RegistryDecision)
            .where(*_open())
            .options(
                joinedload(RegistryDecision.credential).joinedload(Credential.user),
                joinedload(RegistryDecision.actor),
            )
            .order_by(RegistryDecision.at, RegistryDecision.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )


def open_actions(credential_ids: Iterable[int]) -> dict[int, str]:
    """Credential id → the action its open proposal asks for (suspend, reinstate, revoke)."""
    wanted = list(credential_ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(RegistryDecision.credential_id, RegistryDecision.action).where(
            *_open(), RegistryDecision.credential_id.in_(wanted)
        )
    )
    return {credential_id: action or "" for credential_id, action in rows}
