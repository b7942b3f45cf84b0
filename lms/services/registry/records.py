"""Registry reads for reviewers: a coach's whole record, and eligibility on a date.

The eligibility functions are free of Flask requests (the registry pages and the API call the
same ones): they load a credential's facts and status history from the database and leave the
decision to the pure `lms.domain.registry.eligibility`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from lms.domain.credentials.lifecycle import effective_status
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.registry.decisions import OPEN
from lms.domain.registry.eligibility import (
    CredentialFacts,
    Eligibility,
    StatusEvent,
    best,
    check,
)
from lms.domain.registry.renewal_status import renewal_chain
from lms.extensions import db
from lms.models import (
    CeActivity,
    Course,
    Credential,
    CredentialEvent,
    PracticumRecord,
    RegistryDecision,
    User,
)
from lms.services import clock
from lms.services.accounts import users as accounts
from lms.services.accounts.private_data import blind_index
from lms.services.courses.store import latest_version
from lms.services.credentials import issuing as credentials
from lms.services.learning.progress import localised
from lms.services.registry import renewal as registry_renewal
from lms.services.registry.renewal import RenewalStatus
from lms.services.renewal import ledger, standing

# --- eligibility -------------------------------------------------------------------------


def events_by_credential(ids: Iterable[int]) -> dict[int, list[StatusEvent]]:
    """The status history of each credential in `ids`, in one query (batch checks use it)."""
    wanted = list(ids)
    events: dict[int, list[StatusEvent]] = defaultdict(list)
    if not wanted:
        return events
    rows = db.session.execute(
        select(CredentialEvent)
        .where(CredentialEvent.credential_id.in_(wanted))
        .order_by(CredentialEvent.effective_on, CredentialEvent.id)
    ).scalars()
    for row in rows:
        events[row.credential_id].append(
            StatusEvent(
                effective_on=row.effective_on,
                action=row.action,
                to_status=row.to_status,
                reason=row.reason,
            )
        )
    return events


def credential_facts(credential: Credential, events: Iterable[StatusEvent]) -> CredentialFacts:
    """What eligibility is decided from, for one stored credential and its history."""
    return CredentialFacts(
        number=credential.number,
        course_slug=credential.course_slug,
        qualifies_for_subsidy=credential.qualifies_for_subsidy,
        issued_on=credential.issued_on,
        expires_on=credential.expires_on,
        events=tuple(events),
    )


def _answers(found: list[Credential], on: date) -> list[Eligibility]:
    events = events_by_credential(c.id for c in found)
    return [check(credential_facts(c, events[c.id]), on) for c in found]


def eligibility_for_number(number: str, on: date) -> Eligibility | None:
    """The answer for the credential with `number` on `on` (None: no such credential)."""
    credential = credentials.find(number)
    if credential is None:
        return None
    return _answers([credential], on)[0]


def eligibility_for_national_id(value: str, on: date) -> Eligibility | None:
    """The best answer among the credentials of the person with this national registration
    number (a qualifying one if any). None: invalid number, unknown person or no credential."""
    national = normalise_national_id(value)
    if not is_valid_national_id(national):
        return None
    found = list(
        db.session.execute(
            select(Credential)
            .join(User, User.id == Credential.user_id)
            .where(User.national_id_index == blind_index(national))
            .order_by(Credential.issued_on, Credential.id)
        ).scalars()
    )
    return best(_answers(found, on))


@dataclass(frozen=True)
class AnsweredCredential:
    """What the eligibility page shows beside the answer: the credential and its holder."""

    credential: Credential
    snapshot: CredentialSnapshot
    holder: User


def answered_credential(answer: Eligibility) -> AnsweredCredential:
    """The credential an answer is about (it exists: the answer was made from it)."""
    credential = db.session.execute(
        select(Credential)
        .where(Credential.number == answer.number)
        .options(selectinload(Credential.user))
    ).scalar_one()
    return AnsweredCredential(
        credential, CredentialSnapshot.from_json(credential.snapshot), credential.user
    )


# --- a coach's record ----------------------------------------------------------------------


@dataclass
class CredentialRecord:
    """One credential on a coach's record, with everything a reviewer checks."""

    credential: Credential
    snapshot: CredentialSnapshot
    status_today: str
    issued_by: User | None
    superseded_by: str | None
    events: list[CredentialEvent] = field(default_factory=list)
    practicum: list[PracticumRecord] = field(default_factory=list)
    decisions: list[RegistryDecision] = field(default_factory=list)
    renewal: RenewalStatus | None = None
    # The renewals this credential is part of, oldest first (empty when it is in none).
    chain: list[Credential] = field(default_factory=list)

    @property
    def practicum_hours_recorded(self) -> float:
        return sum(record.hours for record in self.practicum if record.voided_at is None)

    @property
    def open_proposal(self) -> RegistryDecision | None:
        return next((d for d in self.decisions if d.kind == "proposal" and d.state == OPEN), None)


