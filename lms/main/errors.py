"""Error pages in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from lms.extensions import db


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        template = {403: "403", 404: "404", 429: "429"}.get(code, "generic")
        return render_template(f"errors/{template}.html", error=error), code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return render_template("errors/500.html"), 500
