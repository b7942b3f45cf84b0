"""Bulk enrolment from a CSV file: a preview row by row, then every valid row in one go.

The preview carries the file to the apply step in a signed, timed token (bound to the cohort
and the trainer), with a fingerprint of the plan shown. Applying re-reads the file and plans it
again under the cohort's lock; if anything changed since the preview (someone enrolled, an
account was created) nothing is applied and the trainer sees the new preview.
"""

from __future__ import annotations

import secrets
import smtplib
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.domain.bulk_enrolment import (
    Account,
    ParsedFile,
    PlannedRow,
    Problem,
    Row,
    Standing,
    plan,
    plan_digest,
    read_file,
)
from lms.domain.enrolment import unmet_prerequisites
from lms.domain.roles import TRAINEE
from lms.extensions import db
from lms.models import Cohort, Enrolment, User
from lms.models.types import utcnow
from lms.public_urls import public_url
from lms.services import audit
from lms.services.accounts import users as accounts
from lms.services.courses.store import course_rules
from lms.services.learning import seats
from lms.services.learning.enrolment import current_first
from lms.services.learning.prerequisites import learner_record
from lms.services.learning.progress import localised
from lms.services.mail import send_mail

TOKEN_MAX_AGE = 3600  # an hour from preview to apply
# The token travels in a form field; Flask refuses fields over MAX_FORM_MEMORY_SIZE (500 kB).
TOKEN_MAX_LENGTH = 400_000
# Not an Argon2 hash, so no password ever matches it; the random part makes each reset
# token (bound to the hash's tail) unique until the trainee chooses a password.
UNUSABLE_PASSWORD = "!unusable:"  # noqa: S105 (a marker, not a password)


class TokenInvalid(ValueError):
    """The preview expired, was tampered with, or belongs to another cohort or trainer."""


@dataclass(frozen=True)
class Preview:
    """What applying the file would do, and the token that carries it to the apply step."""

    parsed: ParsedFile
    rows: tuple[PlannedRow, ...] = ()
    token: str = ""

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.outcome for row in self.rows)

    @property
    def applicable(self) -> bool:
        return any(row.outcome in ("new", "existing") for row in self.rows)


