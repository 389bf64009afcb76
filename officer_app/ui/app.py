"""Start the GUI: crash handler first, then logging, Qt, translations, the store, the window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from officer_app import crash
from officer_app.logs import setup_logging
from officer_app.paths import DataDir

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


def install_qt_translations(app: object) -> None:
    """Qt's own strings (standard buttons, file dialogs) in Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path
    ):
        app.installTranslator(translator)  # type: ignore[attr-defined]
    else:
        log.info("no qtbase_zh_CN translation found in %s", path)


def run_gui(data_root: Path, *, crash_dialog: bool = True) -> int:
    data = DataDir(data_root)
    crash.install(data.logs_dir, _dialog_notifier if crash_dialog else None)
    setup_logging(data.logs_dir)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from officer_app.errors import UserFacingError
    from officer_app.services.context import AppContext
    from officer_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("officer_app")
    app.setApplicationDisplayName(app.translate("app", "长三角城管执法协作助手"))
    from PySide6.QtGui import QIcon

    from officer_app.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "officer-app.png")))
    install_qt_translations(app)
    try:
        ctx = AppContext.open(data_root)
    except UserFacingError as exc:
        log.error("cannot open store: %s", exc.detail)
        QMessageBox.critical(None, app.translate("app", "无法打开数据库"), exc.message_zh)
        return 1
    try:
        window = MainWindow(ctx)
        window.show()
        window.start()
        quit_after = os.environ.get("OFFICER_APP_SMOKE_QUIT_MS")
        if quit_after:  # the frozen smoke test: start, show the window, exit cleanly
            from PySide6.QtCore import QTimer

            QTimer.singleShot(int(quit_after), window.close)
        return int(app.exec())
    finally:
        ctx.close()
