"""Evidence of an external continuing-education activity: which files are accepted.

A coach uploads a certificate of attendance as a PDF or a photo of it (PNG or JPEG). The type is
decided by the file's first bytes (its "magic number"), never by its name or the type the
browser claims, and the file is at most `MAX_EVIDENCE_BYTES`. Three fixed signatures are the
whole allow-list, so they are spelled out here rather than asked of a file-type library.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class EvidenceType:
    extension: str
    mimetype: str
    signature: bytes


EVIDENCE_TYPES: tuple[EvidenceType, ...] = (
    EvidenceType("pdf", "application/pdf", b"%PDF-"),
    EvidenceType("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    EvidenceType("jpg", "image/jpeg", b"\xff\xd8\xff"),
)


def evidence_type(data: bytes) -> EvidenceType | None:
    """The accepted type whose signature ``data`` starts with, else None."""
    return next((kind for kind in EVIDENCE_TYPES if data.startswith(kind.signature)), None)


def by_extension(extension: str) -> EvidenceType | None:
    return next((kind for kind in EVIDENCE_TYPES if kind.extension == extension), None)


def evidence_problem(data: bytes) -> str:
    """Why ``data`` cannot be evidence: ``"empty"``, ``"too_large"``, ``"type"``; else ``""``."""
    if not data:
        return "empty"
    if len(data) > MAX_EVIDENCE_BYTES:
        return "too_large"
    if evidence_type(data) is None:
        return "type"
    return ""


def provider_key(name: str) -> str:
    """A provider's name as it is matched against the pre-approved list: case-folded, with
    runs of white space as one space ("  Mongolian  NGO " matches "mongolian ngo")."""
    return " ".join(name.casefold().split())
