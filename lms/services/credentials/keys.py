"""Signing keys for credentials: private halves on disk (mode 0600), public halves published.

The folder is `LMS_SIGNING_KEY_DIR`, or `keys/` in the instance folder. Database dumps never
contain a private key; losing the folder means issuing with a new key (old credentials stay
verifiable, since their public keys stay published).

New keys are P-256 (ES256). An Ed25519 key of the first release still loads, but is retired the
first time something is signed after the upgrade: its public half stays in the JWK Set, under
its old thumbprint `kid`, for the credentials it signed. A new key is published under the URL
that answers with its JWK (`key_url`), which is also the `kid` in the tokens it signs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from lms.domain.credentials import (
    key_id,
    load_private_key_pem,
    new_signing_key,
    private_key_pem,
    public_jwk,
)
from lms.domain.credentials.keys import ES256, SigningPrivateKey
from lms.extensions import db
from lms.models import SigningKey
from lms.models.types import utcnow
from lms.public_urls import public_url
from lms.services import audit


def key_dir() -> Path:
    configured = os.environ.get("LMS_SIGNING_KEY_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "keys"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def rotate() -> SigningKey:
    """Create a new signing key; the previous ones stop signing but stay published."""
    private = new_signing_key()
    kid = key_id(private.public_key())
    _write_private(key_dir() / f"{kid}.pem", private_key_pem(private))
    now = utcnow()
    for row in db.session.execute(
        select(SigningKey).where(SigningKey.retired_at.is_(None))
    ).scalars():
        row.retired_at = now
    row = SigningKey(kid=kid, public_jwk=public_jwk(private, kid))
    db.session.add(row)
    db.session.flush()
    audit.record(None, "key.rotate", "signing_key", kid)
    db.session.commit()
    return row


def signing_key() -> tuple[str, SigningPrivateKey]:
    """The current key (created on first use, and replaced if it is not ES256) and the `kid`
    its tokens carry: the URL of its JWK."""
    row = (
        db.session.execute(
            select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.id.desc())
        )
        .scalars()
        .first()
    )
    path = key_dir() / f"{row.kid}.pem" if row else None
    if row is None or path is None or not path.exists() or row.public_jwk.get("alg") != ES256:
        row = rotate()
        path = key_dir() / f"{row.kid}.pem"
    return key_url(row.kid), load_private_key_pem(path.read_bytes())


def key_url(thumbprint: str) -> str:
    """Where the one JWK of the key with this thumbprint is published."""
    return public_url("certificates.signing_key", kid=thumbprint)


def published_jwk(row: SigningKey) -> dict[str, Any]:
    """The key as published: an ES256 key under its URL, a first-release Ed25519 key under the
    bare thumbprint its tokens carry."""
    if row.public_jwk.get("alg") == ES256:
        return {**row.public_jwk, "kid": key_url(row.kid)}
    return dict(row.public_jwk)


def find_published(thumbprint: str) -> dict[str, Any] | None:
    row = db.session.execute(
        select(SigningKey).where(SigningKey.kid == thumbprint)
    ).scalar_one_or_none()
    return published_jwk(row) if row is not None else None


def jwks() -> dict[str, Any]:
    """Every public key ever used, newest first: old credentials must stay verifiable."""
    rows = db.session.execute(select(SigningKey).order_by(SigningKey.id.desc())).scalars()
    return {"keys": [published_jwk(row) for row in rows]}
