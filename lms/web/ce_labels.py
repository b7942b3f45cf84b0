"""Words for continuing-education activities, shared by the coach's and the reviewers' pages."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

EXTERNAL_KIND_LABELS = {
    "workshop": _l("Workshop or training day"),
    "conference": _l("Conference"),
    "supervision": _l("Supervision or peer review"),
}
KIND_LABELS = {
    "course": _l("Course in this service"),
    "module": _l("Module in this service"),
    **EXTERNAL_KIND_LABELS,
}
STATUS_LABELS = {
    "submitted": _l("Waiting for review"),
    "approved": _l("Approved"),
    "returned": _l("Returned"),
}


def hours_text(value: Decimal | None) -> str:
    """Hours as people write them, in the page's language: 36, 6.5, 1.25 (no trailing zeros)."""
    if value is None:
        return "—"
    return str(format_decimal(value, format="#,##0.##"))
