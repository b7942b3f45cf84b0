"""Credentials fetched through the product's own pages meet Open Badges 3.0, the key `kid`
points at answers with that one key, and a credential of the first release still verifies."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.domain.credentials import key_id, private_key_pem, public_jwk
from lms.models import SigningKey
from lms.public_urls import base_url, public_url
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.credentials import signing as signed_credentials
from lms.services.learning import enrolment as enrolments
from tests.domain.credentials.conformance import (
    UUID_URN,
    assert_credential_conformant,
    assert_profile_conformant,
    validate_against_schema,
)
from tests.domain.credentials.samples import sign_legacy
from tests.factories import client_for, make_user, publish_demo_course


def _issue(root: Path, kind: str, holder: Any = None) -> Any:
    slug = f"demo-{kind}"
    course = publish_demo_course(
        root / kind, slug=slug, replace={"course.yml": ("kind: training", f"kind: {kind}")}
    )
    holder = holder or make_user(name="Өлзийсайхан Үүрцайх", national_id="УБ99112233")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, f"Ховд {kind}", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return credentials.issue(enrolment, trainer)


@pytest.mark.parametrize("kind", ["seminar", "training", "trainer"])
def test_every_issued_kind_meets_open_badges_3(app, db, client, tmp_path, kind):
    credential = _issue(tmp_path, kind)
    holder = client_for(app, credential.user)
    token = holder.get(f"/certificates/{credential.number}/credential.jwt").text
    payload = assert_credential_conformant(token, base_url())
    assert payload["credentialSubject"]["id"] == credential.user.credential_subject_id
    assert "УБ99112233" not in json.dumps(payload, ensure_ascii=False)
    assert credential.user.email not in json.dumps(payload, ensure_ascii=False)
    # The kid answers with that one JWK, which verifies the token (PyJWT only).
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = client.get(kid.removeprefix(base_url())).json
    assert jwk["kid"] == kid
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("EC", "P-256", "ES256")
    assert "d" not in jwk
    jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["ES256"], options={"verify_aud": False})
    assert jwk in client.get("/.well-known/jwks.json").json["keys"]
    # The status list it names is published and long enough.
    status = payload["credentialStatus"]
    listed = client.get(status["statusListCredential"].removeprefix(base_url()))
    assert listed.status_code == 200
    assert jwt.get_unverified_header(listed.text)["alg"] == "ES256"


def test_issuer_profile_and_wallet_json_meet_the_schemas(app, db, client, tmp_path):
    assert_profile_conformant(client.get("/issuer").json)
    credential = _issue(tmp_path, "training")
    holder = client_for(app, credential.user)
    download = holder.get(f"/certificates/{credential.number}/credential.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    document = json.loads(download.data)
    validate_against_schema(document, "achievementcredential.json")
    token = holder.get(f"/certificates/{credential.number}/credential.jwt").text
    signed = jwt.decode(token, options={"verify_signature": False})
    claims = {"iss", "jti", "sub", "nbf", "exp", "iat"}
    assert {k: v for k, v in signed.items() if k not in claims} == document


def test_holder_id_is_stable_per_person_and_differs_between_people(app, db, tmp_path):
    holder = make_user()
    first = _issue(tmp_path, "training", holder)
    second = _issue(tmp_path, "seminar", holder)
    other = make_user()
    ids = {
        signed_credentials.credential_document(c)["credentialSubject"]["id"]
        for c in (first, second)
    }
    assert ids == {holder.credential_subject_id}
    assert UUID_URN.fullmatch(holder.credential_subject_id)
    assert other.credential_subject_id != holder.credential_subject_id


def test_certificate_page_offers_linkedin_and_wallet_json(app, db, tmp_path):
    credential = _issue(tmp_path, "training")
    page = client_for(app, credential.user).get(f"/certificates/{credential.number}").text
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert f"certId={credential.number}" in page
    assert f"issueYear={credential.issued_on.year}" in page
    assert f"expirationYear={credential.expires_on.year}" in page
    assert "certUrl=" in page
    assert f"/certificates/{credential.number}/credential.json" in page


def _first_release_key(app) -> Ed25519PrivateKey:
    """An Ed25519 key as the first release left it: a PEM file and the current key row."""
    from lms.extensions import db
    from lms.services.credentials.keys import key_dir

    key = Ed25519PrivateKey.generate()
    kid = key_id(key)
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kid}.pem"
    path.write_bytes(private_key_pem(key))
    os.chmod(path, 0o600)
    db.session.add(SigningKey(kid=kid, public_jwk=public_jwk(key, kid)))
    db.session.commit()
    return key


def _first_release_token(credential: Any, key: Ed25519PrivateKey) -> str:
    """The credential as the first release signed it: EdDSA and two status entries."""
    vc = signed_credentials.credential_document(credential)
    del vc["credentialSubject"]["id"]
    index = credential.status_index
    vc["credentialStatus"] = [
        {
            "id": f"{url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": url,
        }
        for purpose in ("revocation", "suspension")
        for url in [public_url("certificates.status_list", purpose=purpose)]
    ]
    return sign_legacy(vc, key)


def test_a_credential_of_the_first_release_still_verifies(app, db, client, tmp_path):
    old_key = _first_release_key(app)
    credential = _issue(tmp_path, "training")
    old_token = _first_release_token(credential, old_key)
    # Signing anything now retires the Ed25519 key; it stays published under its thumbprint.
    new_token = (
        client_for(app, credential.user)
        .get(f"/certificates/{credential.number}/credential.jwt")
        .text
    )
    assert jwt.get_unverified_header(new_token)["alg"] == "ES256"
    published = client.get("/.well-known/jwks.json").json["keys"]
    assert key_id(old_key) in [k["kid"] for k in published]
    assert len(published) == 2
    file = tmp_path / "old.jwt"
    file.write_text(old_token)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["credentials", "verify", str(file)])
    assert (ok.exit_code, ok.output.strip()) == (0, "valid")
    page = client.post("/verify", data={"credential_text": old_token})
    assert page.status_code == 200
    assert "Хүчинтэй" in page.text
    assert "Өлзийсайхан Үүрцайх" in page.text
    credential_lifecycle.change_status(credential, "suspend", None, "other", "Шалгаж байна")
    suspended = client.post("/verify", data={"credential_text": old_token})
    assert "Түдгэлзүүлсэн" in suspended.text
    bad = runner.invoke(args=["credentials", "verify", str(file)])
    assert bad.exit_code == 1
    assert "suspended" in bad.output
