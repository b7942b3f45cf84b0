"""Schema objects that exist on one database only (``info={"only_on": "postgresql"}``).

Such an object is also marked ``.ddl_if(dialect=...)`` so the model never creates it elsewhere;
`include_object` keeps Alembic's model-to-database comparison from asking for it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def include_object(dialect: str) -> Callable[..., bool]:
    """An Alembic ``include_object`` hook for a connection to ``dialect``."""

    def include(obj: Any, _name: str | None, _type: str, reflected: bool, _compare_to: Any) -> bool:
        only_on = getattr(obj, "info", {}).get("only_on") if not reflected else None
        return only_on is None or only_on == dialect

    return include
