"""Start the real app with the demo data and save a PNG of every main-window section.

Run under a virtual screen so the real xcb platform is used:

    xvfb-run -a .venv/bin/python tools/screenshot.py --out screenshots

Without a display it falls back to Qt's offscreen platform.  The user guide's screenshots are made
by this script, so keep every new screen reachable from here:

    xvfb-run -a .venv/bin/python tools/screenshot.py --out docs/guide/images

writes the six sections, the first-start, settings, PIN and bulletin dialogs and the lock screen in Chinese,
the same in English (``en-*``) and the large-text mode (``large-*``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def _settle_evidence(window: object, app: object) -> None:
    """Select the first photo; wait (max 30 s) for every thumbnail and the map's boundaries."""
    import time

    page = window.evidence_page  # type: ignore[attr-defined]
    model = page.model
    if model.rowCount():
        page.view.setCurrentIndex(model.index(0))
    for row in range(model.rowCount()):
        model.data(model.index(row), 1)  # DecorationRole: ask for each thumbnail
    deadline = time.monotonic() + 30
    while (model._pending or not page.map.boundaries_loaded) and time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()  # type: ignore[attr-defined]


def _settle_stats(window: object, app: object) -> None:
    """Wait (max 30 s) until the statistics are computed and their charts drawn."""
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = window.stats_page  # type: ignore[attr-defined]
        if page is not None and page.board is not None and not page._busy:
            break
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.05)
    _settle(app, 0.5)


