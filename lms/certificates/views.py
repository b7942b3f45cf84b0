"""Certificates for their holders; public verification; the signed-credential endpoints."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, abort, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user, login_required

from lms.domain.certificates import FontFiles, find_unicode_font, qr_svg, render_certificate_pdf
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.extensions import csrf
from lms.models import Credential
from lms.services import clock
from lms.services.credentials import issuing as credentials
from lms.services.credentials import keys
from lms.services.credentials import signing as signed_credentials
from lms.services.credentials.certificate_text import certificate_text
from lms.web.credential_display import public_facts

bp = Blueprint("certificates", __name__)


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
    verify_url = signed_credentials.public_url("certificates.verify", number=credential.number)
    return render_template(
        "certificates/certificate.html",
        credential=credential,
        snapshot=CredentialSnapshot.from_json(credential.snapshot),
        facts=public_facts(credential, clock.today()),
        qr=qr_svg(verify_url, verify_url),
        verify_url=verify_url,
        font_available=_font() is not None,
    )


@bp.get("/certificates/<number>/certificate.pdf")
@login_required
def certificate_pdf(number: str) -> ResponseReturnValue:
    credential = _own_credential(number)
    font = _font()
    if font is None:
        abort(503)
    verify_url = signed_credentials.public_url("certificates.verify", number=credential.number)
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


@bp.get("/verify/<number>")
def verify(number: str) -> ResponseReturnValue:
    credential = credentials.find(number)
    facts = public_facts(credential, clock.today()) if credential else None
    response = Response(
        render_template("certificates/verify.html", number=number, facts=facts),
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


@bp.get("/credentials/status/<purpose>")
def status_list(purpose: str) -> ResponseReturnValue:
    if purpose not in signed_credentials.LIST_PURPOSE_STATUS:
        abort(404)
    return Response(
        signed_credentials.status_list_token(purpose),
        mimetype="application/vc+jwt",
        headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"},
    )


@bp.get("/issuer")
def issuer() -> ResponseReturnValue:
    return jsonify(signed_credentials.issuer_profile())
