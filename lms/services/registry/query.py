"""The registry list as SQL: one `RegistryFilter` gives one query, for pages, exports and the API.

Everything a reviewer filters on is an indexed column of `credential` (copied from the snapshot
at issue), so a filtered page of 100,000 credentials stays fast on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import aliased, defer, with_expression

from lms.domain.credentials.numbers import normalise_number
from lms.domain.credentials.renewal import RenewalRules
from lms.domain.registry.filters import RegistryFilter
from lms.domain.registry.renewal_status import expiry_range
from lms.extensions import db
from lms.models import Credential, CredentialEvent, User
from lms.services import clock
from lms.services.renewal import standing

ACTIVE = "active"


def status_on_date(on: date) -> Any:
    """SQL: the credential's status at the end of `on` (NULL before it was issued)."""
    return (
        select(CredentialEvent.to_status)
        .where(CredentialEvent.credential_id == Credential.id, CredentialEvent.effective_on <= on)
        .order_by(CredentialEvent.effective_on.desc(), CredentialEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def qualifies_on(on: date) -> Any:
    """SQL condition: the credential qualified its holder for the subsidy on `on`."""
    return and_(
        Credential.qualifies_for_subsidy.is_(True),
        # Most credentials were issued before, and expire after, the date asked about: walking
        # the date indexes and fetching each row is slower than a scan, so keep them out of
        # the plan (and coalesce reads "no expiry" as valid).
        func.coalesce(Credential.issued_on, on) <= on,
        func.coalesce(Credential.expires_on, on) >= on,
        was_active_on(on),
    )


def was_active_on(on: date) -> Any:
    """SQL condition: the status at the end of `on` was active.

    Nothing has changed since `status_since`, so for dates from then on the stored status is
    the answer; only earlier dates read the event history.
    """
    return or_(
        and_(Credential.status_since <= on, Credential.status == ACTIVE),
        and_(
            or_(Credential.status_since.is_(None), Credential.status_since > on),
            status_on_date(on) == ACTIVE,
        ),
    )


def effective_status(on: date) -> Any:
    """SQL: the status a reviewer sees today (`expired` derived from the date)."""
    return case(
        (
            and_(
                Credential.status == ACTIVE,
                Credential.expires_on.is_not(None),
                Credential.expires_on < on,
            ),
            "expired",
        ),
        else_=Credential.status,
    )


def _search(q: str) -> Any:
    number = normalise_number(q)
    if number is not None:
        return Credential.number == number
    pattern = "%" + _escape_like(q.casefold()) + "%"
    if _PARTIAL_NUMBER.fullmatch(q.strip()):
        return Credential.number.like(_escape_like(q.strip().upper()) + "%", escape="\\")
    # Ids from the narrow (name, id) index, not a scan of the wide credential rows.
    named = aliased(Credential)
    return Credential.id.in_(select(named.id).where(named.holder_folded.like(pattern, escape="\\")))


_PARTIAL_NUMBER = re.compile(r"[A-Za-z]{2,4}-[0-9-]*")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SORT_COLUMNS: dict[str, Any] = {
    "name": Credential.holder_folded,
    "number": Credential.number,
    "issued": Credential.issued_on,
    "expires": Credential.expires_on,
    "region": Credential.region,
    "course": Credential.course_slug,
    "status": Credential.status,
}


def conditions(view: RegistryFilter, on: date | None = None) -> list[Any]:
    """The WHERE conditions of `view` (the credential is joined with its holder)."""
    on = on or clock.today()
    where: list[Any] = []
    if view.q:
        where.append(_search(view.q))
    if view.nid:
        where.append(User.national_id_index == view.nid)
    if view.course:
        where.append(Credential.course_slug == view.course)
    if view.kind:
        where.append(Credential.kind == view.kind)
    if view.status:
        where.append(effective_status(on) == view.status)
    if view.region:
        where.append(Credential.region == view.region)
    if view.organisation:
        where.append(Credential.organisation == view.organisation)
    if view.issued_from:
        where.append(Credential.issued_on >= view.issued_from)
    if view.issued_to:
        where.append(Credential.issued_on <= view.issued_to)
    if view.expires_from:
        where.append(Credential.expires_on >= view.expires_from)
    if view.expires_to:
        where.append(Credential.expires_on <= view.expires_to)
    if view.qualifies_on:
        where.append(qualifies_on(view.qualifies_on))
    if view.renewal:
        where.append(renewal_condition(view.renewal, on))
    return where


def renewal_condition(
    renewal: str, on: date, rules: Mapping[str, RenewalRules] | None = None
) -> Any:
    """SQL condition: the credential is active (stored: not superseded, suspended or revoked)
    and, on `on`, ``due_<n>``, in ``grace`` or ``lapsed`` under its course's renewal rules
    (`rules`: course slug → rules, by default `standing.rules_by_course`). Credentials of a
    course without renewal rules match none.

    One range on `expires_on` covering every course, narrowed per group of courses with the
    same grace period (a few courses): `ix_credential_status_expires_on` (status, expires_on,
    course_slug) answers it, a count from the index alone."""
    by_course = standing.rules_by_course() if rules is None else rules
    slugs_by_grace: dict[int, list[str]] = defaultdict(list)
    for slug, course_rules in sorted(by_course.items()):
        slugs_by_grace[course_rules.grace_days].append(slug)
    if not slugs_by_grace:
        return false()
    ranges = {grace: expiry_range(renewal, on, grace) for grace in slugs_by_grace}
    lows = [low for low, _high in ranges.values()]
    overall = _expiring(
        None if None in lows else min(low for low in lows if low is not None),
        max(high for _low, high in ranges.values() if high is not None),
    )
    per_course = or_(
        *(
            and_(Credential.course_slug.in_(slugs), _expiring(*ranges[grace]))
            for grace, slugs in slugs_by_grace.items()
        )
    )
    return and_(Credential.status == ACTIVE, overall, per_course)


def _expiring(low: date | None, high: date | None) -> Any:
    """SQL condition: the last valid day is within `low`..`high` (inclusive, None: open)."""
    bounds = [Credential.expires_on.is_not(None)]
    if low is not None:
        bounds.append(Credential.expires_on >= low)
    if high is not None:
        bounds.append(Credential.expires_on <= high)
    return and_(*bounds)


def credential_query(view: RegistryFilter, on: date | None = None) -> Select[Any]:
    """Rows of (Credential, User) matching `view`, sorted, not paginated."""
    column = _SORT_COLUMNS[view.sort]
    order = column.desc() if view.descending else column.asc()
    return (
        select(Credential, User)
        .join(User, User.id == Credential.user_id)
        .where(*conditions(view, on))
        .order_by(order, Credential.id.desc() if view.descending else Credential.id.asc())
    )


def count(view: RegistryFilter, on: date | None = None, up_to: int | None = None) -> int:
    """How many credentials match; with `up_to`, counting stops past it (returns `up_to` + 1).

    A capped count reads at most `up_to` + 1 matches instead of every one: the reviewer's list
    says "more than 10,000" rather than spend half its time counting. On SQLite too: a filter
    that matches most rows and scans the table (`status=active`) counts in a third of the time,
    and narrow filters cost the same either way (EXPLAIN in docs/performance.md)."""
    matching = select(Credential.id) if up_to is not None else select(func.count())
    query = matching.select_from(Credential)
    if view.nid:  # the only condition on the holder's row
        query = query.join(User, User.id == Credential.user_id)
    query = query.where(*conditions(view, on))
    if up_to is not None:
        query = select(func.count()).select_from(query.limit(up_to + 1).subquery())
    return int(db.session.execute(query).scalar_one())


def page(view: RegistryFilter, on: date | None = None) -> list[tuple[Credential, User]]:
    """One page of the list: what the reviewer's page shows.

    The snapshot JSON (the widest column) is not loaded: only its holder name, read by the
    database into `Credential.holder_name`."""
    holder_name = Credential.snapshot["holder_name"].as_string()
    rows = db.session.execute(
        credential_query(view, on)
        .options(defer(Credential.snapshot), with_expression(Credential.holder_name, holder_name))
        .limit(view.per_page)
        .offset(view.offset)
    ).all()
    return [(credential, user) for credential, user in rows]


def national_id_index(value: str) -> str | None:
    """The blind index to filter by for a typed national registration number (None: invalid)."""
    from lms.domain.identity import is_valid_national_id, normalise_national_id
    from lms.services.accounts.private_data import blind_index

    national = normalise_national_id(value)
    return blind_index(national) if is_valid_national_id(national) else None
