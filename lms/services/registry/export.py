"""Registry records out of the database: streamed CSV, XLSX, and the rows the API returns.

Rows are read as plain columns (no ORM objects, so no identity map that grows with the export)
in batches of `BATCH` (`yield_per`; a server-side cursor on PostgreSQL), and each batch is
written and handed on before the next is read: memory stays flat however many rows match.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from lms.domain.credentials import effective_status
from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.regions import region_name
from lms.domain.registry.export_rows import (
    RegistryRow,
    cells,
    column_width,
    columns,
    csv_cells,
)
from lms.domain.registry.filters import DEFAULT_PER_PAGE, RegistryFilter
from lms.domain.registry.renewal_status import RENEWED, renewal_status
from lms.extensions import db
from lms.models import Credential, User
from lms.services import audit
from lms.services.registry.query import credential_query
from lms.services.renewal import standing

BATCH = 1000
BOM = "\ufeff"

_SNAPSHOT = Credential.snapshot
# Only the per-holder fields of the frozen snapshot are read per row, and by the database
# (JSON path extraction): parsing each row's whole JSON in Python costs more than the rest of
# the export. Fields that issuing derives from the course version alone are read once per
# version (`_version_facts`).
_COLUMNS = (
    Credential.number,
    Credential.user_id,
    Credential.course_version_id,
    Credential.status,
    Credential.issued_on,
    Credential.expires_on,
    Credential.qualifies_for_subsidy,
    Credential.region,
    Credential.organisation,
    Credential.course_slug,
    Credential.kind,
    _SNAPSHOT["holder_name"].as_string(),
    _SNAPSHOT["issuing_trainer"].as_string(),
)
_RENEWING = aliased(Credential)
# For the renewal status: why a superseded credential was, and the number that renewed it (a
# lookup by primary key, only for superseded rows).
_RENEWAL_COLUMNS = (
    Credential.status_reason,
    select(_RENEWING.number)
    .where(_RENEWING.id == Credential.superseded_by_id)
    .correlate(Credential)
    .scalar_subquery(),
)
_CACHED_IDS = 20_000  # decrypted national IDs kept per export (a holder has several rows)


@dataclass(frozen=True)
class _VersionFacts:
    """What every credential of one course version says alike (see `issue`)."""

    course_title: Mapping[str, str]
    course_version: str
    credential_name: Mapping[str, str]
    classroom_hours: float
    practicum_hours: float


def _version_facts() -> Callable[[int, str], _VersionFacts]:
    """Per course version, the version-wide fields, read from the first credential seen.

    `lms.services.credentials.issuing.issue` takes these fields from the course version alone, so
    every credential of a version carries the same values (the registry tests check it). One
    small query (by the unique number) per version met, not a JSON parse per row.
    """
    known: dict[int, _VersionFacts] = {}

    def facts(version_id: int, number: str) -> _VersionFacts:
        if version_id not in known:
            snapshot = db.session.execute(
                select(Credential.snapshot).where(Credential.number == number)
            ).scalar_one()
            known[version_id] = _VersionFacts(
                course_title=snapshot["course_title"],
                course_version=snapshot["course_version"],
                credential_name=snapshot["credential_name"],
                classroom_hours=snapshot["classroom_hours"],
                practicum_hours=snapshot["practicum_hours"],
            )
        return known[version_id]

    return facts


def _national_id_reader() -> Callable[[int, str | None], str | None]:
    """Decrypts national IDs, once per holder: Fernet costs ~40 µs a call, 4 s per 100,000."""
    # One Fernet for the whole export: building it per row costs as much as decrypting.
    fernet = Fernet(current_app.config["LMS_DATA_KEY"].encode())
    known: dict[int, str | None] = {}

    def read(user_id: int, token: str | None) -> str | None:
        if user_id in known:
            return known[user_id]
        if len(known) >= _CACHED_IDS:
            known.clear()  # memory stays bounded however many holders there are
        try:
            value = fernet.decrypt(token.encode()).decode() if token else None
        except InvalidToken:
            value = None
        known[user_id] = value
        return value

    return read


def registry_rows(
    query: Select[Any], on: date, language: str, include_national_id: bool = True
) -> Iterator[RegistryRow]:
    """`RegistryRow`s for the credentials a `credential_query` selects, streamed in batches.

    Runs on the session's connection without the ORM (plain tuples, nothing kept per row).
    """
    selected = [*_COLUMNS, *_RENEWAL_COLUMNS]
    if include_national_id:
        selected.append(User.national_id_encrypted)
    statement = query.with_only_columns(*selected)
    read_id = _national_id_reader() if include_national_id else None
    version_facts = _version_facts()
    rules = standing.rules_by_course()
    # Options on the statement, not the connection: Connection.execution_options changes the
    # session's connection for every later statement (a flush would then run in a cursor).
    rows = db.session.connection().execute(statement.execution_options(yield_per=BATCH))
    try:
        yield from _rows_of(rows, on, language, read_id, version_facts, rules)
    finally:
        # A client that stops reading (or a caller that takes one row) ends the generator:
        # close the server-side cursor then, not whenever it is collected.
        rows.close()


def _rows_of(
    rows: Any, on: date, language: str, read_id: Any, version_facts: Any, rules: Any
) -> Iterator[RegistryRow]:
    for values in rows:
        (number, user_id, version_id, stored, issued, expires, qualifies, region) = values[:8]
        organisation, slug, kind, holder, trainer, reason, renewed_by = values[8:15]
        facts = version_facts(version_id, number)
        status = effective_status(stored, expires, on)
        renewal = renewal_status(stored, reason, expires, on, rules.get(slug))
        yield RegistryRow(
            number=number,
            holder_name=holder,
            national_id=read_id(user_id, values[15]) if read_id else None,
            region_code=region,
            region_name=region_name(region, language),
            organisation=organisation,
            course_slug=slug,
            course_title=facts.course_title,
            course_version=facts.course_version,
            kind=kind,
            credential_name=facts.credential_name,
            classroom_hours=facts.classroom_hours,
            practicum_hours=facts.practicum_hours,
            issued_on=issued,
            expires_on=expires,
            status=status,
            # The rule of lms.domain.credentials.qualifies_for_subsidy, without computing the
            # status a second time per row.
            qualifies=bool(qualifies) and status == "active",
            issuing_trainer=trainer,
            renewal_status=renewal,
            renewed_by=renewed_by if renewal == RENEWED else None,
        )


def csv_chunks(
    view: RegistryFilter,
    on: date,
    language: str,
    headers: Mapping[str, str],
    labels: Mapping[str, str],
    include_national_id: bool = True,
) -> Iterator[bytes]:
    """The export as UTF-8 CSV with a byte-order mark (Excel then reads Cyrillic right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([headers[name] for name in columns(include_national_id)])
    rows = registry_rows(credential_query(view, on), on, language, include_national_id)
    for count, row in enumerate(rows, start=1):
        writer.writerow(csv_cells(row, language, labels, include_national_id))
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(
    view: RegistryFilter,
    on: date,
    language: str,
    headers: Mapping[str, str],
    labels: Mapping[str, str],
    include_national_id: bool = True,
    target: IO[bytes] | None = None,
) -> IO[bytes]:
    """The export as an XLSX workbook in `target` (by default an anonymous temporary file),
    positioned at its start.

    Written by rustpy-xlsxwriter (the rust_xlsxwriter crate): rows are handed over as they are
    read and written in constant-memory mode, so the workbook never sits in memory, and the
    cells are written in Rust (XlsxWriter's one Python call per cell made the XLSX 6-9x the
    CSV; docs/performance.md). The caller streams the file and closes it (which deletes a
    temporary one). A background export passes its private file in the instance folder.
    """
    if target is None:
        target = tempfile.TemporaryFile()  # the caller streams it, then closes (deletes) it
    import rustpy_xlsxwriter  # here, not at the top: no page needs it (issue 18)

    names = columns(include_national_id)
    titles = [headers[name] for name in names]
    if len(set(titles)) != len(titles):  # rows are handed over keyed by their header
        raise ValueError(f"two export columns share a header: {titles}")
    rows = registry_rows(credential_query(view, on), on, language, include_national_id)
    records: Iterable[dict[str, Any]] = (
        dict(zip(titles, cells(row, language, labels, include_national_id), strict=True))
        for row in rows
    )
    first = next(iter(records), None)
    # No matching row still gives the header row (an all-empty record writes no cells).
    records = chain([first or dict.fromkeys(titles)], records)
    rustpy_xlsxwriter.write_worksheet(
        records,
        target,
        sheet_name="registry",
        # Texts are text cells, never formulas or links: a holder named "=SUM(...)" stays text.
        header_format=rustpy_xlsxwriter.Format().set_bold().set_text_wrap().set_align("top"),
        datetime_format="yyyy-mm-dd",
        column_widths=[float(column_width(name, headers[name])) for name in names],
        freeze_row=1,
        autofilter=True,  # a filter button on every header cell, over the rows written
    )
    target.seek(0)
    return target


def audit_args(view: RegistryFilter) -> dict[str, str]:
    """The filter as it may be written to the audit log: never a national registration number.

    The list sends national IDs as a blind index (`nid`); a number typed into the free search
    `q` is replaced by a placeholder here.
    """
    args = view.to_args(page=1, per_page=DEFAULT_PER_PAGE)
    if view.q and is_valid_national_id(normalise_national_id(view.q)):
        args["q"] = "[national id]"
    return args


def record_export(
    actor: User, file_format: str, view: RegistryFilter, rows: int, include_national_id: bool
) -> None:
    """Audit an export (what was filtered, how many rows, whether national IDs were in it)."""
    audit.record(
        actor,
        "registry.export",
        "registry",
        file_format,
        {
            "format": file_format,
            "filter": audit_args(view),
            "rows": rows,
            "national_ids": include_national_id,
        },
    )
    db.session.commit()
