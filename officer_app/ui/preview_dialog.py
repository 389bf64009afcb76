"""A larger, upright view of one evidence photo, decoded off the GUI thread and cached."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from officer_app.paths import DataDir
from officer_app.services import previews

log = logging.getLogger(__name__)


class _Signals(QObject):
    ready = Signal(QImage)
    failed = Signal(str)


class _PreviewJob(QRunnable):
    def __init__(self, data: DataDir, sha256: str, signals: _Signals) -> None:
        super().__init__()
        self.data, self.sha256, self.signals = data, sha256, signals

    def run(self) -> None:
        try:
            image = QImage(str(previews.preview(self.data, self.sha256)))
            if image.isNull():
                raise ValueError("preview could not be loaded")
        except Exception as exc:  # shown in the dialog; the detail goes to the log
            log.warning("preview of %s failed: %s", self.sha256, exc)
            self.signals.failed.emit(str(exc))
        else:
            self.signals.ready.emit(image)


class PreviewDialog(QDialog):
    def __init__(
        self, data: DataDir, sha256: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(self.tr("证据照片：{0}").format(title))
        self.resize(1000, 760)
        layout = QVBoxLayout(self)
        self.image_label = QLabel(self.tr("正在加载…"))
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setAccessibleName(self.tr("照片大图"))
        scroll = QScrollArea()
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        note = QLabel(self.tr("显示的是按拍摄方向摆正的预览图；原始文件未作任何改动。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.loaded = False
        self._signals = _Signals(self)
        self._signals.ready.connect(self._show)
        self._signals.failed.connect(self._fail)
        self._pool = QThreadPool(self)
        self._pool.start(_PreviewJob(data, sha256, self._signals))

    def _show(self, image: QImage) -> None:
        self.image_label.setPixmap(QPixmap.fromImage(image))
        self.loaded = True

    def _fail(self, _reason: str) -> None:
        self.image_label.setText(self.tr("无法显示该照片的预览（文件可能已损坏，请运行校验）。"))

    def done(self, result: int) -> None:
        self._pool.waitForDone(5000)
        super().done(result)
