"""Static files under content-hashed names, cached for a year; every response compressed.

`url_for("static", filename="css/app.css")` gives `/static/css/app.<hash>.css`, where the hash
is of the file's bytes, computed once when the app starts (the files ship with the package and
do not change while it runs). A browser may then keep the file for a year without asking
again (`immutable`): a changed file gets a new name, so a new page never meets an old asset.
A name without a hash, or with a hash that is not the current one (a page cached across a
release), is still served, with the ordinary revalidating headers.

A browser's first visit gets the stylesheet inline: when a page is navigated to (the browser
says `Sec-Fetch-Mode: navigate`) with no cookie saying this browser has the file, the page
carries `css/app.css` in a `<style>` element (allowed by its hash in the Content-Security-Policy)
and only prefetches the file, so the first paint needs one round trip, not two (on a 2 s
mobile round trip that is the difference between a 2.5 s and a 4.5 s first paint). The
response sets `lms_css=<hash>`; later pages link the file, which the browser then has.

Compression is Flask-Compress: brotli for browsers that accept it, else gzip, for HTML, CSS,
JavaScript and JSON over 500 bytes. A reverse proxy may compress instead (docs/production.md);
it leaves responses the app already compressed alone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request, send_from_directory
from flask.typing import ResponseReturnValue
from flask_compress import Compress
from markupsafe import Markup

HASH_LENGTH = 12
LONG_CACHE = "public, max-age=31536000, immutable"
_HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)$"
)

compress = Compress()

INLINE_STYLESHEET = "css/app.css"
STYLESHEET_COOKIE = "lms_css"
_ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class InlineStylesheet:
    """The stylesheet a first visit carries inline, and what the policy needs to allow it."""

    text: str
    digest: str  # the content hash of its file name: the cookie's value

    @property
    def csp_source(self) -> str:
        """`'sha256-…'` of the text exactly as it stands between `<style>` and `</style>`."""
        digest = hashlib.sha256(self.text.encode()).digest()
        return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_stylesheet(folder: Path) -> InlineStylesheet | None:
    path = folder / INLINE_STYLESHEET
    if not path.is_file():
        return None
    data = path.read_bytes()
    text = data.decode()
    if "</" in text:  # would end the <style> element early; app.css never needs it
        raise ValueError(f"{path}: '</' cannot be inlined in a <style> element")
    return InlineStylesheet(text=text, digest=hashlib.sha256(data).hexdigest()[:HASH_LENGTH])


def content_hashes(folder: Path) -> dict[str, str]:
    """Each file under `folder` (by its path relative to it, with `/`) and its content hash."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
            hashes[path.relative_to(folder).as_posix()] = digest
    return hashes


def hashed_name(filename: str, digest: str) -> str:
    """`css/app.css` with digest `abc` → `css/app.abc.css` (a name without a suffix: `name.abc`)."""
    folder, slash, name = filename.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
    return f"{folder}{slash}{hashed}"


def init_static_assets(app: Flask) -> None:
    """Hash the static files' names in every `url_for('static', …)`; compress responses."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    compress.init_app(app)

    folder = Path(app.static_folder or "")
    hashes = content_hashes(folder) if folder.is_dir() else {}
    originals = {hashed_name(name, digest): name for name, digest in hashes.items()}

    @app.url_defaults
    def _hash_static_names(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and (digest := hashes.get(values.get("filename", ""))):
            values["filename"] = hashed_name(values["filename"], digest)

    def static(filename: str) -> ResponseReturnValue:
        original = originals.get(filename)
        if original is not None:
            response = send_from_directory(folder, original, max_age=None)
            response.headers["Cache-Control"] = LONG_CACHE
            return response
        match = _HASHED_NAME.match(filename)
        if match and not (folder / filename).is_file():
            # An old hash (a page cached across a release): today's file, revalidated.
            filename = match["stem"] + match["suffix"]
        return send_from_directory(folder, filename)

    app.view_functions["static"] = static
    _init_first_visit_stylesheet(app, inline_stylesheet(folder))


def stylesheet_csp_sources(app: Flask) -> list[str]:
    """What `style-src` must allow besides 'self': the inline first-visit stylesheet's hash."""
    stylesheet = app.extensions.get("lms_inline_stylesheet")
    return [stylesheet.csp_source] if stylesheet else []


def _init_first_visit_stylesheet(app: Flask, stylesheet: InlineStylesheet | None) -> None:
    app.extensions["lms_inline_stylesheet"] = stylesheet

    def first_visit_stylesheet() -> Markup | None:
        """The stylesheet to inline, or None when this browser has the file (cookie)."""
        g.lms_stylesheet_chosen = True
        if (
            stylesheet is None
            # A browser loading the page as a page (not a script, the service worker storing
            # a lesson for offline use, or an old browser that does not say): those link it.
            or request.headers.get("Sec-Fetch-Mode") != "navigate"
            or request.cookies.get(STYLESHEET_COOKIE) == stylesheet.digest
        ):
            return None
        g.lms_stylesheet_inlined = True
        return Markup(stylesheet.text)  # noqa: S704 - our own file, checked for '</' above

    app.add_template_global(first_visit_stylesheet)

    @app.after_request
    def _remember_the_stylesheet(response: Response) -> Response:
        if g.get("lms_stylesheet_chosen"):
            response.vary.update(("Cookie", "Sec-Fetch-Mode"))
        if g.get("lms_stylesheet_inlined") and stylesheet is not None:
            response.set_cookie(
                STYLESHEET_COOKIE,
                stylesheet.digest,
                max_age=_ONE_YEAR,
                secure=bool(app.config.get("LMS_FORCE_SECURE_COOKIES") or request.is_secure),
                httponly=True,
                samesite="Lax",
            )
        return response
