"""The public `/verify` page: check a credential by its number, or by the file its holder gave.

A file (or pasted text) is checked by the same core as `lms credentials verify`: this issuer's
keys, dates, and the status lists as they are now. The answer says, in plain words, whose
credential it is, what it is, its status and why. Input that cannot be a credential of this
issuer is refused with a 400 page that says why; nothing named inside a file is fetched.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from lms.domain.credentials.numbers import normalise_number, only_check_digit_wrong
from lms.domain.credentials.timestamps import CREDENTIAL_TIMEZONE, parse_datetime
from lms.domain.credentials.verify import VerificationResult
from lms.services.credentials.verification import MAX_TOKEN_BYTES, verify_token

MAX_REQUEST_BYTES = MAX_TOKEN_BYTES + 16 * 1024  # the file, the pasted text and the form
STATUS_OF_REASON = {"valid": "active", "revoked": "revoked", "suspended": "suspended"}


def _reason_words(result: VerificationResult) -> str:
    words = {
        "valid": _(
            "It is signed by this service, it is within its validity dates, and it is neither "
            "suspended nor revoked."
        ),
        "revoked": _("The issuer has revoked this credential. It is no longer valid."),
        "suspended": _(
            "The issuer has suspended this credential while something is checked. It is not "
            "valid until it is reinstated."
        ),
        "expired": _("Its validity period has ended."),
        "not_yet_valid": _("Its validity period has not started yet."),
        "status_unavailable": _(
            "Its status could not be checked just now, so it cannot be confirmed. Try again later."
        ),
        "status_invalid": _(
            "Its status entry could not be read, so it cannot be confirmed as valid."
        ),
        "bad_signature": _(
            "The signature does not match the content: the file was changed after it was "
            "issued. Do not rely on it."
        ),
        "unknown_key": _("It is not signed with any key this service has ever used."),
        "foreign_issuer": _(
            "It was issued by %(issuer)s, not by this service. Only its issuer can confirm it; "
            "this page does not contact other sites.",
            issuer=(result.issuer or "")[:200],
        ),
        "too_large": _("The file is too large to be a credential of this service."),
        "unsupported_algorithm": _("It is not signed in a way this service uses."),
        "claims_mismatch": _("Its contents contradict each other, so it cannot be trusted."),
        "wrong_type": _("It is not an Open Badges credential of this service."),
    }
    return words.get(
        result.reason,
        _("This is not a signed credential file. Upload the .jwt file you were given."),
    )


def _day(value: object) -> date | None:
    try:
        return parse_datetime(value).astimezone(CREDENTIAL_TIMEZONE).date()
    except ValueError:
        return None


def _described(result: VerificationResult) -> dict[str, Any]:
    """What the page shows of a credential whose signature checked out."""
    vc = result.vc or {}
    subject = vc.get("credentialSubject") if isinstance(vc.get("credentialSubject"), dict) else {}
    number = subject.get("licenseNumber") if isinstance(subject, dict) else None
    return {
        "status": STATUS_OF_REASON.get(result.reason, "invalid"),
        "holder_name": subject.get("name") if isinstance(subject, dict) else None,
        "credential_name": vc.get("name"),
        "number": normalise_number(number) if isinstance(number, str) else None,
        "issued_on": _day(vc.get("validFrom")),
        "expires_on": _day(vc["validUntil"]) if "validUntil" in vc else None,
    }


def _page(status: int = 200, **context: Any) -> Response:
    context.setdefault("number", "")
    response = Response(render_template("certificates/verify_start.html", **context), status)
    response.headers["Cache-Control"] = "no-store"  # a revocation shows on the next request
    return response


def verify_start() -> ResponseReturnValue:
    """The page with both ways in; `?number=` goes to that credential's page."""
    typed = request.args.get("number", "").strip()
    if not typed:
        return _page()
    canonical = normalise_number(typed)
    if canonical is not None:
        return redirect(url_for("certificates.verify", number=canonical))
    error = (
        _(
            "The last digit of %(number)s does not fit the rest: one of its digits was probably "
            "mistyped. Compare it with the certificate and type it again.",
            number=typed[:64],
        )
        if only_check_digit_wrong(typed)
        else _("That is not a credential number. It looks like JC-2026-00042-3.")
    )
    return _page(400, number=typed[:64], number_error=error)


def _submitted_token() -> str | None:
    """The token from the uploaded file, else the pasted text; None if there is neither."""
    upload = request.files.get("credential_file")
    if upload is not None and upload.filename:
        data = upload.stream.read(MAX_TOKEN_BYTES + 1)
        if len(data) > MAX_TOKEN_BYTES:
            raise RequestEntityTooLarge
        text = data.decode("utf-8").strip()  # UnicodeDecodeError: not a text file
    else:
        text = request.form.get("credential_text", "").strip()
    return text or None


def _json_copy_number(text: str) -> str | None:
    """The number in an unsigned OB 3.0 JSON copy (which proves nothing by itself)."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    number = subject.get("licenseNumber") if isinstance(subject, dict) else None
    return normalise_number(number) if isinstance(number, str) else None


def verify_file() -> ResponseReturnValue:
    """Check an uploaded or pasted VC-JWT and say what it is and why."""
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        return _page(413, file_error=_("The file is too large to be a credential of this service."))
    request.max_content_length = MAX_REQUEST_BYTES
    try:
        token = _submitted_token()
    except RequestEntityTooLarge:
        return _page(413, file_error=_("The file is too large to be a credential of this service."))
    except UnicodeDecodeError:
        return _page(400, file_error=_("This is not a text file. Upload the .jwt file."))
    if token is None:
        return _page(400, file_error=_("Choose the credential file, or paste its text."))
    if token.startswith("{"):
        number = _json_copy_number(token)
        return _page(
            400,
            file_error=_(
                "This is the credential's JSON copy, which carries no signature. Upload the "
                "signed .jwt file, or check it by its number."
            ),
            copy_number=number,
        )
    result = verify_token(token)
    if result.vc is None:
        return _page(400, file_error=_reason_words(result))
    return _page(checked=_described(result), why=_reason_words(result))
