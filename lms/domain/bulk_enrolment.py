"""Bulk enrolment files: read a trainer's CSV, check every row, and plan what each row does.

Pure: `read_file` turns the uploaded bytes into rows with their problems; `plan` decides each
row's outcome (new account, existing account, already enrolled, error) from facts the service
looks up. Problems are codes with a detail (a value or a line number); the web layer words them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from lms.domain.regions import REGIONS

MAX_BYTES = 500_000  # about 2,000 rows of 250 characters: more than any cohort needs
MAX_ROWS = 2_000
MAX_NAME = 200
MAX_EMAIL = 254
MAX_ORGANISATION = 200

Field = Literal["name", "email", "phone", "region", "organisation"]
FIELDS: tuple[Field, ...] = ("name", "email", "phone", "region", "organisation")
REQUIRED: tuple[Field, ...] = ("name", "email")

# Column titles trainers write, in English and Mongolian (compared after `_fold`).
_HEADER_ALIASES: dict[Field, tuple[str, ...]] = {
    "name": ("name", "full name", "нэр", "овог нэр", "нэр овог", "бүтэн нэр", "овог, нэр"),
    "email": ("email", "e-mail", "email address", "и-мэйл", "имэйл", "и-мейл", "цахим шуудан"),
    "phone": ("phone", "phone number", "telephone", "mobile", "утас", "утасны дугаар"),
    "region": ("region", "aimag", "aimag/district", "аймаг", "аймаг/дүүрэг", "аймаг, дүүрэг"),
    "organisation": ("organisation", "organization", "байгууллага"),
}

# The template's column titles, by interface language.
TEMPLATE_HEADERS: dict[str, tuple[str, ...]] = {
    "mn": ("нэр", "и-мэйл", "утас", "аймаг", "байгууллага"),
    "en": ("name", "email", "phone", "region", "organisation"),
}


@dataclass(frozen=True)
class Problem:
    """Why a row (or the whole file) cannot be used: a code and the value it is about."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class Row:
    """One person from the file, cleaned; `line` is where the row starts in the file."""

    line: int
    name: str
    email: str  # normalised: trimmed, lower case
    phone: str = ""
    region: str = ""  # a code of lms.domain.regions, or empty
    organisation: str = ""
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    """The rows of a file, or the problem that refuses the whole file."""

    rows: tuple[Row, ...] = ()
    problem: Problem | None = None
    ignored_columns: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Compare titles and names loosely: case, accents, dashes, commas and spacing ignored."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-_/,.*:]", " ", text).split())


_HEADERS = {_fold(alias): name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}


def _region_names() -> dict[str, frozenset[str]]:
    names: dict[str, set[str]] = {}
    for region in REGIONS:
        variants = {region.code, region.mn, region.en}
        for full, suffixes in ((region.mn, (" аймаг", " дүүрэг")), (region.en, (" province",))):
            short = full.split(", ", 1)[-1]  # "Баянгол дүүрэг" of "Улаанбаатар, Баянгол дүүрэг"
            variants.add(short)
            for suffix in (*suffixes, " district"):
                variants.add(short.removesuffix(suffix))
        for variant in variants:
            names.setdefault(_fold(variant), set()).add(region.code)
    return {key: frozenset(codes) for key, codes in names.items()}


# "Сүхбаатар" alone is an aimag and a district of Ulaanbaatar: such names are ambiguous.
_REGIONS = _region_names()


def find_region(text: str) -> str | Problem:
    """The region code for a code or a Mongolian or English name, or why there is none."""
    codes = _REGIONS.get(_fold(text), frozenset())
    if len(codes) == 1:
        return next(iter(codes))
    return Problem("region_ambiguous" if codes else "region_unknown", text)


def decode(data: bytes) -> str | Problem:
    """The file's text: UTF-8, with or without Excel's byte order mark; nothing else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem("utf16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem("not_utf8")


def _delimiter(header_line: str) -> str:
    # Excel writes `;` where the decimal separator is a comma; count, don't guess from data.
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_file(data: bytes) -> ParsedFile:
    """Decode, split and check a bulk enrolment file (see the module docstring)."""
    if len(data) > MAX_BYTES:
        return ParsedFile(problem=Problem("too_large", str(MAX_BYTES // 1000)))
    text = decode(data)
    if isinstance(text, Problem):
        return ParsedFile(problem=text)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return ParsedFile(problem=Problem("empty"))
    records = _records(text, _delimiter(lines[first]))
    if isinstance(records, Problem):
        return ParsedFile(problem=records)
    (_, header), body = records[0], records[1:]
    columns: dict[Field, int] = {}
    ignored = []
    for index, title in enumerate(header):
        field = _HEADERS.get(_fold(title))
        if field is None:
            if title.strip():
                ignored.append(title.strip())
        elif field in columns:
            return ParsedFile(problem=Problem("duplicate_column", title.strip()))
        else:
            columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        return ParsedFile(problem=Problem("missing_columns", ", ".join(missing)))
    if not body:
        return ParsedFile(problem=Problem("no_rows"))
    if len(body) > MAX_ROWS:
        return ParsedFile(problem=Problem("too_many_rows", str(MAX_ROWS)))
    rows = _mark_duplicates([_row(line, cells, columns) for line, cells in body])
    return ParsedFile(rows=tuple(rows), ignored_columns=tuple(ignored))


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]] | Problem:
    """Non-blank records with the line each starts on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
    except csv.Error:
        return Problem("bad_csv", str(reader.line_num))
    return records


