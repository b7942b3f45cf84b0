"""HTTP security: headers, cookies, session validation, safe redirects, refused input.

Also the startup checks: private files that others can read, and a production site without
`LMS_PUBLIC_URL` (absolute links come from it only: lms/public_urls.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.extensions import db, login_manager, talisman
from lms.private_files import warn_if_loose
from lms.public_urls import is_production
from lms.web.input_hygiene import init_input_hygiene
from lms.web.static_assets import stylesheet_csp_sources

log = logging.getLogger(__name__)

# Media from this site only: the course checker refuses media on other sites, so the two agree
# (lms/domain/courses/media.py, docs/course-format.md).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "media-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


class RequestAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["LMS_FORCE_SECURE_COOKIES"] or request.is_secure)


def init_security(app: Flask) -> None:
    if app.config["LMS_PROXY_FIX"]:
        # Client address and scheme only. The host is never taken from X-Forwarded-Host: no
        # link is built from the request's host anyway (LMS_PUBLIC_URL), and nothing else needs it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=0)  # type: ignore[method-assign]
    init_input_hygiene(app)
    _startup_checks(app)
    app.session_interface = RequestAwareSessionInterface()
    talisman.init_app(
        app,
        force_https=False,  # the reverse proxy terminates TLS and redirects
        strict_transport_security=True,
        session_cookie_secure=app.config["LMS_FORCE_SECURE_COOKIES"],
        content_security_policy={
            **CONTENT_SECURITY_POLICY,
            # A first visit carries the stylesheet inline (lms/web/static_assets.py), by hash.
            "style-src": " ".join(["'self'", *stylesheet_csp_sources(app)]),
        },
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def _startup_checks(app: Flask) -> None:
    warn_if_loose(Path(app.instance_path), str(app.config["SQLALCHEMY_DATABASE_URI"]))
    if is_production(app.config) and not app.config.get("LMS_PUBLIC_URL"):
        log.error(
            "LMS_PUBLIC_URL is not set: links in mail and credentials would point at the "
            "development address. Set it to the site's https address."
        )


def load_user(session_id: str) -> Any:
    """Load the user only if the session's version is still current (see User.get_id)."""
    from lms.models import User

    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # One query for the user and their roles (every signed-in page needs both).
    user = db.session.get(User, int(user_id), options=[joinedload(User.roles)])
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def is_safe_next(target: str | None) -> bool:
    """Only local absolute paths: no scheme, no host, no `//` or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
