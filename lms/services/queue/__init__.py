"""Background work on Huey: the outbox relay, the outbox job and the scheduled jobs.

High in the service layers (the jobs call registry, notifications, audit); the outbox writer
it reads from is the lowest layer (`lms.services.outbox`). See docs/background-work.md.
"""

from __future__ import annotations

from flask import Flask

from lms import health
from lms.services import outbox
from lms.services.queue import delivery, relay, schedule
from lms.services.queue import status as queue_health
from lms.services.queue.engine import configure, huey, is_embedded, queue_location

__all__ = ["delivery", "huey", "init_app", "is_embedded", "queue_location", "relay", "schedule"]


def init_app(app: Flask) -> None:
    """Point Huey at the configured storage and hand committed outbox rows to it."""
    configure(app)
    outbox.committed.connect(relay.on_committed, weak=False)
    # Work waits in the outbox while the queue is down: degraded, not unavailable.
    health.register("queue", queue_health.queue_answers)
    health.register_details("queue", queue_health.queue_figures)
