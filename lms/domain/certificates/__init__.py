"""Printing a credential: the certificate PDF, its QR code and the font that makes it legible.

Pure Python: no Flask and no database. The web layer passes an already-localised
`CertificateText` and a `FontFiles` found by `find_unicode_font`; where no font is found it
shows `INSTALL_HINT`'s advice and keeps the printable HTML certificate.
"""

from typing import TYPE_CHECKING

from lms.domain.certificates.fonts import (
    INSTALL_HINT,
    FontFiles,
    covers,
    find_unicode_font,
)
from lms.domain.certificates.pdf import (
    CertificateLines,
    CertificateText,
    FontMissing,
    render_certificate_pdf,
)
from lms.domain.certificates.qr import qr_png, qr_svg

if TYPE_CHECKING:
    from lms.domain.certificates.layout import CertificateTooLong


def __getattr__(name: str) -> object:
    """`CertificateTooLong` lives beside fpdf in `layout`: imported on first use (issue 18)."""
    if name == "CertificateTooLong":
        from lms.domain.certificates.layout import CertificateTooLong

        return CertificateTooLong
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "INSTALL_HINT",
    "CertificateLines",
    "CertificateText",
    "CertificateTooLong",
    "FontFiles",
    "FontMissing",
    "covers",
    "find_unicode_font",
    "qr_png",
    "qr_svg",
    "render_certificate_pdf",
]
