"""Bearer-token access to the API: who may call, and an audit event for every call.

Only `Authorization: Bearer <token>` counts: a browser session (even an administrator's) gets
nothing from the registry API, so the API never depends on cookies or CSRF tokens. Errors are
JSON (`{"error": code, "message": text}`): 401 with `WWW-Authenticate: Bearer` for a missing,
unknown or revoked token, 403 for a token without the scope.

Every call made with a real token is audited as `api.registry` with the token's id, the path,
the query values the endpoint declares safe (`g.api_audit_args`; national IDs only ever come
in a POST body, which is never recorded) and the status.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, jsonify, make_response, request
from werkzeug.exceptions import HTTPException

from lms.services.registry import api_tokens

F = TypeVar("F", bound=Callable[..., Any])
REALM = "lms-registry"


def error(status: int, code: str, message: str, **extra: Any) -> Response:
    """A JSON error response that is never cached."""
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _unauthorized(code: str | None, message: str) -> Response:
    response = error(401, code or "unauthorized", message)
    challenge = f'Bearer realm="{REALM}"'
    if code:
        challenge += f', error="{code}"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def audit_args(**args: str) -> None:
    """Declare the query values of this call that may be written to the audit log."""
    g.api_audit_args = {key: value for key, value in args.items() if value}


def token_required(scope: str) -> Callable[[F], F]:
    """Let the call through only with a live token holding `scope`; audit every such call."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not presented.strip():
                return _unauthorized(None, "Send Authorization: Bearer <token>.")
            token = api_tokens.authenticate(presented.strip())
            if token is None:
                return _unauthorized("invalid_token", "The token is unknown or revoked.")
            g.api_audit_args = {}
            if scope not in token.scopes:
                response = error(403, "insufficient_scope", f"The token lacks {scope}.")
                response.headers["WWW-Authenticate"] = (
                    f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'
                )
            else:
                try:
                    response = make_response(view(*args, **kwargs))
                except HTTPException as problem:  # e.g. a malformed JSON body
                    code = (problem.name or "error").lower().replace(" ", "_")
                    response = error(problem.code or 500, code, problem.description or "")
            response.headers["Cache-Control"] = "no-store"
            api_tokens.record_call(
                token, request.method, request.path, g.api_audit_args, response.status_code
            )
            return response

        return wrapped  # type: ignore[return-value]

    return decorator
