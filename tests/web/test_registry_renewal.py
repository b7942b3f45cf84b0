"""The registry sees renewal: filters "renewal due within N days", "in the grace period",
"lapsed" on the list, the exports and the API; the renewal status of each credential; the
coach record's continuing-education ledger and renewal chains."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from lms.models import Credential
from lms.services import clock
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle
from lms.services.learning import enrolment as enrolments
from lms.services.registry import api_tokens
from lms.services.renewal import ledger
from tests.factories import CE_RENEWAL, make_user, publish_demo_course
from tests.query_counter import count_queries

TODAY = date(2027, 6, 15)
NUMBER = re.compile(r"\bJC-\d{4}-\d{5}-\d\b")
DAY = timedelta(days=1)

# Credentials of the renewable course (30 days' grace), by the last valid day.
RENEWABLE = {
    "last_day": TODAY,  # due within 30, window open
    "due_30": TODAY + 30 * DAY,
    "due_31": TODAY + 31 * DAY,  # due within 90, not within 30
    "due_270": TODAY + 270 * DAY,
    "far": TODAY + 400 * DAY,  # not yet due, in no filter
    "grace_first": TODAY - DAY,
    "grace_last": TODAY - 30 * DAY,  # the grace period's last day
    "lapsed": TODAY - 31 * DAY,  # the day after it
}
EXPECTED = {
    "due_30": {"last_day", "due_30"},
    "due_90": {"last_day", "due_30", "due_31"},
    "due_180": {"last_day", "due_30", "due_31"},
    "due_270": {"last_day", "due_30", "due_31", "due_270"},
    "grace": {"grace_first", "grace_last"},
    "lapsed": {"lapsed"},
}


@pytest.fixture
def ren(app, db, tmp_path, monkeypatch):
    """Renewable credentials at the edges, one of a course without renewal rules (it matches
    no renewal filter), a revoked one past its last day, and one renewed (superseded)."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    renewable = publish_demo_course(
        tmp_path / "renewable",
        replace={"course.yml": ("    issue: trainer\n", "    issue: trainer\n" + CE_RENEWAL)},
    )
    plain = publish_demo_course(tmp_path / "plain", slug="plain")
    trainer = make_user(roles=("trainer",))
    found = {}

    def issue(key, course, expires_on):
        holder = make_user(name=f"Дасгалжуулагч {key}")
        cohort = cohort_management.create_cohort(course, f"Ховд {key}", trainer)
        enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
        credential = credentials.issue(enrolment, trainer)
        db.session.execute(
            update(Credential)
            .where(Credential.id == credential.id)
            .values(expires_on=expires_on, issued_on=TODAY - 1000 * DAY)
        )
        db.session.commit()
        found[key] = credential
        return credential

    for key, expires_on in RENEWABLE.items():
        issue(key, renewable, expires_on)
    issue("plain_due", plain, TODAY + 10 * DAY)
    issue("plain_grace", plain, TODAY - 5 * DAY)
    revoked = issue("revoked", renewable, TODAY - 5 * DAY)
    lifecycle.change_status(revoked, "revoke", None, "fraud", "Хуурамч баримт")
    old = issue("renewed", renewable, TODAY + 20 * DAY)
    found["renewal"] = lifecycle.supersede(old, trainer, "renewal")
    db.session.expire_all()
    return {"credentials": found, "trainer": trainer, "holder": old.user}


@pytest.fixture
def reviewer(client, login_as):
    user = login_as("reviewer")
    client.post("/language", data={"lang": "en"})
    return user


def _keys(ren, numbers):
    by_number = {c.number: key for key, c in ren["credentials"].items()}
    return {by_number[n] for n in numbers}


def _listed(client, query):
    response = client.get(f"/registry/?per_page=200&{query}")
    assert response.status_code == 200, response.text
    body = response.text.split("<tbody>", 1)[1] if "<tbody>" in response.text else ""
    return NUMBER.findall(body)


@pytest.mark.parametrize(("renewal", "expected"), EXPECTED.items())
def test_renewal_filters_on_the_list_with_their_edges(client, ren, reviewer, renewal, expected):
    numbers = _listed(client, f"renewal={renewal}")
    assert _keys(ren, numbers) == expected
    assert len(numbers) == len(set(numbers))


def test_the_filter_is_in_the_url_and_the_form(client, ren, reviewer):
    # The form sends every field: the list redirects to the short, bookmarkable URL.
    response = client.get("/registry/?q=&renewal=grace&course=")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/registry/?renewal=grace")
    page = client.get("/registry/?renewal=grace").text
    assert '<option value="grace" selected>In the grace period</option>' in page
    assert "Filtered by: Renewal." in page
    # The export links keep the filter.
    assert "/registry/export.csv?renewal=grace" in page


