"""Job coach LMS: trains and certifies job coaches for supported employment in Mongolia."""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.engine import Engine

from lms.config import finish_database_config, load_config
from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
from lms.private_files import make_private_folder


def migrations_dir() -> str:
    """Where the Alembic revisions live, whether installed or in a checkout."""
    return str(resources.files("lms.migrations"))


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The application factory used by `lms`, `flask --app lms`, gunicorn and the tests."""
    instance_path = os.environ.get("LMS_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
    )
    make_private_folder(Path(app.instance_path))  # 0700: it holds the database and keys
    app.config.from_mapping(load_config(Path(app.instance_path)))
    app.config.update(overrides or {})
    finish_database_config(app.config)
    logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    _connect_services()
    _init_queue(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from lms import models  # noqa: F401  (every model registered before use)
    from lms.i18n import select_locale
    from lms.security import init_security
    from lms.web.static_assets import init_static_assets

    db.init_app(app)
    migrate.init_app(app, db, directory=migrations_dir(), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_message = _l("Please log in to see this page.")
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_static_assets(app)  # before the security headers: the policy allows its inline CSS
    init_security(app)


def _connect_services() -> None:
    """Wire the services that listen to events from the layers below them."""
    from lms.services import certification, renewal

    certification.listen()
    renewal.listen()


def _init_queue(app: Flask) -> None:
    """The job queue (Huey): mail, publishing and scheduled work run there."""
    from lms.services import queue

    queue.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from lms.admin.views import bp as admin_bp
    from lms.api.views import bp as api_bp
    from lms.auth.views import bp as auth_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.courses.views import bp as courses_bp
    from lms.hooks.views import bp as hooks_bp
    from lms.learn.views import bp as learn_bp
    from lms.main.errors import register_error_handlers
    from lms.main.views import bp as main_bp
    from lms.quiz.views import bp as quiz_bp
    from lms.registry.views import bp as registry_bp
    from lms.trainer.views import bp as trainer_bp

    for blueprint in (
        main_bp,
        auth_bp,
        learn_bp,
        quiz_bp,
        certificates_bp,
        courses_bp,
        trainer_bp,
        registry_bp,
        admin_bp,
        api_bp,
        hooks_bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)

    from lms.main.templating import init_templating

    init_templating(app)


def _register_cli(app: Flask) -> None:
    from lms.cli.commands import register_commands

    register_commands(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work during a write; the busy timeout queues concurrent writers."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
