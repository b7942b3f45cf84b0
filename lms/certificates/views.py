"""Certificates for their holders; public verification; the signed-credential endpoints."""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, Response, abort, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user, login_required

from lms.certificates import verification
from lms.domain.certificates import FontFiles, find_unicode_font, qr_svg, render_certificate_pdf
from lms.domain.credentials.numbers import only_check_digit_wrong
from lms.domain.credentials.sharing import linkedin_add_url
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.extensions import csrf
from lms.models import Credential
from lms.public_urls import public_url
from lms.services import clock
from lms.services.credentials import issuing as credentials
from lms.services.credentials import keys
from lms.services.credentials import signing as signed_credentials
from lms.services.credentials.certificate_text import certificate_text
from lms.web.credential_display import public_facts, renewal_links

bp = Blueprint("certificates", __name__)
bp.add_url_rule("/verify", "verify_start", verification.verify_start, methods=["GET"])
bp.add_url_rule("/verify", "verify_file", verification.verify_file, methods=["POST"])


@lru_cache(maxsize=1)
def _font() -> FontFiles | None:
    return find_unicode_font()


def _own_credential(number: str) -> Credential:
    credential = credentials.find(number)
    if credential is None or not current_user.is_authenticated:
        abort(404)
    if credential.user_id != current_user.id:
        abort(404)  # someone else's certificate does not exist, as far as you can tell
    return credential


@bp.get("/certificates/<number>")
@login_required
def certificate(number: str) -> ResponseReturnValue:
    credential = _own_credential(number)
    verify_url = public_url("certificates.verify", number=credential.number)
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    language = str(get_locale())
    linkedin_url = linkedin_add_url(
        name=snapshot.credential_name.get(language)
        or next(iter(snapshot.credential_name.values())),
        organisation=signed_credentials.ISSUER_NAME.get(
            language, signed_credentials.ISSUER_NAME["en"]
        ),
        issued_on=snapshot.issued_on,
        expires_on=snapshot.expires_on,
        number=credential.number,
        verify_url=verify_url,
    )
    return render_template(
        "certificates/certificate.html",
        credential=credential,
        snapshot=snapshot,
        facts=public_facts(credential, clock.today()),
        qr=qr_svg(verify_url, verify_url),
        verify_url=verify_url,
        linkedin_url=linkedin_url,
        font_available=_font() is not None,
    )


@bp.get("/certificates/<number>/certificate.pdf")
@login_required
def certificate_pdf(number: str) -> ResponseReturnValue:
    credential = _own_credential(number)
    font = _font()
    if font is None:
        abort(503)
    verify_url = public_url("certificates.verify", number=credential.number)
    text = certificate_text(credential, verify_url, str(get_locale()))
    pdf = render_certificate_pdf(text, font)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{credential.number}.pdf"'},
    )


@bp.get("/certificates/<number>/credential.jwt")
@login_required
def credential_jwt(number: str) -> ResponseReturnValue:
    credential = _own_credential(number)
    return Response(
        signed_credentials.credential_token(credential),
        mimetype="application/vc+jwt",
        headers={"Content-Disposition": f'attachment; filename="{credential.number}.jwt"'},
    )


@bp.get("/certificates/<number>/credential.json")
@login_required
def credential_json(number: str) -> ResponseReturnValue:
    """The Open Badges 3.0 JSON, for wallets that import it (the .jwt is the signed form)."""
    credential = _own_credential(number)
    document = signed_credentials.credential_document(credential)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{credential.number}.json"'},
    )


@bp.get("/verify/<number>")
def verify(number: str) -> ResponseReturnValue:
    credential = credentials.find(number)
    facts = public_facts(credential, clock.today()) if credential else None
    mistyped = facts is None and only_check_digit_wrong(number)
    chain = renewal_links(credential) if credential else {}
    response = Response(
        render_template(
            "certificates/verify.html",
            number=number,
            facts=facts,
            mistyped=mistyped,
            chain=chain,
        ),
        status=200 if facts else 404,
    )
    response.headers["Cache-Control"] = "no-store"  # a revocation shows on the next request
    return response


@bp.get("/api/v1/credentials/<number>")
@csrf.exempt
def api_credential(number: str) -> ResponseReturnValue:
    credential = credentials.find(number)
    if credential is None:
        response = jsonify({"error": "not_found", "number": number})
        response.status_code = 404
    else:
        response = jsonify(public_facts(credential, clock.today()))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/jwks.json")
def jwks() -> ResponseReturnValue:
    keys.signing_key()  # the first request creates the first key
    response = jsonify(keys.jwks())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/credentials/keys/<kid>")
def signing_key(kid: str) -> ResponseReturnValue:
    """One published key: a token's `kid` is this URL."""
    jwk = keys.find_published(kid)
    if jwk is None:
        abort(404)
    response = jsonify(jwk)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/credentials/status/<purpose>")
def status_list(purpose: str) -> ResponseReturnValue:
    if purpose not in signed_credentials.STATUS_LIST_PURPOSES:
        abort(404)
    return Response(
        signed_credentials.status_list_token(purpose),
        mimetype="application/vc+jwt",
        headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"},
    )


@bp.get("/issuer")
def issuer() -> ResponseReturnValue:
    return jsonify(signed_credentials.issuer_profile())
