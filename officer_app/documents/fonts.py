"""The faces printed documents are set in, one per typographic role, and the checks around them.

GB/T 9704 sets a letter in four faces: 仿宋 body, 小标宋 title, 黑体 一、 headings, 楷体 （一） headings.
The app bundles open faces for each role (``resources/fonts/faces.json``, built by
``tools/build_fonts.py``); a deployment may choose the customary system faces per role instead
(``$OFFICER_APP_FONT_<ROLE>`` = a file, or ``system``; ``$OFFICER_APP_FONTS=system`` for all roles).
The choice is the machine's, not the store's: a store copied to another machine must not point at
font files that are not there.

A printed enforcement document must look the same wherever it is re-rendered and must never lose a
character: so every face is a TrueType-outline file (reportlab embeds TrueType as a subset; it cannot
embed CFF/OTF outlines), its SHA-256 is recorded with the document (:func:`load_faces_by_sha` finds
the very files again), and text is checked against the face that draws it before drawing (reportlab
would otherwise print .notdef boxes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from officer_app.paths import resources_dir

__all__ = [
    "BUNDLED_FONT_DIR",
    "FACES_ENV_VAR",
    "FONT_ENV_VAR",
    "ROLES",
    "ROLE_ENV_VARS",
    "ROLE_NAMES_ZH",
    "SYSTEM_FACES",
    "SYSTEM_FONT_CANDIDATES",
    "Face",
    "FontNotFoundError",
    "MissingGlyphsError",
    "find_font",
    "font_sha256",
    "load_faces",
    "load_faces_by_sha",
    "load_font",
    "missing_glyphs",
]

log = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("body", "title", "heading1", "heading2")
ROLE_NAMES_ZH: dict[str, str] = {
    "body": "正文（仿宋）",
    "title": "标题（小标宋）",
    "heading1": "一级标题（黑体）",
    "heading2": "二级标题（楷体）",
}
BUNDLED_FONT_DIR = resources_dir() / "fonts"
MANIFEST_NAME = "faces.json"
#: Legacy single-font override (before faces by role): now means the body face.
FONT_ENV_VAR = "OFFICER_APP_CJK_FONT"
#: Per-role override: a font file, or ``system`` for the customary face of :data:`SYSTEM_FACES`.
ROLE_ENV_VARS: dict[str, str] = {role: f"OFFICER_APP_FONT_{role.upper()}" for role in ROLES}
#: ``system``: every role takes its customary system face where the machine has one.
FACES_ENV_VAR = "OFFICER_APP_FONTS"
SYSTEM_LICENCE = "system (not redistributed)"
_WIN = Path("C:/Windows/Fonts")
#: The customary faces of Chinese offices, by role, in order of preference. Only used when a
#: deployment asks for them: bundled faces are the default, so documents look the same everywhere.
SYSTEM_FACES: dict[str, tuple[Path, ...]] = {
    "body": (_WIN / "simfang.ttf", _WIN / "SIMFANG.TTF", _WIN / "FS_GB2312.ttf"),
    "title": (_WIN / "FZXBSJW.TTF", _WIN / "fzxbsjw.ttf", _WIN / "方正小标宋简体.ttf"),
    "heading1": (_WIN / "simhei.ttf", _WIN / "SIMHEI.TTF"),
    "heading2": (_WIN / "simkai.ttf", _WIN / "SIMKAI.TTF", _WIN / "KAITI_GB2312.ttf"),
}
#: Other TrueType files :func:`load_faces_by_sha` looks at (documents issued before faces by role
#: were set in the single font found here; see resources/fonts/README.md).
SYSTEM_FONT_CANDIDATES: tuple[Path, ...] = (
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


@dataclass(frozen=True)
class Face:
    """One role's face: what a document records (family, sha256) and what draws it (font)."""

    role: str
    family: str
    path: Path
    sha256: str
    licence: str
    font: TTFont


