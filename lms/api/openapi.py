"""The OpenAPI 3.1 document of the registry API, served at /api/v1/openapi.json (public).

Written by hand, next to the endpoints it describes; `tests/web/test_registry_api.py` checks
that it is a valid OpenAPI document and that real responses validate against it, so it cannot
drift from the code unnoticed.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from lms.api.views import bp
from lms.domain.registry.filters import RENEWALS, SORTS, STATUSES
from lms.domain.registry.renewal_status import RENEWAL_STATUSES
from lms.public_urls import public_path_url

STATUS_TODAY = ["active", "expired", "suspended", "revoked", "superseded", "not_yet_valid"]
REASONS = [
    "qualifies",
    "not_subsidy_course",
    "not_yet_issued",
    "expired",
    "suspended",
    "revoked",
    "superseded",
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


DATE = {"type": "string", "format": "date"}
TEXTS = {"type": "object", "additionalProperties": {"type": "string"}}
# Values sent to the API: any text without control characters (refused before any view runs,
# see lms/web/input_hygiene.py).
TEXT = {"type": "string", "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _error(description: str, *, challenge: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }
    if challenge:
        response["headers"] = {
            "WWW-Authenticate": {"description": "Bearer challenge", "schema": {"type": "string"}}
        }
    return response


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


AUTH_ERRORS = {
    "401": _error("Missing, unknown or revoked token.", challenge=True),
    "403": _error("The token lacks the registry:read scope.", challenge=True),
}

FILTERS = [
    _query(
        "q",
        "Part of a holder's name, or a credential number.",
        {**TEXT, "maxLength": 100},
    ),
    _query("course", "Course slug.", TEXT),
    _query("kind", "Course kind.", {"type": "string", "enum": ["seminar", "training", "trainer"]}),
    _query("status", "Status today.", {"type": "string", "enum": list(STATUSES)}),
    _query("region", "Region code (aimag or Ulaanbaatar district).", TEXT),
    _query("organisation", "Organisation, exactly as issued.", TEXT),
    _query("issued_from", "Issued on or after.", DATE),
    _query("issued_to", "Issued on or before.", DATE),
    _query("expires_from", "Expires on or after.", DATE),
    _query("expires_to", "Expires on or before.", DATE),
    _query("qualifies_on", "Subsidy-qualifying on this date.", DATE),
    _query(
        "renewal",
        "Active credentials whose renewal, under their course's renewal rules, is due within "
        "30/90/180/270 days (last valid day from today to today + N), in the grace period "
        "(past the last day, within the course's grace days), or lapsed (past the grace "
        "period). Credentials of courses without renewal rules match none.",
        {"type": "string", "enum": list(RENEWALS)},
    ),
    _query("sort", "Sort key.", {"type": "string", "enum": list(SORTS)}),
    _query("descending", "1 to sort descending.", {"type": "string", "enum": ["0", "1"]}),
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 100000}),
    _query("per_page", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 200}),
]


ELIGIBILITY_QUERY = [
    {
        "name": "number",
        "in": "query",
        "required": True,
        "schema": {**TEXT, "minLength": 1, "maxLength": 40},
    },
    _query("on", "The date (default: today in Mongolia).", DATE),
]


def _strict(properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, all required (responses never drift)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


ITEM_PROPERTIES: dict[str, Any] = {
    "number": {"type": "string", "examples": ["JC-2026-00042-3"]},
    "holder_name": {"type": "string"},
    "national_id": {
        "type": ["string", "null"],
        "description": "National registration number (private; never log it).",
    },
    "region": {"type": "string", "description": "Region code (aimag or district)."},
    "organisation": {"type": "string"},
    "course": _ref("Course"),
    "credential_name": TEXTS,
    "classroom_hours": {"type": "number"},
    "practicum_hours": {"type": "number"},
    "issued_on": DATE,
    "expires_on": _nullable(DATE),
    "status": {"type": "string", "enum": STATUS_TODAY, "description": "Today."},
    "qualifies_for_subsidy": {"type": "boolean", "description": "Today."},
    "issuing_trainer": {"type": ["string", "null"]},
    "renewal_status": {
        "type": ["string", "null"],
        "enum": [*RENEWAL_STATUSES, None],
        "description": "Today, under the course's renewal rules: not_yet (due), window (open), "
        "grace (period), lapsed, renewed (see renewed_by), no_expiry; null where renewal does "
        "not apply (suspended, revoked, corrected, or a course without renewal rules).",
    },
    "renewed_by": {
        "type": ["string", "null"],
        "description": "The number of the credential that renewed this one.",
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "Machine code, e.g. invalid_token."},
            "message": {"type": "string"},
            "parameters": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Course": _strict(
        {
            "slug": {"type": "string"},
            "version": {"type": "string"},
            "kind": {"type": "string"},
            "title": TEXTS,
        }
    ),
    "RegistryItem": _strict(ITEM_PROPERTIES),
    "CredentialEvent": _strict(
        {
            "action": {"type": "string"},
            "from_status": {"type": ["string", "null"]},
            "to_status": {"type": "string"},
            "effective_on": DATE,
            "reason": {"type": "string"},
        }
    ),
    "RegistryRecord": _strict(
        {
            **ITEM_PROPERTIES,
            "superseded_by": {"type": ["string", "null"]},
            "events": {"type": "array", "items": _ref("CredentialEvent")},
        }
    ),
    "CredentialPage": _strict(
        {
            "items": {"type": "array", "items": _ref("RegistryItem")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 200},
            "total": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri"},
        }
    ),
    "Eligibility": _strict(
        {
            "number": {"type": "string"},
            "on": DATE,
            "eligible": {"type": "boolean"},
            "reason": {"type": "string", "enum": REASONS},
            "status_on_date": {"type": "string"},
            "valid_from": DATE,
            "valid_to": _nullable(DATE),
            "later_change": _nullable(
                _strict(
                    {
                        "effective_on": DATE,
                        "action": {"type": "string"},
                        "to_status": {"type": "string"},
                        "reason": {"type": "string"},
                    }
                )
            ),
        }
    ),
    "EligibilityRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["national_id"],
        "properties": {
            "national_id": {
                "type": "string",
                # Spaces and lower case are accepted (normalised by the server).
                "pattern": "^ *[А-ЯЁӨҮа-яёөү] *[А-ЯЁӨҮа-яёөү]( *[0-9]){8} *$",
                "examples": ["УБ99112233"],
            },
            "on": {**DATE, "description": "Default: today in Mongolia."},
        },
    },
}


# Batch eligibility (lms/api/batch.py). Each item's values are free text here: a malformed
# number or date is answered in that item's `problems`, not by refusing the whole batch.
BATCH_MAX_ITEMS = 5000
BATCH_IDENTIFIER = {**TEXT, "maxLength": 64}
BATCH_DATE = {**TEXT, "maxLength": 40, "description": "YYYY-MM-DD.", "examples": ["2026-11-30"]}
SCHEMAS["BatchEligibilityItem"] = {
    "type": "object",
    "description": "One credential number or one national registration number, and a date.",
    "additionalProperties": False,
    "required": ["on"],
    "properties": {
        "number": {**BATCH_IDENTIFIER, "examples": ["JC-2026-00042-3"]},
        "national_id": {
            **BATCH_IDENTIFIER,
            "examples": ["УБ99112233"],
            "description": "National registration number (private; never log it).",
        },
        "on": BATCH_DATE,
    },
    "oneOf": [{"required": ["number"]}, {"required": ["national_id"]}],
}
SCHEMAS["BatchEligibilityRequest"] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": BATCH_MAX_ITEMS,
            "items": _ref("BatchEligibilityItem"),
        }
    },
}
SCHEMAS["BatchProblem"] = _strict(
    {
        "code": {"type": "string", "examples": ["date_invalid", "number_unknown"]},
        "message": {"type": "string"},
    }
)
SCHEMAS["BatchEligibilityResult"] = _strict(
    {
        "index": {"type": "integer", "minimum": 0, "description": "The item's place, from 0."},
        "outcome": {"type": "string", "enum": ["eligible", "not_eligible", "problem"]},
        "eligibility": _nullable(_ref("Eligibility")),
        "problems": {"type": "array", "items": _ref("BatchProblem")},
    }
)
SCHEMAS["BatchEligibilityResponse"] = _strict(
    {
        "results": {"type": "array", "items": _ref("BatchEligibilityResult")},
        "counts": _strict(
            {
                "eligible": {"type": "integer", "minimum": 0},
                "not_eligible": {"type": "integer", "minimum": 0},
                "problem": {"type": "integer", "minimum": 0},
            }
        ),
    }
)

BATCH_PATH = {
    "post": {
        "operationId": "eligibilityBatch",
        "summary": "Many (credential number or national ID, date) pairs at once.",
        "description": (
            f"At most {BATCH_MAX_ITEMS} items. Each item is answered in order: yes or no with "
            "the reason, or the problems that stopped its check (a malformed number or date, "
            "an unknown number). A national ID is answered from the best of the person's "
            "credentials, as in the single check."
        ),
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref("BatchEligibilityRequest")}},
        },
        "responses": {
            "200": _ok("BatchEligibilityResponse", "One result per item, in order."),
            "400": _error("The body is not a list of items as described."),
            **AUTH_ERRORS,
        },
    }
}


def document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document, with `server_url` (this site's /api/v1) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Job coach registry API",
            "version": "1.0.0",
            "description": (
                "Read-only access to the registry of job coach credentials for the ministry. "
                "Every call needs a bearer token with the registry:read scope and is audited. "
                "National registration numbers are private: send them only in POST bodies."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/registry/credentials": {
                "get": {
                    "operationId": "listCredentials",
                    "summary": "Credentials matching the filters, one page at a time.",
                    "parameters": FILTERS,
                    "responses": {
                        "200": _ok("CredentialPage", "A page of credentials."),
                        "400": _error("A parameter is not valid."),
                        **AUTH_ERRORS,
                    },
                }
            },
            "/registry/credentials/{number}": {
                "get": {
                    "operationId": "getCredential",
                    "summary": "One credential with its status history.",
                    "parameters": [
                        {
                            "name": "number",
                            "in": "path",
                            "required": True,
                            "schema": {**TEXT, "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _ok("RegistryRecord", "The credential."),
                        "400": _error("The number holds characters that are not allowed."),
                        "404": _error("No credential has this number."),
                        **AUTH_ERRORS,
                    },
                }
            },
            "/registry/eligibility": {
                "get": {
                    "operationId": "eligibilityByNumber",
                    "summary": "Did this credential qualify for the subsidy on a date?",
                    "parameters": ELIGIBILITY_QUERY,
                    "responses": {
                        "200": _ok("Eligibility", "The answer and its reason."),
                        "400": _error("A parameter is not valid."),
                        "404": _error("No credential has this number."),
                        **AUTH_ERRORS,
                    },
                },
                "post": {
                    "operationId": "eligibilityByNationalId",
                    "summary": "Did this person hold a qualifying credential on a date?",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("EligibilityRequest")}},
                    },
                    "responses": {
                        "200": _ok(
                            "Eligibility", "The best answer among the person's credentials."
                        ),
                        "400": _error("The body or a value in it is not valid."),
                        "404": _error("This person holds no credential."),
                        **AUTH_ERRORS,
                    },
                },
            },
            "/registry/eligibility/batch": BATCH_PATH,
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document.",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {}},
                        },
                        "400": _error("The query holds characters that are not allowed."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `lms tokens create --scope registry:read`.",
                }
            },
            "schemas": SCHEMAS,
        },
    }


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    response = jsonify(document(public_path_url(bp.url_prefix or "")))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
