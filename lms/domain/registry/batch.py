"""Batch eligibility: many (credential number or national ID, date) pairs checked at once.

Pure: `read_file` turns an uploaded CSV into rows with their problems, `read_items` does the
same for the API's JSON items, and `answer` decides each row from facts the service looked up,
with the single check's own rules (`eligibility.check` for a credential number,
`eligibility.best` over a person's credentials for a national ID) — one place decides.
Problems are codes with a detail; the web layer words them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from lms.domain.bulk_enrolment import Problem, decode
from lms.domain.credentials.numbers import normalise_number, only_check_digit_wrong
from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.registry.eligibility import CredentialFacts, Eligibility, best, check

MAX_ROWS = 5_000
MAX_BYTES = 400_000  # 5,000 rows of 80 characters: far more than a number and a date need
MAX_CELL = 64  # what is kept (and shown back) of a cell; a real value is ~20 characters

Kind = Literal["number", "national_id"]
Outcome = Literal["eligible", "not_eligible", "problem"]

# Column titles a first row may hold instead of data (compared case-insensitively).
_TITLES = frozenset(
    {
        "number",
        "credential number",
        "national id",
        "national registration number",
        "credential number or national registration number",
        "credential number or national id",
        "date",
        "on",
        "on the date",
        "дугаар",
        "гэрчилгээний дугаар",
        "регистр",
        "регистрийн дугаар",
        "гэрчилгээний дугаар эсвэл регистрийн дугаар",
        "огноо",
    }
)
# A file's signatures that say "this is a spreadsheet or a document, not a CSV".
_BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"{\\rtf")
_DATE = re.compile(r"((?:19|20)\d\d)[-./](\d\d?)[-./](\d\d?)")
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
# Letters then digits, without dashes: someone meant a national registration number.
_NATIONAL_ID_LIKE = re.compile(r"[^\W\d_]{1,4}\d{4,12}")

TEMPLATE_HEADERS: dict[str, tuple[str, str]] = {
    "mn": ("Гэрчилгээний дугаар эсвэл регистрийн дугаар", "Огноо"),
    "en": ("Credential number or national registration number", "Date"),
}


@dataclass(frozen=True)
class BatchRow:
    """One (who, when) pair to check; `line` is its line in the file (its index in the API).

    `key` is the canonical credential number or normalised national ID ("" if unusable);
    `given` is what was written, trimmed and cut to `MAX_CELL` characters.
    """

    line: int
    given: str
    kind: Kind | None
    key: str
    on: date | None
    given_date: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ParsedBatch:
    """The rows of a file, or the problem that refuses the whole file."""

    rows: tuple[BatchRow, ...] = ()
    problem: Problem | None = None
    had_titles: bool = False


@dataclass(frozen=True)
class BatchAnswer:
    """A row and its answer: the eligibility found, or the problems that stopped the check."""

    row: BatchRow
    answer: Eligibility | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def outcome(self) -> Outcome:
        if self.answer is None:
            return "problem"
        return "eligible" if self.answer.eligible else "not_eligible"


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())[:MAX_CELL]


def identify(text: str) -> tuple[Kind | None, str, Problem | None]:
    """(kind, canonical key, problem) for a credential number or national ID as written."""
    value = _clean(text)
    if not value:
        return None, "", Problem("identifier_missing")
    number = normalise_number(value)
    if number is not None:
        return "number", number, None
    national = normalise_national_id(value)
    if is_valid_national_id(national):
        return "national_id", national, None
    if only_check_digit_wrong(value):
        return None, "", Problem("number_check_digit", value)
    if _NATIONAL_ID_LIKE.fullmatch(national):
        return None, "", Problem("national_id_malformed")
    return None, "", Problem("identifier_unrecognised", value)


def parse_date(text: str, *, strict: bool = False) -> date | Problem:
    """A date written year first: 2026-12-01 (also 2026.12.01 and 2026/12/01 unless `strict`).

    Day-first and month-first dates (01.12.2026, 12/1/2026) are refused: they are ambiguous.
    """
    value = _clean(text)
    if not value:
        return Problem("date_missing")
    match = (_ISO_DATE if strict else _DATE).fullmatch(value)
    if match is None:
        return Problem("date_invalid", value)
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return Problem("date_impossible", value)


def _row(line: int, identifier: str, day: str, extra: int = 0, strict: bool = False) -> BatchRow:
    kind, key, problem = identify(identifier)
    problems = [problem] if problem else []
    parsed = parse_date(day, strict=strict)
    on = parsed if isinstance(parsed, date) else None
    if isinstance(parsed, Problem):
        problems.append(parsed)
    if extra:
        problems.append(Problem("extra_columns", str(extra)))
    return BatchRow(line, _clean(identifier), kind, key, on, _clean(day), tuple(problems))


def _delimiter(first_line: str) -> str:
    # Excel writes `;` where the decimal separator is a comma.
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    chosen = max(counts, key=lambda sep: counts[sep])
    return chosen if counts[chosen] else ","


def _is_titles(cells: Sequence[str]) -> bool:
    """A first row of column titles: known titles, or no digit anywhere (data always has some)."""
    used = [_clean(cell).casefold() for cell in cells if cell.strip()]
    return any(cell in _TITLES for cell in used) or not any(c.isdigit() for c in "".join(used))


def read_file(data: bytes) -> ParsedBatch:
    """Decode, split and check an uploaded batch (see the module docstring)."""
    if len(data) > MAX_BYTES:
        return ParsedBatch(problem=Problem("too_large", str(MAX_BYTES // 1000)))
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if data.startswith(_BINARY_STARTS) or (b"\x00" in data[:4096] and not utf16):
        return ParsedBatch(problem=Problem("not_csv"))
    text = decode(data)
    if isinstance(text, Problem):
        return ParsedBatch(problem=text)
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        return ParsedBatch(problem=Problem("empty"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
                if len(records) > MAX_ROWS + 1:  # one more than allowed, with a title row
                    break
    except csv.Error:
        return ParsedBatch(problem=Problem("bad_csv", str(reader.line_num)))
    had_titles = _is_titles(records[0][1])
    if had_titles:
        titles = [cell for cell in records[0][1] if cell.strip()]
        if len(titles) > 2:
            return ParsedBatch(problem=Problem("too_many_columns", str(len(titles))))
        records = records[1:]
    if not records:
        return ParsedBatch(problem=Problem("no_rows"))
    if len(records) > MAX_ROWS:
        return ParsedBatch(problem=Problem("too_many_rows", str(MAX_ROWS)))
    rows = []
    for line, cells in records:
        padded = [*cells, "", ""]
        extra = sum(1 for cell in cells[2:] if cell.strip())
        rows.append(_row(line, padded[0], padded[1], extra))
    return ParsedBatch(rows=tuple(rows), had_titles=had_titles)


def read_items(items: Iterable[Mapping[str, str]]) -> tuple[BatchRow, ...]:
    """Rows from the API's items (already checked to be objects of strings with `on` and one of
    `number` or `national_id`); `line` is the item's index. Dates must be YYYY-MM-DD."""
    rows = []
    for index, item in enumerate(items):
        identifier = item.get("number", item.get("national_id", ""))
        row = _row(index, identifier, item.get("on", ""), strict=True)
        if "number" in item and row.kind == "national_id":
            row = _wrong_kind(row, "number_expected")
        elif "national_id" in item and row.kind == "number":
            row = _wrong_kind(row, "national_id_expected")
        rows.append(row)
    return tuple(rows)


