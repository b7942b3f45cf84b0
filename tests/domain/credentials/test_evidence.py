"""Which evidence files are accepted: the first bytes decide, and the size."""

from __future__ import annotations

import pytest

from lms.domain.credentials.evidence import (
    MAX_EVIDENCE_BYTES,
    evidence_problem,
    evidence_type,
    provider_key,
)


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"%PDF-1.4\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xdb\x00", "jpg"),
        (b"\xff\xd8\xff\xe1Exif", "jpg"),
    ],
)
def test_accepted_types_are_known_by_their_first_bytes(data, extension):
    found = evidence_type(data)
    assert found is not None
    assert found.extension == extension
    assert evidence_problem(data) == ""


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"GIF89a",
        b"PK\x03\x04 a .docx",
        b" %PDF-1.4",  # the signature must come first
        b"\x89PNG",  # a truncated signature
    ],
)
def test_other_files_are_refused(data):
    assert evidence_type(data) is None
    assert evidence_problem(data) == "type"


def test_empty_and_too_large_files_are_refused():
    assert evidence_problem(b"") == "empty"
    assert evidence_problem(b"%PDF-" + b"0" * (MAX_EVIDENCE_BYTES - 5)) == ""
    assert evidence_problem(b"%PDF-" + b"0" * (MAX_EVIDENCE_BYTES - 4)) == "too_large"


def test_provider_names_match_whatever_their_case_and_spacing():
    assert provider_key("  Mongolian   NGO\tNetwork ") == "mongolian ngo network"
    assert provider_key("ХӨГЖЛИЙН Бэрхшээлтэй") == provider_key("хөгжлийн бэрхшээлтэй")
    assert provider_key("   ") == ""
