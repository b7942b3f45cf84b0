"""Renewal statuses and the registry's renewal filters in words (the list, the coach record and
the exports say them alike; the codes come from `lms.domain.registry.renewal_status`)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.domain.registry.renewal_status import RENEWED

RENEWAL_LABELS = {
    "not_yet": _l("Not yet due"),
    "window": _l("Renewal window open"),
    "grace": _l("Grace period"),
    "lapsed": _l("Lapsed"),
    "no_expiry": _l("No expiry"),
}
RENEWAL_TAGS = {
    "not_yet": "tag-neutral",
    "no_expiry": "tag-neutral",
    "window": "tag-pending",
    "grace": "tag-pending",
    "lapsed": "tag-bad",
    RENEWED: "tag-ok",
}
"""The tag's colour class per status (the words say it too: never colour alone)."""

RENEWAL_FILTER_LABELS = {
    "due_30": _l("Renewal due within 30 days"),
    "due_90": _l("Renewal due within 90 days"),
    "due_180": _l("Renewal due within 180 days"),
    "due_270": _l("Renewal due within 270 days"),
    "grace": _l("In the grace period"),
    "lapsed": _l("Lapsed (past the grace period)"),
}


def renewal_label(status: str | None, renewed_by: str | None = None) -> str:
    """The renewal status in the page's language ("" when renewal does not apply)."""
    if status is None:
        return ""
    if status == RENEWED:
        return _("Renewed by %(number)s", number=renewed_by or "")
    return str(RENEWAL_LABELS.get(status, status))


def renewal_value_labels() -> dict[str, str]:
    """Labels for the exports' "Renewal status" column (``renewal:<status>``; the renewed one
    keeps ``%(number)s`` for `lms.domain.registry.export_rows.renewal_text`)."""
    labels = {"renewal:" + status: str(label) for status, label in RENEWAL_LABELS.items()}
    # Not through gettext's formatting: the number is filled in per row.
    labels["renewal:" + RENEWED] = str(_l("Renewed by %(number)s"))
    return labels
