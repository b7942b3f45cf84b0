"""Why a registry decision was refused, in words for the reviewer (registry and admin pages)."""

from __future__ import annotations

from flask_babel import gettext as _


def refusal_message(code: str) -> str:
    """Why a decision was refused, for the reviewer."""
    return {
        "note": _("Write a note: it tells the next reviewer why."),
        "kind": _("Choose a decision."),
        "action": _("Choose a change."),
        "transition": _("This change is not possible from the credential's current status."),
        "reason": _("A revocation needs a reason."),
        "reason_missing": _("Choose a reason: a suspension or a revocation needs one."),
        "reason_wrong": _(
            "Choose a reason from the list for this change: suspensions and revocations have "
            "their own reasons."
        ),
        "already_open": _(
            "Another proposal for this credential is waiting: it must be confirmed, rejected "
            "or withdrawn first."
        ),
        "closed": _("This proposal has already been decided."),
        "own": _(
            "You proposed this change: a different reviewer or administrator must confirm or "
            "reject it."
        ),
        "not_own": _("Only the person who proposed this change can withdraw it."),
        "not_subsidy": _(
            "This credential does not qualify for the subsidy: an administrator changes its "
            "status directly on the credential page."
        ),
    }.get(code, _("The decision could not be recorded."))
