"""The public /verify page: by number (with the mistyped-digit hint) and by credential file."""

from __future__ import annotations

import io
import json

from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.credentials.verification import MAX_TOKEN_BYTES
from tests.domain.credentials.samples import Issuer
from tests.factories import client_for, issue_demo_credential, make_user


def _holder_token(app, credential) -> str:
    return (
        client_for(app, credential.user)
        .get(f"/certificates/{credential.number}/credential.jwt")
        .text
    )


def test_home_page_and_footer_link_to_verify(client):
    page = client.get("/").text
    assert page.count('href="/verify"') == 2  # the home page's section and the footer


def test_number_goes_to_its_record_and_a_mistyped_digit_gets_a_hint(app, db, client, tmp_path):
    credential = issue_demo_credential(tmp_path)
    start = client.get("/verify")
    assert start.status_code == 200
    found = client.get(f"/verify?number={credential.number.lower()}")
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/verify/{credential.number}")
    last = int(credential.number[-1])
    mistyped = credential.number[:-1] + str((last + 1) % 10)
    hinted = client.get(f"/verify?number={mistyped}", headers={"Accept-Language": "en"})
    assert hinted.status_code == 400
    assert (
        "does not fit the rest"
        in client_for(app, make_user()).get(f"/verify?number={mistyped}").text
    )
    assert 'aria-invalid="true"' in hinted.text
    nonsense = client.get("/verify?number=hello")
    assert nonsense.status_code == 400
    record = client_for(app, make_user()).get(f"/verify/{mistyped}")
    assert record.status_code == 404
    assert "does not fit the rest" in record.text


def test_a_file_shows_holder_credential_status_and_why(app, db, client, tmp_path):
    credential = issue_demo_credential(tmp_path)
    token = _holder_token(app, credential)
    english = client_for(app, make_user())
    upload = english.post(
        "/verify",
        data={"credential_file": (io.BytesIO(token.encode()), f"{credential.number}.jwt")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200
    assert upload.headers["Cache-Control"] == "no-store"
    text = upload.text
    assert "Valid" in text
    assert credential.snapshot["holder_name"] in text
    assert credential.number in text
    assert "neither suspended nor revoked" in text
    mongolian = client.post("/verify", data={"credential_text": token})
    assert "Хүчинтэй" in mongolian.text
    credential_lifecycle.change_status(credential, "revoke", None, "fraud", "Хуурамч")
    revoked = english.post("/verify", data={"credential_text": token})  # the very next request
    assert revoked.status_code == 200
    assert "Revoked" in revoked.text
    assert "no longer valid" in revoked.text


def test_tampered_foreign_and_junk_files_are_refused_with_words(app, db, client, tmp_path):
    credential = issue_demo_credential(tmp_path)
    token = _holder_token(app, credential)
    english = client_for(app, make_user())
    head, payload, signature = token.split(".")
    flipped = signature[:20] + ("A" if signature[20] != "A" else "B") + signature[21:]
    tampered = english.post("/verify", data={"credential_text": f"{head}.{payload}.{flipped}"})
    assert tampered.status_code == 400
    assert "the file was changed after it was issued" in tampered.text
    stranger = Issuer.new()
    foreign = english.post("/verify", data={"credential_text": stranger.issue()})
    assert foreign.status_code == 400
    assert "https://lms.example.mn/issuer" in foreign.text
    assert "not by this service" in foreign.text
    for junk in ("", "not a token", "a.b.c", "\u00ff" * 10):
        response = english.post("/verify", data={"credential_text": junk})
        assert response.status_code == 400, junk
        assert "could not be checked" in response.text
    binary = english.post(
        "/verify",
        data={"credential_file": (io.BytesIO(b"\xff\xfe\x00binary"), "x.jwt")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 400
    assert "not a text file" in binary.text


def test_uploads_are_size_limited(app, db, client):
    english = client_for(app, make_user())
    big = english.post(
        "/verify",
        data={"credential_file": (io.BytesIO(b"a" * (MAX_TOKEN_BYTES + 1)), "big.jwt")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 413
    assert "too large" in big.text
    huge = english.post("/verify", data={"credential_text": "a" * (200 * 1024)})
    assert huge.status_code == 413


def test_the_json_copy_points_to_the_number(app, db, client, tmp_path):
    credential = issue_demo_credential(tmp_path)
    holder = client_for(app, credential.user)
    document = holder.get(f"/certificates/{credential.number}/credential.json").data
    response = client_for(app, make_user()).post(
        "/verify", data={"credential_text": document.decode()}
    )
    assert response.status_code == 400
    assert "carries no signature" in response.text
    assert f"/verify/{credential.number}" in response.text
    assert json.loads(document)["credentialSubject"]["licenseNumber"] == credential.number


def test_unknown_key_url_is_404(client):
    assert client.get("/credentials/keys/not-a-key").status_code == 404
    assert client.get("/credentials/status/unknown").status_code == 404


def test_posting_without_csrf_token_is_refused(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/verify", data={"credential_text": "x"})
    assert response.status_code == 400
