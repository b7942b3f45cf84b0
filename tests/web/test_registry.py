"""The reviewers' registry: the list's filters, search, sorting and pages; a coach's record;
the eligibility check; statistics; and who sees private data."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from lms.domain.credentials import credential_number
from lms.services import clock
from tests.factories import make_user
from tests.web.registry_seed import NATIONAL_ID, PAST, TODAY, seed

NUMBER = re.compile(r"\b(?:JC|SM)-\d{4}-\d{5}-\d\b")


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


def listed(client, query=""):
    """Credential numbers on the list page, in order (each appears once per row)."""
    response = client.get(f"/registry/?{query}")
    assert response.status_code == 200, response.text
    body = response.text.split("<tbody>", 1)[1] if "<tbody>" in response.text else ""
    return NUMBER.findall(body)


def keys(reg, numbers):
    by_number = {c.number: key for key, c in reg.creds.items()}
    return [by_number[n] for n in numbers]


def test_unfiltered_list_shows_everyone_sorted_by_name(client, reg, reviewer):
    names = ["Oyuna Smith", "Батбаяр Дорж", "Сарнай Өлзий", "Төмөр Ганбаатар", "Цэцэг Мөнх"]
    assert keys(reg, listed(client)) == ["E", "A", "B", "D", "F", "C"]  # casefolded name order
    page = client.get("/registry/").text
    assert "6 credentials found" in page
    assert all(name in page for name in names)


FILTERS = [
    ("course=seminar", {"E"}),
    ("course=demo", {"A", "B", "C", "D", "F"}),
    ("kind=seminar", {"E"}),
    ("status=active", {"A", "E"}),
    ("status=expired", {"B"}),
    ("status=revoked", {"C", "D"}),
    ("status=suspended", {"F"}),
    ("region=khovd", {"B", "D"}),
    ("organisation=Ховд ХБТ", {"B", "D"}),
    ("issued_from=2025-01-01&issued_to=2025-12-31", {"C", "D"}),
    ("issued_from=2027-01-01", {"E"}),
    ("expires_to=2028-01-01", {"B"}),
    ("expires_from=2028-05-01&expires_to=2028-05-31", {"C", "D"}),
    # C was revoked AFTER the date: it still qualified then; D was revoked BEFORE it.
    (f"qualifies_on={PAST.isoformat()}", {"A", "B", "C", "F"}),
    ("qualifies_on=2027-06-15", {"A"}),
    ("qualifies_on=2024-02-29", set()),
    ("region=khovd&status=expired", {"B"}),
]


def test_each_filter(client, reg, reviewer):
    # One seeded registry for every filter (seeding is the slow part).
    for query, expected in FILTERS:
        assert set(keys(reg, listed(client, query))) == expected, query


def test_filters_are_kept_in_the_form_and_the_links(client, reg, reviewer):
    page = client.get("/registry/?region=khovd&status=revoked&sort=issued").text
    assert '<option value="khovd" selected>' in page
    assert '<option value="revoked" selected>' in page
    assert '<input type="hidden" name="sort" value="issued">' in page
    # The column links keep every filter and flip the order of the sorted column.
    link = re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="([^"]+)"', page)
    assert link is not None
    args = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert args == {
        "region": ["khovd"],
        "status": ["revoked"],
        "sort": ["issued"],
        "descending": ["1"],
    }


def test_search_by_name_is_case_insensitive_in_cyrillic(client, reg, reviewer):
    assert keys(reg, listed(client, "q=сарнай")) == ["B"]
    assert keys(reg, listed(client, "q=ӨЛЗИЙ")) == ["B"]
    assert keys(reg, listed(client, "q=oyuna")) == ["E"]
    assert listed(client, "q=Нэгч") == []


def test_search_by_credential_number(client, reg, reviewer):
    number = reg.creds["C"].number
    assert keys(reg, listed(client, f"q={number.lower()}")) == ["C"]
    assert keys(reg, listed(client, f"q={number.replace('-', ' ')}")) == ["C"]


def test_sorting_both_ways(client, reg, reviewer):
    ascending = keys(reg, listed(client, "sort=issued"))
    assert ascending == ["B", "C", "D", "A", "F", "E"]
    descending = keys(reg, listed(client, "sort=issued&descending=1"))
    assert descending == ["E", "F", "A", "D", "C", "B"]
    page = client.get("/registry/?sort=issued&descending=1").text
    assert 'aria-sort="descending"' in page
    assert page.count("aria-sort=") == 1
    by_region = keys(reg, listed(client, "sort=region"))
    assert by_region[:2] == ["C", "D"] or by_region[:1] == ["C"]  # dornod first


def test_pagination(client, db, reg, reviewer):
    from tests.web.registry_seed import issue

    course = reg.creds["A"].enrolment.course_version.course
    for day in range(1, 26):  # 25 more credentials (one per enrolment): 31 in all
        issue(course, make_user(name="Ганболд Хуудас"), date(2027, 1, day), reg.trainer)
    first = listed(client, "per_page=25")
    second = listed(client, "per_page=25&page=2")
    assert (len(first), len(second)) == (25, 6)
    assert not set(first) & set(second)
    page = client.get("/registry/?per_page=25&page=2").text
    assert "Page 2 of 2" in page
    assert 'aria-current="page" aria-label="Page 2"' in page
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page
    assert '<nav aria-label="Pages" class="pager">' in page
    past_the_end = client.get("/registry/?per_page=25&page=9")
    assert past_the_end.status_code == 200
    assert "past the end of the list" in past_the_end.text


def test_bad_values_are_named_not_a_server_error(client, reg, reviewer):
    response = client.get(
        "/registry/?page=abc&issued_from=2027-13-45&status=lost&sort=shoe&per_page=7&nid=123"
        "&region=khovd"
    )
    assert response.status_code == 200
    problems = re.search(r"could not be read and were ignored: ([^<]+)\.", response.text)
    assert problems is not None
    named = problems.group(1)
    for label in ("Page", "Issued from", "Status today", "Sort by", "Rows per page"):
        assert label in named
    assert set(keys(reg, listed(client, "region=khovd&page=abc"))) == {"B", "D"}


def test_national_id_search_redirects_with_a_blind_index(client, reg, reviewer):
    response = client.post("/registry/find", data={"national_id": "уб 9911 2233"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "99112233" not in location
    assert "%D0%A3" not in location.upper()  # no "У", encoded or not
    nid = parse_qs(urlsplit(location).query)["nid"][0]
    assert re.fullmatch(r"[0-9a-f]{64}", nid)
    assert keys(reg, listed(client, f"nid={nid}")) == ["A"]
    page = client.get(location).text
    assert "Show everyone again" in page


def test_invalid_national_id_is_refused_in_the_form(client, reg, reviewer):
    response = client.post("/registry/find", data={"national_id": "12345"})
    assert response.status_code == 400
    assert "Enter two Cyrillic letters and eight digits" in response.text
    assert 'aria-invalid="true"' in response.text


def test_private_data_only_through_the_predicate(client, reg, reviewer, monkeypatch):
    page = client.get("/registry/").text
    assert NATIONAL_ID in page
    record = client.get(f"/registry/coaches/{reg.holders['A'].id}").text
    assert NATIONAL_ID in record
    assert "holder-a@example.mn" in record
    monkeypatch.setattr("lms.registry.list_views.can_see_private_data", lambda user: False)
    monkeypatch.setattr("lms.registry.record_views.can_see_private_data", lambda user: False)
    assert NATIONAL_ID not in client.get("/registry/").text
    hidden = client.get(f"/registry/coaches/{reg.holders['A'].id}").text
    assert NATIONAL_ID not in hidden
    assert "holder-a@example.mn" not in hidden


def test_admins_see_private_data_too(client, reg, login_as):
    login_as(user=reg.admin)
    assert NATIONAL_ID in client.get("/registry/").text


def test_public_pages_never_show_the_national_id(client, reg):
    number = reg.creds["A"].number
    assert NATIONAL_ID not in client.get(f"/verify/{number}").text
    assert NATIONAL_ID not in client.get(f"/api/v1/credentials/{number}").text


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_other_roles_get_nothing(client, reg, login_as, role):
    login_as(role)
    for url in (
        "/registry/",
        f"/registry/coaches/{reg.holders['A'].id}",
        "/registry/eligibility",
        "/registry/statistics",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert NATIONAL_ID not in response.text


def test_registry_pages_are_not_cached(client, reg, reviewer):
    assert client.get("/registry/").headers["Cache-Control"] == "no-store"


def test_coach_record(client, reg, reviewer):
    holder = reg.holders["A"]
    page = client.get(f"/registry/coaches/{holder.id}").text
    number = reg.creds["A"].number
    assert f'id="credential-{number}"' in page
    assert "Demo training" in page
    assert "version 1.0.0" in page
    assert "6 classroom hours" in page
    assert "24 practicum hours" in page
    assert "Practicum hours signed off: 24" in page
    assert "Сургагч Дулмаа" in page  # issuing trainer, and the practicum signer
    assert "Дэлгүүрийн эрхлэгч" in page
    assert "2025-12-20" in page
    assert "2026-01-10" in page
    assert "2029-01-10" in page
    assert "Найдвар ТББ" in page
    revoked = client.get(f"/registry/coaches/{reg.holders['C'].id}").text
    history = revoked.split("History", 1)[1].split("Practicum sign-offs", 1)[0]
    assert "Issued" in history
    assert "Revoked" in history
    assert "2027-02-01" in history
    assert "Админ Болд" in history
    assert "Misconduct" in history


def test_coach_record_is_for_credential_holders_only(client, reg, reviewer):
    assert client.get(f"/registry/coaches/{reg.trainer.id}").status_code == 404
    assert client.get("/registry/coaches/999999").status_code == 404


def _check(client, query, on):
    response = client.post("/registry/eligibility", data={"query": query, "on": on.isoformat()})
    assert response.status_code == 200, response.text
    verdict = re.search(r'<p class="verdict[^"]*" role="status">(.*?)</p>', response.text, re.S)
    assert verdict is not None, response.text
    return " ".join(verdict.group(1).split()), response.text


def test_eligibility_yes(client, reg, reviewer):
    verdict, page = _check(client, reg.creds["A"].number, TODAY)
    assert verdict.startswith("<strong>Yes: qualified</strong>")
    assert reg.creds["A"].number in page
    assert "2026-01-10" in page
    assert "2029-01-10" in page
    assert "Demo training" in page


def test_eligibility_not_yet_issued(client, reg, reviewer):
    verdict, _ = _check(client, reg.creds["A"].number, date(2025, 12, 31))
    assert "No: not qualified" in verdict
    assert "had not been issued yet on 2025-12-31" in verdict


def test_eligibility_expired(client, reg, reviewer):
    verdict, _ = _check(client, reg.creds["B"].number, TODAY)
    assert "No: not qualified" in verdict
    assert "had expired" in verdict


def test_eligibility_revoked_before_the_date(client, reg, reviewer):
    verdict, page = _check(client, reg.creds["D"].number, PAST)
    assert "No: not qualified" in verdict
    assert "had been revoked" in verdict
    assert "after this date" not in page


def test_eligibility_revoked_after_the_date_still_yes_and_says_so(client, reg, reviewer):
    verdict, page = _check(client, reg.creds["C"].number, PAST)
    assert "Yes: qualified" in verdict
    assert "Revoked on 2027-02-01 — after this date, so it does not change this answer." in page
    today, _ = _check(client, reg.creds["C"].number, TODAY)
    assert "No: not qualified" in today


def test_eligibility_suspended_and_not_subsidy(client, reg, reviewer):
    verdict, _ = _check(client, reg.creds["F"].number, TODAY)
    assert "No: not qualified" in verdict
    assert "suspended" in verdict
    verdict, _ = _check(client, reg.creds["E"].number, TODAY)
    assert "No: not qualified" in verdict
    assert "does not qualify for the subsidy" in verdict


def test_eligibility_by_national_id(client, reg, reviewer):
    verdict, page = _check(client, "уб99112233", TODAY)
    assert "Yes: qualified" in verdict
    assert reg.creds["A"].number in page


def test_eligibility_unknown_number(client, reg, reviewer):
    unknown = credential_number("JC", 2020, 999)
    verdict, _ = _check(client, unknown, TODAY)
    assert "No credential found" in verdict
    verdict, _ = _check(client, "ЖЖ00000000", TODAY)
    assert "No credential found" in verdict


def test_eligibility_form_errors_and_default_date(client, reg, reviewer):
    page = client.get("/registry/eligibility").text
    assert f'value="{TODAY.isoformat()}"' in page
    response = client.post("/registry/eligibility", data={"query": "hello", "on": ""})
    assert response.status_code == 400
    assert "Enter a credential number" in response.text
    assert "Enter the date." in response.text


def test_statistics_match_the_seeded_data(client, reg, reviewer):
    from lms.services.registry import stats as registry_stats

    # Valid today and subsidy-qualifying: only A (B expired, C/D revoked, F suspended, E not).
    assert registry_stats.coaches_by_region(TODAY) == [("ub-bayangol", 1)]
    assert registry_stats.holders_by_course(TODAY) == [("demo", 1), ("seminar", 1)]
    months = registry_stats.issued_by_month(TODAY)
    # The last 12 months are July 2026 to June 2027: F (2026-07-07) and E (2027-06-01).
    assert [(b.first.isoformat(), b.count) for b in months if b.count] == [
        ("2026-07-01", 1),
        ("2027-06-01", 1),
    ]
    assert len(months) == 12
    assert months[-1].last == date(2027, 6, 30)
    page = client.get("/registry/statistics").text
    assert page.count('role="img"') == 4
    assert page.count("<title id=") == 4
    assert page.count("<desc id=") == 4
    assert "style=" not in page


def test_statistics_expiring_soon(client, db, reg, reviewer, monkeypatch):
    from lms.services.registry import stats as registry_stats

    # 2029-01-10 is A's last day: 30 days before it, A expires in the 5th week.
    soon = date(2028, 12, 11)
    weeks = registry_stats.expiring_by_week(soon)
    assert len(weeks) == 13
    assert [(w.first.isoformat(), w.count) for w in weeks if w.count] == [("2029-01-08", 1)]
    monkeypatch.setattr(clock, "today", lambda: soon)
    page = client.get("/registry/statistics").text
    assert "2029-01-08 – 2029-01-14" in page


def test_statistics_start_with_the_headline_totals(client, reg, reviewer, monkeypatch):
    from lms.services.registry import stats as registry_stats

    # On TODAY only A holds a valid job coach credential (it qualifies); E, a seminar, was
    # the one credential issued in 2027.
    assert registry_stats.headline(TODAY) == registry_stats.Headline(1, 1, 1)
    page = client.get("/registry/statistics").text
    first_chart = page.index("<svg")
    for label, href in (
        ("Certified job coaches today", "/registry/?kind=training&amp;status=active"),
        ("Qualify for the subsidy today", "/registry/?qualifies_on=2027-06-15"),
        ("Expire in the next 90 days", "expires_from=2027-06-15&amp;expires_to=2027-09-12"),
        ("Issued in 2027", "/registry/?issued_from=2027-01-01&amp;issued_to=2027-06-15"),
    ):
        assert page.index(label) < first_chart, label
        assert href in page, href
    # The monthly trend is drawn as twelve vertical columns on one axis.
    months = page[page.index('id="by-month-title"') : page.index("</svg>", first_chart)]
    assert months.count("<rect") == 12
    assert months.count('text-anchor="middle"') == 24

    soon = date(2028, 12, 11)  # A's last day falls in the next 90 days
    monkeypatch.setattr(clock, "today", lambda: soon)
    page = client.get("/registry/statistics").text
    assert re.search(r'stat-number">1</span> <span class="stat-label">Expire in the next', page)


def test_the_filter_form_lands_on_a_short_shareable_url(client, reg, reviewer):
    response = client.get(
        "/registry/?q=&course=&kind=&status=expired&region=&organisation=&issued_from="
        "&per_page=50&sort=name"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/registry/?status=expired"
    assert keys(reg, listed(client, "status=expired")) == ["B"]


def test_the_list_takes_the_same_few_queries_for_any_number_of_rows(client, db, reg, reviewer):
    from sqlalchemy import event

    from tests.web.registry_seed import issue

    def queries(url):
        statements = []

        def count(*_args, **_kwargs):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = queries("/registry/?per_page=200")
    course = reg.creds["A"].enrolment.course_version.course
    for day in range(1, 21):  # 20 more rows, each its own holder and enrolment
        issue(course, make_user(name="Олон Гэрчилгээт"), date(2027, 2, day), reg.trainer)
    assert len(listed(client, "per_page=200")) == 26
    # The signed-in user and roles, the count, the page, the course names: never one per row.
    assert queries("/registry/?per_page=200") == few <= 8
