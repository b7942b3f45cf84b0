"""The registry API (bearer tokens, scope registry:read) and its OpenAPI document.

The blueprint is shared by the modules of this package; each registers its routes on `bp`.
No route here uses the browser session, so the whole blueprint is exempt from CSRF checks.
"""

from __future__ import annotations

from flask import Blueprint

from lms.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from lms.api import batch, openapi, registry  # noqa: E402,F401
