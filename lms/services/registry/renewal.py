"""Renewal statuses of credentials already loaded (the registry list and a coach's record):
`lms.domain.registry.renewal_status` with each course's rules, and the numbers of the renewing
credentials, in a fixed number of queries however many credentials there are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms.domain.credentials.renewal import RenewalRules
from lms.domain.registry.renewal_status import RENEWED, renewal_status
from lms.extensions import db
from lms.models import Credential
from lms.services.renewal import standing


@dataclass(frozen=True)
class RenewalStatus:
    status: str | None  # lms.domain.registry.renewal_status.RENEWAL_STATUSES; None: n/a
    renewed_by: str | None = None  # the renewing credential's number


def statuses(
    credentials: Iterable[Credential],
    on: date,
    rules: Mapping[str, RenewalRules] | None = None,
) -> dict[int, RenewalStatus]:
    """Credential id → its renewal status on `on`: one query for the courses' rules (unless
    `rules` are given), one for the numbers of renewing credentials (only when a credential
    was renewed)."""
    found = list(credentials)
    if not found:
        return {}
    if rules is None:
        rules = standing.rules_by_course()
    codes = {
        c.id: renewal_status(c.status, c.status_reason, c.expires_on, on, rules.get(c.course_slug))
        for c in found
    }
    renewing = {c.superseded_by_id for c in found if codes[c.id] == RENEWED and c.superseded_by_id}
    numbers: dict[int, str] = {}
    if renewing:
        numbers = dict(
            db.session.execute(
                select(Credential.id, Credential.number).where(Credential.id.in_(renewing))
            ).all()
        )
    return {
        c.id: RenewalStatus(
            codes[c.id],
            numbers.get(c.superseded_by_id)
            if c.superseded_by_id and codes[c.id] == RENEWED
            else None,
        )
        for c in found
    }
