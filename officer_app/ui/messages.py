"""Show expected failures to the officer in the UI's language, with the detail in the log."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from officer_app.errors import UserFacingError
from officer_app.ui.error_text import error_text

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    if isinstance(error, UserFacingError):
        log.warning("%s: %s", title, error.detail)
    else:
        log.error("%s: unexpected error", title, exc_info=error)
    QMessageBox.warning(parent, title, error_text(error))
