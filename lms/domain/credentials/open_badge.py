"""A credential as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential 2.0).

Mapping from `CredentialSnapshot`:

* ``credentialSubject``: ``id`` is the holder's stable, non-identifying ``urn:uuid:`` (the same
  on every credential of one person; never the national ID or e-mail), and the JWT's ``sub``
  repeats it; the holder's name, both as ``name`` (what wallets display) and as an
  ``IdentityObject`` of type ``name`` (the OB 3.0 way); the credential number as
  ``licenseNumber``.
* ``achievement``: the credential name, the course title, version and Git commit, the hours, and
  whether it qualifies for the subsidy. ``achievementType`` is ``CertificateOfCompletion`` for a
  seminar and ``Certification`` for job coach and trainer training.
* ``validFrom``/``validUntil``: the issue day and last valid day in Mongolia (`timestamps`).
* ``credentialStatus``: one ``BitstringStatusListEntry`` in the message list
  (``statusPurpose: "message"``, two bits: valid, suspended or revoked; see `status_list`).
  The first release wrote two entries (revocation and suspension lists); those still verify.
* ``url``: the public verification page (the QR code's target).

Never included: national registration number, scores, contact details. Texts are bilingual
(Mongolian first, then English) because OB 3.0 names are single strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.credentials.status_list import VC_CONTEXT_V2, message_status_entry
from lms.domain.credentials.timestamps import day_ends, day_starts, format_datetime

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ACHIEVEMENT_TYPES: Mapping[str, str] = {
    "seminar": "CertificateOfCompletion",
    "training": "Certification",
    "trainer": "Certification",
}
LANGUAGE_ORDER = ("mn", "en")


def bilingual(texts: Mapping[str, str], separator: str = " / ") -> str:
    """Texts in Mongolian, then English, then any others, without repeats."""
    order = [lang for lang in LANGUAGE_ORDER if lang in texts]
    order += sorted(lang for lang in texts if lang not in LANGUAGE_ORDER)
    seen: list[str] = []
    for lang in order:
        if texts[lang] not in seen:
            seen.append(texts[lang])
    return separator.join(seen)


def _hours(value: float) -> str:
    return f"{value:g}"


def _description(snapshot: CredentialSnapshot) -> str:
    classroom, practicum = _hours(snapshot.classroom_hours), _hours(snapshot.practicum_hours)
    title = snapshot.course_title
    mn = f"{title.get('mn', bilingual(title))} (хувилбар {snapshot.course_version}). "
    en = f"{title.get('en', bilingual(title))} (version {snapshot.course_version}). "
    mn += f"Танхимын сургалт {classroom} цаг"
    en += f"Classroom {classroom} h"
    if snapshot.practicum_hours:
        mn += f", хяналттай дадлага {practicum} цаг"
        en += f", supervised practicum {practicum} h"
    mn += "."
    en += "."
    if snapshot.qualifies_for_subsidy:
        mn += " Хүчинтэй байх хугацаандаа төрийн татаас авах эрх олгоно."
        en += " While valid, it qualifies the holder for the government subsidy."
    return f"{mn}\n\n{en}"


def open_badge_credential(
    snapshot: CredentialSnapshot,
    *,
    issuer_id: str,
    issuer_name: Mapping[str, str],
    credential_id: str,
    verify_url: str,
    status_list_url: str,
    status_index: int,
    subject_id: str,
    achievement_id: str | None = None,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for ``snapshot``; sign it with `sign_vc_jwt`.

    ``status_list_url`` is the message status list holding the credential at
    ``status_index``; ``subject_id`` the holder's ``urn:uuid:``. ``achievement_id`` defaults
    to ``{issuer_id}/achievements/{course_slug}/{course_version}``.
    """
    if not subject_id.startswith("urn:uuid:"):
        raise ValueError(f"a holder id is a urn:uuid:, not {subject_id!r}")
    achievement: dict[str, Any] = {
        "id": achievement_id
        or f"{issuer_id.rstrip('/')}/achievements/{snapshot.course_slug}/{snapshot.course_version}",
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(snapshot.kind, "Certificate"),
        "name": bilingual(snapshot.credential_name),
        "description": _description(snapshot),
        "criteria": {
            "narrative": "Сургалтын бүх шаардлагыг биелүүлсэн.\n\n"
            "Completed every requirement of the course.",
        },
        "version": snapshot.course_version,
        "otherIdentifier": [
            {
                "type": "IdentifierEntry",
                "identifier": snapshot.course_commit,
                "identifierType": "ext:courseCommit",
            }
        ],
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_V2, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": bilingual(snapshot.credential_name),
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": bilingual(issuer_name)},
        "validFrom": format_datetime(day_starts(snapshot.issued_on)),
    }
    if snapshot.expires_on is not None:
        credential["validUntil"] = format_datetime(day_ends(snapshot.expires_on))
    credential["url"] = verify_url
    credential["credentialSubject"] = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "name": snapshot.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": snapshot.holder_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "licenseNumber": snapshot.number,
        "achievement": achievement,
    }
    credential["credentialStatus"] = message_status_entry(status_list_url, status_index)
    return credential
