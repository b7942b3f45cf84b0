"""Credentials: numbers, lifecycle, the frozen snapshot, signed Open Badges and status lists.

Pure Python (no Flask, no database). The web layer stores a `CredentialSnapshot` as JSON when it
issues a credential, changes its status with `transition`, publishes the signed status lists
and JWK Set, and hands out the credential signed by `sign_vc_jwt`; anyone can check it with
`verify_credential` or any JWT library.
"""

from lms.domain.credentials.keys import (
    find_public_key,
    jwks_document,
    key_id,
    load_private_key_pem,
    new_signing_key,
    private_key_pem,
    public_jwk,
)
from lms.domain.credentials.lifecycle import (
    ACTIONS,
    ALLOWED,
    EXPIRED,
    REVOCATION_REASONS,
    SUPERSEDE_REASONS,
    Action,
    CredentialStatus,
    IllegalTransition,
    RevocationReason,
    SupersedeReason,
    add_months,
    can_transition,
    effective_status,
    expiry_date,
    in_renewal_window,
    qualifies_for_subsidy,
    transition,
)
from lms.domain.credentials.numbers import (
    credential_number,
    is_valid_number,
    normalise_number,
    only_check_digit_wrong,
)
from lms.domain.credentials.open_badge import ACHIEVEMENT_TYPES, OB_CONTEXT, open_badge_credential
from lms.domain.credentials.signing import (
    CredentialInvalid,
    sign_vc_jwt,
    verify_vc_jwt,
)
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import (
    MESSAGE_SIZE,
    MIN_LENGTH,
    STATUS_MESSAGES,
    STATUS_PURPOSES,
    VC_CONTEXT_V2,
    StatusBits,
    StatusPurpose,
    decode,
    encode,
    message_list,
    message_status_entry,
    pick_status_index,
    read_value,
    status_list_credential,
)
from lms.domain.credentials.timestamps import CREDENTIAL_TIMEZONE
from lms.domain.credentials.verify import VerificationResult, verify_credential

__all__ = [
    "ACHIEVEMENT_TYPES",
    "ACTIONS",
    "ALLOWED",
    "CREDENTIAL_TIMEZONE",
    "EXPIRED",
    "MESSAGE_SIZE",
    "MIN_LENGTH",
    "OB_CONTEXT",
    "REVOCATION_REASONS",
    "STATUS_MESSAGES",
    "STATUS_PURPOSES",
    "SUPERSEDE_REASONS",
    "VC_CONTEXT_V2",
    "Action",
    "CredentialInvalid",
    "CredentialSnapshot",
    "CredentialStatus",
    "IllegalTransition",
    "RevocationReason",
    "StatusBits",
    "StatusPurpose",
    "SupersedeReason",
    "VerificationResult",
    "add_months",
    "can_transition",
    "credential_number",
    "decode",
    "effective_status",
    "encode",
    "expiry_date",
    "find_public_key",
    "in_renewal_window",
    "is_valid_number",
    "jwks_document",
    "key_id",
    "load_private_key_pem",
    "message_list",
    "message_status_entry",
    "new_signing_key",
    "normalise_number",
    "only_check_digit_wrong",
    "open_badge_credential",
    "pick_status_index",
    "private_key_pem",
    "public_jwk",
    "qualifies_for_subsidy",
    "read_value",
    "sign_vc_jwt",
    "status_list_credential",
    "transition",
    "verify_credential",
    "verify_vc_jwt",
]
