"""Reasons for suspending or revoking a credential, in words, for the registry and admin forms.

The lists and the rule (which action needs which reason) are the domain's
(`lms.domain.credentials.lifecycle.REASONS`, `reason_problem`); this module gives them labels,
the grouped choices of the one "Reason" select (no reason is chosen in advance) and the form
error a reviewer reads.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from lms.domain.credentials.lifecycle import (
    REASON_WORDS,
    REVOCATION_REASONS,
    SUSPENSION_REASONS,
    reason_problem,
)

SUSPENSION_REASON_LABELS = {
    code: _l(REASON_WORDS[code]) for code in SUSPENSION_REASONS if code != "other"
}
REVOCATION_REASON_LABELS = {
    code: _l(REASON_WORDS[code]) for code in REVOCATION_REASONS if code != "other"
}
OTHER_LABEL = _l("Other (explain in the note)")

REASON_LABELS: dict[str, Any] = {code: _l(words) for code, words in REASON_WORDS.items()}
"""Every stored reason code in words (the history and decision lists show them)."""


def reason_choices() -> list[SelectChoice]:
    """The choices of the reason select: a blank first choice, then each list in its group."""
    suspension, revocation = _l("Reasons for a suspension"), _l("Reasons for a revocation")
    return [
        SelectChoice("", _l("Choose a reason (not needed to reinstate)")),
        *(
            SelectChoice(c, label, optgroup=suspension)
            for c, label in SUSPENSION_REASON_LABELS.items()
        ),
        *(
            SelectChoice(c, label, optgroup=revocation)
            for c, label in REVOCATION_REASON_LABELS.items()
        ),
        SelectChoice("other", OTHER_LABEL, optgroup=_l("For either")),
    ]


def check_reason(action: str, reason: str) -> None:
    """Raise the form error for `reason` given with `action` (a WTForms inline validator's
    body: ``def validate_reason(self, field): check_reason(self.action.data, field.data)``)."""
    problem = reason_problem(action, reason or "")
    if problem is None:
        return
    messages = {
        ("suspend", "reason_missing"): _l("Choose a reason for the suspension."),
        ("revoke", "reason_missing"): _l("Choose a reason for the revocation."),
        ("suspend", "reason_wrong"): _l(
            "This is a reason for a revocation: choose one of the reasons for a suspension."
        ),
        ("revoke", "reason_wrong"): _l(
            "This is a reason for a suspension: choose one of the reasons for a revocation."
        ),
    }
    raise ValidationError(messages.get((action, problem), _l("Choose a reason from the list.")))
