"""Finding, registering and checking the CJK font that printed documents are set in.

A printed enforcement document must look the same on every machine and must never lose a character:
so the font is a TrueType-outline file (reportlab embeds TrueType as a subset; it cannot embed CFF/OTF
outlines), it is looked up in a fixed order, its SHA-256 is recorded with the document, and text is
checked against its character map before drawing (reportlab would otherwise print .notdef boxes).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "BUNDLED_FONT_DIR",
    "FONT_ENV_VAR",
    "SYSTEM_FONT_CANDIDATES",
    "FontNotFoundError",
    "MissingGlyphsError",
    "find_font",
    "font_sha256",
    "load_font",
    "missing_glyphs",
]

BUNDLED_FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
FONT_ENV_VAR = "OFFICER_APP_CJK_FONT"
# Preference order: FangSong is what GB/T 9704 asks for; SungtiL GB is the free fallback on Linux.
SYSTEM_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("C:/Windows/Fonts/simfang.ttf"),
    Path("C:/Windows/Fonts/simsun.ttc"),
    Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
    Path("/usr/share/fonts/truetype/arphic/gbsn00lp.ttf"),
)
_TRUETYPE_SUFFIXES = (".ttf", ".ttc")
# Never required from the font: they are laid out, not drawn.
_LAYOUT_CHARS = frozenset(" \t\r\n\u00a0")


class FontNotFoundError(FileNotFoundError):
    """No usable CJK TrueType font: documents cannot be printed correctly."""


class MissingGlyphsError(ValueError):
    """Text contains characters the font cannot draw (e.g. a rare character in a person's name)."""

    def __init__(self, chars: Iterable[str], font_name: str = "") -> None:
        self.chars = list(chars)
        self.font_name = font_name
        shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in self.chars)
        super().__init__(
            f"字体{('“' + font_name + '”') if font_name else ''}缺少以下字符，无法打印：{shown}。"
            "请更换包含这些字符的字体，或改用通用写法后重试。"
        )


def find_font(font_path: str | os.PathLike[str] | None = None) -> Path:
    """The font file to use: explicit path, ``$OFFICER_APP_CJK_FONT``, ``resources/fonts/``, system."""
    if font_path is not None:
        path = Path(font_path)
        if not path.is_file():
            raise FontNotFoundError(f"找不到指定的字体文件：{path}")
        return path
    env = os.environ.get(FONT_ENV_VAR)
    if env:
        return find_font(env)
    if BUNDLED_FONT_DIR.is_dir():
        bundled = sorted(
            p for p in BUNDLED_FONT_DIR.iterdir() if p.suffix.lower() in _TRUETYPE_SUFFIXES
        )
        if bundled:
            return bundled[0]
    for candidate in SYSTEM_FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise FontNotFoundError(
        "找不到可用的中文 TrueType 字体。请将字体文件（.ttf/.ttc）放入 resources/fonts/，"
        f"或设置环境变量 {FONT_ENV_VAR}。"
    )


_lock = threading.Lock()
_fonts: dict[Path, tuple[TTFont, str]] = {}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_font(font_path: str | os.PathLike[str] | None = None) -> TTFont:
    """Parse (once per file) and register the font; the registered name carries the file's hash,
    so two different files never collide in reportlab's global registry."""
    path = find_font(font_path).resolve()
    with _lock:
        cached = _fonts.get(path)
        if cached is None:
            digest = _sha256_file(path)
            font = TTFont(f"OfficerCJK-{digest[:12]}", str(path), subfontIndex=0)
            pdfmetrics.registerFont(font)
            cached = _fonts[path] = (font, digest)
        return cached[0]


def font_sha256(font: TTFont | str | os.PathLike[str] | None = None) -> str:
    """SHA-256 of the font file, recorded with each rendered document."""
    if isinstance(font, TTFont):
        for f, digest in _fonts.values():
            if f is font:
                return digest
        return _sha256_file(Path(font.face.filename))
    path = find_font(font).resolve()
    with _lock:
        cached = _fonts.get(path)
    return cached[1] if cached else _sha256_file(path)


def missing_glyphs(text: str, font: TTFont) -> list[str]:
    """Characters of ``text`` the font has no glyph for, each once, in order of appearance."""
    cmap = font.face.charToGlyph
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in _LAYOUT_CHARS and ord(ch) not in cmap and ch not in seen:
            seen[ch] = None
    return list(seen)
