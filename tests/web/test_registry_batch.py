"""Batch eligibility: the upload form, the answers page, the CSV and XLSX downloads, the API's
batch endpoint; bad files and rows explained (never a 500); national IDs never in a URL or the
audit log; a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from openpyxl import load_workbook

from lms.domain.credentials.numbers import credential_number
from lms.domain.registry import batch
from lms.models import AuditEvent
from lms.services import clock
from lms.services.registry import api_tokens
from tests.factories import client_for, make_user
from tests.query_counter import count_queries
from tests.web.registry_seed import NATIONAL_ID, TODAY, seed
from tests.web.test_registry_api import DocumentClient

URL = "/registry/eligibility/batch"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def reg(app, db, tmp_path, monkeypatch):
    data = seed(tmp_path)
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return data


@pytest.fixture
def reviewer(client, login_as):
    user = login_as("reviewer")
    client.post("/language", data={"lang": "en"})
    return user


def upload(client, data, name="claims.csv"):
    return client.post(
        URL, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def sealed(page):
    match = re.search(r'name="batch" type="hidden" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def claims(reg):
    a, c, d = (reg.creds[k].number for k in "ACD")
    return (
        "\ufeffГэрчилгээний дугаар;Огноо\r\n"
        f"{a};2026-12-01\r\n"  # qualifies
        f"{d};2026-12-01\r\n"  # revoked before the date
        f"{c};2026-12-01\r\n"  # revoked after the date: still yes, and says so
        f"{NATIONAL_ID.lower()};2026-12-01\r\n"  # by national ID: A's credential
        "JC-2020-99999-9;2026-12-01\r\n"  # check digit wrong
        "JC-2020-00001-5;2026-12-01\r\n"  # well formed, not in the registry
        "УБ991122;2026-12-01\r\n"  # malformed national ID
        "АА00000000;2026-12-01\r\n"  # nobody holds this one
        f"{a};01.12.2026\r\n"  # day first: ambiguous
        f"{a};2026-12-01;extra\r\n"
        ";2026-12-01\r\n"
    ).encode()


def rows_of(page):
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("<tr>")[1:]]


def test_the_form(client, reg, reviewer):
    page = client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "at most 5,000 rows" in page.text or "At most 5000 rows" in page.text
    assert "/registry/eligibility/batch" in client.get("/registry/eligibility").text
    missing = client.post(URL, data={}, content_type="multipart/form-data")
    assert missing.status_code == 400
    assert "Choose a CSV file." in missing.text


def test_every_row_answered_or_explained(client, reg, reviewer):
    response = upload(client, claims(reg))
    assert response.status_code == 200, response.text
    rows = rows_of(response.text)
    assert len(rows) == 11
    a = reg.creds["A"].number
    assert rows[0].startswith(f"2 {a} 2026-12-01 Yes: qualified")
    assert "Батбаяр Дорж" in rows[0]
    assert "No: not qualified The credential had been revoked by 2026-12-01" in rows[1]
    assert "Yes: qualified" in rows[2]
    assert "Revoked on 2027-02-01 — after this date" in rows[2]
    assert (
        f"Yes: qualified The credential was valid and qualified for the subsidy on 2026-12-01. {a}"
        in rows[3]
    )
    assert "check digit does not match" in rows[4]
    assert "No credential has this number." in rows[5]
    assert "two Cyrillic letters and eight digits" in rows[6]
    assert "Nobody with this national registration number holds a credential." in rows[7]
    assert "“01.12.2026” is not a date: write it as YYYY-MM-DD" in rows[8]
    assert "1 cells more than the two expected" in rows[9]
    assert "is missing" in rows[10]
    assert [row.split()[0] for row in rows] == [str(n) for n in range(2, 13)]  # file lines
    assert "The first row was read as column titles." in response.text
    counts = response.text.split('class="facts batch-counts">')[1].split("</dl>")[0]
    assert " ".join(re.sub(r"<[^>]+>", " ", counts).split()) == (
        "Rows checked 11 Yes: qualified 3 No: not qualified 1 Rows with problems (not checked) 7"
    )
    # National IDs stay out of every URL on the page, and out of the audit log.
    for url in re.findall(r'(?:href|action)="([^"]*)"', response.text):
        assert "99112233" not in url
    event = AuditEvent.query.filter_by(action="registry.batch_eligibility").one()
    assert event.details == {"rows": 11, "eligible": 3, "not_eligible": 1, "problem": 7}
    assert "99112233" not in json.dumps(event.details)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "claims.xlsx", "This is not a CSV file."),
        ("дугаар,огноо\nУБ99112233,2026-12-01\n".encode("cp1251"), "c.csv", "not saved as UTF-8"),
        ("дугаар".encode("utf-16"), "c.csv", "not saved as UTF-8"),
        ("дугаар,огноо,нэр\n".encode(), "c.csv", "The first row has 3 column titles."),
        ("дугаар,огноо\n".encode(), "c.csv", "no rows to check"),
        (b'"JC-2026-00042-3,2026-12-01\n', "c.csv", "cannot be read as CSV near line"),
        (
            b"JC-2026-00042-3,2026-12-01\n" * (batch.MAX_ROWS + 1),
            "c.csv",
            "more than 5000 rows",
        ),
        (b"x" * (batch.MAX_BYTES + 1), "c.csv", "The file is too large"),
    ],
)
def test_a_file_that_cannot_be_used_is_a_400_that_says_why(
    client, reg, reviewer, data, name, message
):
    response = upload(client, data, name)
    assert response.status_code == 400
    assert "The file cannot be used" in response.text
    assert message in response.text


def test_csv_download_keeps_mongolian_and_every_row(client, reg, reviewer):
    token = sealed(upload(client, claims(reg)).text)
    response = client.post(f"{URL}/result", data={"batch": token, "csv": "Download CSV"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="eligibility-2027-06-15.csv"'
    )
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffLine,Credential number or national registration number,Date,")
    lines = text.splitlines()
    assert len(lines) == 12
    assert lines[1].startswith(f"2,{reg.creds['A'].number},2026-12-01,Yes: qualified,")
    assert "Батбаяр Дорж" in lines[1]
    assert "уб99112233" in lines[4].casefold()  # the reviewer's own file, as written
    assert "Revoked 2027-02-01" in lines[3]
    assert "Not checked" in lines[5]
    event = AuditEvent.query.filter_by(action="registry.batch_eligibility_download").one()
    assert event.details["format"] == "csv"


def test_xlsx_download_is_styled_like_the_registry_exports(client, reg, reviewer):
    token = sealed(upload(client, claims(reg)).text)
    response = client.post(f"{URL}/result", data={"batch": token, "xlsx": "Download"})
    assert response.status_code == 200
    assert response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K12"
    assert sheet["A1"].font.bold
    assert sheet["A1"].value == "Line"
    assert sheet["B2"].value == reg.creds["A"].number
    assert sheet["C2"].value.date().isoformat() == "2026-12-01"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].value == "Yes: qualified"
    assert sheet["G2"].value == "Батбаяр Дорж"
    assert sheet["C10"].value == "01.12.2026"  # the date as written, when it is not one
    assert sheet.column_dimensions["E"].width > 40


def test_mongolian_result(client, reg, login_as):
    login_as("reviewer")  # the default language: Mongolian
    response = upload(client, claims(reg))
    assert "Тийм" in response.text or "тийм" in response.text
    token = sealed(response.text)
    text = client.post(f"{URL}/result", data={"batch": token, "csv": "CSV"}).data.decode()
    assert "Батбаяр Дорж" in text
    assert "Line" not in text.splitlines()[0]


def test_a_sealed_file_belongs_to_its_reviewer(app, client, reg, reviewer):
    token = sealed(upload(client, claims(reg)).text)
    other = client_for(app, make_user(roles=("reviewer",)))
    refused = other.post(f"{URL}/result", data={"batch": token, "csv": "CSV"})
    assert refused.status_code == 303
    assert refused.headers["Location"].endswith(URL)
    for bad in ("", "not-a-token", token[:-4] + "AAAA"):
        response = client.post(f"{URL}/result", data={"batch": bad, "csv": "CSV"})
        assert response.status_code == 303


def test_the_template_can_be_uploaded_as_it_is(client, reg, reviewer):
    template = client.get(f"{URL}/template.csv")
    assert template.status_code == 200
    assert template.data.startswith("\ufeff".encode())
    page = upload(client, template.data)
    assert page.status_code == 200
    assert len(rows_of(page.text)) == 2


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_other_roles_get_nothing(client, reg, login_as, role):
    login_as(role)
    assert client.get(URL).status_code == 403
    assert upload(client, claims(reg)).status_code == 403


def test_queries_do_not_grow_with_the_rows(client, reg, reviewer):
    numbers = [c.number for c in reg.creds.values()]

    def counted(count):
        lines = [f"{numbers[i % len(numbers)]},2026-12-01" for i in range(count)]
        lines += [f"{NATIONAL_ID},2026-12-0{1 + i % 9}" for i in range(count // 2)]
        lines += [f"{credential_number('JC', 2020, i + 1)},2026-12-01" for i in range(count // 2)]
        with count_queries() as log:
            response = upload(client, "\n".join(lines).encode())
        assert response.status_code == 200
        assert ("The first 500 of" in response.text) == (len(lines) > 500)
        return log.count

    assert counted(10) == counted(300)


def test_a_file_of_the_largest_size_is_answered_and_downloaded(client, reg, reviewer):
    number = reg.creds["A"].number
    lines = [
        f"{number},2026-12-01" if i % 2 else f"УБ{10_000_000 + i},2026-12-01"
        for i in range(batch.MAX_ROWS)
    ]
    page = upload(client, ("\n".join(lines) + "\n").encode())
    assert page.status_code == 200
    assert len(rows_of(page.text)) == 500  # the page shows the first rows only
    response = client.post(f"{URL}/result", data={"batch": sealed(page.text), "csv": "CSV"})
    assert len(response.data.decode("utf-8-sig").splitlines()) == batch.MAX_ROWS + 1


# --- the API -------------------------------------------------------------------------------


@pytest.fixture
def token(db):
    _row, secret = api_tokens.create("Ministry", ("registry:read",), actor=None)
    return secret


def test_api_batch(client, reg, token, caplog):
    caplog.set_level(logging.DEBUG)
    api = DocumentClient(client, token)
    a, d = reg.creds["A"].number, reg.creds["D"].number
    items = [
        {"number": a, "on": "2026-12-01"},
        {"number": d, "on": "2026-12-01"},
        {"national_id": "уб 99112233", "on": "2026-12-01"},
        {"number": "JC-2020-00001-5", "on": "2026-12-01"},
        {"national_id": "УБ9911", "on": "2026-12-01"},
        {"number": a, "on": "2026.12.01"},
        {"number": a, "on": "2026-02-30"},
        {"number": NATIONAL_ID, "on": "2026-12-01"},
    ]
    response = api.call("eligibilityBatch", body={"items": items})
    assert response.status_code == 200
    body = response.get_json()
    assert body["counts"] == {"eligible": 2, "not_eligible": 1, "problem": 5}
    results = body["results"]
    assert [r["index"] for r in results] == list(range(8))
    assert [r["outcome"] for r in results[:3]] == ["eligible", "not_eligible", "eligible"]
    assert results[0]["eligibility"]["number"] == a
    assert results[0]["eligibility"]["reason"] == "qualifies"
    assert results[1]["eligibility"]["reason"] == "revoked"
    assert results[2]["eligibility"]["number"] == a
    problems = [[p["code"] for p in r["problems"]] for r in results[3:]]
    assert problems == [
        ["number_unknown"],
        ["national_id_malformed"],
        ["date_invalid"],
        ["date_impossible"],
        ["number_expected"],
    ]
    assert results[3]["problems"][0]["message"] == "No credential has this number."
    event = AuditEvent.query.filter_by(action="api.registry").one()
    assert event.details["args"] == {"items": "8"}
    every_detail = json.dumps([e.details for e in AuditEvent.query.all()], ensure_ascii=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in ("99112233", "9911"):
        assert value not in every_detail
        assert value not in logged


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "invalid_body"),
        ([], "invalid_body"),
        ({"items": "x"}, "invalid_body"),
        ({"items": [], "more": 1}, "invalid_body"),
        ({"items": []}, "invalid_body"),
        ({"items": [{"on": "2026-12-01"}]}, "invalid_parameter"),
        ({"items": [{"number": "x", "national_id": "y", "on": "2026-12-01"}]}, "invalid_parameter"),
        ({"items": [{"number": "x"}]}, "invalid_parameter"),
        ({"items": [{"number": 5, "on": "2026-12-01"}]}, "invalid_parameter"),
        ({"items": [{"number": "x" * 65, "on": "2026-12-01"}]}, "invalid_parameter"),
        ({"items": [{"number": "x", "on": "2026-12-01", "name": "y"}]}, "invalid_parameter"),
        ({"items": [{"number": "x", "on": "2026-12-01"}] * 5001}, "too_many_items"),
    ],
)
def test_api_batch_refuses_bodies_outside_the_contract(client, token, body, code):
    headers = {"Authorization": f"Bearer {token}"}
    if isinstance(body, str):
        response = client.post(
            "/api/v1/registry/eligibility/batch",
            data=body,
            headers=headers,
            content_type="application/json",
        )
    else:
        response = client.post("/api/v1/registry/eligibility/batch", json=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == code


def test_api_batch_needs_a_token(client, db):
    response = client.post(
        "/api/v1/registry/eligibility/batch", json={"items": [{"number": "x", "on": "y"}]}
    )
    assert response.status_code == 401


def test_api_batch_of_the_largest_size_is_answered(client, reg, token):
    number = reg.creds["A"].number
    items = [{"number": number, "on": "2026-12-01"}] * batch.MAX_ROWS
    response = client.post(
        "/api/v1/registry/eligibility/batch",
        json={"items": items},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.get_json()["counts"]["eligible"] == batch.MAX_ROWS