def _row(line: int, cells: list[str], columns: Mapping[Field, int]) -> Row:
    def cell(field: Field) -> str:
        index = columns.get(field)
        value = cells[index] if index is not None and index < len(cells) else ""
        return " ".join(value.replace("\u00a0", " ").split())

    name, email, phone = cell("name"), cell("email").lower(), cell("phone")
    region_text, organisation = cell("region"), cell("organisation")
    problems = []
    if not name:
        problems.append(Problem("name_missing"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name_too_long", str(MAX_NAME)))
    if not email:
        problems.append(Problem("email_missing"))
    elif not _valid_email(email):
        problems.append(Problem("email_invalid", email))
    if phone:
        normalised = _phone(phone)
        if normalised is None:
            problems.append(Problem("phone_invalid", phone))
        phone = normalised or phone
    region = ""
    if region_text:
        found = find_region(region_text)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            region = found
    if len(organisation) > MAX_ORGANISATION:
        problems.append(Problem("organisation_too_long", str(MAX_ORGANISATION)))
    return Row(line, name, email, phone, region, organisation, tuple(problems))


def _valid_email(email: str) -> bool:
    if len(email) > MAX_EMAIL:
        return False
    # Imported on the first CSV, not with the app (issue 18: cold start).
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _phone(text: str) -> str | None:
    """Digits with an optional leading +; spaces, dashes, dots and brackets dropped."""
    compact = re.sub(r"[\s\-().]", "", text)
    if not re.fullmatch(r"\+?\d{6,15}", compact):
        return None
    return compact


def _mark_duplicates(rows: list[Row]) -> list[Row]:
    first_line: dict[str, int] = {}
    result = []
    for row in rows:
        if row.email and row.email in first_line:
            duplicate = Problem("email_duplicate", str(first_line[row.email]))
            row = replace(row, problems=(*row.problems, duplicate))
        elif row.email:
            first_line[row.email] = row.line
        result.append(row)
    return result


def template(language: str) -> str:
    """A CSV template with the column titles in `language` and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"]))
    writer.writerow(["Батбаяр Дорж", "batbayar@example.mn", "99112233", "khovd", "Ховд ТББ"])
    return out.getvalue()


# ---- planning -------------------------------------------------------------------------------

Outcome = Literal["new", "existing", "already", "error"]
# Where an existing account stands on the cohort's course:
# none: not enrolled; closed: declined or withdrawn (can enrol again); here: active or completed
# in this cohort; requested_here: a pending request for this cohort or for no cohort (the
# trainer's upload approves it); elsewhere: enrolled through another cohort or on their own.
Standing = Literal["none", "closed", "here", "requested_here", "elsewhere"]


@dataclass(frozen=True)
class Account:
    """What the plan needs to know about an existing account with a row's email."""

    user_id: int
    name: str
    active: bool
    standing: Standing
    prerequisites_met: bool
    holds_seat: bool = False  # its pending request already counts against capacity


@dataclass(frozen=True)
class PlannedRow:
    """A row and what applying the file will do with it."""

    row: Row
    outcome: Outcome
    problems: tuple[Problem, ...] = ()
    account: Account | None = None


def plan(
    rows: Iterable[Row],
    accounts: Mapping[str, Account],
    *,
    seats_left: int | None,
    prerequisites_met_by_new_accounts: bool,
) -> tuple[PlannedRow, ...]:
    """Each row's outcome, in file order; rows beyond the cohort's free seats are errors."""
    planned = []
    for row in rows:
        account = accounts.get(row.email)
        problems = list(row.problems)
        if account is not None and not problems:
            if not account.active:
                problems.append(Problem("account_disabled"))
            elif account.standing == "here":
                planned.append(PlannedRow(row, "already", account=account))
                continue
            elif account.standing == "elsewhere":
                problems.append(Problem("enrolled_elsewhere"))
        met = account.prerequisites_met if account else prerequisites_met_by_new_accounts
        if not problems and not met:
            problems.append(Problem("prerequisites"))
        takes_seat = not (account and account.holds_seat)
        if not problems and takes_seat and seats_left is not None:
            if seats_left <= 0:
                problems.append(Problem("cohort_full"))
            else:
                seats_left -= 1
        if problems:
            planned.append(PlannedRow(row, "error", tuple(problems), account))
        else:
            planned.append(PlannedRow(row, "existing" if account else "new", account=account))
    return tuple(planned)


def plan_digest(planned: Iterable[PlannedRow]) -> str:
    """A fingerprint of what applying will do: apply refuses when it differs from the preview."""
    summary = [
        [p.row.line, p.row.email, p.outcome, p.account.user_id if p.account else None]
        for p in planned
    ]
    return hashlib.sha256(json.dumps(summary).encode()).hexdigest()
