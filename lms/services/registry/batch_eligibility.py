"""Batch eligibility: a file (or the API's list) of (who, date) pairs answered at once.

Rows are read and decided by the pure `lms.domain.registry.batch`, which applies the single
check's rules; this module looks the facts up with a fixed number of queries whatever the
number of rows (credentials by number, credentials by the holders' blind indexes, their
status events), and writes the result as CSV or XLSX like the registry exports.

National registration numbers never go into a URL or the audit log. Between the preview and
the download the uploaded file travels in the page's form, encrypted and bound to the reviewer
(`seal`); nothing is stored on the server.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import select

from lms.domain.registry import batch
from lms.domain.registry.batch import BatchAnswer, BatchRow, ParsedBatch
from lms.domain.registry.eligibility import CredentialFacts, StatusEvent
from lms.domain.registry.export_rows import column_width, spreadsheet_safe
from lms.extensions import db
from lms.models import Credential, User
from lms.services import audit
from lms.services.accounts.private_data import blind_index
from lms.services.registry.records import credential_facts, events_by_credential

CHUNK = 1000  # values per IN (…) list: well under every database's parameter limit
TOKEN_MAX_AGE = 3600  # an hour from the preview to the download
# The sealed file travels in a form field; Flask refuses fields over MAX_FORM_MEMORY_SIZE.
TOKEN_MAX_LENGTH = 450_000
BOM = "\ufeff"

COLUMNS = (
    "line",
    "given",
    "given_date",
    "outcome",
    "explanation",
    "number",
    "holder_name",
    "status_on_date",
    "valid_from",
    "valid_to",
    "later_change",
)


class TokenInvalid(ValueError):
    """The sealed file expired, was tampered with, or belongs to another reviewer."""


@dataclass(frozen=True)
class BatchResult:
    """The rows of a batch with their answers, and the holders' names by credential number."""

    parsed: ParsedBatch
    answers: tuple[BatchAnswer, ...] = ()
    holders: dict[str, str] | None = None

    @property
    def counts(self) -> dict[str, int]:
        return dict(batch.counts(self.answers))

    def holder(self, answer: BatchAnswer) -> str:
        return (self.holders or {}).get(answer.answer.number, "") if answer.answer else ""


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_rows(rows: Sequence[BatchRow]) -> tuple[tuple[BatchAnswer, ...], dict[str, str]]:
    """Every row's answer, and the holder's name of every credential an answer is about."""
    usable = [row for row in rows if not row.problems]
    numbers = sorted({row.key for row in usable if row.kind == "number"})
    nationals = {row.key for row in usable if row.kind == "national_id"}
    person_of = {blind_index(national): national for national in nationals}
    found: list[tuple[Credential, str | None]] = []
    for chunk in _chunks(numbers):
        statement = select(Credential).where(Credential.number.in_(chunk))
        found.extend((c, None) for c in db.session.execute(statement).scalars())
    for chunk in _chunks(sorted(person_of)):
        statement = (
            select(Credential, User.national_id_index)
            .join(User, User.id == Credential.user_id)
            .where(User.national_id_index.in_(chunk))
            .order_by(Credential.issued_on, Credential.id)
        )
        found.extend((c, index) for c, index in db.session.execute(statement))
    events: dict[int, list[StatusEvent]] = {}
    for chunk in _chunks(sorted({c.id for c, _ in found})):
        events.update(events_by_credential(chunk))
    by_number: dict[str, CredentialFacts] = {}
    by_person: dict[str, list[CredentialFacts]] = defaultdict(list)
    holders: dict[str, str] = {}
    for credential, index in found:
        facts = credential_facts(credential, events.get(credential.id, []))
        holders[credential.number] = str(credential.snapshot.get("holder_name", ""))
        if index is None:
            by_number[credential.number] = facts
        else:
            by_person[person_of[index]].append(facts)
    return batch.answer(rows, by_number, by_person), holders


def check_file(data: bytes) -> BatchResult:
    """Read an uploaded file and answer every row (or say why the file cannot be used)."""
    parsed = batch.read_file(data)
    if parsed.problem is not None:
        return BatchResult(parsed)
    answers, holders = check_rows(parsed.rows)
    return BatchResult(parsed, answers, holders)