class PlanChanged(RuntimeError):
    """Applying found another plan than the preview showed; nothing was applied."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("the bulk enrolment plan changed since the preview")
        self.preview = preview


@dataclass
class Applied:
    created: list[User] = field(default_factory=list)
    enrolled: list[User] = field(default_factory=list)
    skipped: int = 0
    errors: int = 0
    mail_failures: int = 0


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="bulk-enrolment")


def preview(cohort: Cohort, data: bytes, actor: User) -> Preview:
    """Read the file and plan every row against the database as it is now."""
    parsed = read_file(data)
    if parsed.problem is not None:
        return Preview(parsed)
    rows = _plan(cohort, parsed.rows)
    token = _serializer().dumps(
        {"c": cohort.id, "u": actor.id, "t": data.decode("utf-8-sig"), "h": plan_digest(rows)}
    )
    if len(token) > TOKEN_MAX_LENGTH:
        return Preview(ParsedFile(problem=Problem("too_large", str(TOKEN_MAX_LENGTH // 1000))))
    return Preview(parsed, rows, token)


def _unsign(token: str, cohort: Cohort, actor: User) -> tuple[bytes, str]:
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(payload, dict) or (payload.get("c"), payload.get("u")) != (
        cohort.id,
        actor.id,
    ):
        raise TokenInvalid
    return str(payload["t"]).encode(), str(payload["h"])


def apply(cohort: Cohort, token: str, actor: User) -> Applied:
    """Create and enrol every valid row of the previewed file in one transaction; audited.

    Raises TokenInvalid, or PlanChanged (with a fresh preview) when the plan differs from the
    one previewed. New accounts are sent a set-your-password link after the commit.
    """
    data, digest = _unsign(token, cohort, actor)
    seats.lock(cohort)  # seats are counted and taken under the lock
    parsed = read_file(data)
    rows = _plan(cohort, parsed.rows)
    if parsed.problem is not None or plan_digest(rows) != digest:
        db.session.rollback()
        raise PlanChanged(preview(cohort, data, actor))
    result = Applied(
        skipped=sum(r.outcome == "already" for r in rows),
        errors=sum(r.outcome == "error" for r in rows),
    )
    try:
        for planned in rows:
            if planned.outcome == "new":
                user = _new_account(planned.row, actor)
                result.created.append(user)
            elif planned.outcome == "existing" and planned.account is not None:
                user = db.session.get(User, planned.account.user_id)
            else:
                continue
            _enrol(user, cohort, actor)
            result.enrolled.append(user)
        audit.record(
            actor,
            "cohort.bulk_enrol",
            "cohort",
            cohort.id,
            {
                "created": [u.id for u in result.created],
                "enrolled": [u.id for u in result.enrolled],
                "already": result.skipped,
                "errors": result.errors,
            },
        )
        # The welcome mails are outbox rows in this transaction: sent by a job after commit.
        db.session.flush()
        result.mail_failures = _send_links(result.created, cohort, actor)
        db.session.commit()
    except IntegrityError as error:  # an account or enrolment appeared meanwhile
        db.session.rollback()
        raise PlanChanged(preview(cohort, data, actor)) from error
    return result


def _plan(cohort: Cohort, rows: tuple[Row, ...]) -> tuple[PlannedRow, ...]:
    prerequisites = course_rules(cohort.course_version).prerequisites
    return plan(
        rows,
        _accounts(cohort, [row.email for row in rows if row.email], bool(prerequisites)),
        seats_left=seats.seats_left(cohort),
        prerequisites_met_by_new_accounts=not prerequisites,
    )


def _accounts(cohort: Cohort, emails: list[str], check_prerequisites: bool) -> dict[str, Account]:
    users: list[User] = []
    for start in range(0, len(emails), 500):  # stay far below every database's bind limit
        users.extend(
            db.session.execute(select(User).where(User.email.in_(emails[start : start + 500])))
            .scalars()
            .all()
        )
    enrolments: dict[int, Enrolment] = {}
    ids = [user.id for user in users]
    for start in range(0, len(ids), 500):
        for enrolment in db.session.execute(
            select(Enrolment)
            .where(
                Enrolment.course_id == cohort.course_id,
                Enrolment.user_id.in_(ids[start : start + 500]),
            )
            .order_by(*current_first())
        ).scalars():
            enrolments.setdefault(enrolment.user_id, enrolment)  # the current one comes first
    parsed = course_rules(cohort.course_version)
    prerequisites, course_slug = parsed.prerequisites, parsed.slug
    found = {}
    for user in users:
        standing, holds_seat = _standing(enrolments.get(user.id), cohort)
        met = not check_prerequisites or not unmet_prerequisites(
            prerequisites, learner_record(user), course_slug
        )
        found[user.email] = Account(user.id, user.name, user.active, standing, met, holds_seat)
    return found


def _standing(enrolment: Enrolment | None, cohort: Cohort) -> tuple[Standing, bool]:
    if enrolment is None:
        return "none", False
    if enrolment.state in ("declined", "withdrawn"):
        return "closed", False
    if enrolment.cohort_id == cohort.id and enrolment.state in ("active", "completed"):
        return "here", False
    if enrolment.state == "requested" and enrolment.cohort_id in (cohort.id, None):
        return "requested_here", enrolment.cohort_id == cohort.id
    return "elsewhere", False


def _new_account(row: Row, actor: User) -> User:
    user = User(
        email=row.email,
        name=row.name,
        password_hash=UNUSABLE_PASSWORD + secrets.token_urlsafe(24),
        locale="mn",
        region=row.region,
        organisation=row.organisation,
        phone=row.phone,
    )
    db.session.add(user)
    db.session.flush()
    accounts.grant_role(user, TRAINEE, actor)
    return user


def _enrol(user: User, cohort: Cohort, actor: User) -> None:
    enrolment = (
        db.session.execute(
            select(Enrolment)
            .where(Enrolment.user_id == user.id, Enrolment.course_id == cohort.course_id)
            .order_by(*current_first())
            .limit(1)
        )
        .scalars()
        .first()
    )
    now = utcnow()
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=cohort.course_id, requested_at=now)
        db.session.add(enrolment)
    enrolment.course_version_id = cohort.course_version_id
    enrolment.cohort_id = cohort.id
    enrolment.state = "active"
    enrolment.activated_at = now
    enrolment.completed_at = None
    enrolment.decided_by_id = actor.id


def _send_links(users: list[User], cohort: Cohort, actor: User) -> int:
    """Mail each new account its set-your-password link; returns how many failed to send."""
    failures = 0
    course = cohort.course_version.meta["title"]
    for user in users:
        link = public_url(
            "auth.reset_password", token=accounts.make_reset_token(user, welcome=True)
        )
        with force_locale(user.locale):
            subject = _("Your account for job coach training")
            body = _(
                "%(trainer)s has enrolled you in %(course)s (%(cohort)s).\n\n"
                "Choose your password with this link:\n%(link)s\n\n"
                "If the link has expired, ask for a new one here:\n%(reset)s",
                trainer=actor.name,
                course=localised(course, user.locale),
                cohort=cohort.name,
                link=link,
                reset=public_url("auth.reset_request"),
            )
        try:
            send_mail(user.email, subject, body)
        except (smtplib.SMTPException, OSError):
            current_app.logger.exception("could not send the account link to %s", user.email)
            failures += 1
    return failures