_lock = threading.RLock()
_fonts: dict[Path, tuple[TTFont, str]] = {}
_digests: dict[tuple[Path, int, int], str] = {}
_faces: dict[tuple[object, ...], dict[str, Face]] = {}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest(path: Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime): a changed file is hashed again."""
    st = path.stat()
    key = (path, st.st_size, st.st_mtime_ns)
    with _lock:
        cached = _digests.get(key)
    if cached is None:
        cached = _sha256_file(path)
        with _lock:
            _digests[key] = cached
    return cached


def _read_manifest(font_dir: Path) -> dict[str, list[dict[str, str]]]:
    path = font_dir / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            key: [{k: str(v) for k, v in e.items()} for e in data.get(key, [])]
            for key in ("faces", "retired")
        }
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise FontNotFoundError(f"字体清单 {path} 已损坏，无法确定文书字体：{exc}") from exc


def _manifest(font_dir: Path) -> dict[str, dict[str, str]]:
    """The bundled faces by role, as ``tools/build_fonts.py`` recorded them."""
    try:
        return {e["role"]: e for e in _read_manifest(font_dir).get("faces", [])}
    except KeyError as exc:
        raise FontNotFoundError(f"字体清单 {font_dir / MANIFEST_NAME} 已损坏：缺少 {exc}") from exc


def _manifest_files(font_dir: Path) -> dict[str, dict[str, str]]:
    """Every bundled file the manifest describes (current faces and retired ones), by file name."""
    m = _read_manifest(font_dir)
    return {e["file"]: e for e in [*m.get("faces", []), *m.get("retired", [])] if "file" in e}


def _existing_truetype(path: Path) -> Path:
    if not path.is_file():
        raise FontNotFoundError(f"找不到指定的字体文件：{path}")
    if path.suffix.lower() not in _TRUETYPE_SUFFIXES:
        raise FontNotFoundError(
            f"字体文件 {path} 不是 TrueType 格式（.ttf/.ttc），文书无法嵌入该字体。"
        )
    return path


def _system_face(role: str) -> Path | None:
    return next((p for p in SYSTEM_FACES.get(role, ()) if p.is_file()), None)


def _bundled_face(role: str, font_dir: Path) -> tuple[Path, str, str] | None:
    entry = _manifest(font_dir).get(role)
    if entry is None:
        return None
    path = font_dir / entry["file"]
    if not path.is_file():
        raise FontNotFoundError(f"缺少随软件提供的字体文件：{path}。请重新安装本软件。")
    return path, entry["family"], entry["licence"]


def _override(role: str) -> Path | None:
    """The deployment's choice for ``role``: a file, the system face, or None (bundled)."""
    value = os.environ.get(ROLE_ENV_VARS[role], "").strip()
    if not value and role == "body":
        value = os.environ.get(FONT_ENV_VAR, "").strip()
    if not value and os.environ.get(FACES_ENV_VAR, "").strip().lower() == "system":
        found = _system_face(role)
        if found is None:
            log.info("no customary system face for %s; using the bundled one", role)
        return found
    if not value:
        return None
    if value.lower() == "system":
        found = _system_face(role)
        if found is None:
            tried = "、".join(str(p) for p in SYSTEM_FACES.get(role, ()))
            raise FontNotFoundError(
                f"{ROLE_ENV_VARS[role]}=system，但本机没有{ROLE_NAMES_ZH[role]}的常用字体（已查找：{tried}）。"
            )
        return found
    return _existing_truetype(Path(value).expanduser())


def _register(path: Path) -> tuple[TTFont, str]:
    """Parse (once per file) and register; the registered name carries the file's hash, so two
    different files never collide in reportlab's global registry."""
    path = path.resolve()
    with _lock:
        cached = _fonts.get(path)
        if cached is None:
            digest = _digest(path)
            try:
                font = TTFont(f"OfficerCJK-{digest[:12]}", str(path), subfontIndex=0)
            except Exception as exc:  # reportlab raises TTFError, struct.error, ... on bad files
                raise FontNotFoundError(f"字体文件 {path} 无法使用：{exc}") from exc
            pdfmetrics.registerFont(font)
            cached = _fonts[path] = (font, digest)
        return cached


def _family(font: TTFont) -> str:
    raw = getattr(font.face, "familyName", b"") or font.face.name
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _make_face(role: str, path: Path, family: str | None, licence: str) -> Face:
    font, digest = _register(path)
    return Face(role, family or _family(font), path.resolve(), digest, licence, font)


def _config_key() -> tuple[object, ...]:
    names = [FONT_ENV_VAR, FACES_ENV_VAR, *ROLE_ENV_VARS.values()]
    return (BUNDLED_FONT_DIR, *(os.environ.get(n, "") for n in names))


