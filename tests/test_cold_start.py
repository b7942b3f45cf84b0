"""Starting a process is cheap: the dummy password hash is made on first login, not at import."""

from __future__ import annotations

import subprocess
import sys

from lms.services.accounts import users
from tests.factories import make_user


def test_importing_the_app_hashes_no_password():
    probe = (
        "from lms import create_app\n"
        "from lms.services.accounts import users\n"
        "print(users._dummy_hash.cache_info().currsize)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split()[-1] == "0"


def test_an_unknown_email_is_still_checked_against_a_dummy_hash(app, db):
    make_user(email="known@example.mn", password="a long enough password")
    users._dummy_hash.cache_clear()
    assert users.authenticate("nobody@example.mn", "a long enough password") is None
    assert users._dummy_hash.cache_info().currsize == 1  # made before answering
    users._dummy_hash.cache_clear()
    # A known email makes it too, so the one slower login of a process says nothing.
    assert users.authenticate("known@example.mn", "a long enough password") is not None
    assert users._dummy_hash.cache_info().currsize == 1
