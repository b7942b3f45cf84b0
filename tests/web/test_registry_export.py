"""Registry exports: CSV (BOM, Cyrillic, exact filter, formula-safe, streamed) and XLSX."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lms.domain.registry.export_rows import (
    COLUMNS,
    RegistryRow,
    cells,
    csv_cells,
    csv_text,
    spreadsheet_safe,
)
from lms.models import AuditEvent
from lms.services import clock
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.registry import export as registry_export
from tests.factories import issue_registry_credentials

NATIONAL_IDS = ("УБ99112233", "ХО88001122", "УБ77001122")


@pytest.fixture
def registry(app, db, tmp_path):
    return issue_registry_credentials(tmp_path)


@pytest.fixture
def reviewer(client, login_as):
    user = login_as("reviewer")
    with client.session_transaction() as session:
        session["lang"] = "en"
    return user


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7", "'+7"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Бат", "Бат"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(text, expected):
    assert spreadsheet_safe(text) == expected


def test_csv_cells_keep_numbers_and_dates_plain():
    row = RegistryRow(
        number="JC-2026-00001-7",
        holder_name="-Нэр",
        national_id=None,
        region_code="khovd",
        region_name="Ховд аймаг",
        organisation="",
        course_slug="demo",
        course_title={"mn": "Сургалт", "en": "Training"},
        course_version="1.0.0",
        kind="training",
        credential_name={"mn": "Гэрчилгээ", "en": "Certificate"},
        classroom_hours=24.0,
        practicum_hours=12.5,
        issued_on=date(2026, 1, 2),
        expires_on=None,
        status="active",
        qualifies=True,
        issuing_trainer=None,
    )
    texts = csv_cells(row, "mn", {"active": "Хүчинтэй", "yes": "Тийм", "no": "Үгүй"})
    assert len(texts) == len(COLUMNS)
    values = dict(zip(COLUMNS, texts, strict=True))
    assert values["holder_name"] == "'-Нэр"
    assert values["classroom_hours"] == "24"
    assert values["practicum_hours"] == "12.5"
    assert values["issued_on"] == "2026-01-02"
    assert values["expires_on"] == ""
    assert values["credential_name"] == "Гэрчилгээ"
    assert values["status"] == "Хүчинтэй"
    assert values["qualifies_for_subsidy"] == "Тийм"
    without = csv_cells(row, "mn", {"yes": "Тийм", "no": "Үгүй"}, include_national_id=False)
    assert len(without) == len(COLUMNS) - 1
    for with_ids in (True, False):
        typed = cells(row, "en", {"yes": "Yes", "no": "No"}, include_national_id=with_ids)
        as_text = csv_cells(row, "en", {"yes": "Yes", "no": "No"}, include_national_id=with_ids)
        assert as_text == [csv_text(value) for value in typed]


def test_csv_export_has_bom_header_cyrillic_and_every_row(client, reviewer, registry):
    response = client.get("/registry/export.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="registry-')
    rows = _csv(response)
    header, data = rows[0], rows[1:]
    assert header[0] == "Credential number"
    assert "National registration number" in header
    assert len(data) == 3
    names = {row[header.index("Holder")] for row in data}
    assert names == {"Бат-Эрдэнэ Өлзийсайхан", "Үүрцайх Дорж", "Сараа Болд"}
    assert {row[header.index("National registration number")] for row in data} == set(NATIONAL_IDS)
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    for credential in registry["credentials"].values():
        exported, snapshot = by_number[credential.number], credential.snapshot
        assert exported["Credential"] == snapshot["credential_name"]["en"]
        assert exported["Course version"] == snapshot["course_version"]
        assert float(exported["Classroom hours"]) == snapshot["classroom_hours"]
        assert float(exported["Practicum hours"]) == snapshot["practicum_hours"]
        assert exported["Issuing trainer"] == snapshot["issuing_trainer"]
    statuses = {row[header.index("Holder")]: row[header.index("Status today")] for row in data}
    assert statuses["Сараа Болд"] == "Revoked"
    assert statuses["Бат-Эрдэнэ Өлзийсайхан"] == "Valid"


def test_csv_export_is_exactly_the_filter(client, reviewer, registry):
    rows = _csv(client.get("/registry/export.csv?region=khovd&sort=number&page=2&per_page=25"))
    header, data = rows[0], rows[1:]
    numbers = [row[0] for row in data]
    expected = sorted(c.number for k, c in registry["credentials"].items() if k != "revoked")
    assert numbers == expected  # every page, sorted as asked, only Khovd
    assert {row[header.index("Region code")] for row in data} == {"khovd"}
    assert {row[header.index("Aimag or district")] for row in data} == {"Khovd province"}
    revoked = _csv(client.get("/registry/export.csv?status=revoked"))[1:]
    assert [row[0] for row in revoked] == [registry["credentials"]["revoked"].number]


def test_csv_export_defuses_formulas(client, reviewer, registry):
    rows = _csv(client.get("/registry/export.csv?region=khovd"))
    header = rows[0]
    organisations = {row[header.index("Organisation")] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in organisations
    assert "Ховдын ТББ" in organisations


def test_csv_export_can_leave_national_ids_out(client, reviewer, registry):
    response = client.get("/registry/export.csv?national_ids=0")
    body = response.get_data().decode("utf-8-sig")
    assert "National registration number" not in body
    assert not any(value in body for value in NATIONAL_IDS)
    event = AuditEvent.query.filter_by(action="registry.export").one()
    assert event.details["national_ids"] is False


def test_csv_export_is_written_in_chunks(client, reviewer, registry, monkeypatch):
    monkeypatch.setattr(registry_export, "BATCH", 1)
    response = client.get("/registry/export.csv")
    chunks = [chunk for chunk in response.response if chunk]
    # One chunk per batch of rows (the header rides with the first), not one buffered body.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [2, 1, 1]
    response.close()


def test_streaming_leaves_the_sessions_connection_as_it_was(app, db, registry):
    # On PostgreSQL a connection left with yield_per runs every later statement (an autoflush
    # UPDATE too) inside a server-side cursor, which fails.
    from lms.domain.registry.filters import RegistryFilter
    from lms.services.clock import today
    from lms.services.registry.query import credential_query

    on = today()
    rows = list(registry_export.registry_rows(credential_query(RegistryFilter(), on), on, "en"))
    assert len(rows) == 3
    options = db.session.connection().get_execution_options()
    assert "yield_per" not in options
    assert "stream_results" not in options


def test_unreadable_filter_refuses_rather_than_exporting_everything(client, reviewer, registry):
    assert client.get("/registry/export.csv?status=nonsense").status_code == 400
    assert client.get("/registry/export.xlsx?issued_from=yesterday").status_code == 400


def test_xlsx_export_opens_with_the_filtered_rows(client, reviewer, registry):
    response = client.get("/registry/export.xlsx?region=khovd&sort=number")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=False)
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[0] == "Credential number"
    data = rows[1:]
    assert [row[0] for row in data] == sorted(
        c.number for k, c in registry["credentials"].items() if k != "revoked"
    )
    # Readable as opened: header frozen, a filter over every column and row, sized columns.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(rows)}"
    widths = {
        title: sheet.column_dimensions[get_column_letter(i)].width
        for i, title in enumerate(header, start=1)
    }
    assert widths["Holder"] >= 25
    assert widths["Credential number"] >= 18
    assert all(width >= 9 for width in widths.values()), widths
    organisation = header.index("Organisation")
    formula_cell = next(
        cell
        for cell in sheet.iter_rows(min_row=2, min_col=organisation + 1, max_col=organisation + 1)
        for cell in cell
        if str(cell.value).startswith("=")
    )
    assert formula_cell.data_type == "s"  # a text cell: never run as a formula
    assert formula_cell.value == '=HYPERLINK("http://evil.example","x")'
    national = header.index("National registration number")
    assert {row[national] for row in data} == {"УБ99112233", "ХО88001122"}
    assert isinstance(data[0][header.index("Classroom hours")], int | float)
    assert data[0][header.index("Issued on")].date() == registry["credentials"]["khovd"].issued_on
    workbook.close()


@pytest.mark.parametrize("role", ["trainee", "trainer"])
@pytest.mark.parametrize("path", ["/registry/export.csv", "/registry/export.xlsx"])
def test_exports_are_for_reviewers_only(client, login_as, registry, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, registry):
    response = client.get("/registry/export.csv")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_each_export_is_audited_without_national_ids(client, reviewer, registry, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/registry/export.csv?region=khovd").get_data()
    client.get(f"/registry/export.xlsx?q={NATIONAL_IDS[0]}").get_data()
    events = AuditEvent.query.filter_by(action="registry.export").order_by(AuditEvent.id).all()
    assert [(e.subject_id, e.details["rows"]) for e in events] == [("csv", 2), ("xlsx", 0)]
    assert events[0].details["filter"] == {"region": "khovd"}
    assert events[0].actor_id == reviewer.id
    assert events[1].details["filter"]["q"] == "[national id]"
    dumped = json.dumps([e.details for e in events], ensure_ascii=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in NATIONAL_IDS:
        assert value not in dumped
        assert value not in logged


# --- signed snapshots --------------------------------------------------------------------


@pytest.fixture
def history(app, db, tmp_path, monkeypatch):
    """Credentials issued on 2026-01-05 (one revoked that day); one suspended today."""

    monkeypatch.setattr(clock, "today", lambda: date(2026, 1, 5))
    issued = issue_registry_credentials(tmp_path)
    monkeypatch.undo()
    credential_lifecycle.change_status(
        issued["credentials"]["khovd"], "suspend", None, "other", "Шалгана"
    )
    return issued


def test_reviewer_takes_downloads_and_compares_snapshots(client, reviewer, history, db):
    from lms.domain.registry.snapshot import verify_snapshot
    from lms.models import RegistrySnapshot

    page = client.get("/registry/snapshots")
    assert page.status_code == 200
    assert "No snapshot has been taken yet." in page.text
    response = client.post("/registry/snapshots", data={"taken_on": "2026-06-01"})
    assert response.status_code == 302
    client.post("/registry/snapshots", data={"taken_on": clock.today().isoformat()})
    older, newer = RegistrySnapshot.query.order_by(RegistrySnapshot.taken_on).all()
    assert (older.entries, newer.entries) == (3, 3)
    assert older.summary["statuses"] == {"active": 2, "revoked": 1}
    assert newer.summary["statuses"] == {"active": 1, "revoked": 1, "suspended": 1}
    listing = client.get("/registry/snapshots").text
    assert "2026-06-01" in listing
    assert older.sha256[:12] in listing

    jws = client.get(f"/registry/snapshots/{older.id}.jws")
    assert jws.mimetype == "application/jose"
    jwks = client.get("/.well-known/jwks.json").get_json()
    document, payload = verify_snapshot(jws.get_data(as_text=True), jwks)
    assert document.taken_on == date(2026, 6, 1)
    assert {e.status for e in document.entries} == {"active", "revoked"}
    readable = client.get(f"/registry/snapshots/{older.id}.json").get_data(as_text=True)
    assert "Бат-Эрдэнэ Өлзийсайхан" in readable
    for value in NATIONAL_IDS:
        assert value not in readable
        assert value not in payload.decode("utf-8")

    diff_page = client.get(f"/registry/snapshots/diff?from={older.id}&to={newer.id}")
    assert diff_page.status_code == 200
    suspended = history["credentials"]["khovd"].number
    assert suspended in diff_page.text
    assert "Suspended (1)" in diff_page.text
    assert "Revoked (0)" in diff_page.text
    actions = [e.action for e in AuditEvent.query.order_by(AuditEvent.id)]
    assert actions.count("registry.snapshot") == 2
    assert actions.count("registry.snapshot_download") == 2


def test_snapshot_of_a_future_date_is_refused(client, reviewer, registry):
    from lms.models import RegistrySnapshot

    response = client.post("/registry/snapshots", data={"taken_on": "2999-01-01"})
    assert response.status_code == 200
    assert "A snapshot cannot be taken of a future date." in response.text
    assert RegistrySnapshot.query.count() == 0


def test_a_tampered_stored_snapshot_is_never_served_as_good(client, reviewer, registry, db):
    from sqlalchemy import update

    from lms.models import RegistrySnapshot

    client.post("/registry/snapshots", data={"taken_on": clock.today().isoformat()})
    row = RegistrySnapshot.query.one()
    head, payload, signature = row.signed.split(".")
    flipped = payload[:10] + ("B" if payload[10] == "A" else "A") + payload[11:]
    # Bypasses the ORM's append-only guard, as someone editing the database directly would.
    db.session.execute(
        update(RegistrySnapshot.__table__).values(signed=f"{head}.{flipped}.{signature}")
    )
    db.session.commit()
    assert client.get(f"/registry/snapshots/{row.id}.json").status_code == 409
    assert client.get(f"/registry/snapshots/diff?from={row.id}&to={row.id}").status_code == 409


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_snapshots_are_for_reviewers_only(client, login_as, role):
    login_as(role)
    assert client.get("/registry/snapshots").status_code == 403
    assert client.post("/registry/snapshots", data={"taken_on": "2026-01-01"}).status_code == 403


def _xlsx_text(value: object) -> str:
    """An XLSX cell as the CSV export writes the same cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if hasattr(value, "date"):  # openpyxl reads a date cell as a datetime
        return csv_text(value.date())  # type: ignore[attr-defined]
    return csv_text(value)  # type: ignore[arg-type]


