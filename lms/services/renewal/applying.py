"""Renewal by the coach: apply, and a trainer or an administrator confirms or refuses.

The holder applies for a credential inside its renewal window or grace period once one of its
renewal rules is met (`standing.state_of(...).can_apply`); one open (``applied``) request per
credential, by a partial unique index, so two clicks make one request. A trainer who follows
the coach, or an administrator, confirms it (a conditional UPDATE: of two reviewers at once one
wins; the rules are checked again on the day) or refuses it with a reason. Where the course's
rules say ``automatic: true`` the request is confirmed at once, by nobody.

Confirming supersedes the old credential (reason ``renewal``) with a new one valid from the day
after the old one's last day, for the rules' validity (`lifecycle.renewal_term`), and marks the
continuing-education activities it counted as used by the new credential, so they never count
twice. Everything is audited (``renewal.apply``, ``renewal.confirm``, ``renewal.refuse``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.domain.credentials.lifecycle import IllegalTransition, add_months
from lms.domain.credentials.renewal import Phase, RenewalRules, RenewalState
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import CeActivity, Credential, RenewalRequest, User
from lms.models.types import utcnow
from lms.services import audit, clock
from lms.services.credentials import lifecycle
from lms.services.renewal import standing
from lms.services.renewal.ledger import APPROVED
from lms.services.renewal.review import followed_coach_ids

APPLIED, CONFIRMED, REFUSED = "applied", "confirmed", "refused"
ACTIVE = "active"


class RenewalProblem(ValueError):
    """A renewal step that cannot be taken; ``code`` says why.

    ``not_holder`` (only the holder applies), ``not_renewable`` (no renewal rules, never
    expires, not active), ``not_open`` (the window has not opened), ``lapsed`` (past the grace
    period: the full course again), ``not_met`` (no renewal rule is met), ``already_applied``
    (an open request exists), ``decided`` (the request was confirmed or refused already),
    ``reason_missing`` (a refusal needs a reason)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def open_request(credential: Credential) -> RenewalRequest | None:
    """The credential's open (``applied``) request, if any."""
    return (
        db.session.execute(
            select(RenewalRequest)
            .where(RenewalRequest.credential_id == credential.id, RenewalRequest.status == APPLIED)
            .order_by(RenewalRequest.id)
        )
        .scalars()
        .first()
    )


def _refusal(state: RenewalState | None) -> str | None:
    """Why the holder may not apply in `state` (None: they may)."""
    if state is None or state.phase is Phase.NO_EXPIRY:
        return "not_renewable"
    if state.phase is Phase.NOT_YET:
        return "not_open"
    if state.phase is Phase.LAPSED:
        return "lapsed"
    if not state.rules_met:
        return "not_met"
    return None


