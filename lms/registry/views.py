"""Reviewers' registry pages under /registry (role reviewer or admin).

The blueprint is shared by the modules of this package; each registers its routes on `bp`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/registry")
