"""Batch eligibility files and items: every kind of bad row or file explained, and each row
decided by the single check's rules (`check` for a number, `best` for a national ID)."""

from __future__ import annotations

from datetime import date

import pytest

from lms.domain.credentials.numbers import credential_number
from lms.domain.registry import batch
from lms.domain.registry.eligibility import CredentialFacts, StatusEvent

NUMBER = credential_number("JC", 2026, 42)
OTHER = credential_number("JC", 2026, 43)


def facts(number, issued=date(2026, 1, 10), *, revoked=None, qualifies=True):
    events = [StatusEvent(issued, "issue", "active")]
    if revoked:
        events.append(StatusEvent(revoked, "revoke", "revoked", "fraud"))
    return CredentialFacts(number, "demo", qualifies, issued, date(2029, 1, 10), tuple(events))


def codes(row):
    return [p.code for p in row.problems]


def test_a_file_with_titles_bom_semicolons_and_cyrillic_is_read():
    text = (
        "\ufeffГэрчилгээний дугаар;Огноо\r\n"
        f"{NUMBER.lower()};2026-12-01\r\nуб 99112233;2026.11.30\r\n"
    )
    parsed = batch.read_file(text.encode("utf-8"))
    assert parsed.problem is None
    assert parsed.had_titles
    first, second = parsed.rows
    assert (first.line, first.kind, first.key, first.on) == (2, "number", NUMBER, date(2026, 12, 1))
    assert (second.kind, second.key, second.on) == ("national_id", "УБ99112233", date(2026, 11, 30))


def test_a_file_without_titles_keeps_its_first_row():
    parsed = batch.read_file(f"{NUMBER},2026-12-01\n".encode())
    assert not parsed.had_titles
    assert [r.key for r in parsed.rows] == [NUMBER]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (",2026-12-01", ["identifier_missing"]),
        (f"{NUMBER[:-1]}{(int(NUMBER[-1]) + 1) % 10},2026-12-01", ["number_check_digit"]),
        ("УБ9911223,2026-12-01", ["national_id_malformed"]),
        ("UB99112233,2026-12-01", ["national_id_malformed"]),
        ("hello,2026-12-01", ["identifier_unrecognised"]),
        (f"{NUMBER},", ["date_missing"]),
        (f"{NUMBER}", ["date_missing"]),
        (f"{NUMBER},01.12.2026", ["date_invalid"]),
        (f"{NUMBER},12/1/2026", ["date_invalid"]),
        (f"{NUMBER},tomorrow", ["date_invalid"]),
        (f"{NUMBER},2026-02-30", ["date_impossible"]),
        (f"{NUMBER},2026-12-01,note", ["extra_columns"]),
        ("x,y,z,1", ["identifier_unrecognised", "date_invalid", "extra_columns"]),
    ],
)
def test_each_bad_row_has_its_problem(cells, expected):
    parsed = batch.read_file(f"{OTHER},2026-12-01\n{cells}\n".encode())
    assert parsed.problem is None
    assert codes(parsed.rows[1]) == expected


def test_trailing_empty_cells_and_blank_lines_are_ignored():
    parsed = batch.read_file(f"{NUMBER},2026-12-01,,\n\n  \n{OTHER},2026-12-02\n".encode())
    assert [codes(r) for r in parsed.rows] == [[], []]
    assert [r.line for r in parsed.rows] == [1, 4]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\r\n  \r\n", "empty"),
        ("дугаар,огноо\n".encode(), "no_rows"),
        ("дугаар,огноо,нэр\nx,y,z\n".encode(), "too_many_columns"),
        ("\ufeffдугаар".encode("utf-16"), "utf16"),
        ("дугаар,огноо\nУБ99112233,2026-12-01\n".encode("cp1251"), "not_utf8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "not_csv"),  # an XLSX workbook
        (b"%PDF-1.7\n", "not_csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_csv"),
        (b'"unterminated,2026-12-01\n', "bad_csv"),
        (b"x" * (batch.MAX_BYTES + 1), "too_large"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(data, code):
    assert batch.read_file(data).problem.code == code


def test_the_row_limit():
    rows = "".join(f"{NUMBER},2026-12-01\n" for _ in range(batch.MAX_ROWS))
    assert len(batch.read_file(("дугаар,огноо\n" + rows).encode()).rows) == batch.MAX_ROWS
    too_many = batch.read_file((rows + f"{NUMBER},2026-12-01\n").encode())
    assert too_many.problem == batch.Problem("too_many_rows", str(batch.MAX_ROWS))


def test_answers_use_the_single_check_rules():
    rows = batch.read_file(
        (
            f"{NUMBER},2026-12-01\n"  # qualifies
            f"{NUMBER},2025-12-01\n"  # before issue
            f"{OTHER},2026-12-01\n"  # revoked before the date
            f"{credential_number('JC', 2026, 99)},2026-12-01\n"  # unknown
            "УБ99112233,2026-12-01\n"  # best of two: one revoked, one valid
            "АА00000000,2026-12-01\n"  # nobody
            "bad,2026-12-01\n"
        ).encode()
    ).rows
    person = [facts(OTHER, revoked=date(2026, 6, 1)), facts(NUMBER)]
    answers = batch.answer(
        rows,
        {NUMBER: facts(NUMBER), OTHER: facts(OTHER, revoked=date(2026, 6, 1))},
        {"УБ99112233": person},
    )
    summary = [(a.outcome, a.answer.reason if a.answer else codes(a)) for a in answers]
    assert summary == [
        ("eligible", "qualifies"),
        ("not_eligible", "not_yet_issued"),
        ("not_eligible", "revoked"),
        ("problem", ["number_unknown"]),
        ("eligible", "qualifies"),
        ("problem", ["national_id_unknown"]),
        ("problem", ["identifier_unrecognised"]),
    ]
    assert answers[4].answer.number == NUMBER
    assert batch.counts(answers) == {"eligible": 2, "not_eligible": 2, "problem": 3}


def test_api_items_are_strict_about_dates_and_kinds():
    rows = batch.read_items(
        [
            {"number": NUMBER, "on": "2026-12-01"},
            {"number": NUMBER, "on": "2026.12.01"},
            {"national_id": "уб99112233", "on": "2026-12-01"},
            {"number": "УБ99112233", "on": "2026-12-01"},
            {"national_id": NUMBER, "on": "2026-12-01"},
        ]
    )
    assert [r.line for r in rows] == [0, 1, 2, 3, 4]
    assert [codes(r) for r in rows] == [
        [],
        ["date_invalid"],
        [],
        ["number_expected"],
        ["national_id_expected"],
    ]


def test_the_template_is_read_back_as_two_rows():
    for language in ("mn", "en"):
        parsed = batch.read_file(batch.template(language).encode())
        assert parsed.had_titles
        assert [(r.kind, codes(r)) for r in parsed.rows] == [("number", []), ("national_id", [])]
