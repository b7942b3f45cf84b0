"""The words printed on a certificate, in Mongolian then English, from the frozen snapshot."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from lms.domain.certificates import CertificateLines, CertificateText
from lms.domain.credentials.snapshot import CredentialSnapshot
from lms.domain.regions import region_name
from lms.models import Credential

CERTIFICATE_LANGUAGES = ("mn", "en")


def _hours(value: float) -> str:
    return f"{value:g}"


def _lines(snapshot: CredentialSnapshot, language: str) -> CertificateLines:
    def day(value: date | None) -> str:
        return format_date(value, "long") if value else _("does not expire")

    with force_locale(language):
        region = region_name(snapshot.region, language)
        place = ", ".join(part for part in (region, snapshot.organisation) if part)
        details = [
            (_("Certificate number"), snapshot.number),
            (_("Issued"), day(snapshot.issued_on)),
            (_("Valid until"), day(snapshot.expires_on)),
            (
                _("Hours"),
                _(
                    "%(classroom)s classroom, %(practicum)s practicum",
                    classroom=_hours(snapshot.classroom_hours),
                    practicum=_hours(snapshot.practicum_hours),
                ),
            ),
            (
                _("Qualifies for the subsidy"),
                _("Yes") if snapshot.qualifies_for_subsidy else _("No"),
            ),
            (_("Course version"), snapshot.course_version),
        ]
        if snapshot.issuing_trainer:
            details.append((_("Issuing trainer"), snapshot.issuing_trainer))
        if place:
            details.append((_("Region and organisation"), place))
        return CertificateLines(
            language=language,
            heading=_("CERTIFICATE"),
            credential_name=snapshot.credential_name.get(language, ""),
            holder_line=_("This certifies that"),
            holder_name=snapshot.holder_name,
            course_line=_("has successfully completed the course"),
            course_title=snapshot.course_title.get(language, ""),
            details=tuple(details),
            verify_line=_("Check that this certificate is valid by scanning the QR code or at:"),
        )


def certificate_text(credential: Credential, verify_url: str, _locale: str) -> CertificateText:
    snapshot = CredentialSnapshot.from_json(credential.snapshot)
    blocks = tuple(
        _lines(snapshot, language)
        for language in CERTIFICATE_LANGUAGES
        if snapshot.course_title.get(language)
    )
    return CertificateText(blocks=blocks, number=snapshot.number, verify_url=verify_url)
