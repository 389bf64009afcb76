"""Font lookup, hashing and glyph coverage."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from officer_app.documents import fonts
from officer_app.documents.fonts import (
    FontNotFoundError,
    MissingGlyphsError,
    find_font,
    font_sha256,
    load_font,
    missing_glyphs,
)


def test_explicit_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="找不到指定的字体文件"):
        find_font(tmp_path / "nope.ttf")


def test_nothing_found_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(fonts.FONT_ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "BUNDLED_FONT_DIR", tmp_path)
    monkeypatch.setattr(fonts, "SYSTEM_FONT_CANDIDATES", (tmp_path / "x.ttf",))
    with pytest.raises(FontNotFoundError, match="resources/fonts"):
        find_font()


def test_lookup_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "b.otf").write_bytes(b"not truetype")  # CFF fonts are ignored
    (bundled / "a.ttf").write_bytes(b"x")
    env_font = tmp_path / "env.ttc"
    env_font.write_bytes(b"y")
    monkeypatch.setattr(fonts, "BUNDLED_FONT_DIR", bundled)
    monkeypatch.delenv(fonts.FONT_ENV_VAR, raising=False)
    assert find_font() == bundled / "a.ttf"
    monkeypatch.setenv(fonts.FONT_ENV_VAR, str(env_font))
    assert find_font() == env_font
    assert find_font(bundled / "a.ttf") == bundled / "a.ttf"


def test_missing_glyphs_error_message() -> None:
    err = MissingGlyphsError(["\U00020000", "鿏"], "TestFont")
    assert err.chars == ["\U00020000", "鿏"]
    assert "U+20000" in str(err) and "U+9FCF" in str(err) and "缺少以下字符" in str(err)


try:
    _FONT = find_font()
except FontNotFoundError:
    _FONT = None


@pytest.mark.skipif(_FONT is None, reason="no CJK TrueType font installed")
def test_loaded_font_is_cached_and_hashed() -> None:
    assert _FONT is not None
    font = load_font(_FONT)
    assert load_font(_FONT) is font
    digest = hashlib.sha256(_FONT.read_bytes()).hexdigest()
    assert font_sha256(font) == digest == font_sha256(_FONT)
    assert digest[:12] in font.fontName
    assert missing_glyphs("上海市 青浦区\n城管\t执法\u00a0", font) == []
    assert missing_glyphs("\U00020000a\U00020000", font) == ["\U00020000"]
