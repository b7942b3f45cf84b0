"""Batch eligibility in the API: JSON items in, one answer per item out (POST only: the items
may hold national registration numbers, which never go into a URL or the audit log).

The body's shape is checked against the limits the OpenAPI document declares (same
constants); the values are then read and decided like the registry's CSV upload.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from lms.api.auth import audit_args, error, token_required
from lms.api.openapi import BATCH_DATE, BATCH_IDENTIFIER, BATCH_MAX_ITEMS
from lms.api.registry import SCOPE, _eligibility_json
from lms.api.views import bp
from lms.domain.registry import batch
from lms.services.registry import batch_eligibility as batch_service
from lms.web.eligibility_words import problem_text

_LIMITS = {
    "number": BATCH_IDENTIFIER["maxLength"],
    "national_id": BATCH_IDENTIFIER["maxLength"],
    "on": BATCH_DATE["maxLength"],
}
_SHAPE = 'Send JSON: {"items": [{"number" or "national_id": ..., "on": "YYYY-MM-DD"}, ...]}.'


def _item_fits(item: object) -> bool:
    """An object of short strings with `on` and exactly one of `number` and `national_id`."""
    if not isinstance(item, dict) or not set(item) <= _LIMITS.keys() or "on" not in item:
        return False
    if ("number" in item) == ("national_id" in item):
        return False
    return all(isinstance(v, str) and len(v) <= _LIMITS[k] for k, v in item.items())


@bp.post("/registry/eligibility/batch")
@token_required(SCOPE)
def registry_eligibility_batch() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(body, dict) or set(body) != {"items"} or not isinstance(items, list):
        return error(400, "invalid_body", _SHAPE)
    audit_args(items=str(len(items)))
    if not items:
        return error(400, "invalid_body", "Send at least one item.", parameters=["items"])
    if len(items) > BATCH_MAX_ITEMS:
        return error(
            400,
            "too_many_items",
            f"At most {BATCH_MAX_ITEMS} items per call: split the batch.",
            parameters=["items"],
        )
    if bad := [f"items[{i}]" for i, item in enumerate(items) if not _item_fits(item)]:
        return error(400, "invalid_parameter", _SHAPE, parameters=bad[:100])
    answers, _holders = batch_service.check_rows(batch.read_items(items))
    with force_locale("en"):
        results = [_result(answer) for answer in answers]
    return jsonify({"results": results, "counts": dict(batch.counts(answers))})


def _result(answer: batch.BatchAnswer) -> dict[str, Any]:
    return {
        "index": answer.row.line,
        "outcome": answer.outcome,
        "eligibility": _eligibility_json(answer.answer) if answer.answer else None,
        "problems": [
            {"code": problem.code, "message": problem_text(problem)} for problem in answer.problems
        ],
    }
