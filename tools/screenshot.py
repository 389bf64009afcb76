"""Start the real app with the demo data and save a PNG of every main-window section.

Run under a virtual screen so the real xcb platform is used:

    xvfb-run -a .venv/bin/python tools/screenshot.py --out screenshots

Without a display it falls back to Qt's offscreen platform.  The user guide's screenshots are made
by this script, so keep every new screen reachable from here.
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


def _settle(app: object, seconds: float) -> None:
    """Let worker results (thumbnails, previews) arrive before the grab."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--data-dir", type=Path, help="use this data dir (default: a fresh one)")
    parser.add_argument("--size", default="1200x760", help="window size WxH")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from officer_app.services import demo, officers
    from officer_app.services.context import AppContext
    from officer_app.ui.app import install_qt_translations
    from officer_app.ui.main_window import MainWindow

    data_root = args.data_dir or Path(tempfile.mkdtemp(prefix="officer-app-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    with AppContext.open(data_root) as ctx:
        if ctx.current_officer() is None:
            officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118-jz")
        demo.load_demo(ctx)
        window = MainWindow(ctx)
        width, height = (int(v) for v in args.size.split("x"))
        window.resize(width, height)
        window.show()
        for _ in range(20):
            app.processEvents()
        saved = []
        for row, key in enumerate(MainWindow.SECTIONS):
            window.nav.setCurrentRow(row)
            app.processEvents()
            if key == "evidence":
                _settle_evidence(window, app)
            page = window.stack.currentWidget()
            view = getattr(page, "view", None)
            if key != "evidence" and view is not None and view.model().rowCount():
                view.selectRow(0)  # show the detail pane filled, as an officer would see it
                _settle(app, 1.0)
            path = args.out / f"main-{row + 1}-{key}.png"
            if not window.grab().save(str(path)):
                print(f"could not save {path}", file=sys.stderr)
                return 1
            saved.append(path)
        window.close()
    platform = app.platformName()
    for path in saved:
        print(f"{platform}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
