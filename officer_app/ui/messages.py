"""Show expected failures to the officer: the Chinese message, with the detail in the log."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from officer_app.errors import UserFacingError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    if isinstance(error, UserFacingError):
        log.warning("%s: %s", title, error.detail)
        text = error.message_zh
    else:
        log.error("%s: unexpected error", title, exc_info=error)
        text = QCoreApplication.translate("messages", "发生内部错误，详情已记录到日志：{0}").format(
            type(error).__name__
        )
    QMessageBox.warning(parent, title, text)
