"""A reviewer checks 100 subsidy claims at once from a CSV file (Excel's BOM and semicolons,
Cyrillic), by keyboard: every row answered or its problem explained, never a 500; the answers
downloaded as CSV and XLSX by a POST (no national ID in any address). Both languages, 360 px
and 1,280 px, axe on every page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from playwright.sync_api import expect

from lms.domain.credentials.numbers import credential_number
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.registry_seed import NATIONAL_ID, PAST, seed

pytestmark = pytest.mark.browser

BAD_ROWS = [
    "{number};01.12.2026",  # day first
    "{number};2026-02-30",  # no such day
    "{number};",  # no date
    ";2026-12-01",  # no number
    "УБ991122;2026-12-01",  # malformed national ID
    "АА00000000;2026-12-01",  # nobody holds it
    "JC-2020-99999-9;2026-12-01",  # check digit wrong
    "{unknown};2026-12-01",  # well formed, not issued
    "{number};2026-12-01;extra",  # a third cell
    "hello;2026-12-01",
]


def _t(app, language, msgid, **values):
    with app.test_request_context(), force_locale(language):
        return gettext(msgid, **values)


def _check(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def _press(locator):
    locator.focus()
    assert locator.evaluate("el => el === document.activeElement"), "control cannot take focus"
    locator.press("Enter")


def _claims(numbers):
    """100 rows after the titles: 70 good ones (numbers and a national ID), 30 bad ones."""
    lines = ["Гэрчилгээний дугаар;Огноо"]
    for index in range(70):
        if index % 7 == 6:
            lines.append(f"{NATIONAL_ID.lower()};{PAST.isoformat()}")
        else:
            lines.append(f"{numbers[index % len(numbers)]};{PAST.isoformat()}")
    unknown = credential_number("JC", 2020, 1)
    for index in range(30):
        lines.append(BAD_ROWS[index % len(BAD_ROWS)].format(number=numbers[0], unknown=unknown))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("language", ["mn", "en"])
def test_a_hundred_claims_at_once(page, live_server, live_app, tmp_path, language):
    with live_app.app_context():
        registry = seed(tmp_path)
        numbers = [c.number for c in registry.creds.values()]
        make_user(roles=("reviewer",), email="reviewer@example.mn")
    t = lambda msgid, **values: _t(live_app, language, msgid, **values)  # noqa: E731
    addresses = []
    page.on("request", lambda request: addresses.append(request.url))

    page.goto(live_server + "/account/login")
    page.fill("#email", "reviewer@example.mn")
    page.fill("#password", DEFAULT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.locator(f"button[lang={language}]").click()
    page.wait_for_load_state()

    page.goto(live_server + "/registry/eligibility")
    _press(page.get_by_role("link", name=t("Check many at once (CSV file)")))
    expect(page.get_by_role("heading", name=t("Check many at once"), level=1)).to_be_visible()
    _check(page)

    # A spreadsheet saved as XLSX instead of CSV: refused in words, not a 500.
    upload = page.get_by_label(t("CSV file"))
    upload.set_input_files(
        {"name": "claims.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04"}
    )
    _press(page.get_by_role("button", name=t("Check the file")))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(t("The file cannot be used"))
    not_csv = t(
        "This is not a CSV file. In Excel, choose “Save as” and the type “CSV UTF-8”, then "
        "upload that file."
    )
    expect(alert).to_contain_text(not_csv)
    _check(page)

    page.get_by_label(t("CSV file")).set_input_files(
        {"name": "нэхэмжлэл.csv", "mimeType": "text/csv", "buffer": _claims(numbers)}
    )
    _press(page.get_by_role("button", name=t("Check the file")))
    table = page.get_by_role("table", name=t("Answer for each row"))
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 100
    not_checked = t("Not checked")
    explained = 0
    for index in range(100):
        cells = rows.nth(index).locator("td, th").all_inner_texts()
        line, answer, why = cells[0], cells[3].strip(), cells[4].strip()
        assert line == str(index + 2)  # the file's line: the titles are line 1
        assert why, cells  # every row says why
        if answer == not_checked:
            explained += 1
            assert index >= 70, cells
        else:
            assert answer in (t("Yes: qualified"), t("No: not qualified")), cells
    assert explained == 30
    first = rows.nth(0).inner_text()
    assert "Батбаяр Дорж" in first
    assert numbers[0] in first
    summary = page.locator("dl.batch-counts").inner_text()
    assert re.search(r"100\b", summary)
    assert re.search(r"\b30\b", summary)
    _check(page)

    with page.expect_download() as csv_download:
        _press(page.get_by_role("button", name=t("Download CSV")))
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text)))
    assert len(records) == 101
    assert records[0][0] == t("Line")
    assert "Батбаяр Дорж" in records[1]
    assert sum(1 for r in records[1:] if r[3] == not_checked) == 30

    with page.expect_download() as xlsx_download:
        _press(page.get_by_role("button", name=t("Download Excel (XLSX)")))
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert sheet.max_row == 101
    assert sheet.freeze_panes == "A2"
    assert sheet["G2"].value == "Батбаяр Дорж"

    for address in addresses:
        assert "99112233" not in address
        assert "%D0%A3%D0%91" not in address.upper()  # "УБ" percent-encoded
