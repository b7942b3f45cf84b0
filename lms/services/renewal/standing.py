"""Where a credential stands in its renewal: the rules that apply and the pure `RenewalState`.

**Which rules apply** to a credential: those of the newest published version of its course (a
credential issued under 1.0.0 is renewed under the rules trainers publish later, as a licence
is renewed under today's regulation), else those of the version it was issued under. A course
whose newest version has no ``renewal:`` block has nothing to renew.

The renewal page, the confirmation, the reminders and the registry all read a credential's
standing from here, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from lms.domain.credentials.renewal import Activity, RenewalRules, RenewalState, renewal_state
from lms.extensions import db
from lms.models import Course, CourseVersion, Credential, CredentialEvent, Enrolment, User
from lms.services import clock
from lms.services.courses.store import course_rules, latest_version


def rules_for_course(slug: str) -> RenewalRules | None:
    """The renewal rules of the newest published version of the course ``slug`` (None: the
    course is unknown, or its newest version has no renewal rules)."""
    course = db.session.execute(select(Course).where(Course.slug == slug)).scalar_one_or_none()
    version = latest_version(course) if course is not None else None
    if version is None:
        return None
    return course_rules(version).certification.credential.renewal


def rules_for(credential: Credential) -> RenewalRules | None:
    """The renewal rules that apply to ``credential`` (see the module doc)."""
    found = rules_for_course(credential.course_slug)
    if found is not None:
        return found
    version = db.session.get(CourseVersion, credential.course_version_id)
    return course_rules(version).certification.credential.renewal if version else None


def refreshers_passed(user: User) -> dict[str, date]:
    """Course slug → the day (in Mongolia) the user completed it, for completed enrolments."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    rows = db.session.execute(
        select(Course.slug, Enrolment.completed_at)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(
            Enrolment.user_id == user.id,
            Enrolment.state == "completed",
            Enrolment.completed_at.is_not(None),
        )
    ).all()
    passed: dict[str, date] = {}
    for slug, completed_at in rows:
        day = completed_at.astimezone(zone).date()
        passed[slug] = max(day, passed.get(slug, day))
    return passed


def state_of(
    credential: Credential,
    *,
    on: date | None = None,
    activities: Iterable[Activity] | None = None,
    passed: dict[str, date] | None = None,
) -> RenewalState | None:
    """The credential's renewal standing on ``on`` (today), or None when it has no renewal
    rules. ``activities`` and ``passed`` default to its holder's ledger and completed courses
    (pass them in when looking at many credentials of one holder)."""
    rules = rules_for(credential)
    if rules is None:
        return None
    if activities is None or passed is None:
        from lms.services.renewal.ledger import activities_for

        holder = db.session.get_one(User, credential.user_id)
        activities = activities_for(holder) if activities is None else activities
        passed = refreshers_passed(holder) if passed is None else passed
    return renewal_state(
        rules,
        issued_on=credential.issued_on,
        expires_on=credential.expires_on,
        on=on or clock.today(),
        activities=activities,
        refreshers_passed=passed,
        counting_from=counting_from(credential),
    )


def counting_from(credential: Credential) -> date:
    """The first day continuing education counts towards renewing ``credential``: its first
    valid day, or, for a credential that renewed another, the day after that renewal was
    granted (a refresher passed in the grace period renewed the old credential; it must not
    renew this one too). See `lms.domain.credentials.renewal.renewal_state`."""
    renewed = db.session.execute(
        select(Credential.id).where(
            Credential.superseded_by_id == credential.id, Credential.status_reason == "renewal"
        )
    ).first()
    if renewed is None:
        return credential.issued_on
    granted_at = db.session.execute(
        select(CredentialEvent.at)
        .where(CredentialEvent.credential_id == credential.id, CredentialEvent.action == "issue")
        .order_by(CredentialEvent.id)
    ).scalar()
    if granted_at is None:
        return credential.issued_on
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return granted_at.astimezone(zone).date() + timedelta(days=1)


def rules_of_courses(courses: Iterable[Course]) -> dict[str, RenewalRules]:
    """`rules_by_course` for courses already loaded with their versions (no query once the
    versions are parsed)."""
    found: dict[str, RenewalRules] = {}
    for course in courses:
        version = latest_version(course)
        rules = course_rules(version).certification.credential.renewal if version else None
        if rules is not None:
            found[course.slug] = rules
    return found


def rules_by_course() -> dict[str, RenewalRules]:
    """Course slug → the renewal rules of its newest published version, for every course that
    has them (`rules_for_course` for all courses at once: one query, parsed versions cached).
    The registry's renewal filters and statuses read this map."""
    rows = db.session.execute(
        select(Course.slug, CourseVersion).join(CourseVersion, CourseVersion.course_id == Course.id)
    ).all()
    newest: dict[str, CourseVersion] = {}
    for slug, version in rows:
        known = newest.get(slug)
        if known is None or (version.major, version.minor, version.patch) > (
            known.major,
            known.minor,
            known.patch,
        ):
            newest[slug] = version
    found: dict[str, RenewalRules] = {}
    for slug, version in newest.items():
        rules = course_rules(version).certification.credential.renewal
        if rules is not None:
            found[slug] = rules
    return found
