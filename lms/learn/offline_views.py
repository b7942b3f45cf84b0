"""The installable web app: its manifest, the service worker at the site root, and the list of
what "Save for offline" stores for one course (docs/offline.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Response, current_app, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from lms.learn.views import bp
from lms.services.learning.offline import offline_list
from lms.web.access import learning_place
from lms.web.static_assets import content_hashes

THEME_COLOUR = "#0b4f8a"
# The files Workbox precaches: the same patterns as globPatterns in lms/sw-src/build.mjs.
PRECACHED = re.compile(r"css/[^/]+\.css|js/[^/]+\.js|[^/]+\.svg|icons/[^/]+\.png")
_PRECACHE_CALL = re.compile(r"precacheAndRoute\(\[.*?\]\)", re.DOTALL)


@bp.get("/learn")
def start() -> ResponseReturnValue:
    """The installed app's start page: the trainee's learning (or the login page first)."""
    return redirect(url_for("learn.dashboard"))


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    icons = [
        {"src": url_for("static", filename=f"icons/{name}.png"), "sizes": size, "type": "image/png"}
        for name, size in (("icon-192", "192x192"), ("icon-512", "512x512"))
    ]
    icons.append(
        {
            "src": url_for("static", filename="icons/icon-512-maskable.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    response = jsonify(
        {
            "name": _("Job coach training"),
            "short_name": _("Job coach"),
            "description": _("Lessons, quizzes and credentials for job coaches."),
            "id": "/learn",
            "start_url": "/learn",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _service_worker_text() -> str:
    """lms/static/sw.js with its precache list naming today's hashed static files.

    Workbox's build writes the list it found then; the files ship with the package and another
    change to CSS or JS would leave it behind until the next `npm run build`. The server knows
    the names pages ask for (lms/web/static_assets.py), so it states them: read once."""
    cached = current_app.extensions.get("lms_service_worker")
    if cached is None:
        folder = Path(current_app.static_folder or "")
        entries = [
            {"revision": None, "url": url_for("static", filename=name)}
            for name in content_hashes(folder)
            if PRECACHED.fullmatch(name)
        ]
        text = (folder / "sw.js").read_text(encoding="utf-8")
        listed = f"precacheAndRoute({json.dumps(entries, separators=(',', ':'))})"
        cached = _PRECACHE_CALL.sub(lambda _: listed, text, count=1)
        current_app.extensions["lms_service_worker"] = cached
    return str(cached)


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The Workbox-built worker, at the root so its scope is the whole site."""
    response = Response(_service_worker_text(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/learn/<slug>/offline.json")
@login_required
def offline(slug: str) -> ResponseReturnValue:
    """What to store for reading the course offline: the signed-in trainee's pinned version
    only (403 without access to the course's content, 404 without the course)."""
    place = learning_place(slug)
    assert place.enrolment is not None  # noqa: S101 - learning_place checked it
    saved = offline_list(place.enrolment)
    response = jsonify(
        {
            "course": saved.slug,
            "version": saved.version,
            "version_id": saved.version_id,
            "urls": [*saved.pages, *saved.files],
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response
