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
    for var in (fonts.FONT_ENV_VAR, fonts.FACES_ENV_VAR, *fonts.ROLE_ENV_VARS.values()):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(fonts, "BUNDLED_FONT_DIR", tmp_path)  # no faces.json there
    with pytest.raises(FontNotFoundError, match="OFFICER_APP_FONT_BODY") as err:
        find_font()
    assert "faces.json" in str(err.value) and "重新安装" in str(err.value)


def test_lookup_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in (fonts.FONT_ENV_VAR, fonts.FACES_ENV_VAR, *fonts.ROLE_ENV_VARS.values()):
        monkeypatch.delenv(var, raising=False)
    bundled_body = find_font()
    assert bundled_body == fonts.BUNDLED_FONT_DIR.resolve() / "ZhuqueFangsong-GB.ttf"
    env_font = tmp_path / "env.ttf"
    env_font.write_bytes(bundled_body.read_bytes())
    monkeypatch.setenv(fonts.FONT_ENV_VAR, str(env_font))  # the legacy variable: the body face
    assert find_font() == env_font.resolve()
    other = tmp_path / "role.ttf"
    other.write_bytes(bundled_body.read_bytes())
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["body"], str(other))  # the role's own variable wins
    assert find_font() == other.resolve()
    assert find_font(env_font) == env_font
    cff = tmp_path / "b.otf"
    cff.write_bytes(b"OTTO")
    with pytest.raises(FontNotFoundError, match="不是 TrueType"):
        find_font(cff)


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
