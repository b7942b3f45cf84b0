"""Files of published course versions (images, captions, videos), public and immutable; and the
public list of published courses and their versions (`lms courses check --against`)."""

from __future__ import annotations

import posixpath

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from lms.extensions import talisman
from lms.services.learning.catalog import course_file, published_versions
from lms.web.media import MEDIA_TYPES

bp = Blueprint("courses", __name__, url_prefix="/courses")

# Only media are served: quizzes (answer keys) and course.yml never leave the server.


@bp.get("/<slug>/files/<key>/<path:path>")
@talisman(
    # An SVG opened on its own must not run anything.
    content_security_policy={"default-src": "'none'", "style-src": "'unsafe-inline'", "sandbox": ""}
)
def course_file_view(slug: str, key: str, path: str) -> ResponseReturnValue:
    media_type = MEDIA_TYPES.get(posixpath.splitext(path)[1].lower())
    if media_type is None:
        abort(404)
    stored = course_file(slug, key, path)
    if stored is None:
        abort(404)
    headers = {
        "Content-Type": media_type,
        "Cache-Control": "public, max-age=31536000, immutable",
    }
    return stored.data, 200, headers


@bp.get("/catalog.json")
def catalog_json() -> ResponseReturnValue:
    """Slugs and versions of the published courses: what a course in another repository may
    name as a prerequisite. Public facts only (no content, no commits)."""
    courses = [
        {"slug": course["slug"], "versions": [v["version"] for v in course["versions"]]}
        for course in published_versions()
        if course["versions"]
    ]
    response = jsonify({"courses": courses})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
