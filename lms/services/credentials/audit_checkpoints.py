"""Signed checkpoints of the audit chain's head (docs/audit.md).

They live beside the credential keys because they are signed with them; the audit service
(a lower layer) stores and checks them. `write_checkpoint` is called by `lms audit checkpoint`,
with every registry snapshot, and by the periodic job.
"""

from __future__ import annotations

from lms.domain.audit_checkpoint import sign_checkpoint
from lms.extensions import db
from lms.models import AuditCheckpoint
from lms.services import audit
from lms.services.credentials import keys

PERIODIC = "periodic"
REGISTRY_SNAPSHOT = "registry_snapshot"
MANUAL = "manual"


def write_checkpoint(reason: str = PERIODIC, *, commit: bool = True) -> AuditCheckpoint | None:
    """Sign and store the chain's current head; None while the log is empty.

    With `commit=False` the checkpoint joins the caller's transaction (a registry snapshot
    vouches for the chain including its own audit event).
    """
    kid, key = keys.signing_key()  # may rotate (and audit) first, so before reading the head
    head = audit.chain_head()
    if head is None:
        if commit:
            db.session.commit()
        return None
    row = audit.store_checkpoint(head, sign_checkpoint(head, key, kid), reason)
    if commit:
        db.session.commit()
    return row
