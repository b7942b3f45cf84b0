"""POST /hooks/git: a signed push notification publishes the course repository at that commit.

No login and no CSRF token: the Git host proves itself with an HMAC-SHA256 signature of the
body (see lms/services/push_publishing.py and docs/publishing-on-push.md).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from lms.extensions import csrf
from lms.services.courses import push as push_publishing

bp = Blueprint("hooks", __name__, url_prefix="/hooks")


@bp.post("/git")
@csrf.exempt  # type: ignore[untyped-decorator]
def git_push() -> Response:
    # The raw bytes, exactly as signed: the signature is checked before anything is parsed.
    headers = dict(request.headers.items())
    reply = push_publishing.receive(request.get_data(cache=False), headers)
    response = Response(reply.text, status=reply.status, mimetype="application/json")
    if reply.repeated:
        response.headers["X-LMS-Repeated-Delivery"] = "1"
    return response
