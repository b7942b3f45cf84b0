"""The dependencies `/healthz` reports on, one named check each.

A check is a function that returns normally when its dependency answers and raises (or returns
False) when it does not. A *critical* dependency down makes the site unavailable (`/healthz`
answers 503); any other makes it `degraded` (200: the site still serves, e.g. rate limits in
memory while Redis is away). Adding a dependency is one line, e.g. in the module that owns it:

    health.register("queue", queue_is_reachable)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from lms.extensions import db, limiter

log = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Check:
    name: str
    probe: Callable[[], object]
    critical: bool = False


CHECKS: dict[str, Check] = {}
#: Extra figures shown under "details" (e.g. the queue's oldest waiting job); never fatal.
DETAILS: dict[str, Callable[[], dict[str, object]]] = {}


def register(name: str, probe: Callable[[], object], *, critical: bool = False) -> None:
    """Report on `name` in /healthz from now on (registering a name again replaces it)."""
    CHECKS[name] = Check(name, probe, critical)


def register_details(name: str, collect: Callable[[], dict[str, object]]) -> None:
    """Add `collect()`'s figures to /healthz under `details.<name>`."""
    DETAILS[name] = collect


@dataclass(frozen=True)
class Health:
    status: str  # ok, degraded or unavailable
    dependencies: dict[str, str]  # name -> ok or unavailable
    details: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def http_status(self) -> int:
        return 503 if self.status == UNAVAILABLE else 200

    def as_json(self) -> dict[str, object]:
        extra = {"details": self.details} if self.details else {}
        return {"status": self.status, **self.dependencies, **extra}


def _state(check: Check) -> str:
    try:
        answered = check.probe()
    except Exception:  # any failure at all means "not reachable"; logged, never raised
        log.warning("health check %s failed", check.name, exc_info=True)
        return UNAVAILABLE
    return UNAVAILABLE if answered is False else OK


def current() -> Health:
    """Run every registered check now."""
    states = {name: _state(check) for name, check in CHECKS.items()}
    down = [CHECKS[name] for name, state in states.items() if state != OK]
    if any(check.critical for check in down):
        status = UNAVAILABLE
    else:
        status = DEGRADED if down else OK
    details = {}
    for name, collect in DETAILS.items():
        try:
            details[name] = collect()
        except Exception:  # figures are a courtesy: a failure is logged, never raised
            log.warning("health details %s failed", name, exc_info=True)
    return Health(status, states, details)


def database_answers() -> None:
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def rate_limit_store_answers() -> bool:
    """The configured store itself (not the in-memory fallback) answers a ping."""
    if not limiter.enabled:
        return True
    return bool(limiter.storage.check())


register("database", database_answers, critical=True)
register("rate_limit_store", rate_limit_store_answers)
