"""Start the GUI: crash handler first, then logging, Qt, translations, the store, the window."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from officer_app import crash
from officer_app.logs import setup_logging
from officer_app.paths import DataDir

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


def _dialog_notifier(summary: str, report: Path) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return
    QMessageBox.critical(
        None,
        QCoreApplication.translate("crash", "程序出错"),
        QCoreApplication.translate(
            "crash", "程序遇到意外错误，已保存的数据不受影响。\n错误报告：{0}\n\n{1}"
        ).format(report, summary),
    )


def install_qt_translations(app: QCoreApplication, language: str = "zh_CN") -> str:
    """Qt's own strings (standard buttons, file dialogs) and, for English, the app's .qm.

    Returns the language actually installed (Chinese when the English file is unusable).
    """
    from officer_app.ui.i18n import install_translators

    return install_translators(app, language)


def set_high_dpi_defaults() -> None:
    """Before the QApplication exists: Qt 6's own high-DPI defaults, stated so nobody undoes them.

    Qt 6 always scales by the screen's device pixel ratio; PassThrough keeps fractional factors
    (125 %, 150 % on Windows laptops) instead of rounding them, so layouts in logical pixels keep
    their size on every screen.  ``QT_ENABLE_HIGHDPI_SCALING=0`` left over from a Qt 5 habit in
    the environment would disable that, so it is dropped.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    if os.environ.get("QT_ENABLE_HIGHDPI_SCALING") == "0":
        log.warning("ignoring QT_ENABLE_HIGHDPI_SCALING=0: the app is laid out for Qt 6 scaling")
        del os.environ["QT_ENABLE_HIGHDPI_SCALING"]
    if QGuiApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )


def _freeze_and_collect() -> None:
    from officer_app.ui import memory

    memory.freeze_long_lived()
    gc.enable()


def _report_when_shown(window: object) -> None:
    """For benchmarks/startup.py: one stdout line once the window is on screen with its first
    page built and painted (what an officer can use), then the process stops itself, so the
    benchmark reads the CPU time spent up to that moment and not the work deferred past it.

    The line names the modules loaded by then, so the benchmark can show what the first screen
    pulled in.
    """
    import signal

    from PySide6.QtCore import QTimer

    from officer_app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    timer = QTimer(window)
    timer.setInterval(0)

    def check() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed() or not window.first_screen_ready():
            timer.start()  # not yet: look again on every turn of the event loop
            return
        timer.stop()
        print("shown", ",".join(sorted(sys.modules)), flush=True)
        if hasattr(signal, "SIGSTOP"):
            os.kill(os.getpid(), signal.SIGSTOP)

    timer.timeout.connect(check)
    # Ahead of the work the window defers past its first paint, which is not part of the start.
    window.first_paint.later(check, first=True)


#: After start-up, when the first screen and the sync page are built: collect once, then freeze.
FREEZE_AFTER_MS = 1500


def run_gui(data_root: Path, *, crash_dialog: bool = True) -> int:
    # No cyclic collections while thousands of import-time objects are made, nearly all of them
    # for good; one collection and a freeze follow once the window is up (ui/memory.py).
    gc.disable()
    data = DataDir(data_root)
    crash.install(data.logs_dir, _dialog_notifier if crash_dialog else None)
    setup_logging(data.logs_dir)

    # The store and the services first: PySide reads the source of every module imported after
    # it (looking for ``from __feature__ import``), which costs start-up time for nothing.
    from officer_app.errors import UserFacingError
    from officer_app.services import info, officers, pins, settings  # noqa: F401 (see above)
    from officer_app.services.context import AppContext

    # isort: split
    from PySide6.QtWidgets import QApplication, QMessageBox

    from officer_app.ui.error_text import error_text
    from officer_app.ui.main_window import MainWindow

    set_high_dpi_defaults()
    running = QApplication.instance()  # typed QCoreApplication
    app = running if isinstance(running, QApplication) else QApplication(sys.argv)
    app.setApplicationName("officer_app")
    from PySide6.QtGui import QIcon

    from officer_app.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "officer-app.png")))
    install_qt_translations(app)  # Chinese until the store says otherwise
    try:
        ctx = AppContext.open(data_root)
    except UserFacingError as exc:
        log.error("cannot open store: %s", exc.detail)
        QMessageBox.critical(None, app.translate("app", "无法打开数据库"), error_text(exc))
        return 1
    language = install_qt_translations(app, settings.get(ctx.store, settings.LANGUAGE))
    log.info("UI language: %s", language)
    app.setApplicationDisplayName(app.translate("app", "长三角城管执法协作助手"))
    from officer_app.ui.tasks import install_write_guard

    # From here on every store write belongs on the window's write executor; one that is not
    # is logged with its stack (the tests refuse it outright), never lost.
    install_write_guard(strict=False)
    try:
        window = MainWindow(ctx)
        window.show()
        window.start()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(FREEZE_AFTER_MS, _freeze_and_collect)
        if os.environ.get("OFFICER_APP_STARTUP_PROBE"):
            _report_when_shown(window)
        quit_after = os.environ.get("OFFICER_APP_SMOKE_QUIT_MS")
        if quit_after:  # the frozen smoke test: start, show the window, exit cleanly
            QTimer.singleShot(int(quit_after), window.close)
        return int(app.exec())
    finally:
        ctx.close()
