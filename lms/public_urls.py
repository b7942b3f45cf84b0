"""Absolute links to this site, built from `LMS_PUBLIC_URL` and nothing else.

Every absolute link the product hands out — in mail (password reset, welcome), on certificates
and their QR codes, inside signed credentials and status lists, in the OpenAPI `servers` — is
built here. Request headers (`Host`, `X-Forwarded-Host`, ...) never choose the host: a forged
header must not be able to send a reset link to somebody else's server, and a signed document
must name the same URLs whichever proxy the request came through. No request is needed, so
services, the CLI and background jobs build the same links as views do.

Without `LMS_PUBLIC_URL` (development) links point at `DEVELOPMENT_URL`; in production mode
`lms serve` refuses to start until it is set (see `is_production`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

DEVELOPMENT_URL = "http://127.0.0.1:5000"


class PublicUrlInvalid(ValueError):
    """`LMS_PUBLIC_URL` is not an http(s) address without query or fragment."""


def is_production(config: Mapping[str, Any]) -> bool:
    """Production mode: `LMS_ENV=production`, or a non-SQLite database unless
    `LMS_ENV=development` (a PostgreSQL server means a shared deployment)."""
    env = str(config.get("LMS_ENV", "")).strip().lower()
    if env in {"production", "development"}:
        return env == "production"
    return not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")


def check_public_url(value: str) -> str:
    """The configured base URL without its trailing slash, or `PublicUrlInvalid`."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise PublicUrlInvalid(f"LMS_PUBLIC_URL must be an http(s) address, not {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise PublicUrlInvalid("LMS_PUBLIC_URL must not carry a query, fragment or login")
    return value.strip().rstrip("/")


def base_url(config: Mapping[str, Any] | None = None) -> str:
    """This site's address as people reach it, e.g. `https://lms.example.mn` (no slash)."""
    configured = str(
        (config if config is not None else current_app.config).get("LMS_PUBLIC_URL") or ""
    )
    return check_public_url(configured) if configured else DEVELOPMENT_URL


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` (a full `blueprint.view` name) under `LMS_PUBLIC_URL`."""
    app = current_app
    parts = urlsplit(base_url())
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    anchor = values.pop("_anchor", None)
    app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def public_path_url(path: str) -> str:
    """An absolute URL for a path of this site (e.g. the API's `/api/v1`)."""
    return base_url() + "/" + path.lstrip("/")
