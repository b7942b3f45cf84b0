"""Flask extension instances, created unbound and initialised in `create_app`."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class LazyMigrate:
    """Flask-Migrate, imported on first use: Alembic (~0.1 s, ~11 MB) stays out of the web
    workers (issue 18). `lms db …` and `flask_migrate.upgrade()` work as with `Migrate`."""

    def init_app(self, app: Flask, db: SQLAlchemy, **options: Any) -> None:
        app.extensions["migrate"] = _DeferredMigrate(app, db, options)
        app.cli.add_command(_LazyDbGroup("db", help="Perform database migrations."))


class _DeferredMigrate:
    """Stands in `app.extensions["migrate"]` until something reads it, then the real one."""

    def __init__(self, app: Flask, db: SQLAlchemy, options: dict[str, Any]) -> None:
        self._app, self._db, self._options = app, db, options

    def __getattr__(self, name: str) -> Any:
        from flask_migrate import Migrate

        Migrate(self._app, self._db, **self._options)  # replaces this stand-in
        return getattr(self._app.extensions["migrate"], name)


class _LazyDbGroup(click.Group):
    """The `db` command group of Flask-Migrate, imported when the group is used."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        from flask_migrate.cli import db

        return db.make_context(info_name, args, parent, **extra)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
