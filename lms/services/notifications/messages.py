"""The notifications the product sends, one function per event, called where it happens.

Each is called inside the caller's transaction (before its commit): the notice and the mail's
outbox row commit or roll back with the change itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.domain.credentials.lifecycle import REASON_WORDS
from lms.domain.credentials.renewal import RenewalRules, RenewalState
from lms.domain.roles import REVIEWER
from lms.extensions import db
from lms.models import (
    Cohort,
    CohortTrainer,
    Credential,
    Enrolment,
    RegistryDecision,
    RoleGrant,
    User,
)
from lms.public_urls import public_path_url
from lms.services.notifications.sending import notify


def _name(texts: object, language: str) -> str:
    if isinstance(texts, dict):
        return str(texts.get(language) or texts.get("mn") or next(iter(texts.values()), ""))
    return str(texts or "")


def _credential_name(credential: Credential, language: str) -> str:
    snapshot = credential.snapshot or {}
    return _name(snapshot.get("credential_name") or snapshot.get("course_title"), language)


def credential_issued(credential: Credential, holder: User) -> None:
    with force_locale(holder.locale or "mn"):
        name = _credential_name(credential, holder.locale)
        notify(
            holder,
            "credential_issued",
            _("Your credential %(number)s was issued", number=credential.number),
            [
                _(
                    "%(name)s, number %(number)s, was issued to you.",
                    name=name,
                    number=credential.number,
                ),
                _("Anyone can check it at the verification address below."),
            ],
            link=public_path_url(f"/verify/{credential.number}"),
        )


def credential_status_changed(credential: Credential, holder: User, action: str) -> None:
    """Suspended, reinstated or revoked: required, the holder cannot turn it off."""
    with force_locale(holder.locale or "mn"):
        subjects = {
            "suspend": _("Your credential %(number)s was suspended", number=credential.number),
            "reinstate": _("Your credential %(number)s was reinstated", number=credential.number),
            "revoke": _("Your credential %(number)s was revoked", number=credential.number),
        }
        paragraphs = [subjects[action] + "."]
        if credential.status_reason and action != "reinstate":
            reason = REASON_WORDS.get(credential.status_reason)
            shown = _(reason) if reason else credential.status_reason
            paragraphs.append(_("Reason: %(reason)s", reason=shown))
        notify(
            holder,
            "credential_status",
            subjects[action],
            paragraphs,
            link=public_path_url(f"/verify/{credential.number}"),
        )


def _hours(value: Decimal) -> str:
    """1.5 stays "1.5", 12.0 reads "12"."""
    return format(value.normalize(), "f")


def _still_missing(
    state: RenewalState | None,
    rules: RenewalRules | None,
    refreshers: Mapping[str, object],
    language: str,
) -> list[str]:
    """What the holder still has to do to renew, in the current locale: the continuing-
    education hours missing in total and in each area with a minimum, or the refresher course
    that renews on its own."""
    if state is None or rules is None:
        return []
    if state.rules_met:
        return [_("You have done what the renewal rules ask: apply on your renewal page.")]
    paragraphs = []
    hours = state.hours
    ce = rules.continuing_education
    if hours is not None and ce is not None:
        areas = [
            _(
                "%(hours)s in %(area)s",
                hours=_hours(area.missing),
                area=_name(dict(found.title), language) if (found := ce.area(area.area)) else "",
            )
            for area in hours.areas
            if area.missing > 0
        ]
        if hours.missing > 0 and areas:
            paragraphs.append(
                _(
                    "Still missing: %(hours)s hours of continuing education, of them %(areas)s.",
                    hours=_hours(hours.missing),
                    areas="; ".join(areas),
                )
            )
        elif hours.missing > 0:
            paragraphs.append(
                _(
                    "Still missing: %(hours)s hours of continuing education.",
                    hours=_hours(hours.missing),
                )
            )
        elif areas:
            paragraphs.append(
                _("Still missing: continuing-education hours in %(areas)s.", areas="; ".join(areas))
            )
    for slug in rules.refreshers:
        title = _name(refreshers.get(slug) or slug, language)
        if paragraphs:
            paragraphs.append(_("You may also pass the refresher course %(title)s.", title=title))
        else:
            paragraphs.append(_("You may pass the refresher course %(title)s.", title=title))
    return paragraphs


def credential_expiring(
    credential: Credential,
    holder: User,
    days: int,
    state: RenewalState | None = None,
    rules: RenewalRules | None = None,
    refreshers: Mapping[str, object] = MappingProxyType({}),
) -> bool:
    """The 90, 30 or 7-day reminder, with what is still missing to renew; once ever per
    credential and stage."""
    with force_locale(holder.locale or "mn"):
        expires = credential.expires_on.isoformat() if credential.expires_on else ""
        return notify(
            holder,
            "credential_expiring",
            _(
                "Your credential %(number)s expires in %(days)s days",
                number=credential.number,
                days=days,
            ),
            [
                _(
                    "%(name)s, number %(number)s, is valid until %(date)s.",
                    name=_credential_name(credential, holder.locale),
                    number=credential.number,
                    date=expires,
                ),
                _("Renew it before then to keep claiming the service subsidy."),
                *_still_missing(state, rules, refreshers, holder.locale or "mn"),
            ],
            link=public_path_url("/renewal"),
            dedupe_key=f"expiring:{credential.id}:{days}",
        )


def renewal_window_opened(credential: Credential, holder: User) -> bool:
    with force_locale(holder.locale or "mn"):
        return notify(
            holder,
            "renewal_window",
            _("You can now renew credential %(number)s", number=credential.number),
            [
                _(
                    "The renewal window of credential %(number)s is open; it expires on %(date)s.",
                    number=credential.number,
                    date=credential.expires_on.isoformat() if credential.expires_on else "",
                )
            ],
            link=public_path_url("/renewal"),
            dedupe_key=f"renewal-window:{credential.id}",
        )


def renewal_grace_started(credential: Credential, holder: User, state: RenewalState) -> bool:
    """The day after the last valid day, while not renewed: the last day to renew."""
    with force_locale(holder.locale or "mn"):
        last = state.grace_ends.isoformat() if state.grace_ends else ""
        return notify(
            holder,
            "renewal_grace",
            _(
                "Your credential %(number)s has expired: renew it by %(date)s",
                number=credential.number,
                date=last,
            ),
            [
                _(
                    "%(name)s, number %(number)s, was valid until %(date)s.",
                    name=_credential_name(credential, holder.locale),
                    number=credential.number,
                    date=credential.expires_on.isoformat() if credential.expires_on else "",
                ),
                _(
                    "You can still renew it until %(date)s, with no gap in your credential."
                    " After that day the full course is needed again.",
                    date=last,
                ),
            ],
            link=public_path_url("/renewal"),
            dedupe_key=f"renewal-grace:{credential.id}",
        )


def renewal_lapsed(credential: Credential, holder: User) -> bool:
    """After the grace period, not renewed: the full course is needed again."""
    with force_locale(holder.locale or "mn"):
        return notify(
            holder,
            "renewal_lapsed",
            _("Your credential %(number)s has lapsed", number=credential.number),
            [
                _(
                    "The grace period of credential %(number)s is over and it was not renewed.",
                    number=credential.number,
                ),
                _(
                    "To hold it again, take the full course again: you can enrol from the"
                    " course page."
                ),
            ],
            link=public_path_url("/renewal"),
            dedupe_key=f"renewal-lapsed:{credential.id}",
        )


def enrolment_decided(enrolment: Enrolment, approved: bool) -> None:
    trainee = enrolment.user
    with force_locale(trainee.locale or "mn"):
        course = _name(enrolment.course_version.meta.get("title"), trainee.locale)
        if approved:
            subject = _("You are enrolled in %(course)s", course=course)
        else:
            subject = _("Your request to join %(course)s was declined", course=course)
        paragraphs = [subject + "."]
        if enrolment.decision_message:
            paragraphs.append(
                _("Message from the trainer: %(message)s", message=enrolment.decision_message)
            )
        notify(trainee, "enrolment_decided", subject, paragraphs, link=public_path_url("/my"))


def enrolment_requested(enrolment: Enrolment) -> None:
    """Tell the trainers of the request's cohort (or of every cohort of the course)."""
    query = select(User).join(CohortTrainer, CohortTrainer.user_id == User.id)
    if enrolment.cohort_id is not None:
        query = query.where(CohortTrainer.cohort_id == enrolment.cohort_id)
    else:
        query = query.join(Cohort, Cohort.id == CohortTrainer.cohort_id).where(
            Cohort.course_id == enrolment.course_id
        )
    for trainer in db.session.execute(query.distinct()).scalars():
        with force_locale(trainer.locale or "mn"):
            course = _name(enrolment.course_version.meta.get("title"), trainer.locale)
            subject = _("%(name)s asks to join %(course)s", name=enrolment.user.name, course=course)
            notify(
                trainer,
                "enrolment_requested",
                subject,
                [subject + ".", _("Approve or decline the request on your trainer page.")],
                link=public_path_url("/trainer/"),
            )


