"""Per-account login throttling: a bounded number of guesses, never a lockout of the owner.

Policy (docs/configuration.md, "Login limits"):
- `LMS_LOGIN_LIMIT_PER_ACCOUNT` ("10 per 15 minutes"): that many password checks in a row may
  fail for one e-mail address without delay; the count starts again after a quiet window.
- After that, each further check waits: 30 s, then twice as long each time, capped at
  `LMS_LOGIN_THROTTLE_MAX_DELAY` seconds (default 300). An attacker gets a trickle of guesses;
  the owner waits minutes at worst, never hours, and is never locked out.
- A successful login or password reset clears the account's throttle.
- A browser that has logged in to the account before carries a signed device token
  (`device_token`); its attempts are counted apart from everyone else's, so a stranger's
  failures never make the owner wait on their usual phone or computer (OWASP "device cookies").
- The per-address limit (Flask-Limiter, `LMS_LOGIN_LIMIT_PER_ADDRESS`) does the heavy lifting
  against one source trying many accounts.

The state lives in the database (`LoginThrottle`) so that every worker shares it, and each
attempt is claimed *before* the password is checked by a compare-and-swap UPDATE: of 40
concurrent guesses at most the limit are ever checked. Addresses with and without an account
are throttled alike, so the throttle reveals nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lms.extensions import db
from lms.models import LoginThrottle
from lms.models.types import utcnow

FIRST_DELAY = 30  # seconds of the first wait once the free attempts are used up
_CLAIM_TRIES = 8  # compare-and-swap retries before a crowded attempt is simply refused


@dataclass(frozen=True)
class Verdict:
    """May the password be checked now? If not, after `retry_after` seconds."""

    allowed: bool
    retry_after: int = 0


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _limit() -> tuple[int, timedelta]:
    item = parse(current_app.config["LMS_LOGIN_LIMIT_PER_ACCOUNT"])
    return item.amount, timedelta(seconds=item.get_expiry())


def delay_after(failures: int, limit: int, max_delay: int) -> int:
    """Seconds the next attempt must wait after `failures` failures in a row (0: none)."""
    excess = failures - limit
    if excess < 0:
        return 0
    return int(min(FIRST_DELAY * 2 ** min(excess, 30), max_delay))


def account_key(email: str) -> str:
    """A keyed hash of the normalised address: the table never holds addresses people typed."""
    normalised = email.strip().lower().encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"login-throttle:" + normalised, hashlib.sha256).hexdigest()


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def device_token(email: str) -> str:
    """A token for the browser that just logged in to `email`'s account (kept as a cookie)."""
    return _device_serializer().dumps({"a": account_key(email), "d": secrets.token_urlsafe(12)})


def _throttle_key(email: str, token: str | None) -> str:
    key = account_key(email)
    if token:
        try:
            data = _device_serializer().loads(token)
        except BadSignature:
            data = None
        if isinstance(data, dict) and data.get("a") == key and isinstance(data.get("d"), str):
            return hashlib.sha256(f"{key}:{data['d']}".encode()).hexdigest()
    return key


def claim(email: str, device: str | None = None) -> Verdict:
    """Spend one attempt of `email`'s account before checking its password; commits.

    `device` is the browser's device token, if it has one. Every attempt counts as a failure
    until `clear` says it succeeded.
    """
    if not _enabled():
        return Verdict(True)
    key = _throttle_key(email, device)
    limit, window = _limit()
    max_delay = int(current_app.config.get("LMS_LOGIN_THROTTLE_MAX_DELAY", 300))
    _ensure_row(key)
    for _ in range(_CLAIM_TRIES):
        now = utcnow()
        row = db.session.execute(
            select(
                LoginThrottle.failures,
                LoginThrottle.last_attempt_at,
                LoginThrottle.next_attempt_at,
                LoginThrottle.version,
            ).where(LoginThrottle.account_key == key)
        ).one()
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            db.session.commit()
            return Verdict(False, _seconds_until(row.next_attempt_at, now))
        quiet = row.last_attempt_at is None or now - row.last_attempt_at >= window
        failures = 1 if quiet else row.failures + 1
        wait = delay_after(failures, limit, max_delay)
        swapped = db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.account_key == key, LoginThrottle.version == row.version)
            .values(
                failures=failures,
                last_attempt_at=now,
                next_attempt_at=now + timedelta(seconds=wait) if wait else None,
                version=row.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if swapped.rowcount == 1:  # type: ignore[attr-defined]
            db.session.commit()
            return Verdict(True)
    db.session.commit()
    return Verdict(False, 1)


def clear(email: str, device: str | None = None) -> None:
    """The owner proved who they are (login or password reset): no more waiting. Caller commits."""
    keys = {account_key(email), _throttle_key(email, device)}
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.account_key.in_(keys))
        .values(failures=0, next_attempt_at=None, version=LoginThrottle.version + 1)
        .execution_options(synchronize_session=False)
    )


def prune(older_than: timedelta = timedelta(days=1)) -> int:
    """Forget addresses nobody tried for a while (for a periodic job); caller commits."""
    result = db.session.execute(
        LoginThrottle.__table__.delete().where(
            LoginThrottle.last_attempt_at < utcnow() - older_than
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _ensure_row(key: str) -> None:
    exists = db.session.execute(
        select(LoginThrottle.account_key).where(LoginThrottle.account_key == key)
    ).first()
    if exists is not None:
        return
    dialect = db.session.connection().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(LoginThrottle)
        .values(account_key=key, failures=0, version=0)
        .on_conflict_do_nothing(index_elements=["account_key"])
    )
    db.session.commit()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
