"""Errors: pages in the site's layout, JSON for machines, 503 when the database is away.

Under `/api/` and `/hooks/` every error is JSON (`{"error": code, "message": text}`), whatever
raised it — an unknown path, a method the route does not declare (405 with `Allow`), a refused
input, a crash. Elsewhere people get a translated page. When the database cannot be reached the
answer is 503 (a page or JSON) that is rendered without touching the database.
"""

from __future__ import annotations

from flask import Flask, Response, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from lms.extensions import db, login_manager

MACHINE_PREFIXES = ("/api/", "/hooks/")
DATABASE_DOWN = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)
PAGE_TEMPLATES = {400: "400", 403: "403", 404: "404", 429: "429"}
# Headers of an HTTP error worth keeping on our own response (Allow on 405, Retry-After on 429,
# WWW-Authenticate on 401); the body and its type are ours.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def wants_json() -> bool:
    path = request.path
    return path in ("/api", "/hooks") or path.startswith(MACHINE_PREFIXES)


def error_code(error: HTTPException) -> str:
    """`not_found`, `method_not_allowed`, ... from the error's standard name."""
    return getattr(error, "error_code", None) or (error.name or "error").lower().replace(" ", "_")


def json_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _keep_headers(error: HTTPException, response: Response) -> Response:
    for name, value in error.get_headers():
        if name in KEPT_HEADERS:
            response.headers[name] = value
    return response


def _forget_user() -> None:
    """Render without loading the user: the database may be what failed."""
    g._login_user = login_manager.anonymous_user()


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if wants_json():
            message = getattr(error, "api_message", None) or error.description or ""
            return _keep_headers(error, json_error(code, error_code(error), message))
        template = PAGE_TEMPLATES.get(code, "generic")
        message = getattr(error, "friendly_message", None)
        page = render_template(f"errors/{template}.html", error=error, message=message)
        return _keep_headers(error, Response(page, status=code, mimetype="text/html"))

    def database_unavailable(error: Exception) -> ResponseReturnValue:
        app.logger.error("Database unavailable: %s", error)
        _rollback_quietly()
        _forget_user()
        if wants_json():
            response = json_error(503, "unavailable", "The service is unavailable; try later.")
        else:
            response = Response(render_template("errors/database.html"), 503, mimetype="text/html")
        response.headers["Retry-After"] = "30"
        return response

    for failure in DATABASE_DOWN:
        app.register_error_handler(failure, database_unavailable)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error", exc_info=error)
        _rollback_quietly()
        if wants_json():
            return json_error(500, "internal_error", "The error has been recorded.")
        return render_template("errors/500.html"), 500


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the next request starts afresh
        db.session.remove()
