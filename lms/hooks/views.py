"""POST /hooks/git: a signed push notification publishes the course repository at that commit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("hooks", __name__, url_prefix="/hooks")
