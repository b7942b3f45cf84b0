"""Bearer tokens for the read-only registry API: created and revoked by an administrator.

A token is shown once, when it is created, and only its SHA-256 is stored (a token is a long
random secret, so an unsalted hash is enough: there is nothing to guess). The first characters
are kept in clear to tell tokens apart in lists and in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from lms.extensions import db
from lms.models import ApiToken, User
from lms.models.types import utcnow
from lms.services import audit

TOKEN_PREFIX = "lmsreg_"  # noqa: S105 (not a secret: recognisable in a leak or a scanner)
SCOPES: tuple[str, ...] = ("registry:read",)
SHOWN_PREFIX = 12


class TokenError(ValueError):
    """A token request that cannot be carried out."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(name: str, scopes: tuple[str, ...], actor: User | None) -> tuple[ApiToken, str]:
    """A new token row and the token itself (never stored; show it once). Audited; commits."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("a token needs a name of at most 100 characters")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise TokenError(f"unknown scope(s) {unknown}; known: {', '.join(SCOPES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
        scopes=sorted(set(scopes)),
        token_hash=token_hash(secret),
        prefix=secret[:SHOWN_PREFIX],
        created_by_id=actor.id if actor else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "token.create", "api_token", row.id, {"name": name, "scopes": row.scopes})
    db.session.commit()
    return row, secret


def revoke(token_id: int, actor: User | None) -> ApiToken:
    """Revoke a token (it stops working at once). Audited; commits. Raises TokenError."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise TokenError(f"no token with id {token_id}")
    if row.revoked_at is not None:
        raise TokenError(f"token {token_id} is already revoked")
    row.revoked_at = utcnow()
    audit.record(actor, "token.revoke", "api_token", row.id, {"name": row.name})
    db.session.commit()
    return row


def all_tokens() -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())


def authenticate(token: str) -> ApiToken | None:
    """The live (not revoked) token row for a presented token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row


def record_call(row: ApiToken, method: str, path: str, args: dict[str, str], status: int) -> None:
    """Mark the token used and audit the call (path and query only; no bodies). Commits."""
    row.last_used_at = utcnow()
    audit.record(
        None,
        "api.registry",
        "api_token",
        row.id,
        {"method": method, "path": path, "args": args, "status": status},
    )
    db.session.commit()
