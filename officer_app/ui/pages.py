"""Section pages.  A section whose feature has not landed says so plainly instead of faking it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PendingPage(QWidget):
    """A section that is not built yet: what it will do, and what the store already holds."""

    def __init__(self, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        body = QLabel(purpose)
        body.setWordWrap(True)
        layout.addWidget(body)
        notice = QLabel(self.tr("本功能尚在开发中，当前版本只能查看下面的数量。"))
        notice.setObjectName("pendingNotice")
        notice.setStyleSheet("color: #8a5300;")
        notice.setWordWrap(True)
        layout.addWidget(notice)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        layout.addWidget(self.count_label)
        layout.addStretch(1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_count_text(self, text: str) -> None:
        self.count_label.setText(text)