@pytest.mark.parametrize("bad", ["due_60", "GRACE", "x" * 200])
def test_a_bad_renewal_value_is_named_on_the_page_and_refused_by_exports(
    client, ren, reviewer, bad
):
    page = client.get(f"/registry/?renewal={bad}")
    assert page.status_code == 200
    assert "could not be read and were ignored: Renewal." in page.text
    assert client.get(f"/registry/export.csv?renewal={bad}").status_code == 400
    assert client.get(f"/registry/export.xlsx?renewal={bad}").status_code == 400


def test_rows_show_the_renewal_status_as_a_tag(client, ren, reviewer):
    page = client.get("/registry/?per_page=200").text
    renewal = ren["credentials"]["renewal"].number
    assert '<strong class="tag tag-ok">Renewed by ' + renewal + "</strong>" in page
    assert '<strong class="tag tag-bad">Lapsed</strong>' in page
    assert '<strong class="tag tag-pending">Grace period</strong>' in page
    assert '<strong class="tag tag-pending">Renewal window open</strong>' in page
    assert '<strong class="tag tag-neutral">Not yet due</strong>' in page
    # The course without renewal rules and the revoked credential have no renewal tag.
    assert page.count("tag-pending") == 4 + 2  # last_day, due_30, due_31, due_270 + 2 grace
    for key in ("plain_due", "plain_grace", "revoked"):
        number = ren["credentials"][key].number
        row = page.split(number, 1)[1].split("</tr>", 1)[0]
        assert "tag" not in row, key


def test_the_list_with_renewal_statuses_takes_no_query_per_row(client, ren, reviewer):
    def counted(query):
        client.get(f"/registry/?{query}")
        with count_queries() as log:
            assert client.get(f"/registry/?{query}").status_code == 200
        return log.count

    assert counted("per_page=25&sort=number") == counted("per_page=200&sort=number")
    # The renewal filter reads the courses' rules once for the count and once for the page.
    assert counted("renewal=grace") <= counted("per_page=25") + 2


def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


@pytest.mark.parametrize("renewal", ["due_90", "grace", "lapsed"])
def test_exports_keep_the_renewal_filter_and_carry_the_status(client, ren, reviewer, renewal):
    rows = _csv(client.get(f"/registry/export.csv?renewal={renewal}"))
    header, body = rows[0], rows[1:]
    assert header[-1] == "Renewal status"
    numbers = [row[0] for row in body]
    assert sorted(numbers) == sorted(_listed(client, f"renewal={renewal}"))
    assert _keys(ren, numbers) == EXPECTED[renewal]
    words = {"due_90": {"Renewal window open"}, "grace": {"Grace period"}, "lapsed": {"Lapsed"}}
    assert {row[-1] for row in body} == words[renewal]


def test_the_csv_says_renewed_by_and_the_xlsx_has_the_same_column(client, ren, reviewer):
    from openpyxl import load_workbook

    rows = _csv(client.get("/registry/export.csv?national_ids=0"))
    by_number = {row[0]: row[-1] for row in rows[1:]}
    found = ren["credentials"]
    assert by_number[found["renewed"].number] == f"Renewed by {found['renewal'].number}"
    assert by_number[found["renewal"].number] == "Not yet due"
    assert by_number[found["plain_due"].number] == ""
    assert by_number[found["revoked"].number] == ""
    response = client.get("/registry/export.xlsx?renewal=lapsed")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][-1] == "Renewal status"
    assert [(row[0], row[-1]) for row in values[1:]] == [(found["lapsed"].number, "Lapsed")]


def test_the_mongolian_export_says_the_status_in_mongolian(client, ren, login_as):
    login_as("reviewer")
    with client.session_transaction() as session:
        session["lang"] = "mn"
    rows = _csv(client.get("/registry/export.csv?renewal=lapsed"))
    assert rows[0][-1] == "Сунгалтын төлөв"
    assert rows[1][-1] == "Хугацаа нь бүрэн дууссан"


@pytest.fixture
def api(ren):
    _row, secret = api_tokens.create("Ministry", ("registry:read",), actor=None)
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_filters_by_renewal_and_items_carry_the_status(client, ren, api):
    for renewal, expected in EXPECTED.items():
        response = client.get(f"/api/v1/registry/credentials?renewal={renewal}", headers=api)
        assert response.status_code == 200
        items = response.get_json()["items"]
        assert _keys(ren, [item["number"] for item in items]) == expected, renewal
    items = client.get("/api/v1/registry/credentials?per_page=200", headers=api).get_json()
    by_number = {item["number"]: item for item in items["items"]}
    found = ren["credentials"]
    assert by_number[found["renewed"].number]["renewal_status"] == "renewed"
    assert by_number[found["renewed"].number]["renewed_by"] == found["renewal"].number
    assert by_number[found["grace_last"].number]["renewal_status"] == "grace"
    assert by_number[found["lapsed"].number]["renewal_status"] == "lapsed"
    assert by_number[found["far"].number]["renewal_status"] == "not_yet"
    assert by_number[found["plain_due"].number]["renewal_status"] is None
    assert by_number[found["grace_last"].number]["renewed_by"] is None
    one = client.get(f"/api/v1/registry/credentials/{found['renewed'].number}", headers=api)
    assert one.get_json()["renewal_status"] == "renewed"
    assert one.get_json()["renewed_by"] == found["renewal"].number


