"""Configuration read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def read_or_create_secret(path: Path, make: Any = lambda: secrets.token_hex(32)) -> str:
    """Return the secret stored at `path`, creating it (mode 0600) exactly once.

    Several gunicorn workers may start together: the secret is written to a temporary
    file and hard-linked into place, so every process ends up reading the same value.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def load_config(instance_path: Path) -> dict[str, Any]:
    """Build the Flask configuration mapping from LMS_* environment variables."""
    env = os.environ
    database_url = env.get("LMS_DATABASE_URL") or f"sqlite:///{instance_path / 'lms.sqlite3'}"
    secret_key = env.get("LMS_SECRET_KEY") or read_or_create_secret(instance_path / "secret_key")
    data_key = env.get("LMS_DATA_KEY") or read_or_create_secret(
        instance_path / "data_key", make=_new_fernet_key
    )
    return {
        "SECRET_KEY": secret_key,
        "LMS_DATA_KEY": data_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAX_CONTENT_LENGTH": int(env.get("LMS_MAX_CONTENT_LENGTH", 8 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "LMS_FORCE_SECURE_COOKIES": _flag("LMS_SECURE_COOKIES"),
        "LMS_PROXY_FIX": _flag("LMS_PROXY_FIX"),
        "RATELIMIT_STORAGE_URI": env.get("LMS_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _flag("LMS_RATELIMIT_ENABLED", default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # The store (Redis) down must not stop logins: Flask-Limiter logs a warning, counts in
        # this worker's memory until the store answers again, and never lets its error reach a
        # request. Short timeouts so an unreachable host costs a second, not a hung worker.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": _storage_options(env.get("LMS_RATELIMIT_STORAGE_URL", "")),
        "LMS_LOGIN_LIMIT_PER_ADDRESS": env.get("LMS_LOGIN_LIMIT_PER_ADDRESS", "30 per 10 minutes"),
        "LMS_LOGIN_LIMIT_PER_ACCOUNT": env.get("LMS_LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes"),
        # Longest wait between guesses once an account's free attempts are used (seconds).
        "LMS_LOGIN_THROTTLE_MAX_DELAY": int(env.get("LMS_LOGIN_THROTTLE_MAX_DELAY", "300")),
        # Job queue (docs/background-work.md): unset = SQLite file in the instance folder.
        "LMS_QUEUE_URL": env.get("LMS_QUEUE_URL", ""),
        "LMS_QUEUE_NAME": env.get("LMS_QUEUE_NAME", "lms"),
        "LMS_MAIL_SERVER": env.get("LMS_MAIL_SERVER", ""),
        "LMS_MAIL_PORT": int(env.get("LMS_MAIL_PORT", "587")),
        "LMS_MAIL_USERNAME": env.get("LMS_MAIL_USERNAME", ""),
        "LMS_MAIL_PASSWORD": env.get("LMS_MAIL_PASSWORD", ""),
        "LMS_MAIL_STARTTLS": _flag("LMS_MAIL_STARTTLS", default=True),
        "LMS_MAIL_SENDER": env.get("LMS_MAIL_SENDER", "no-reply@localhost"),
        "LMS_PASSWORD_RESET_MAX_AGE": int(env.get("LMS_PASSWORD_RESET_MAX_AGE", "3600")),
        "LMS_WELCOME_LINK_MAX_AGE": int(env.get("LMS_WELCOME_LINK_MAX_AGE", str(14 * 86400))),
        "LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL": _flag("LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL"),
        # The only source of absolute links (lms/public_urls.py); required in production.
        "LMS_PUBLIC_URL": env.get("LMS_PUBLIC_URL", "").strip(),
        # "production" or "development"; unset: production when the database is not SQLite.
        "LMS_ENV": env.get("LMS_ENV", "").strip().lower(),
        # Publishing on push (docs/publishing-on-push.md): off while the secret is unset.
        "LMS_GIT_HOOK_SECRET": env.get("LMS_GIT_HOOK_SECRET", ""),
        "LMS_COURSE_REPO_URL": env.get("LMS_COURSE_REPO_URL", ""),
        "LMS_COURSE_REPO_PATHS": env.get("LMS_COURSE_REPO_PATHS", ""),
        "LMS_COURSE_REPO_BRANCH": env.get("LMS_COURSE_REPO_BRANCH", "refs/heads/main"),
        "LMS_COURSE_REPO_TIMEOUT": float(env.get("LMS_COURSE_REPO_TIMEOUT", "20")),
        # Larger XLSX exports of the registry are prepared by a job, not inside the request.
        "LMS_XLSX_INLINE_MAX_ROWS": int(env.get("LMS_XLSX_INLINE_MAX_ROWS", "5000")),
        "BABEL_DEFAULT_LOCALE": "mn",
        "BABEL_DEFAULT_TIMEZONE": env.get("LMS_TIMEZONE", "Asia/Ulaanbaatar"),
        "WTF_CSRF_TIME_LIMIT": None,
    }


def _storage_options(url: str) -> dict[str, Any]:
    if url.startswith(("redis://", "rediss://", "redis+unix://")):
        return {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {}


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def finish_database_config(config: dict[str, Any]) -> None:
    """Use psycopg 3 for PostgreSQL URLs and pick engine options for the final URL."""
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        options: dict[str, Any] = {"connect_args": {"timeout": 15}}
    else:
        options = {"pool_pre_ping": True}
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
