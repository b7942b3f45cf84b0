"""Languages: Mongolian by default, English on request, and a complete catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lms" / "translations"


def test_mongolian_is_the_default(client):
    response = client.get("/")
    assert '<html lang="mn">' in response.text
    assert "Нэвтрэх" in response.text


def test_language_switch_persists_and_stays_on_the_page(client):
    response = client.post("/language", data={"lang": "en", "next": "/account/login"})
    assert response.headers["Location"] == "/account/login"
    page = client.get("/account/login")
    assert '<html lang="en">' in page.text
    assert ">Log in<" in page.text


def test_language_switch_ignores_foreign_next(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"


def test_signed_in_users_language_is_remembered(client, login_as, db):
    user = login_as("trainee")
    client.post("/language", data={"lang": "en"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_mongolian_catalogue_is_complete_and_compiled(tmp_path):
    """Every string in the code and templates has a Mongolian translation, compiled."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(TRANSLATIONS / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        template = read_po(handle)
    with (TRANSLATIONS / "mn" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="mn")
    with (TRANSLATIONS / "mn" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    untranslated = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        strings = translated.string if translated else None
        if isinstance(strings, str | None):
            strings = (strings,)
        if translated is None or "fuzzy" in translated.flags or not all(strings):
            untranslated.append(message.id)
            continue
        assert compiled.get(message.id) is not None, f"not compiled: {message.id!r}"
        compiled_strings = compiled[message.id].string
        if not isinstance(compiled_strings, str):
            compiled_strings = tuple(compiled_strings)
        assert compiled_strings == translated.string, f"stale .mo: {message.id!r}"
    assert not untranslated, f"untranslated strings: {untranslated}"


def test_templates_follow_a_language_forced_inside_a_request(app, db):
    """Templates remember the catalogue for the request, but a mail rendered in the
    recipient's language (`force_locale`) still gets that language, and the page after it
    its own again."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = (
        '{{ _("Log in") }} / '
        '{{ ngettext("%(num)s credential found.", "%(num)s credentials found.", 2) }}'
    )
    with app.test_request_context("/"):
        page = render_template_string(template)
        with force_locale("en"):
            mail = render_template_string(template)
            with force_locale("mn"):
                nested = render_template_string(template)
        after = render_template_string(template)
    assert page == after == nested
    assert page.startswith("Нэвтрэх / 2 ")
    assert mail == "Log in / 2 credentials found."
