"""Reading a trainer's bulk enrolment CSV and planning each row (no app, no database)."""

from __future__ import annotations

import pytest

from lms.domain.bulk_enrolment import (
    MAX_ROWS,
    Account,
    Problem,
    find_region,
    plan,
    plan_digest,
    read_file,
    template,
)

BOM = "\ufeff"


def codes(row):
    return [p.code for p in row.problems]


def test_excel_file_with_bom_semicolons_and_mongolian_titles():
    text = (
        BOM + "Нэр;И-мэйл;Утас;Аймаг;Байгууллага\r\n"
        "Батбаяр Өлзий;  Bat@Example.MN ;9911-2233;Ховд;Ховд ТББ\r\n"
        "Сарангэрэл Дорж;saraa@example.mn;;Баянгол дүүрэг;\r\n"
    )
    parsed = read_file(text.encode("utf-8"))
    assert parsed.problem is None
    first, second = parsed.rows
    assert (first.line, first.name, first.email, first.phone, first.region) == (
        2,
        "Батбаяр Өлзий",
        "bat@example.mn",
        "99112233",
        "khovd",
    )
    assert first.organisation == "Ховд ТББ"
    assert first.problems == ()
    assert (second.line, second.region, second.phone) == (3, "ub-bayangol", "")


def test_english_titles_commas_quotes_and_extra_columns():
    text = (
        "Email,Full name,Region,Notes\n"
        '"dolgor@example.mn","Долгор, Б.",Khovd province,first day only\n'
    )
    parsed = read_file(text.encode())
    assert parsed.ignored_columns == ("Notes",)
    [row] = parsed.rows
    assert (row.name, row.email, row.region) == ("Долгор, Б.", "dolgor@example.mn", "khovd")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("khovd", "khovd"),
        ("Ховд аймаг", "khovd"),
        ("ховд", "khovd"),
        ("Khovd", "khovd"),
        ("Bayan-Ölgii province", "bayan-olgii"),
        ("Баян-Өлгий", "bayan-olgii"),
        ("Bayanzurkh", "ub-bayanzurkh"),
        ("Улаанбаатар, Хан-Уул дүүрэг", "ub-khan-uul"),
        ("Сүхбаатар аймаг", "sukhbaatar"),
        ("Сүхбаатар дүүрэг", "ub-sukhbaatar"),
    ],
)
def test_regions_by_code_or_name_in_either_language(given, expected):
    assert find_region(given) == expected


def test_a_name_shared_by_an_aimag_and_a_district_is_ambiguous():
    assert find_region("Сүхбаатар") == Problem("region_ambiguous", "Сүхбаатар")
    assert find_region("Марс") == Problem("region_unknown", "Марс")


def test_row_problems_with_their_line_numbers():
    text = (
        "name,email,phone,region,organisation\n"
        "Бат,bat@example.mn,,,\n"
        "\n"  # blank lines are skipped but still counted
        ",nobody@example.mn,,,\n"
        "Дорж,not-an-email,12,Марс,\n"
        "Бат дахин,BAT@example.mn,,,\n"
        '"Олон\nмөртэй нэр",multi@example.mn,,,\n'
        "Сүх,sukh@example.mn,,Сүхбаатар,\n"
    )
    rows = read_file(text.encode()).rows
    assert [(r.line, codes(r)) for r in rows] == [
        (2, []),
        (4, ["name_missing"]),
        (5, ["email_invalid", "phone_invalid", "region_unknown"]),
        (6, ["email_duplicate"]),
        (7, []),
        (9, ["region_ambiguous"]),
    ]
    assert rows[3].problems[0].detail == "2"  # the line the address first appears on
    assert rows[4].name == "Олон мөртэй нэр"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\n \n", "empty"),
        ("нэр,и-мэйл\nБат,bat@example.mn\n".encode("cp1251"), "not_utf8"),
        ("name,email\n".encode("utf-16"), "utf16"),
        (b"name,phone\nBat,99112233\n", "missing_columns"),
        (b"name,email,email\n", "duplicate_column"),
        (b"name,email\n", "no_rows"),
        (b'name,email\n"Bat,bat@example.mn\n', "bad_csv"),
        (b"name,email\n" + b"a,a@example.mn\n" * (MAX_ROWS + 1), "too_many_rows"),
        (b"name,email\n" + b"x" * 600_000, "too_large"),
    ],
)
def test_files_refused_as_a_whole(data, code):
    parsed = read_file(data)
    assert parsed.problem is not None
    assert parsed.problem.code == code
    assert parsed.rows == ()