def load_faces() -> dict[str, Face]:
    """Every role → its Face. A deployment's choice (env var per role) wins over the bundled open
    faces. Cached per process and configuration; thread-safe."""
    key = _config_key()
    with _lock:
        cached = _faces.get(key)
        if cached is not None:
            return dict(cached)
        faces: dict[str, Face] = {}
        for role in ROLES:
            chosen = _override(role)
            if chosen is not None:
                faces[role] = _make_face(role, chosen, None, SYSTEM_LICENCE)
                continue
            bundled = _bundled_face(role, BUNDLED_FONT_DIR)
            if bundled is None:
                raise FontNotFoundError(
                    f"找不到{ROLE_NAMES_ZH[role]}字体：随软件提供的字体清单 "
                    f"{BUNDLED_FONT_DIR / MANIFEST_NAME} 缺失。请重新安装本软件，"
                    f"或设置环境变量 {ROLE_ENV_VARS[role]} 指向一个 TrueType 字体文件。"
                )
            path, family, licence = bundled
            faces[role] = _make_face(role, path, family, licence)
        _faces[key] = faces
        return dict(faces)


def _candidate_files(role: str) -> list[tuple[Path, str | None, str]]:
    """Every font file this machine offers for ``role``: (path, family or None, licence)."""
    found: list[tuple[Path, str | None, str]] = []
    by_file = _manifest_files(BUNDLED_FONT_DIR) if BUNDLED_FONT_DIR.is_dir() else {}
    if BUNDLED_FONT_DIR.is_dir():
        for p in sorted(BUNDLED_FONT_DIR.rglob("*")):
            if p.suffix.lower() in _TRUETYPE_SUFFIXES and p.is_file():
                entry = by_file.get(p.name, {})
                found.append((p, entry.get("family"), entry.get("licence", "bundled")))
    env_values = [os.environ.get(v, "") for v in (*ROLE_ENV_VARS.values(), FONT_ENV_VAR)]
    extra = [Path(v).expanduser() for v in env_values if v and v.lower() != "system"]
    extra += [p for paths in SYSTEM_FACES.values() for p in paths] + list(SYSTEM_FONT_CANDIDATES)
    found += [(p, None, SYSTEM_LICENCE) for p in extra if p.is_file()]
    return found


def load_faces_by_sha(expected: Mapping[str, str]) -> dict[str, Face]:
    """The faces whose files have exactly these SHA-256 per role (for re-rendering an issued
    document byte-identically); raises FontNotFoundError naming the role if one is not available.

    The current face of the role is tried first (the usual case costs no hashing), then every
    bundled file (the retired ``gbsn00lp.ttf`` included) and the system faces this module knows.
    """
    current: dict[str, Face] = {}
    try:
        current = load_faces()
    except FontNotFoundError as exc:  # a broken deployment choice must not hide an exact match
        log.warning("current faces unavailable while looking up by hash: %s", exc)
    result: dict[str, Face] = {}
    for role, sha in expected.items():
        want = str(sha).lower()
        face = current.get(role)
        if face is not None and face.sha256 == want:
            result[role] = face
            continue
        for path, family, licence in _candidate_files(role):
            try:
                if _digest(path) == want:
                    result[role] = _make_face(role, path, family, licence)
                    break
            except OSError as exc:
                log.warning("cannot hash %s: %s", path, exc)
        else:
            name = ROLE_NAMES_ZH.get(role, role)
            raise FontNotFoundError(
                f"找不到签发时使用的{name}字体（SHA-256 {want[:16]}…），无法重现原件。"
                "请安装签发时使用的字体文件，或从备份恢复存档PDF。"
            )
    return result


def find_font(font_path: str | os.PathLike[str] | None = None) -> Path:
    """The body font file: explicit path, else the deployment's or the bundled body face."""
    if font_path is not None:
        return _existing_truetype(Path(font_path))
    return load_faces()["body"].path


def load_font(font_path: str | os.PathLike[str] | None = None) -> TTFont:
    """The registered font of ``font_path``, or the body face (what single-face callers draw with)."""
    if font_path is None:
        return load_faces()["body"].font
    return _register(find_font(font_path))[0]


def font_sha256(font: TTFont | str | os.PathLike[str] | None = None) -> str:
    """SHA-256 of the font file, recorded with each rendered document."""
    if isinstance(font, TTFont):
        with _lock:
            for f, digest in _fonts.values():
                if f is font:
                    return digest
        return _sha256_file(Path(font.face.filename))
    if font is None:
        return load_faces()["body"].sha256
    return _digest(find_font(font).resolve())


def missing_glyphs(text: str, font: TTFont) -> list[str]:
    """Characters of ``text`` the font has no glyph for, each once, in order of appearance."""
    cmap = font.face.charToGlyph
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in _LAYOUT_CHARS and ord(ch) not in cmap and ch not in seen:
            seen[ch] = None
    return list(seen)
