"""Large XLSX exports of the registry, prepared by a queued job instead of inside the request.

An export over `LMS_XLSX_INLINE_MAX_ROWS` rows is recorded as an outbox row (kind
`registry_export`) in the same transaction as its audit event; the job writes the workbook to
a private file in the instance folder (`<instance>/exports/registry-<id>.xlsx`, mode 0600).
The outbox row is the job's state (waiting / ready / failed), so no table of its own is
needed. Only the reviewer who asked, or an admin, may see the job or download the file, and
only for `LIFETIME` after it was asked for; the `cleanup` job deletes older files.

The file holds exactly what the inline export of the same filter holds (national IDs only if
asked for, as there). The row stores the filter without a national ID typed into the search:
such a filter is exported inline whatever its size (see `can_run_in_background`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.registry.filters import DEFAULT_PER_PAGE, RegistryFilter
from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import OutboxMessage, User
from lms.models.types import utcnow
from lms.services import audit, outbox
from lms.services.registry import export as registry_export

KIND = "registry_export"
#: How long the prepared file may be downloaded.
LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class ExportJob:
    """What the job page shows: `state` is waiting, ready, failed or expired."""

    id: int
    state: str
    rows: int
    national_ids: bool
    asked_on: date
    expires_at: datetime
    path: Path


def inline_limit() -> int:
    return int(current_app.config.get("LMS_XLSX_INLINE_MAX_ROWS", 5000))


def can_run_in_background(view: RegistryFilter) -> bool:
    """A national ID typed into the search is never stored in a job row (the audit log
    replaces it too); such a search finds one person, so it is exported inline."""
    return not (view.q and is_valid_national_id(normalise_national_id(view.q)))


def exports_folder() -> Path:
    return Path(current_app.instance_path) / "exports"


def file_of(job_id: int) -> Path:
    return exports_folder() / f"registry-{job_id}.xlsx"


def ask(
    actor: User,
    view: RegistryFilter,
    on: date,
    language: str,
    headers: Mapping[str, str],
    labels: Mapping[str, str],
    include_national_id: bool,
    rows: int,
) -> int:
    """Record the job and audit the export in one transaction (committed); returns its id."""
    payload = {
        "user_id": actor.id,
        "filter": view.to_args(page=1, per_page=DEFAULT_PER_PAGE),
        "on": on.isoformat(),
        "language": language,
        "headers": dict(headers),
        "labels": dict(labels),
        "national_ids": include_national_id,
        "rows": rows,
    }
    job_id = outbox.write(KIND, payload)
    assert job_id is not None  # noqa: S101 - no dedupe key: always written
    registry_export.record_export(actor, "xlsx", view, rows, include_national_id)  # commits
    return job_id


def prepare(row: OutboxMessage) -> None:
    """The queued job: write the workbook to its private file (replaced whole, never partial)."""
    payload = row.payload
    view = RegistryFilter.from_args(payload["filter"])
    target = file_of(row.id)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    handle = os.fdopen(os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600), "w+b")
    with handle:
        registry_export.xlsx_file(
            view,
            date.fromisoformat(payload["on"]),
            payload["language"],
            payload["headers"],
            payload["labels"],
            bool(payload["national_ids"]),
            target=handle,
        )
    os.replace(partial, target)


def find(job_id: int, user: User) -> ExportJob | None:
    """The job if `user` may see it (the reviewer who asked, or an admin); else None."""
    row = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id == job_id, OutboxMessage.kind == KIND)
    ).scalar_one_or_none()
    if row is None or (row.payload.get("user_id") != user.id and not user.has_role(ADMIN)):
        return None
    path = file_of(row.id)
    expires_at = row.created_at + LIFETIME
    if utcnow() >= expires_at:
        path.unlink(missing_ok=True)
        state = "expired"
    elif row.status == "done" and path.is_file():
        state = "ready"
    elif row.status == "failed" or row.status == "done":
        state = "failed"
    else:
        state = "waiting"
    return ExportJob(
        id=row.id,
        state=state,
        rows=int(row.payload.get("rows", 0)),
        national_ids=bool(row.payload.get("national_ids")),
        asked_on=date.fromisoformat(row.payload["on"]),
        expires_at=expires_at,
        path=path,
    )


def record_download(actor: User, job: ExportJob) -> None:
    audit.record(
        actor, "registry.export_download", "registry", "xlsx", {"job": job.id, "rows": job.rows}
    )
    db.session.commit()


def remove_expired(now: datetime | None = None) -> int:
    """Delete prepared files older than `LIFETIME` (the daily `cleanup` job)."""
    limit = (now or utcnow()) - LIFETIME
    removed = 0
    folder = exports_folder()
    if not folder.is_dir():
        return 0
    for path in folder.glob("registry-*"):
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=limit.tzinfo)
        if modified < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
