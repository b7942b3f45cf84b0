"""Certificates for their holders; public verification; the signed-credential endpoints."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.domain.certificates import FontFiles, find_unicode_font, qr_svg, render_certificate_pdf
from lms.domain.credentials import effective_status, qualifies_for_subsidy
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.regions import region_name
from lms.extensions import csrf
from lms.models import Credential
from lms.services import credentials, keys, signed_credentials
from lms.services.certificate_text import certificate_text

bp = Blueprint("certificates", __name__)


@bp.app_template_global("status_label")
def status_label(status: str) -> str:
    return {
        "active": _("Valid"),
        "expired": _("Expired"),
        "suspended": _("Suspended"),
        "revoked": _("Revoked"),
        "superseded": _("Replaced by a newer credential"),
    }.get(status, status)


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


def public_facts(credential: Credential, on: date) -> dict[str, Any]:
    """What anyone may know about a credential: never national ID, scores or contacts."""
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    status = effective_status(credential.status, credential.expires_on, on)
    return {
        "number": credential.number,
        "status": status,
        "holder_name": snapshot.holder_name,
        "credential_name": dict(snapshot.credential_name),
        "course": dict(snapshot.course_title),
        "course_version": snapshot.course_version,
        "region": {lang: region_name(snapshot.region, lang) for lang in ("mn", "en")},
        "issued_on": snapshot.issued_on.isoformat(),
        "expires_on": snapshot.expires_on.isoformat() if snapshot.expires_on else None,
        "qualifies_for_subsidy": qualifies_for_subsidy(
            snapshot.qualifies_for_subsidy, credential.status, credential.expires_on, on
        ),
        "checked_on": on.isoformat(),
        "superseded_by": _number_of(credential.superseded_by_id),
    }


def _number_of(credential_id: int | None) -> str | None:
    if credential_id is None:
        return None
    from lms.extensions import db

    other = db.session.get(Credential, credential_id)
    return other.number if other else None


@bp.get("/certificates/<number>")
@login_required
def certificate(number: str) -> ResponseReturnValue:
    credential = _own_credential(number)
    verify_url = signed_credentials.public_url("certificates.verify", number=credential.number)
    return render_template(
        "certificates/certificate.html",
        credential=credential,
        snapshot=CredentialSnapshot.from_json(credential.snapshot),
        facts=public_facts(credential, credentials.today()),
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
    facts = public_facts(credential, credentials.today()) if credential else None
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
        response = jsonify(public_facts(credential, credentials.today()))
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
