"""The certificate as a PDF: A4 landscape, Mongolian and English side by side, font embedded.

The caller localises every word (this module prints what it is given and nothing else, apart
from "№" before the number) and finds a font with `find_unicode_font`. With the default
layout both languages share one page; when the text is too long for that, each language gets a
page of its own. Each page carries the credential number and the QR code of the public
verification page, with its address printed under it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lms.domain.certificates.fonts import INSTALL_HINT, FontFiles
from lms.domain.certificates.qr import QUIET_ZONE, qr_png, qr_symbol

if TYPE_CHECKING:
    from fpdf import FPDF

AUTHOR = "Job coach LMS"
FAMILY = "certificate"


class FontMissing(RuntimeError):
    """No font covering Mongolian Cyrillic is installed; offer the printable page instead."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class CertificateLines:
    """Everything printed in one language, already translated and formatted by the caller.

    `details` are (label, value) rows such as ("Issued", "12 March 2026"), ("Hours", "40"),
    ("Qualifies for the subsidy", "Yes"), ("Issuing trainer", ...), ("Region", ...).
    `verify_line` invites the reader to check the certificate by the QR code or the address.
    """

    language: str  # BCP 47 tag: "mn", "en"
    heading: str  # "ГЭРЧИЛГЭЭ" / "CERTIFICATE"
    credential_name: str  # the credential's kind, e.g. "Job coach"
    holder_line: str  # "This certifies that"
    holder_name: str
    course_line: str  # "has successfully completed the course"
    course_title: str
    details: tuple[tuple[str, str], ...]
    verify_line: str


@dataclass(frozen=True)
class CertificateText:
    """One certificate in one or two languages, printed in the order given (Mongolian first)."""

    blocks: tuple[CertificateLines, ...]
    number: str
    verify_url: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.blocks) <= 2:
            raise ValueError("a certificate is printed in one or two languages")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(block.language for block in self.blocks)


def render_certificate_pdf(
    text: CertificateText, font: FontFiles | None, *, created: datetime | None = None
) -> bytes:
    """The certificate as PDF bytes, with `font` embedded (subset) so any viewer shows Ө and Ү.

    Pass the credential's issue time as `created` and the same input gives the same bytes (the
    document's dates and ID derive from it); without it the current time is used. Raises
    `FontMissing` when `font` is None and `CertificateTooLong` when the text cannot fit.
    """
    if font is None:
        raise FontMissing()
    pdf = _new_document(text, font, created or datetime.now(UTC))
    try:
        return _render(pdf, text)
    finally:
        _close_fonts(pdf)


def _close_fonts(pdf: FPDF) -> None:
    """fpdf2 opens each font file and leaves it open; close them once the PDF is written."""
    for entry in pdf.fonts.values():
        ttfont = getattr(entry, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def _render(pdf: FPDF, text: CertificateText) -> bytes:
    from lms.domain.certificates import layout  # here: fpdf (~20 MB) loads only for a PDF

    qr_image = qr_png(text.verify_url, scale=10)
    modules, _ = qr_symbol(text.verify_url).symbol_size(border=QUIET_ZONE)
    pdf.add_page()  # fpdf2 measures text only on a page
    for index, (blocks, scale) in enumerate(layout.plan_pages(pdf, text.blocks)):
        if index:
            pdf.add_page()
        layout.draw_frame(pdf)
        layout.draw_blocks(pdf, blocks, scale)
        layout.draw_footer(
            pdf,
            number=text.number,
            verify_lines=tuple(block.verify_line for block in blocks),
            verify_url=text.verify_url,
            qr_image=io.BytesIO(qr_image),
            qr_quiet_share=QUIET_ZONE / modules,
        )
    return bytes(pdf.output())


def _new_document(text: CertificateText, font: FontFiles, created: datetime) -> FPDF:
    from fpdf import FPDF  # here, not at import: web workers that never print stay lighter

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font(FAMILY, "", font.regular)
    pdf.add_font(FAMILY, "B", font.bold or font.regular)
    first = text.blocks[0]
    pdf.set_title(f"{first.heading} № {text.number}: {first.holder_name}")
    pdf.set_subject(first.course_title)
    pdf.set_keywords(text.number)
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_lang(first.language)
    pdf.set_creation_date(created)
    pdf.set_display_mode(zoom="fullpage")
    return pdf
