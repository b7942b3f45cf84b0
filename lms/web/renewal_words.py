"""Words for renewal by the coach, shared by the coach's renewal page and the reviewers' queue:
where a credential stands, the rule met, and why a step was refused."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.domain.credentials.renewal import Phase, RenewalState
from lms.web.ce_labels import hours_text

METHOD_LABELS = {
    "hours": _l("Continuing-education hours"),
    "refresher": _l("Refresher course"),
}
REQUEST_LABELS = {
    "applied": _l("Waiting for a trainer to confirm"),
    "confirmed": _l("Confirmed"),
    "refused": _l("Refused"),
}
PROBLEMS = {
    "not_holder": _l("Only the holder of a credential can apply to renew it."),
    "not_renewable": _l("This credential cannot be renewed: it is not valid, or never expires."),
    "not_open": _l("Renewal of this credential is not open: the window has not opened yet."),
    "lapsed": _l(
        "This credential has lapsed: the grace period is over. Take the full course again."
    ),
    "not_met": _l("No way to renew is complete yet: see what is still missing."),
    "already_applied": _l("You have already applied to renew this credential."),
    "decided": _l("This renewal has already been decided."),
    "reason_missing": _l("Say why you refuse the renewal."),
}


def problem_text(code: str) -> str:
    return str(PROBLEMS.get(code, PROBLEMS["not_renewable"]))


def phase_text(state: RenewalState) -> str:
    """The phase in words, with its dates."""
    if state.phase is Phase.NOT_YET and state.window_opens:
        return _(
            "Renewal is not open yet: it opens on %(day)s.", day=state.window_opens.isoformat()
        )
    if state.phase is Phase.WINDOW and state.expires_on:
        return _(
            "Renewal is open until %(day)s, the credential's last valid day.",
            day=state.expires_on.isoformat(),
        )
    if state.phase is Phase.GRACE and state.grace_ends:
        return _(
            "The credential has expired; you can still renew it in the grace period until %(day)s.",
            day=state.grace_ends.isoformat(),
        )
    if state.phase is Phase.LAPSED:
        return _("The credential has lapsed: take the full course again.")
    return _("This credential does not expire.")


def hours_summary(state: RenewalState, area_titles: dict[str, str] | None = None) -> str:
    """ "24 of 36 hours; 6 of 12 in Practice" ("" when the rules have no hours)."""
    progress = state.hours
    if progress is None:
        return ""
    parts = [
        _(
            "%(counted)s of %(required)s hours",
            counted=hours_text(progress.counted),
            required=hours_text(progress.required),
        )
    ]
    for area in progress.areas:
        if area.min_hours:
            parts.append(
                _(
                    "%(counted)s of %(required)s in %(area)s",
                    counted=hours_text(min(area.counted, area.min_hours)),
                    required=hours_text(area.min_hours),
                    area=(area_titles or {}).get(area.area, area.area),
                )
            )
    return "; ".join(parts)