@pytest.mark.parametrize("bad", ["due_60", "", "lapsed "])
def test_the_api_refuses_a_bad_renewal_value(client, ren, api, bad):
    response = client.get(f"/api/v1/registry/credentials?renewal={bad}", headers=api)
    assert response.status_code == 400
    assert response.get_json()["parameters"] == ["renewal"]


def test_the_openapi_document_declares_the_filter_and_the_fields(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/registry/credentials"]["get"]["parameters"]
    renewal = next(p for p in parameters if p["name"] == "renewal")
    assert renewal["schema"]["enum"] == [
        "due_30",
        "due_90",
        "due_180",
        "due_270",
        "grace",
        "lapsed",
    ]
    item = document["components"]["schemas"]["RegistryItem"]
    assert {"renewal_status", "renewed_by"} <= set(item["required"])


def test_the_record_shows_the_ledger_and_the_renewal_chain(client, ren, reviewer):
    holder, found = ren["holder"], ren["credentials"]
    submission = ledger.Submission(
        "workshop", "Дасан зохицлын сургалт", "Ховдын ТББ", TODAY - 40 * DAY, Decimal("1.5"),
        "practice", b"%PDF-1.7", "гэрчилгээ.pdf",
    )  # fmt: skip
    activity = ledger.submit(holder, submission)
    page = client.get(f"/registry/coaches/{holder.id}").text
    # The ledger: date, activity, provider, hours, area (its title), status, evidence link.
    ledger_part = page.split('id="ce-ledger-heading"', 1)[1]
    assert (TODAY - 40 * DAY).isoformat() in ledger_part
    for text in ("Дасан зохицлын сургалт", "Workshop or training day", "Ховдын ТББ", ">1.5<"):
        assert text in ledger_part
    assert "Practice" in ledger_part
    assert "Waiting for review" in ledger_part
    assert f"/continuing-education/{activity.id}/evidence" in ledger_part
    # The chain, on both credentials: old → new with their terms.
    old, new = found["renewed"], found["renewal"]
    assert page.count('<ol class="renewal-chain">') == 2
    chain = page.split('<ol class="renewal-chain">', 1)[1].split("</ol>", 1)[0]
    assert chain.index(old.number) < chain.index(new.number)
    assert f"valid {old.issued_on.isoformat()} to {old.expires_on.isoformat()}" in chain
    assert f"valid {new.issued_on.isoformat()} to {new.expires_on.isoformat()}" in chain
    assert f"Renewed by {new.number}" in page
    assert '<strong class="tag tag-neutral">Not yet due</strong>' in page


def test_a_record_without_activities_says_so(client, ren, reviewer):
    holder = ren["credentials"]["lapsed"].user
    page = client.get(f"/registry/coaches/{holder.id}").text
    assert "No continuing-education activities recorded." in page
    assert '<strong class="tag tag-bad">Lapsed</strong>' in page
    assert "renewal-chain" not in page


def test_the_evidence_link_follows_the_evidence_route(client, ren, reviewer, monkeypatch):
    from lms.registry import record_views

    holder = ren["holder"]
    submission = ledger.Submission(
        "workshop", "Семинар", "ТББ", TODAY - 40 * DAY, Decimal(2), "practice", b"%PDF-1.7",
        "a.pdf",
    )  # fmt: skip
    activity = ledger.submit(holder, submission)
    url = f"/continuing-education/{activity.id}/evidence"
    assert url in client.get(f"/registry/coaches/{holder.id}").text
    download = client.get(url)
    assert download.status_code == 200
    download.close()
    monkeypatch.setattr(record_views, "can_see_ce_evidence", lambda _user, _activity: False)
    assert url not in client.get(f"/registry/coaches/{holder.id}").text


def test_a_background_export_keeps_the_renewal_filter(app, client, ren, reviewer):
    from openpyxl import load_workbook

    from tests.background import run_jobs

    app.config["LMS_XLSX_INLINE_MAX_ROWS"] = 0
    assert client.get("/registry/export.xlsx?renewal=grace&national_ids=0").status_code == 200
    response = client.post("/registry/exports?renewal=grace&national_ids=0")
    assert response.status_code == 303
    assert run_jobs() >= 1
    download = client.get(response.headers["Location"] + "/download")
    assert download.status_code == 200
    data = download.get_data()
    download.close()
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)][1:]
    assert _keys(ren, [row[0] for row in rows]) == EXPECTED["grace"]
    assert {row[-1] for row in rows} == {"Grace period"}
