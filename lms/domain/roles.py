"""The roles a user can hold. A user may hold several."""

from __future__ import annotations

TRAINEE = "trainee"
TRAINER = "trainer"
REVIEWER = "reviewer"
ADMIN = "admin"

ROLES: tuple[str, ...] = (TRAINEE, TRAINER, REVIEWER, ADMIN)
