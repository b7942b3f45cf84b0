from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from lms.domain.certificates import (
    CertificateText,
    CertificateTooLong,
    FontFiles,
    FontMissing,
    render_certificate_pdf,
)
from lms.domain.certificates.qr import QUIET_ZONE, qr_symbol
from tests.domain.certificates.qr_grid import expected_grid, grid_from_image
from tests.domain.certificates.samples import (
    BILINGUAL,
    COURSE_EN,
    COURSE_MN,
    ENGLISH,
    HOLDER_EN,
    HOLDER_MN,
    MONGOLIAN,
    NUMBER,
    VERIFY_URL,
    long_form,
)

ISSUED = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
A4_LANDSCAPE = (842, 595)  # points, rounded


def _render(system_font: FontFiles, text: CertificateText = BILINGUAL) -> PdfReader:
    return PdfReader(io.BytesIO(render_certificate_pdf(text, system_font, created=ISSUED)))


def _flat(text: str) -> str:
    """Extracted text with line breaks as spaces: wrapped phrases then read whole."""
    return " ".join(text.split())


def test_both_languages_print_on_one_a4_landscape_page(system_font: FontFiles) -> None:
    reader = _render(system_font)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == A4_LANDSCAPE
    text = _flat(reader.pages[0].extract_text())
    for expected in (HOLDER_MN, HOLDER_EN, COURSE_MN, COURSE_EN, NUMBER, VERIFY_URL):
        assert expected in text
    for letter in "ӨөҮү":
        assert letter in text
    for label, value in MONGOLIAN.details + ENGLISH.details:
        assert label in text
        assert value.split()[0] in text


def test_mongolian_is_printed_before_english(system_font: FontFiles) -> None:
    text = _flat(_render(system_font).pages[0].extract_text())
    assert text.index(MONGOLIAN.heading) < text.index(ENGLISH.heading)


def test_font_is_embedded(system_font: FontFiles) -> None:
    pdf = render_certificate_pdf(BILINGUAL, system_font, created=ISSUED)
    assert b"/FontFile2" in pdf
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert isinstance(descriptor, DictionaryObject)
        assert "/FontFile2" in descriptor


def test_metadata_names_the_certificate(system_font: FontFiles) -> None:
    reader = _render(system_font)
    meta = reader.metadata
    assert meta is not None
    assert meta.author == "Job coach LMS"
    assert meta.title is not None
    assert NUMBER in meta.title
    assert HOLDER_MN in meta.title
    assert meta.creation_date == ISSUED
    assert reader.trailer["/Root"]["/Lang"] == "mn"


def test_same_input_gives_the_same_bytes(system_font: FontFiles) -> None:
    first = render_certificate_pdf(BILINGUAL, system_font, created=ISSUED)
    assert render_certificate_pdf(BILINGUAL, system_font, created=ISSUED) == first


def test_qr_image_encodes_the_verify_url(system_font: FontFiles) -> None:
    images = _render(system_font).pages[0].images
    assert len(images) == 1
    modules = qr_symbol(VERIFY_URL).symbol_size(border=QUIET_ZONE)[0]
    grid = grid_from_image(images[0].image, modules)
    assert grid == expected_grid(qr_symbol(VERIFY_URL).matrix, QUIET_ZONE)


def test_one_language_prints_on_one_page(system_font: FontFiles) -> None:
    reader = _render(system_font, replace(BILINGUAL, blocks=(MONGOLIAN,)))
    assert len(reader.pages) == 1
    text = _flat(reader.pages[0].extract_text())
    assert HOLDER_MN in text
    assert HOLDER_EN not in text
    assert reader.trailer["/Root"]["/Lang"] == "mn"


def test_text_too_long_for_one_page_gets_a_page_per_language(system_font: FontFiles) -> None:
    long = long_form()
    reader = _render(system_font, long)
    assert len(reader.pages) == 2
    mongolian, english = (_flat(page.extract_text()) for page in reader.pages)
    assert long.blocks[0].holder_name in mongolian
    assert HOLDER_EN not in mongolian
    assert HOLDER_EN in english
    assert long.blocks[0].holder_name not in english
    for page_text in (mongolian, english):
        assert NUMBER in page_text
        assert VERIFY_URL in page_text


def test_text_that_cannot_fit_is_refused(system_font: FontFiles) -> None:
    rows = tuple((f"Row {n}", "value") for n in range(80))
    text = replace(BILINGUAL, blocks=(replace(ENGLISH, details=rows),))
    with pytest.raises(CertificateTooLong):
        render_certificate_pdf(text, system_font, created=ISSUED)


def test_without_a_font_there_is_no_pdf() -> None:
    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        render_certificate_pdf(BILINGUAL, None, created=ISSUED)


@pytest.mark.parametrize("count", [0, 3])
def test_a_certificate_has_one_or_two_languages(count: int) -> None:
    with pytest.raises(ValueError, match="one or two"):
        CertificateText(blocks=(MONGOLIAN,) * count, number=NUMBER, verify_url=VERIFY_URL)


def test_languages_follow_the_blocks() -> None:
    assert BILINGUAL.languages == ("mn", "en")
