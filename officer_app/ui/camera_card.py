"""The camera-card bar: when a card with photos is mounted, offer to import it, on every page.

The scan (``services/camera_cards.py``: list the mount points, count photos under DCIM) runs on
a worker every few seconds, never twice at once; a card is offered once per set of photos, so
dismissing it (忽略) or importing it keeps it quiet until new photos are on it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from officer_app.services.camera_cards import COUNT_LIMIT, CameraCard, find_cards
from officer_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: How often the mount points are looked at (a listing of two or three folders).
POLL_MS = 3000


class CardBar(QFrame):
    """A bar above the pages; ``importRequested(card)`` when the officer takes the offer."""

    importRequested = Signal(object)  # CameraCard

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.card: CameraCard | None = None
        self._offered: set[tuple[str, int]] = set()
        self._scanning = False
        self.setObjectName("cardBar")
        self.setStyleSheet(
            "QFrame#cardBar { background: #e6f0fb; border-bottom: 1px solid #9ab8dc; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel()
        self.label.setObjectName("cardLabel")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.import_button = QPushButton(self.tr("导入照片(&M)"))
        self.import_button.setObjectName("cardImportButton")
        self.import_button.setAccessibleName(self.tr("导入相机存储卡中的照片"))
        self.import_button.clicked.connect(self._import)
        layout.addWidget(self.import_button)
        self.dismiss_button = QPushButton(self.tr("忽略"))
        self.dismiss_button.setObjectName("cardDismissButton")
        self.dismiss_button.clicked.connect(self.dismiss)
        layout.addWidget(self.dismiss_button)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.scan)
        self.hide()

    def start(self) -> None:
        self.scan()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def scan(self) -> None:
        if self._scanning:
            return
        self._scanning = True
        self.tasks.run(find_cards, self._scanned, self._scan_failed, write=False)

    def _scanned(self, cards: list[CameraCard]) -> None:
        self._scanning = False
        if self.card is not None and all(c.root != self.card.root for c in cards):
            self._show(None)  # the offered card was taken out
        fresh = [c for c in cards if c.key() not in self._offered]
        if fresh and self.card is None:
            self._show(fresh[0])

    def _scan_failed(self, error: BaseException) -> None:
        self._scanning = False
        log.warning("camera card scan failed: %r", error)

    def _show(self, card: CameraCard | None) -> None:
        self.card = card
        if card is None:
            self.hide()
            return
        self._offered.add(card.key())
        count = f"{card.photos}+" if card.photos >= COUNT_LIMIT else str(card.photos)
        self.label.setText(
            self.tr("发现相机存储卡“{0}”，其中有 {1} 个照片或录音录像文件。").format(
                card.label, count
            )
        )
        self.label.setToolTip(str(card.dcim))
        self.show()

    def _import(self) -> None:
        card = self.card
        self._show(None)
        if card is not None:
            self.importRequested.emit(card)

    def dismiss(self) -> None:
        self._show(None)
