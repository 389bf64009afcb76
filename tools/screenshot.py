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
    args = parser.parse_args(argv)
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
    all_sections = range(len(MainWindow.SECTIONS))
    # (file prefix, language, large text, sections, with dialogs)
    variants = [("", "zh_CN", False, all_sections, True)]
    if not args.sections_only:
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