# --- carrying the file from the preview to the download --------------------------------------


def _fernet() -> Fernet:
    return Fernet(current_app.config["LMS_DATA_KEY"].encode())


def seal(data: bytes, actor: User) -> str | None:
    """The file, compressed and encrypted for `actor` (None: too large to carry in a form)."""
    payload = json.dumps({"u": actor.id, "t": data.decode("utf-8-sig")}).encode()
    token = _fernet().encrypt(zlib.compress(payload)).decode()
    return token if len(token) <= TOKEN_MAX_LENGTH else None


def unseal(token: str, actor: User) -> bytes:
    """The file sealed for `actor` within the last hour, or TokenInvalid."""
    try:
        plain = _fernet().decrypt(token.encode(), ttl=TOKEN_MAX_AGE)
        payload = json.loads(zlib.decompress(plain))
    except (InvalidToken, ValueError, zlib.error) as error:
        raise TokenInvalid from error
    if not isinstance(payload, dict) or payload.get("u") != actor.id:
        raise TokenInvalid
    text = payload.get("t")
    if not isinstance(text, str):
        raise TokenInvalid
    return text.encode("utf-8")


# --- the result as a file ------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """How the result file words things, in the reader's language (from the web layer)."""

    headers: dict[str, str]
    outcome: Callable[[str], str]
    explain: Callable[[BatchAnswer], str]
    status: Callable[[str], str]
    change: Callable[[str], str]


def cells(result: BatchResult, answer: BatchAnswer, words: Words) -> list[Any]:
    """One row of the result file, in `COLUMNS` order (dates as dates)."""
    row, found = answer.row, answer.answer
    later = found.later_change if found else None
    return [
        row.line,
        row.given,
        row.on or row.given_date,
        words.outcome(answer.outcome),
        words.explain(answer),
        found.number if found else "",
        result.holder(answer),
        words.status(found.status_on_date) if found else "",
        found.valid_from if found else None,
        found.valid_to if found else None,
        f"{words.change(later.action)} {later.effective_on.isoformat()}"
        if later and later.action != "issue"
        else "",
    ]


def result_csv(result: BatchResult, words: Words) -> bytes:
    """The result as UTF-8 CSV with a byte order mark (Excel then reads Cyrillic right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write(BOM)
    writer.writerow([words.headers[name] for name in COLUMNS])
    for answer in result.answers:
        writer.writerow(
            [_csv_value(value) for value in cells(result, answer, words)],
        )
    return out.getvalue().encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return str(value)


# Wider than the exports' defaults (`column_width`) where this file's values are long.
WIDTHS = {"given": 26, "explanation": 60, "later_change": 24}


def result_xlsx(result: BatchResult, words: Words) -> IO[bytes]:
    """The result as an XLSX workbook in a temporary file (the caller streams and closes it),
    styled like the registry exports: bold frozen titles, dates as dates, text never a
    formula, column widths and a filter on the titles."""
    target = tempfile.TemporaryFile()
    import xlsxwriter  # here, not at the top: 10 MB no page needs (issue 18)

    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet("eligibility")
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, name in enumerate(COLUMNS):
        header = words.headers[name]
        sheet.set_column(col, col, max(WIDTHS.get(name, 0), column_width(name, header)))
        sheet.write_string(0, col, header, bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(result.answers), len(COLUMNS) - 1)
    for number, answer in enumerate(result.answers, start=1):
        for col, value in enumerate(cells(result, answer, words)):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_datetime(number, col, value, day)
            elif isinstance(value, int):
                sheet.write_number(number, col, value)
            else:
                sheet.write_string(number, col, value)
    workbook.close()
    target.seek(0)
    return target


# --- the audit log -------------------------------------------------------------------------


def record(actor: User, action: str, result: BatchResult, file_format: str = "") -> None:
    """Audit a batch check or download: how many rows and answers, never who was asked about."""
    details: dict[str, Any] = {"rows": len(result.answers), **result.counts}
    if file_format:
        details["format"] = file_format
    audit.record(actor, action, "registry", "batch_eligibility", details)
    db.session.commit()
