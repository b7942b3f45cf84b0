"""Reviewers' registry pages under /registry (role reviewer or admin).

The blueprint is shared by the modules of this package; each registers its routes on `bp`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/registry")

from lms.registry import (  # noqa: E402,F401
    batch_views,
    decision_views,
    exports,
    list_views,
    pending_views,
    record_views,
    snapshot_views,
    stats_views,
)
