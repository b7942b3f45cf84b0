"""Static files under content-hashed names, cached for a year; every response compressed.

`url_for("static", filename="css/app.css")` gives `/static/css/app.<hash>.css`, where the hash
is of the file's bytes, computed once when the app starts (the files ship with the package and
do not change while it runs). A browser may then keep the file for a year without asking
again (`immutable`): a changed file gets a new name, so a new page never meets an old asset.
A name without a hash, or with a hash that is not the current one (a page cached across a
release), is still served, with the ordinary revalidating headers.

Compression is Flask-Compress: brotli for browsers that accept it, else gzip, for HTML, CSS,
JavaScript and JSON over 500 bytes. A reverse proxy may compress instead (docs/production.md);
it leaves responses the app already compressed alone.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, send_from_directory
from flask.typing import ResponseReturnValue
from flask_compress import Compress

HASH_LENGTH = 12
LONG_CACHE = "public, max-age=31536000, immutable"
_HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)$"
)

compress = Compress()


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