def _wrong_kind(row: BatchRow, code: str) -> BatchRow:
    return BatchRow(
        row.line, row.given, None, "", row.on, row.given_date, (Problem(code), *row.problems)
    )


def answer(
    rows: Iterable[BatchRow],
    by_number: Mapping[str, CredentialFacts],
    by_person: Mapping[str, Sequence[CredentialFacts]],
) -> tuple[BatchAnswer, ...]:
    """Each row's answer, in order. `by_number` maps credential numbers to their facts,
    `by_person` national IDs to the facts of every credential their holder has."""
    answers = []
    for row in rows:
        if row.problems or row.on is None:
            answers.append(BatchAnswer(row, problems=row.problems))
        elif row.kind == "number":
            facts = by_number.get(row.key)
            if facts is None:
                answers.append(BatchAnswer(row, problems=(Problem("number_unknown"),)))
            else:
                answers.append(BatchAnswer(row, check(facts, row.on)))
        else:
            found = best(check(facts, row.on) for facts in by_person.get(row.key, ()))
            if found is None:
                answers.append(BatchAnswer(row, problems=(Problem("national_id_unknown"),)))
            else:
                answers.append(BatchAnswer(row, found))
    return tuple(answers)


def counts(answers: Iterable[BatchAnswer]) -> Counter[str]:
    """How many rows are eligible, not eligible, and could not be checked."""
    tally: Counter[str] = Counter({"eligible": 0, "not_eligible": 0, "problem": 0})
    tally.update(a.outcome for a in answers)
    return tally


def template(language: str) -> str:
    """A CSV template with the column titles in `language` and two example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"]))
    writer.writerow(["JC-2026-00042-3", "2026-11-30"])
    writer.writerow(["УБ99112233", "2026-11-30"])
    return out.getvalue()
