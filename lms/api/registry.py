"""The read-only registry API: credentials (filtered, paginated), one record, eligibility.

Filters are the registry list's query values (`RegistryFilter`), so a reviewer's URL and an API
call select the same credentials. Items carry the holder's national registration number: a
`registry:read` token is issued to the ministry's systems, which match subsidy claims by it.
National IDs are accepted only in a POST body, never in a URL (URLs reach logs).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from lms.api.auth import audit_args, error, token_required
from lms.api.contract import is_date, query_problems
from lms.api.openapi import ELIGIBILITY_QUERY, FILTERS
from lms.api.views import bp
from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.registry.eligibility import Eligibility
from lms.domain.registry.export_rows import api_item
from lms.domain.registry.filters import DEFAULT_PER_PAGE, RegistryFilter
from lms.extensions import db
from lms.models import Credential, CredentialEvent
from lms.public_urls import public_url
from lms.services import clock
from lms.services.credentials.issuing import find
from lms.services.registry import export as registry_export
from lms.services.registry import query as registry_query
from lms.services.registry import records as registry

SCOPE = "registry:read"
MAX_PER_PAGE = 200
_PAGING = ("page", "per_page")


def _paging() -> tuple[int, int, list[str]]:
    """(page, per_page, names of the values that are not valid) from the query."""
    bad: list[str] = []
    values: dict[str, int] = {"page": 1, "per_page": DEFAULT_PER_PAGE}
    for name, upper in (("page", 100_000), ("per_page", MAX_PER_PAGE)):
        raw = request.args.get(name, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= upper:
            bad.append(name)
        else:
            values[name] = int(raw)
    return values["page"], values["per_page"], bad


def _date_arg(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return None


@bp.get("/registry/credentials")
@token_required(SCOPE)
def registry_credentials() -> ResponseReturnValue:
    if "national_id" in request.args:
        return error(400, "invalid_parameter", "Send national IDs only in a POST body.")
    if contract := query_problems(request.args, FILTERS):
        return error(
            400, "invalid_parameter", "Some parameters are not valid.", parameters=contract
        )
    view = RegistryFilter.from_args({k: v for k, v in request.args.items() if k not in _PAGING})
    page, per_page, bad = _paging()
    if view.problems or bad:
        problems = [*view.problems, *bad]
        return error(
            400, "invalid_parameter", "Some parameters are not valid.", parameters=problems
        )
    view = replace(view, page=page, per_page=per_page)
    audit_args(**registry_export.audit_args(view), page=str(view.page), per_page=str(view.per_page))
    on = clock.today()
    total = registry_query.count(view, on)
    query = registry_query.credential_query(view, on).limit(view.per_page).offset(view.offset)
    items = [api_item(row) for row in registry_export.registry_rows(query, on, "en")]
    more = view.offset + len(items) < total
    return jsonify(
        {
            "items": items,
            "page": view.page,
            "per_page": view.per_page,
            "total": total,
            "next": public_url(
                "api.registry_credentials",
                **{**view.to_args(page=view.page + 1), "per_page": str(view.per_page)},
            )
            if more
            else None,
        }
    )


@bp.get("/registry/credentials/<number>")
@token_required(SCOPE)
def registry_credential(number: str) -> ResponseReturnValue:
    credential = find(number)
    if credential is None:
        return error(404, "not_found", "No credential has this number.")
    on = clock.today()
    query = registry_query.credential_query(RegistryFilter(), on).where(
        Credential.id == credential.id
    )
    # Read to the end (one row), so the cursor is closed now, not when collected.
    (row,) = registry_export.registry_rows(query, on, "en")
    item = api_item(row)
    events = db.session.execute(
        select(CredentialEvent)
        .where(CredentialEvent.credential_id == credential.id)
        .order_by(CredentialEvent.effective_on, CredentialEvent.id)
    ).scalars()
    superseded_by = (
        db.session.get(Credential, credential.superseded_by_id)
        if credential.superseded_by_id
        else None
    )
    item["superseded_by"] = superseded_by.number if superseded_by else None
    item["events"] = [
        {
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "effective_on": event.effective_on.isoformat(),
            "reason": event.reason,
        }
        for event in events
    ]
    return jsonify(item)


def _eligibility_json(answer: Eligibility) -> dict[str, Any]:
    later = answer.later_change
    return {
        "number": answer.number,
        "on": answer.on.isoformat(),
        "eligible": answer.eligible,
        "reason": answer.reason,
        "status_on_date": answer.status_on_date,
        "valid_from": answer.valid_from.isoformat(),
        "valid_to": answer.valid_to.isoformat() if answer.valid_to else None,
        "later_change": {
            "effective_on": later.effective_on.isoformat(),
            "action": later.action,
            "to_status": later.to_status,
            "reason": later.reason,
        }
        if later
        else None,
    }


@bp.get("/registry/eligibility")
@token_required(SCOPE)
def registry_eligibility() -> ResponseReturnValue:
    if "national_id" in request.args:
        return error(400, "invalid_parameter", "Send national IDs only in a POST body.")
    number = request.args.get("number", "").strip()
    audit_args(number=number[:40], on=request.args.get("on", "")[:20])
    if contract := query_problems(request.args, ELIGIBILITY_QUERY):
        return error(
            400, "invalid_parameter", "Some parameters are not valid.", parameters=contract
        )
    on = _date_arg(request.args.get("on"))
    if not number or on is None:
        bad = [name for name, ok in (("number", number), ("on", on)) if not ok]
        return error(400, "invalid_parameter", "Some parameters are not valid.", parameters=bad)
    answer = registry.eligibility_for_number(number, on)
    if answer is None:
        return error(404, "not_found", "No credential has this number.")
    return jsonify(_eligibility_json(answer))


@bp.post("/registry/eligibility")
@token_required(SCOPE)
def registry_eligibility_by_national_id() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "invalid_body", 'Send JSON: {"national_id": ..., "on": "YYYY-MM-DD"}.')
    if unknown := sorted(set(body) - {"national_id", "on"}):
        return error(400, "invalid_parameter", "Unknown fields in the body.", parameters=unknown)
    value = body.get("national_id")
    national = normalise_national_id(value) if isinstance(value, str) else ""
    raw_on = body.get("on")
    # Absent means today; present, it must be a date (null or "" break the contract).
    on = _date_arg(raw_on) if "on" not in body or is_date(raw_on) else None
    audit_args(on=raw_on if isinstance(raw_on, str) else "")
    if not is_valid_national_id(national) or on is None:
        bad = [
            n for n, ok in (("national_id", is_valid_national_id(national)), ("on", on)) if not ok
        ]
        return error(400, "invalid_parameter", "Some parameters are not valid.", parameters=bad)
    answer = registry.eligibility_for_national_id(national, on)
    if answer is None:
        return error(404, "not_found", "This person holds no credential.")
    return jsonify(_eligibility_json(answer))
