"""The system font the PDF tests print with, or a skip (a failure where CI demands the font)."""

from __future__ import annotations

import os

import pytest

from lms.domain.certificates import INSTALL_HINT, FontFiles, find_unicode_font


@pytest.fixture(scope="session")
def system_font() -> FontFiles:
    font = find_unicode_font()
    if font is not None:
        return font
    if os.environ.get("LMS_REQUIRE_FONT") == "1":
        pytest.fail(f"LMS_REQUIRE_FONT=1 but {INSTALL_HINT}")
    pytest.skip(f"{INSTALL_HINT} (set LMS_REQUIRE_FONT=1 to make this a failure)")