def test_missing_columns_are_named():
    assert read_file(b"phone\n1\n").problem == Problem("missing_columns", "name, email")


def _rows(*emails):
    text = "name,email\n" + "".join(f"Хүн {i},{e}\n" for i, e in enumerate(emails))
    return read_file(text.encode()).rows


def _account(user_id, standing="none", **kwargs):
    fields = {"name": "Нэр", "active": True, "prerequisites_met": True, **kwargs}
    return Account(user_id, standing=standing, **fields)


def test_plan_new_existing_already_and_errors():
    rows = _rows(
        "new@example.mn",
        "old@example.mn",
        "here@example.mn",
        "away@example.mn",
        "off@example.mn",
        "bad",
        "closed@example.mn",
    )
    accounts = {
        "old@example.mn": _account(1),
        "here@example.mn": _account(2, "here"),
        "away@example.mn": _account(3, "elsewhere"),
        "off@example.mn": _account(4, active=False),
        "closed@example.mn": _account(5, "closed"),
    }
    planned = plan(rows, accounts, seats_left=None, prerequisites_met_by_new_accounts=True)
    assert [(p.outcome, [x.code for x in p.problems]) for p in planned] == [
        ("new", []),
        ("existing", []),
        ("already", []),
        ("error", ["enrolled_elsewhere"]),
        ("error", ["account_disabled"]),
        ("error", ["email_invalid"]),
        ("existing", []),
    ]
    assert planned[1].account == accounts["old@example.mn"]


def test_rows_beyond_the_free_seats_are_errors_in_file_order():
    rows = _rows("a@example.mn", "bad", "b@example.mn", "here@example.mn", "c@example.mn")
    accounts = {"here@example.mn": _account(9, "here")}
    planned = plan(rows, accounts, seats_left=2, prerequisites_met_by_new_accounts=True)
    assert [p.outcome for p in planned] == ["new", "error", "new", "already", "error"]
    assert planned[4].problems == (Problem("cohort_full"),)


def test_a_pending_request_in_the_cohort_already_holds_its_seat():
    rows = _rows("waiting@example.mn", "new@example.mn")
    accounts = {"waiting@example.mn": _account(3, "requested_here", holds_seat=True)}
    planned = plan(rows, accounts, seats_left=1, prerequisites_met_by_new_accounts=True)
    assert [p.outcome for p in planned] == ["existing", "new"]


def test_prerequisites_for_new_and_existing_accounts():
    rows = _rows("new@example.mn", "ready@example.mn", "unready@example.mn")
    accounts = {
        "ready@example.mn": _account(1),
        "unready@example.mn": _account(2, prerequisites_met=False),
    }
    planned = plan(rows, accounts, seats_left=None, prerequisites_met_by_new_accounts=False)
    assert [p.outcome for p in planned] == ["error", "existing", "error"]
    assert planned[0].problems == (Problem("prerequisites"),)


def test_the_digest_changes_with_the_plan():
    rows = _rows("a@example.mn", "b@example.mn")
    before = plan(rows, {}, seats_left=None, prerequisites_met_by_new_accounts=True)
    again = plan(rows, {}, seats_left=None, prerequisites_met_by_new_accounts=True)
    after = plan(
        rows, {"a@example.mn": _account(1)}, seats_left=None, prerequisites_met_by_new_accounts=True
    )
    assert plan_digest(before) == plan_digest(again) != plan_digest(after)


@pytest.mark.parametrize("language", ["mn", "en"])
def test_the_template_reads_back_without_problems(language):
    parsed = read_file(("\ufeff" + template(language)).encode())
    assert parsed.problem is None
    assert parsed.ignored_columns == ()
    [row] = parsed.rows
    assert row.problems == ()
    assert row.region == "khovd"
