"""Named permission predicates, declared at the view boundary."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from lms.domain.roles import ADMIN

F = TypeVar("F", bound=Callable[..., Any])


def require_role(*roles: str) -> Callable[[F], F]:
    """Anonymous users are sent to log in; signed-in users without one of `roles` get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from lms.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can_manage_users(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(ADMIN))


def can_learn_in(user: Any, enrolment: Any) -> bool:
    """Course content is for the enrolment's own trainee, once it is active or completed."""
    return bool(
        user.is_authenticated
        and enrolment is not None
        and enrolment.user_id == user.id
        and enrolment.state in ("active", "completed")
    )


def can_view_attempt(user: Any, attempt: Any) -> bool:
    """An attempt, its answers and its result belong to the trainee who made it."""
    return bool(user.is_authenticated and attempt.enrolment.user_id == user.id)