def apply(credential: Credential, holder: User) -> RenewalRequest:
    """The holder applies to renew `credential`. Audited; commits; confirmed at once where the
    rules are automatic. Raises `RenewalProblem`."""
    if credential.user_id != holder.id:
        raise RenewalProblem("not_holder")
    if credential.status != ACTIVE:
        raise RenewalProblem("not_renewable")
    if open_request(credential) is not None:
        raise RenewalProblem("already_applied")
    state = standing.state_of(credential)
    problem = _refusal(state)
    if problem is not None or state is None:
        raise RenewalProblem(problem or "not_renewable")
    request = RenewalRequest(
        credential_id=credential.id,
        user_id=holder.id,
        method=state.met_by[0],
        status=APPLIED,
        reason="",
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:  # the other click won: one open request per credential
        db.session.rollback()
        raise RenewalProblem("already_applied") from None
    audit.record(
        holder,
        "renewal.apply",
        "credential",
        credential.number,
        {"request": request.id, "method": request.method},
    )
    db.session.commit()
    rules = standing.rules_for(credential)
    if rules is not None and rules.automatic:
        confirm(request, None)
    return request


def _mark_counted(old: Credential, new: Credential, rules: RenewalRules, until: date) -> int:
    """Mark the approved, unused activities the renewal counted (dated from the old credential's
    first valid day to `until`, of a kind and a topic area the rules count) as used by `new`."""
    rule = rules.continuing_education
    if rule is None:
        return 0
    conditions: list[Any] = [
        CeActivity.user_id == old.user_id,
        CeActivity.status == APPROVED,
        CeActivity.used_by_credential_id.is_(None),
        CeActivity.done_on >= standing.counting_from(old),
        CeActivity.done_on <= until,
        CeActivity.kind.in_(sorted(rule.kinds)),
        CeActivity.hours > 0,
    ]
    if rule.areas:
        conditions.append(CeActivity.area.in_([area.id for area in rule.areas]))
    done = db.session.execute(
        update(CeActivity)
        .where(*conditions)
        .values(used_by_credential_id=new.id)
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount)  # type: ignore[attr-defined]


def confirm(request: RenewalRequest, actor: User | None) -> Credential:
    """Confirm the request: the new credential is issued and the old one superseded. Audited;
    commits; returns the new credential. Raises `RenewalProblem` (``decided``: someone else
    decided first; or why the rules no longer allow it, the request then stays open)."""
    old = db.session.get(Credential, request.credential_id)
    if old is None:
        raise RenewalProblem("not_renewable")
    if request.status != APPLIED:
        raise RenewalProblem("decided")
    today = clock.today()
    rules = standing.rules_for(old)
    problem = (
        "not_renewable" if old.status != ACTIVE else _refusal(standing.state_of(old, on=today))
    )
    if problem is not None or rules is None:
        raise RenewalProblem(problem or "not_renewable")
    won = db.session.execute(
        update(RenewalRequest)
        .where(RenewalRequest.id == request.id, RenewalRequest.status == APPLIED)
        .values(status=CONFIRMED, decided_by_id=actor.id if actor else None, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise RenewalProblem("decided")
    try:
        new = lifecycle.supersede(old, actor, "renewal", rules=rules, commit=False)
    except lifecycle.RenewalRefused:
        db.session.rollback()
        raise RenewalProblem("not_open") from None
    except IllegalTransition:
        db.session.rollback()
        raise RenewalProblem("not_renewable") from None
    counted = _mark_counted(old, new, rules, today)
    db.session.execute(
        update(RenewalRequest)
        .where(RenewalRequest.id == request.id)
        .values(new_credential_id=new.id)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        actor,
        "renewal.confirm",
        "credential",
        old.number,
        {
            "request": request.id,
            "method": request.method,
            "new": new.number,
            "activities_counted": counted,
        },
    )
    db.session.commit()
    db.session.refresh(request)
    return new


def refuse(request: RenewalRequest, actor: User, reason: str) -> None:
    """Refuse the request with `reason` (shown to the coach, who may apply again). Audited;
    commits. Raises `RenewalProblem` (``reason_missing``, ``decided``)."""
    reason = reason.strip()
    if not reason:
        raise RenewalProblem("reason_missing")
    done = db.session.execute(
        update(RenewalRequest)
        .where(RenewalRequest.id == request.id, RenewalRequest.status == APPLIED)
        .values(status=REFUSED, decided_by_id=actor.id, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise RenewalProblem("decided")
    credential = db.session.get(Credential, request.credential_id)
    audit.record(
        actor,
        "renewal.refuse",
        "credential",
        credential.number if credential else str(request.credential_id),
        {"request": request.id, "reason": reason},
    )
    db.session.commit()
    db.session.refresh(request)


def queue(user: User) -> list[RenewalRequest]:
    """Open requests `user` may decide, oldest first: an administrator all, a trainer those of
    the coaches they follow (`followed_coach_ids`); nobody their own."""
    query = (
        select(RenewalRequest)
        .options(joinedload(RenewalRequest.user), joinedload(RenewalRequest.credential))
        .where(RenewalRequest.status == APPLIED, RenewalRequest.user_id != user.id)
        .order_by(RenewalRequest.applied_at, RenewalRequest.id)
    )
    if not user.has_role(ADMIN):
        query = query.where(RenewalRequest.user_id.in_(followed_coach_ids(user)))
    return list(db.session.execute(query).unique().scalars())


@dataclass(frozen=True)
class Renewable:
    """One of the coach's credentials with renewal rules, where it stands, and its latest
    request (open, or the last decided one: a refusal's reason is shown)."""

    credential: Credential
    name: dict[str, str]
    rules: RenewalRules
    state: RenewalState
    request: RenewalRequest | None
    refreshers: dict[str, date | None]  # each refresher course: the day it was passed, counted

    @property
    def can_apply(self) -> bool:
        open_now = self.request is not None and self.request.status == APPLIED
        return self.state.can_apply and not open_now


def renewables(user: User) -> list[Renewable]:
    """The coach's active credentials that have renewal rules, newest first."""
    credentials = db.session.execute(
        select(Credential)
        .where(Credential.user_id == user.id, Credential.status == ACTIVE)
        .order_by(Credential.issued_on.desc(), Credential.id.desc())
    ).scalars()
    from lms.services.renewal.ledger import activities_for

    activities = activities_for(user)
    passed = standing.refreshers_passed(user)
    latest: dict[int, RenewalRequest] = {}
    for request in db.session.execute(
        select(RenewalRequest).where(RenewalRequest.user_id == user.id).order_by(RenewalRequest.id)
    ).scalars():
        latest[request.credential_id] = request
    found = []
    for credential in credentials:
        rules = standing.rules_for(credential)
        state = standing.state_of(credential, activities=activities, passed=passed)
        if rules is None or state is None:
            continue
        name = dict(CredentialSnapshot.from_json(credential.snapshot).credential_name)
        today = clock.today()
        refreshers = {
            slug: day if day is not None and credential.issued_on <= day <= today else None
            for slug in rules.refreshers
            for day in [passed.get(slug)]
        }
        found.append(
            Renewable(credential, name, rules, state, latest.get(credential.id), refreshers)
        )
    return found


def renewal_open(credential: Credential) -> bool:
    """Whether `credential` is in its renewal window or grace period today (the dashboard's
    link). Only credentials whose last day is less than two years away are looked at: the
    rules are read from the database, and no window opens earlier than that."""
    today = clock.today()
    if credential.status != ACTIVE or credential.expires_on is None:
        return False
    if today < add_months(credential.expires_on, -24) or today > credential.expires_on + timedelta(
        days=366
    ):
        return False
    rules = standing.rules_for(credential)
    if rules is None:
        return False
    from lms.domain.credentials.renewal import phase

    return phase(credential.expires_on, today, rules) in (Phase.WINDOW, Phase.GRACE)