def test_xlsx_export_in_mongolian_matches_the_csv_cell_for_cell(client, login_as, registry):
    """The XLSX writer (rustpy-xlsxwriter) keeps what the XlsxWriter workbook had: Mongolian
    texts, a bold wrapped header, dates as dates in ISO form, numbers as numbers."""
    login_as("reviewer")
    with client.session_transaction() as session:
        session["lang"] = "mn"
    csv_rows = _csv(client.get("/registry/export.csv?sort=number"))
    response = client.get("/registry/export.xlsx?sort=number")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert [[_xlsx_text(value) for value in row] for row in rows] == csv_rows
    header = rows[0]
    assert "Гэрчилгээний дугаар" in header  # Mongolian headers
    assert all(cell.font.b and cell.alignment.wrap_text for cell in sheet[1])
    assert header[COLUMNS.index("issued_on")] == "Олгосон огноо"
    for row in sheet.iter_rows(min_row=2):
        issued = row[COLUMNS.index("issued_on")]
        assert issued.is_date
        assert issued.number_format == "yyyy-mm-dd"
        assert row[COLUMNS.index("classroom_hours")].data_type == "n"
    assert sheet.freeze_panes == "A2"
    workbook.close()


def test_xlsx_export_with_no_matching_row_has_the_header(client, reviewer, registry):
    response = client.get("/registry/export.xlsx?q=nobody-by-this-name")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1
    assert rows[0][0] == "Credential number"
    assert sheet["A1"].font.b
