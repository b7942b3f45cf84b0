"""Evidence files of external activities: stored privately, read back only through the
access-checked evidence route (`lms.learn.ce_views`).

Each file is kept under the instance folder as ``ce-evidence/<random>.<ext>`` (folder 0700,
file 0600); the random name is the only reference to it, in `CeActivity.evidence_file`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from lms.domain.credentials.evidence import EvidenceType, by_extension
from lms.private_files import write_private_file


def evidence_folder() -> Path:
    return Path(current_app.instance_path) / "ce-evidence"


def store(data: bytes, kind: EvidenceType) -> str:
    """Write ``data`` to a new private file; returns its name (for `CeActivity.evidence_file`)."""
    name = f"{secrets.token_hex(16)}.{kind.extension}"
    write_private_file(evidence_folder() / name, data)
    return name


def discard(name: str) -> None:
    """Remove a stored file whose row was never written."""
    if name:
        (evidence_folder() / name).unlink(missing_ok=True)


def path_of(name: str) -> tuple[Path, EvidenceType] | None:
    """The stored file called ``name`` and its type, if it exists and the name is one of ours."""
    stem, _, extension = name.partition(".")
    kind = by_extension(extension)
    if kind is None or len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem):
        return None
    path = evidence_folder() / name
    return (path, kind) if path.is_file() else None
