"""What every template can use: languages, the current language, region names; and the
templates' `_()`/`ngettext()` looking up the catalogue once per language and request."""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, g, request
from flask_babel import get_locale, get_translations

from lms.domain.regions import REGIONS, region_name
from lms.i18n import LANGUAGES
from lms.permissions import can_manage_users
from lms.web.credential_display import status_label


def _translations() -> NullTranslations:
    """Flask-Babel's catalogue for the current locale, remembered for the rest of the request.

    Flask-Babel resolves the catalogue again on every call (locale identifier, cache key); a
    page makes 100–150 calls. The remembered one is used only while `get_locale()` returns the
    very same locale object, so `force_locale` (mail in the recipient's language) still
    switches catalogues and switches back."""
    locale = get_locale()
    remembered = g.get("_lms_translations")
    if remembered is not None and remembered[0] is locale:
        return remembered[1]  # type: ignore[no-any-return]
    translations = get_translations()
    if locale is not None:
        g._lms_translations = (locale, translations)
    return translations


def init_templating(app: Flask) -> None:
    app.add_template_global(status_label)
    # As Flask-Babel installs them (new-style gettext), with the catalogue looked up once.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.context_processor
    def inject() -> dict[str, Any]:
        locale = str(get_locale() or "mn")
        return {
            "languages": LANGUAGES,
            "current_language": locale,
            "current_path": request.full_path.rstrip("?"),
            "regions": REGIONS,
            "region_name": lambda code: region_name(code, locale),
            "can_manage_users": can_manage_users,
        }
