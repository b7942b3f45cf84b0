"""The date in Mongolia, where credentials are issued and used."""

from __future__ import annotations

from datetime import date, datetime


def today() -> date:
    """The date in Mongolia (credentials are dated where they are issued and used)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