def _settle(app: object, seconds: float) -> None:
    """Let worker results (thumbnails, previews) arrive before the grab."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def _grab(widget: object, path: Path, saved: list[Path]) -> None:
    if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
        raise SystemExit(f"could not save {path}")
    saved.append(path)


def _sections(window: object, app: object, out: Path, prefix: str, rows: range) -> list[Path]:
    from officer_app.ui.main_window import MainWindow

    saved: list[Path] = []
    for row in rows:
        key = MainWindow.SECTIONS[row]
        window.nav.setCurrentRow(row)  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        if key == "evidence":
            _settle_evidence(window, app)
        if key == "stats":
            _settle_stats(window, app)
        page = window.stack.currentWidget()  # type: ignore[attr-defined]
        view = getattr(page, "view", None)
        if key != "evidence" and view is not None and view.model().rowCount():
            view.selectRow(0)  # show the detail pane filled, as an officer would see it
            _settle(app, 1.0)
        _grab(window, out / f"{prefix}main-{row + 1}-{key}.png", saved)
    return saved


def _bulletin_dialog(window: object, app: object) -> object:
    """生成通报 as the 统计 page opens it (shown, not exec'd, so it can be grabbed)."""
    from officer_app.ui.bulletin_dialog import BulletinDialog, default_folder

    page = window.ensure_stats_page()  # type: ignore[attr-defined]
    if page.board is None and not page._busy:
        page.refresh()
    _settle_stats(window, app)
    board = page.board
    dialog = BulletinDialog(board.scope_name, board.period.text, default_folder(), page)
    dialog.show()
    return dialog


def _dialogs(window: object, app: object, out: Path, prefix: str) -> list[Path]:
    """The dialogs the user guide shows, then the lock screen (unlocked again afterwards)."""
    saved: list[Path] = []
    for name, opener in (
        ("profile", lambda: window.ask_profile(first_start=True)),  # type: ignore[attr-defined]
        ("settings", window.open_settings),  # type: ignore[attr-defined]
        ("pin", window.change_pin),  # type: ignore[attr-defined]
        ("bulletin", lambda: _bulletin_dialog(window, app)),
    ):
        dialog = opener()
        _settle(app, 0.3)
        _grab(dialog, out / f"{prefix}dialog-{name}.png", saved)
        dialog.reject()
    window.nav.setCurrentRow(2)  # type: ignore[attr-defined]
    window.lock_now()  # type: ignore[attr-defined]
    _settle(app, 0.3)
    _grab(window, out / f"{prefix}lock.png", saved)
    window.lock.release()  # type: ignore[attr-defined]
    return saved


def _work_dialogs(window: object, app: object, out: Path, prefix: str) -> list[Path]:
    """The dialogs of the officer's path: case editor, raw EXIF, letter editor, 签发, 立案,
    更改管辖, 新建文书, 登录, 输入坐标 (each grabbed, then closed without a change)."""
    import time

    from officer_app.services import demo, evidence_query

    saved: list[Path] = []
    w: Any = window

    def grab(name: str, dialog: object, settle: float = 0.3) -> None:
        _settle(app, settle)
        _grab(dialog, out / f"{prefix}dialog-{name}.png", saved)

    photos = evidence_query.list_evidence(w.ctx)
    ids = [e["id"] for e in photos if e["original_name"] in demo.CASE_PHOTOS]
    editor = w.case_page.new_case(ids)
    grab("case-editor", editor)
    editor.reject()
    w.nav.setCurrentRow(1)
    _settle_evidence(w, app)
    raw = w.evidence_page.show_raw_exif()
    if raw is not None:
        grab("raw-exif", raw)
        raw.close()
    position = w.evidence_page.enter_coordinates()
    if position is not None:
        grab("coordinates", position)
        position.reject()
    w.nav.setCurrentRow(2)
    w.case_page.select_case(demo.CASE_ID)
    for name, opener in (
        ("filing", w.case_page.file_case),
        ("case-jurisdiction", w.case_page.change_jurisdiction),
    ):
        dialog = opener()
        if dialog is not None:
            grab(name, dialog)
            dialog.reject()
    w.nav.setCurrentRow(3)
    new_doc = w.document_page.new_document(demo.CASE_ID)
    grab("new-document", new_doc)
    new_doc.reject()
    w.document_page.editor = None
    w.document_page.start_document("case_transfer", demo.CASE_ID)
    deadline = time.monotonic() + 30
    while w.document_page.editor is None and time.monotonic() < deadline:
        _settle(app, 0.1)  # the draft is stored on the write executor first
    letter = w.document_page.editor
    if letter is not None:
        grab("document-editor", letter)
        issuing = letter.issue()
        deadline = time.monotonic() + 30
        while issuing and letter.issue_dialog is None and time.monotonic() < deadline:
            _settle(app, 0.1)  # typed values are saved before the confirmation opens
        if letter.issue_dialog is not None:
            dialog = letter.issue_dialog
            deadline = time.monotonic() + 60
            while dialog.preview.page_count() == 0 and time.monotonic() < deadline:
                _settle(app, 0.1)
            grab("issue", dialog)
            dialog.reject()
        letter.close_editor()
    w.nav.setCurrentRow(4)
    login = w.sync_page.ask_login()
    grab("login", login)
    login.reject()
    return saved


def _matrix(args: argparse.Namespace) -> int:
    """Every page and dialog on each target screen, each in its own process (QT_SCALE_FACTOR is
    read once, when the application starts)."""
    import shutil
    import subprocess

    failures = 0
    for screen, scale in SCREENS:
        out = args.out / f"{screen}@{scale}"
        command = [sys.executable, __file__, "--out", str(out), "--screen", screen]
        if shutil.which("xvfb-run"):  # a virtual screen of that very size: dialogs fit to it
            command = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", *command]
        command += ["--scale", str(scale), "--all-variants"]
        if args.data_dir:
            command += ["--data-dir", str(args.data_dir)]
        env = {**os.environ, "QT_SCALE_FACTOR": str(scale)}
        failures += subprocess.run(command, env=env, check=False).returncode != 0
    return 1 if failures else 0


#: The screens officers use: the common 1366 × 768 laptop, and 1920 × 1080 at 125 % and 150 %.
SCREENS = (("1366x768", 1.0), ("1920x1080", 1.25), ("1920x1080", 1.5))
#: Room the desktop's panels take from a maximised window (logical pixels).
PANEL_HEIGHT = 40


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--data-dir", type=Path, help="use this data dir (default: a fresh one)")
    parser.add_argument("--size", default="1200x760", help="window size WxH")
    parser.add_argument(
        "--sections-only",
        action="store_true",
        help="only the six sections in Chinese (no dialogs, lock screen, English, large text)",
    )
    parser.add_argument(
        "--matrix",
        action="store_true",
        help="every page and dialog on each screen of SCREENS, Chinese and English, normal and"
        " large text, into OUT/<screen>@<scale>/",
    )
    parser.add_argument("--screen", help="physical screen WxH: the window fills it, maximised")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR of the run")
    parser.add_argument(
        "--all-variants",
        action="store_true",
        help="every section and dialog in Chinese and English, normal and large text",
    )
    args = parser.parse_args(argv)
    if args.matrix:
        return _matrix(args)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # before the application exists
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from officer_app.services import demo, officers
    from officer_app.services.context import AppContext
    from officer_app.ui.app import install_qt_translations, set_high_dpi_defaults
    from officer_app.ui.main_window import MainWindow

    data_root = args.data_dir or Path(tempfile.mkdtemp(prefix="officer-app-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)
    set_high_dpi_defaults()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    width, height = (int(v) for v in args.size.split("x"))
    if args.screen:  # a maximised window on that screen, in logical pixels
        screen_w, screen_h = (int(v) for v in args.screen.split("x"))
        width, height = round(screen_w / args.scale), round(screen_h / args.scale) - PANEL_HEIGHT
    all_sections = range(len(MainWindow.SECTIONS))
    # (file prefix, language, large text, sections, with dialogs)
    variants = [("", "zh_CN", False, all_sections, True)]
    if args.all_variants:
        variants = [
            (f"{language}-{'large' if large else 'normal'}-", language, large, all_sections, True)
            for language in ("zh_CN", "en")
            for large in (False, True)
        ]
    elif not args.sections_only:
        variants += [
            ("en-", "en", False, range(3), True),
            ("large-", "zh_CN", True, range(2), False),
        ]
    saved: list[Path] = []
    with AppContext.open(data_root) as ctx:
        if ctx.current_officer() is None:
            officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118-jz")
        demo.load_demo(ctx)
        for prefix, language, large, rows, with_dialogs in variants:
            if install_qt_translations(app, language) != language:
                print(f"no {language} translation; skipped", file=sys.stderr)
                continue
            window = MainWindow(ctx)  # built after the translator: texts are set at build time
            window.set_large_text(large)
            window.resize(width, height)
            window.show()
            for _ in range(20):
                app.processEvents()
            saved += _sections(window, app, args.out, prefix, rows)
            if with_dialogs:
                saved += _dialogs(window, app, args.out, prefix)
            if args.all_variants:
                saved += _work_dialogs(window, app, args.out, prefix)
            window.set_large_text(False)
            window.close()
            window.tasks.drain()
        install_qt_translations(app, "zh_CN")
    platform = app.platformName()
    for path in saved:
        print(f"{platform}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
