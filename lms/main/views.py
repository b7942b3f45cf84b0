"""Home page, language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lms import health
from lms.extensions import db
from lms.i18n import LANGUAGES
from lms.security import is_safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("main/index.html")


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.index"))


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Each dependency's state (lms/health.py): 200 ok or degraded, 503 without the database."""
    state = health.current()
    response = jsonify(state.as_json())
    response.status_code = state.http_status
    response.headers["Cache-Control"] = "no-store"
    return response
