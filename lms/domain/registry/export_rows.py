"""One registry record as it leaves the system: CSV and spreadsheet cells, and API JSON.

`RegistryRow` holds what the ministry's reviewers see about a credential (the national
registration number included: exports and the API are for reviewers and token holders only).
The column order is fixed here, once, for the CSV and XLSX exports alike.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some with a
tab or carriage return) as a formula, so a holder named ``=HYPERLINK(...)`` could attack the
reviewer who opens the export. `spreadsheet_safe` defuses such text with a leading apostrophe,
which Excel and LibreOffice treat as "this is text" and do not display.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from lms.domain.registry.renewal_status import RENEWED

COLUMNS: tuple[str, ...] = (
    "number",
    "holder_name",
    "national_id",
    "region_code",
    "region_name",
    "organisation",
    "course_slug",
    "course_version",
    "kind",
    "credential_name",
    "classroom_hours",
    "practicum_hours",
    "issued_on",
    "expires_on",
    "status",
    "qualifies_for_subsidy",
    "issuing_trainer",
    "renewal_status",
)
"""Export columns, in order (`national_id` is left out when an export excludes it)."""
_NATIONAL_ID = COLUMNS.index("national_id")

_DATA_WIDTHS: Mapping[str, int] = {
    "number": 18,
    "holder_name": 28,
    "national_id": 14,
    "region_code": 14,
    "region_name": 22,
    "organisation": 28,
    "course_slug": 18,
    "course_version": 9,
    "kind": 10,
    "credential_name": 34,
    "classroom_hours": 9,
    "practicum_hours": 9,
    "issued_on": 12,
    "expires_on": 12,
    "status": 14,
    "qualifies_for_subsidy": 9,
    "issuing_trainer": 26,
    "renewal_status": 24,
}
"""Spreadsheet column widths (in characters) that fit each column's usual values."""
HEADER_WIDTH_LIMIT = 22
"""A header longer than this wraps onto a second line rather than widening a narrow column."""

_FORMULA_STARTS = frozenset("=+-@\t\r")


class RegistryRow(NamedTuple):
    """A credential with its holder, as of one day (`status` and `qualifies` are for that day).

    A named tuple rather than a dataclass: an export builds 100,000 of them, and a tuple is
    made several times faster than a frozen dataclass.
    """

    number: str
    holder_name: str
    national_id: str | None
    region_code: str
    region_name: str
    organisation: str
    course_slug: str
    course_title: Mapping[str, str]
    course_version: str
    kind: str
    credential_name: Mapping[str, str]
    classroom_hours: float
    practicum_hours: float
    issued_on: date
    expires_on: date | None
    status: str  # effective: active, expired, suspended, revoked, superseded
    qualifies: bool  # subsidy-qualifying on the day
    issuing_trainer: str | None
    # lms.domain.registry.renewal_status (None: renewal does not apply), and the number of
    # the credential that renewed this one.
    renewal_status: str | None = None
    renewed_by: str | None = None


def renewal_text(row: RegistryRow, labels: Mapping[str, str]) -> str:
    """The row's renewal status in words: ``labels["renewal:<status>"]``, the ``renewed`` one
    with ``%(number)s`` for the renewing credential ("" when renewal does not apply)."""
    if row.renewal_status is None:
        return ""
    label = labels.get("renewal:" + row.renewal_status, row.renewal_status)
    if row.renewal_status == RENEWED:
        return label % {"number": row.renewed_by or ""}
    return label


def spreadsheet_safe(text: str) -> str:
    """`text`, prefixed with an apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def column_width(name: str, header: str) -> int:
    """The spreadsheet width of column `name` titled `header`: wide enough for its values
    and for a short header (a long one wraps within `HEADER_WIDTH_LIMIT`)."""
    return max(_DATA_WIDTHS.get(name, 12), min(len(header) + 2, HEADER_WIDTH_LIMIT))


def columns(include_national_id: bool = True) -> tuple[str, ...]:
    """The export columns, with or without the national registration number."""
    return COLUMNS if include_national_id else tuple(c for c in COLUMNS if c != "national_id")


Cell = str | float | date | None


def cells(
    row: RegistryRow,
    language: str,
    labels: Mapping[str, str],
    include_national_id: bool = True,
) -> list[Cell]:
    """The row's raw cells in `columns()` order: texts, hours as numbers, dates as dates.

    `labels` translates status codes and ``"yes"``/``"no"`` into the reader's language. For
    a spreadsheet written cell by cell with typed cells (texts as text cells, never formulas).
    """
    # A list in COLUMNS order (not a dict): this runs once per exported row.
    values: list[Cell] = [
        row.number,
        row.holder_name,
        row.national_id or "",
        row.region_code,
        row.region_name,
        row.organisation,
        row.course_slug,
        row.course_version,
        row.kind,
        _in_language(row.credential_name, language),
        row.classroom_hours,
        row.practicum_hours,
        row.issued_on,
        row.expires_on,
        labels.get(row.status, row.status),
        labels["yes" if row.qualifies else "no"],
        row.issuing_trainer or "",
        renewal_text(row, labels),
    ]
    if not include_national_id:
        del values[_NATIONAL_ID]
    return values


def csv_cells(
    row: RegistryRow,
    language: str,
    labels: Mapping[str, str],
    include_national_id: bool = True,
) -> list[str]:
    """`cells` as CSV text: spreadsheet-safe, ISO dates, hours without a trailing ``.0``.

    Spelled out rather than mapped over `cells` (a third of an export's time went to one call
    per cell); a test holds the two to the same result.
    """
    out = [
        "'" + text if text[:1] in _FORMULA_STARTS else text
        for text in (
            row.number,
            row.holder_name,
            row.national_id or "",
            row.region_code,
            row.region_name,
            row.organisation,
            row.course_slug,
            row.course_version,
            row.kind,
            _in_language(row.credential_name, language),
        )
    ]
    out += (
        f"{row.classroom_hours:g}",
        f"{row.practicum_hours:g}",
        row.issued_on.isoformat(),
        row.expires_on.isoformat() if row.expires_on else "",
    )
    out += (
        "'" + text if text[:1] in _FORMULA_STARTS else text
        for text in (
            labels.get(row.status, row.status),
            labels["yes" if row.qualifies else "no"],
            row.issuing_trainer or "",
            renewal_text(row, labels),
        )
    )
    if not include_national_id:
        del out[_NATIONAL_ID]
    return out


def csv_text(value: Cell) -> str:
    """One raw cell as CSV text (what `csv_cells` gives for each of `cells`)."""
    return _csv_text(value)


def _csv_text(value: Cell) -> str:
    if isinstance(value, str):  # most cells: checked first
        return "'" + value if value[:1] in _FORMULA_STARTS else value
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return f"{value:g}"


def api_item(row: RegistryRow) -> dict[str, Any]:
    """The row as the registry API returns it (JSON values, texts in every language)."""
    return {
        "number": row.number,
        "holder_name": row.holder_name,
        "national_id": row.national_id,
        "region": row.region_code,
        "organisation": row.organisation,
        "course": {
            "slug": row.course_slug,
            "version": row.course_version,
            "kind": row.kind,
            "title": dict(row.course_title),
        },
        "credential_name": dict(row.credential_name),
        "classroom_hours": row.classroom_hours,
        "practicum_hours": row.practicum_hours,
        "issued_on": row.issued_on.isoformat(),
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "status": row.status,
        "qualifies_for_subsidy": row.qualifies,
        "issuing_trainer": row.issuing_trainer,
        "renewal_status": row.renewal_status,
        "renewed_by": row.renewed_by,
    }


def _in_language(texts: Mapping[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