@dataclass(frozen=True)
class CoachRecord:
    holder: User
    national_id: str | None
    credentials: list[CredentialRecord]
    # The coach's continuing-education ledger, newest first, and the topic areas' titles (per
    # language) from the renewal rules of every course.
    ledger: list[CeActivity] = field(default_factory=list)
    area_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def coach_record(user_id: int, *, with_private_data: bool) -> CoachRecord | None:
    """A holder's credentials with history, practicum, decisions (None: not in the registry).

    The national registration number is decrypted only when `with_private_data` is set (the
    caller checks `can_see_private_data`). A fixed number of queries, whatever the record size.
    """
    holder = db.session.get(User, user_id)
    if holder is None:
        return None
    rows = list(
        db.session.execute(
            select(Credential)
            .where(Credential.user_id == user_id)
            .order_by(Credential.issued_on.desc(), Credential.id.desc())
        ).scalars()
    )
    if not rows:
        return None
    ids = [c.id for c in rows]
    events = _grouped(
        select(CredentialEvent)
        .where(CredentialEvent.credential_id.in_(ids))
        .options(selectinload(CredentialEvent.actor))
        .order_by(CredentialEvent.effective_on, CredentialEvent.id),
        "credential_id",
    )
    practicum = _grouped(
        select(PracticumRecord)
        .where(PracticumRecord.enrolment_id.in_({c.enrolment_id for c in rows}))
        .options(selectinload(PracticumRecord.signed_by))
        .order_by(PracticumRecord.observed_on, PracticumRecord.id),
        "enrolment_id",
    )
    decisions = _grouped(
        select(RegistryDecision)
        .where(RegistryDecision.credential_id.in_(ids))
        .options(selectinload(RegistryDecision.actor), selectinload(RegistryDecision.resolved_by))
        .order_by(RegistryDecision.at.desc(), RegistryDecision.id.desc()),
        "credential_id",
    )
    people = _users({c.issued_by_id for c in rows if c.issued_by_id})
    numbers = _numbers({c.superseded_by_id for c in rows if c.superseded_by_id})
    on = clock.today()
    rules = standing.rules_by_course()
    renewals = registry_renewal.statuses(rows, on, rules)
    chains = _renewal_chains(rows)
    return CoachRecord(
        holder=holder,
        national_id=accounts.national_id(holder) if with_private_data else None,
        credentials=[
            CredentialRecord(
                credential=c,
                snapshot=CredentialSnapshot.from_json(c.snapshot),
                status_today=effective_status(c.status, c.expires_on, on),
                issued_by=people.get(c.issued_by_id) if c.issued_by_id else None,
                superseded_by=numbers.get(c.superseded_by_id) if c.superseded_by_id else None,
                events=events.get(c.id, []),
                practicum=practicum.get(c.enrolment_id, []),
                decisions=decisions.get(c.id, []),
                renewal=renewals[c.id],
                chain=chains.get(c.id, []),
            )
            for c in rows
        ],
        ledger=ledger.entries(holder),
        area_titles={
            area.id: area.title
            for course_rules in rules.values()
            if course_rules.continuing_education is not None
            for area in course_rules.continuing_education.areas
        },
    )


def _renewal_chains(rows: list[Credential]) -> dict[int, list[Credential]]:
    """Credential id → the chain of renewals it is in, oldest first (only chains of two or
    more; a renewal supersedes the old credential, which keeps its holder)."""
    by_id = {c.id: c for c in rows}
    renewed_by = {
        c.id: c.superseded_by_id
        for c in rows
        if c.status == "superseded" and c.status_reason == "renewal" and c.superseded_by_id
    }
    chains: dict[int, list[Credential]] = {}
    for c in rows:
        chain = [by_id[i] for i in renewal_chain(c.id, renewed_by) if i in by_id]
        if len(chain) > 1:
            chains[c.id] = chain
    return chains


def _grouped(statement: Select[Any], key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(statement).scalars():
        groups[getattr(row, key)].append(row)
    return groups


def _users(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}


def _numbers(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Credential.id, Credential.number).where(Credential.id.in_(ids))
    )
    return {credential_id: number for credential_id, number in rows}


# --- choices for the filter form -----------------------------------------------------------


def published_courses() -> list[Course]:
    """Every course with its published versions (two queries), for `course_choices` and
    `lms.services.renewal.standing.rules_of_courses` on one page."""
    return list(db.session.execute(select(Course).options(selectinload(Course.versions))).scalars())


def course_choices(language: str, courses: Iterable[Course] | None = None) -> list[tuple[str, str]]:
    """(slug, title) of every published course (or of `courses`), by title in `language`."""
    if courses is None:
        courses = published_courses()
    choices = [
        (course.slug, localised(version.meta["title"], language))
        for course in courses
        if (version := latest_version(course)) is not None
    ]
    return sorted(choices, key=lambda choice: choice[1].casefold())
