"""The author preview (`lms courses preview PATH`): a course folder served as trainees see it.

A separate application built on `lms.create_app`, so lessons and quizzes go through the same
renderer, templates and security headers as the real site; but it has no database and no
accounts, and the normal site never has these routes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request
from flask.typing import ResponseReturnValue

from lms import create_app
from lms.preview.views import bp
from lms.preview.workspace import ChangeWatch

# Of the normal site, only the static files and the interface language switch work here:
# every other page needs accounts or the database, which the preview does not have.
_SITE_ENDPOINTS = frozenset({"static", "main.set_language"})


def create_preview_app(course_path: Path) -> Flask:
    """The preview application for the course folder at ``course_path``."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "LMS_PREVIEW_PATH": str(course_path),
            "RATELIMIT_ENABLED": False,
            # Browsers send cookies to every port of a host: keep apart from an `lms serve`
            # on the same machine, whose session would make this app look for its user.
            "SESSION_COOKIE_NAME": "lms_preview_session",
            "REMEMBER_COOKIE_NAME": "lms_preview_remember",
        }
    )
    app.register_blueprint(bp, url_prefix="")
    app.extensions["lms_preview"] = ChangeWatch(course_path)
    # "/" already belongs to the home page (registered first, so it matches first): here the
    # home page is the course overview.
    app.view_functions["main.index"] = app.view_functions["preview.overview"]
    app.before_request(_preview_pages_only)
    app.after_request(_never_cache)
    return app


def _preview_pages_only() -> ResponseReturnValue | None:
    endpoint = request.endpoint or ""
    if endpoint in _SITE_ENDPOINTS or endpoint == "main.index" or endpoint.startswith("preview."):
        return None
    abort(404)


def _never_cache(response: Response) -> Response:
    # Pages show the files as they are now; media may be revalidated (send_file sets no-cache).
    response.headers.setdefault("Cache-Control", "no-store")
    return response


LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def refuse_foreign_hosts(app: Flask, hosts: Iterable[str] = LOCAL_HOSTS) -> None:
    """Answer only requests addressed to ``hosts`` (ports aside), with 400 for any other.

    Bound to 127.0.0.1 the preview is still reachable by a web page through a name that
    resolves to 127.0.0.1 (DNS rebinding); checking the Host header stops that.
    """
    trusted = {host.lower() for host in hosts}
    inner = app.wsgi_app

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if _host_name(environ.get("HTTP_HOST", "")) not in trusted:
            refusal = Response("This preview answers only to 127.0.0.1.\n", 400)
            return refusal(environ, start_response)
        return inner(environ, start_response)

    app.wsgi_app = guarded  # type: ignore[method-assign]


def _host_name(host: str) -> str:
    """``localhost:5001`` -> ``localhost``; ``[::1]:5001`` -> ``[::1]``."""
    if host.startswith("["):
        return host.partition("]")[0].lower() + "]"
    return host.partition(":")[0].lower()
