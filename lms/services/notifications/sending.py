"""Write one notification: an in-app notice and (unless turned off) a mail, in one transaction.

Callers build the words inside `force_locale(user.locale)` so both are in the recipient's
language; the mail leaves through the outbox after the caller's commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.extensions import db
from lms.models import Notification, NotificationOptOut, User
from lms.public_urls import public_path_url
from lms.services.mail import send_mail
from lms.services.notifications.kinds import KINDS


def wants_mail(user: User, kind: str) -> bool:
    """Whether `user` gets mail of `kind` (required kinds always)."""
    if KINDS[kind].required:
        return True
    opted_out = db.session.execute(
        select(NotificationOptOut.id).where(
            NotificationOptOut.user_id == user.id, NotificationOptOut.kind == kind
        )
    ).first()
    return opted_out is None


def _reason(kind: str) -> str:
    reasons = {
        "enrolment_decided": _("You asked to join this course."),
        "credential_issued": _("A credential was issued in your name."),
        "credential_expiring": _("You hold this credential."),
        "renewal_window": _("You hold this credential."),
        "renewal_grace": _("You hold this credential."),
        "renewal_lapsed": _("You hold this credential."),
        "credential_status": _("You hold this credential."),
        "proposal_waiting": _("You are a registry reviewer."),
        "enrolment_requested": _("You are a trainer of this cohort."),
        "name_correction": _("You are an administrator."),
    }
    return reasons[kind]


def notify(
    user: User,
    kind: str,
    subject: str,
    paragraphs: Sequence[str],
    link: str = "",
    dedupe_key: str | None = None,
) -> bool:
    """Record the notice and queue its mail; returns False when `dedupe_key` was used before.

    A `dedupe_key` (a reminder per credential and stage) makes the notification once-ever:
    the outbox's unique key decides, even with two passes running at once.
    """
    with force_locale(user.locale or "mn"):
        if KINDS[kind].required:
            why = _(
                "%(reason)s The ministry requires that you are told; this cannot be turned off.",
                reason=_reason(kind),
            )
        else:
            why = _(
                "%(reason)s You can turn these mails off on your account page: %(link)s",
                reason=_reason(kind),
                link=public_path_url("/account/"),
            )
        context = {
            "subject": subject,
            "paragraphs": paragraphs,
            "link": link,
            "why": why,
            "lang": user.locale or "mn",
        }
        # Straight from the Jinja environment: mail is written outside any request, so the
        # page context processors (which read the request) must not run.
        environment = current_app.jinja_env
        text = environment.get_template("mail/notification.txt").render(**context)
        html = environment.get_template("mail/notification.html").render(**context)
    if wants_mail(user, kind):
        outbox_id = send_mail(user.email, subject, text, html=html, dedupe_key=dedupe_key)
        if dedupe_key is not None and outbox_id is None:
            return False
    elif dedupe_key is not None:
        # No mail, but still once-ever: the key is kept by an outbox row that sends nothing.
        from lms.services import outbox

        if outbox.write("noop", {}, dedupe_key=dedupe_key) is None:
            return False
    db.session.add(Notification(user_id=user.id, kind=kind, text=paragraphs[0], link=link))
    return True


def recent_for(user: User, limit: int = 5) -> list[Notification]:
    """The newest notices of `user`, for the dashboard."""
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def set_opt_outs(user: User, turned_off: set[str]) -> None:
    """Keep exactly `turned_off` (optional kinds only) as this person's opt-outs; commits."""
    wanted = {kind for kind in turned_off if kind in KINDS and not KINDS[kind].required}
    rows = db.session.execute(
        select(NotificationOptOut).where(NotificationOptOut.user_id == user.id)
    ).scalars()
    have = set()
    for row in rows:
        if row.kind in wanted:
            have.add(row.kind)
        else:
            db.session.delete(row)
    for kind in wanted - have:
        db.session.add(NotificationOptOut(user_id=user.id, kind=kind))
    db.session.commit()


def opt_outs(user: User) -> set[str]:
    return set(
        db.session.execute(
            select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)
        ).scalars()
    )
