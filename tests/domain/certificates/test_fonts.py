from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset

from lms.domain.certificates import FontFiles, covers, find_unicode_font
from lms.domain.certificates import fonts as fonts_module
from lms.domain.certificates.fonts import (
    BOLD_FONT_ENV,
    FONT_ENV,
    SYSTEM_FONTS,
    fontconfig_candidates,
)

NOWHERE = Path("/nonexistent/fonts/Missing.ttf")


@pytest.fixture
def cyrillic_without_mongolian(system_font: FontFiles, tmp_path: Path) -> Path:
    """The system font cut down to Latin and Russian Cyrillic: a real font lacking Ө and Ү."""
    out = tmp_path / "RussianOnly.ttf"
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x7F), *range(0x0400, 0x0460)])
    with subset.load_font(str(system_font.regular), options) as font:
        subsetter.subset(font)
        subset.save_font(font, str(out), options)
    return out


def _pretend_covering(monkeypatch: pytest.MonkeyPatch, *covering: Path) -> None:
    monkeypatch.setattr(fonts_module, "covers", lambda path, text="": path in covering)


# -- the glyph check, on real files ------------------------------------------------------------


def test_system_font_covers_mongolian(system_font: FontFiles) -> None:
    assert covers(system_font.regular)
    assert covers(system_font.regular, "ӨөҮү")


def test_font_lacking_the_letters_is_refused(cyrillic_without_mongolian: Path) -> None:
    assert covers(cyrillic_without_mongolian, "Жаргал")  # it is a working Cyrillic font ...
    assert not covers(cyrillic_without_mongolian)  # ... without Ө and Ү


def test_missing_and_damaged_files_do_not_cover(tmp_path: Path) -> None:
    damaged = tmp_path / "Damaged.ttf"
    damaged.write_bytes(b"\x00\x01\x00\x00 not really a font")
    assert not covers(NOWHERE)
    assert not covers(damaged)
    assert not covers(tmp_path)


def test_only_truetype_files_are_considered(system_font: FontFiles, tmp_path: Path) -> None:
    renamed = tmp_path / "font.woff"
    renamed.write_bytes(system_font.regular.read_bytes())
    assert not covers(renamed)


# -- where the finder looks, in what order -----------------------------------------------------


def test_configured_font_comes_first(system_font: FontFiles, tmp_path: Path) -> None:
    copy = tmp_path / "Configured.ttf"
    copy.write_bytes(system_font.regular.read_bytes())
    found = find_unicode_font(environ={FONT_ENV: str(copy)}, use_fontconfig=False)
    assert found == FontFiles(copy, None)


def test_configured_bold_is_used_when_it_covers(system_font: FontFiles) -> None:
    bold = system_font.bold or system_font.regular
    environ = {FONT_ENV: str(system_font.regular), BOLD_FONT_ENV: str(bold)}
    assert find_unicode_font(environ=environ, candidates=(), use_fontconfig=False) == FontFiles(
        system_font.regular, bold
    )


def test_configured_font_that_does_not_exist_is_skipped(system_font: FontFiles) -> None:
    found = find_unicode_font(environ={FONT_ENV: str(NOWHERE)})
    assert found is not None
    assert found.regular != NOWHERE
    assert (
        find_unicode_font(environ={FONT_ENV: str(NOWHERE)}, candidates=(), use_fontconfig=False)
        is None
    )


def test_configured_font_lacking_the_letters_is_skipped(cyrillic_without_mongolian: Path) -> None:
    environ = {FONT_ENV: str(cyrillic_without_mongolian)}
    found = find_unicode_font(environ=environ)
    assert found is not None
    assert found.regular != cyrillic_without_mongolian
    assert find_unicode_font(environ=environ, candidates=(), use_fontconfig=False) is None


def test_configured_bold_lacking_the_letters_is_dropped(
    system_font: FontFiles, cyrillic_without_mongolian: Path
) -> None:
    environ = {FONT_ENV: str(system_font.regular), BOLD_FONT_ENV: str(cyrillic_without_mongolian)}
    assert find_unicode_font(environ=environ) == FontFiles(system_font.regular, None)


def test_system_fonts_are_tried_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, third = (FontFiles(Path(f"/f/{n}.ttf"), Path(f"/f/{n}-B.ttf")) for n in "abc")
    _pretend_covering(monkeypatch, Path("/f/b.ttf"), Path("/f/b-B.ttf"), Path("/f/c.ttf"))
    assert find_unicode_font(environ={}, candidates=(first, second, third)) == second
    assert find_unicode_font(environ={}, candidates=(first, third, second)) == FontFiles(
        third.regular, None
    )


def test_default_candidate_list_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    noto = FontFiles(Path("/f/noto.ttf"))
    monkeypatch.setattr(fonts_module, "SYSTEM_FONTS", (FontFiles(Path("/f/dejavu-gone.ttf")), noto))
    _pretend_covering(monkeypatch, noto.regular)
    assert find_unicode_font(environ={}, use_fontconfig=False) == noto


def test_the_environment_wins_over_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    system = FontFiles(Path("/f/system.ttf"))
    configured = Path("/f/configured.ttf")
    _pretend_covering(monkeypatch, system.regular, configured)
    found = find_unicode_font(environ={FONT_ENV: str(configured)}, candidates=(system,))
    assert found == FontFiles(configured, None)


def test_fontconfig_is_asked_last(monkeypatch: pytest.MonkeyPatch) -> None:
    system = FontFiles(Path("/f/system.ttf"))
    offered = FontFiles(Path("/f/fontconfig.ttf"))
    asked: list[bool] = []

    def fake_fontconfig() -> list[FontFiles]:
        asked.append(True)
        return [offered]

    monkeypatch.setattr(fonts_module, "fontconfig_candidates", fake_fontconfig)
    _pretend_covering(monkeypatch, system.regular, offered.regular)
    assert find_unicode_font(environ={}, candidates=(system,)) == system
    assert not asked
    assert find_unicode_font(environ={}, candidates=()) == offered
    assert find_unicode_font(environ={}, candidates=(), use_fontconfig=False) is None


def test_default_candidates_start_with_dejavu_then_noto() -> None:
    names = [font.regular.name for font in SYSTEM_FONTS]
    assert names[:2] == ["DejaVuSans.ttf", "NotoSans-Regular.ttf"]


# -- fontconfig --------------------------------------------------------------------------------


def test_fontconfig_answers_become_candidates() -> None:
    answers = {"": "/usr/share/fonts/a/Regular.ttf", "bold": "/usr/share/fonts/a/Bold.ttf"}

    def run(args: list[str]) -> str | None:
        assert args[0] == "fc-match"
        return answers["bold" if "weight=bold" in args[-1] else ""]

    assert fontconfig_candidates(run) == [
        FontFiles(Path("/usr/share/fonts/a/Regular.ttf"), Path("/usr/share/fonts/a/Bold.ttf"))
    ]


def test_fontconfig_offering_the_same_file_for_bold_means_no_bold() -> None:
    assert fontconfig_candidates(lambda args: "/f/Only.ttf") == [FontFiles(Path("/f/Only.ttf"))]


def test_without_fontconfig_there_are_no_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module.shutil, "which", lambda name: None)
    assert fontconfig_candidates() == []
    assert fontconfig_candidates(lambda args: None) == []
