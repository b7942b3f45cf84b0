"""XLSX exports over LMS_XLSX_INLINE_MAX_ROWS: prepared by a queued job, downloaded later."""

from __future__ import annotations

import io
import os
from datetime import timedelta

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from lms.models import AuditEvent, OutboxMessage
from lms.services.registry import export_jobs
from tests.background import run_jobs
from tests.factories import issue_demo_credential


def _ask(client):
    page = client.get("/registry/export.xlsx?national_ids=0")
    assert page.status_code == 200
    assert "Prepare the file" in page.text or "Файлыг бэлтгэх" in page.text
    response = client.post("/registry/exports?national_ids=0")
    assert response.status_code == 303
    return response.headers["Location"]


def test_a_large_export_is_prepared_by_a_job_for_its_reviewer_only(
    app, db, client, login_as, tmp_path
):
    app.config["LMS_XLSX_INLINE_MAX_ROWS"] = 0
    credential = issue_demo_credential(tmp_path)
    reviewer = login_as("reviewer")
    job_url = _ask(client)
    assert (
        "Download the XLSX file" not in client.get(job_url, headers={"Accept-Language": "en"}).text
    )
    assert client.get(job_url + "/download").status_code == 404  # not ready yet
    [event] = [
        e for e in db.session.execute(select(AuditEvent)).scalars() if e.action == "registry.export"
    ]
    assert event.details["rows"] == 1
    assert event.details["national_ids"] is False

    assert run_jobs() >= 1
    page = client.get(job_url)
    assert "/download" in page.text
    download = client.get(job_url + "/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    data = download.get_data()
    download.close()
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert credential.number in values
    # The same layout as the inline export: frozen header, filter, column widths.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    assert sheet.column_dimensions["A"].width >= 18
    job_id = int(job_url.rsplit("/", 1)[1])
    path = export_jobs.file_of(job_id)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"

    login_as("reviewer")  # another reviewer may not see it
    assert client.get(job_url).status_code == 404
    assert client.get(job_url + "/download").status_code == 404
    login_as("admin")
    again = client.get(job_url + "/download")
    assert again.status_code == 200
    again.close()

    # After a day the link is gone and the file deleted.
    login_as(user=reviewer)
    row = db.session.get(OutboxMessage, job_id)
    row.created_at = row.created_at - timedelta(days=1, minutes=1)
    db.session.commit()
    assert client.get(job_url + "/download").status_code == 410
    assert not path.exists()


def test_small_exports_stay_inline_and_csv_keeps_streaming(app, db, client, login_as, tmp_path):
    issue_demo_credential(tmp_path)
    login_as("reviewer")
    inline = client.get("/registry/export.xlsx")
    assert inline.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    inline.get_data()
    inline.close()
    app.config["LMS_XLSX_INLINE_MAX_ROWS"] = 0
    csv = client.get("/registry/export.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    csv.get_data()
    csv.close()
    kinds = db.session.execute(select(OutboxMessage.kind)).scalars().all()
    assert export_jobs.KIND not in kinds
