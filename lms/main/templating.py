"""What every template can use: languages, the current language, region names."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import get_locale

from lms.domain.regions import REGIONS, region_name
from lms.i18n import LANGUAGES
from lms.permissions import can_manage_users
from lms.web.credential_display import status_label


def init_templating(app: Flask) -> None:
    app.add_template_global(status_label)

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
