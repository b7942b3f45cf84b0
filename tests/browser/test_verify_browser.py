"""An employer receives a credential file and checks it on /verify: status shown in words;
a tampered file is refused with the reason. Phone and desktop widths, axe on every state."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import issue_demo_credential

pytestmark = pytest.mark.browser


def _t(app, msgid, **values):
    with app.test_request_context(), force_locale("mn"):
        return gettext(msgid, **values)


def _check(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def test_upload_a_credential_file_and_a_tampered_one(page, live_server, live_app, tmp_path):
    from lms.services.credentials import signing

    with live_app.app_context():
        credential = issue_demo_credential(tmp_path)
        holder = credential.snapshot["holder_name"]
        token = signing.credential_token(credential)
    good = tmp_path / f"{credential.number}.jwt"
    good.write_text(token)
    head, payload, signature = token.split(".")
    flipped = signature[:20] + ("A" if signature[20] != "A" else "B") + signature[21:]
    tampered = tmp_path / "changed.jwt"
    tampered.write_text(f"{head}.{payload}.{flipped}")
    t = lambda msgid, **values: _t(live_app, msgid, **values)  # noqa: E731

    page.goto(live_server + "/")
    page.get_by_role("main").get_by_role("link", name=t("Check a credential")).click()
    expect(page.get_by_role("heading", name=t("Check a credential"), level=1)).to_be_visible()
    _check(page)

    page.get_by_label(t("Credential file (.jwt)")).set_input_files(str(good))
    button = page.get_by_role("button", name=t("Check the file"))
    button.focus()
    button.press("Enter")
    page.wait_for_load_state()
    status = page.get_by_role("status")
    expect(status).to_contain_text(t("Valid"))
    expect(page.get_by_text(holder, exact=True)).to_be_visible()
    expect(page.get_by_text(credential.number, exact=True)).to_be_visible()
    _check(page)

    page.get_by_label(t("Credential file (.jwt)")).set_input_files(str(tampered))
    page.get_by_role("button", name=t("Check the file")).click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(t("The file could not be checked"))
    expect(alert).to_contain_text(
        t(
            "The signature does not match the content: the file was changed after it was "
            "issued. Do not rely on it."
        )
    )
    expect(page.get_by_role("status")).to_have_count(0)
    _check(page)

    # By number, with one digit mistyped: the hint, tied to the field.
    last = int(credential.number[-1])
    field = page.get_by_label(t("Credential number"), exact=True)
    field.fill(credential.number[:-1] + str((last + 1) % 10))
    field.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_label(t("Credential number"), exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    _check(page)