def proposal_waiting(decision: RegistryDecision, proposer: User) -> None:
    """Every other reviewer: a proposal needs a second person to confirm or reject it."""
    reviewers = db.session.execute(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == REVIEWER, User.id != proposer.id, User.active.is_(True))
    ).scalars()
    credential = decision.credential
    for reviewer in reviewers:
        with force_locale(reviewer.locale or "mn"):
            subject = _(
                "A proposal on credential %(number)s waits for a second reviewer",
                number=credential.number,
            )
            notify(
                reviewer,
                "proposal_waiting",
                subject,
                [subject + ".", _("Proposed by %(name)s.", name=proposer.name)],
                link=public_path_url("/registry/pending"),
            )


def name_correction_requested(admin: User, holder: User, numbers: list[str], note: str) -> bool:
    """An administrator: `holder` asks for their credentials to be reissued under their
    corrected name. Once per administrator and name (False when already sent)."""
    name_key = hashlib.sha256(holder.name.encode()).hexdigest()[:32]
    with force_locale(admin.locale or "mn"):
        subject = _("%(name)s asks for a name correction on their credentials", name=holder.name)
        paragraphs = [
            _(
                "%(name)s changed the name on their account and asks for these credentials to"
                " be reissued under it: %(numbers)s.",
                name=holder.name,
                numbers=", ".join(numbers),
            ),
            _("Issue the corrected credentials from the person's page."),
        ]
        if note:
            paragraphs.append(_("Their message: %(note)s", note=note))
        return notify(
            admin,
            "name_correction",
            subject,
            paragraphs,
            link=public_path_url(f"/admin/users/{holder.id}"),
            dedupe_key=f"name-correction:{holder.id}:{admin.id}:{name_key}",
        )
