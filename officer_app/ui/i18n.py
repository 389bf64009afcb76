"""The UI language: which Qt translators to install, and where the compiled ``.qm`` comes from.

The ``tr()`` source strings are Simplified Chinese, so ``zh_CN`` needs no app translator, only Qt's
own ``qtbase_zh_CN`` for the standard dialogs.  English comes from
``resources/i18n/officer_app_en.ts`` (the file translators edit, kept in git) compiled by
``pyside6-lrelease`` into a git-ignored ``.qm``:

* packaging runs ``tools/compile-translations.sh`` before PyInstaller, so the bundle ships the .qm;
* a source checkout compiles on the fly when the .qm is missing or older than the .ts, with the
  lrelease binary that the PySide6 wheel carries; if the checkout is read-only the .qm goes to the
  per-user cache dir instead.  Nothing else is written next to the code.

The language is read once at start-up: pages set their texts when they are built (there is no
``retranslateUi``), so a switch takes effect at the next start.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from officer_app import portable
from officer_app.paths import resources_dir

log = logging.getLogger(__name__)

#: Language code -> the name shown in the switch, each in its own language.
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
SOURCE_LANGUAGE = "zh_CN"
_installed: list[QTranslator] = []


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def ts_path(language: str) -> Path:
    return i18n_dir() / f"officer_app_{language}.ts"


def lrelease_path() -> Path | None:
    """The lrelease binary of the PySide6 wheel (absent in a frozen bundle, which needs none)."""
    import PySide6

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    candidate = Path(PySide6.__file__).parent / name
    return candidate if candidate.is_file() else None


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("officer_app", appauthor=False)) / "i18n"


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime)


def compile_ts(ts: Path, qm: Path) -> bool:
    import subprocess  # only when a source checkout's .ts is newer than its .qm

    lrelease = lrelease_path()
    if lrelease is None:
        log.warning("cannot compile %s: no lrelease in the PySide6 wheel", ts.name)
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    tmp = qm.with_name(qm.name + f".{os.getpid()}.tmp")
    try:
        subprocess.run(
            [str(lrelease), "-silent", str(ts), "-qm", str(tmp)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        # A half-written .qm must never be loaded by a second instance; on Windows the first
        # instance may hold the old one open for a moment (portable.replace waits for it).
        portable.replace(tmp, qm)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot compile %s into %s: %s", ts.name, qm.parent, exc)
        tmp.unlink(missing_ok=True)
        return False
    return True


def compiled_translation(language: str) -> Path | None:
    """The .qm for ``language``: shipped, or compiled now from the .ts in a source checkout."""
    ts = ts_path(language)
    beside = ts.with_suffix(".qm")
    if _fresh(beside, ts):
        return beside
    if not ts.is_file():
        return None
    cached = _cache_dir() / beside.name
    if _fresh(cached, ts):
        return cached
    if os.access(ts.parent, os.W_OK) and compile_ts(ts, beside):
        return beside
    if compile_ts(ts, cached):
        return cached
    return None


def _load(translator: QTranslator, language: str, prefix: str, directory: str) -> bool:
    return translator.load(QLocale(language), prefix, "_", directory)


def install_translators(app: QCoreApplication, language: str) -> str:
    """Replace the installed translators with those for ``language``; returns the language used.

    Falls back to Chinese (the source language, always complete) when the English file cannot be
    found or compiled, and says so in the log.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language not in LANGUAGES:
        log.warning("unknown language %r, using %s", language, SOURCE_LANGUAGE)
        language = SOURCE_LANGUAGE
    if language != SOURCE_LANGUAGE:
        qm = compiled_translation(language)
        own = QTranslator(app)
        if qm is not None and own.load(str(qm)):
            app.installTranslator(own)
            _installed.append(own)
        else:
            log.warning("no usable translation for %s; the UI stays in Chinese", language)
            language = SOURCE_LANGUAGE
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if _load(qt, language, "qtbase", qt_dir):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        log.info("no qtbase translation for %s in %s", language, qt_dir)
    return language
