"""The rendered pages of a document, one under the other, as the printer will put them on paper.

The pages arrive as QImages from a worker (``pdf_raster``); only here, on the GUI thread, do they
become pixmaps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

PREVIEW_DPI = 72.0  # an A4 page is 595 × 842 px: readable, and a 10-page letter stays small


class PdfPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setAccessibleName(self.tr("文书预览"))
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setStyleSheet("QScrollArea#pdfPreview > QWidget > QWidget { background: #8a8f96; }")
        self._pages: list[QLabel] = []
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._note = QLabel()
        self._note.setObjectName("previewNote")
        self._note.setStyleSheet("color: white;")
        self._note.setWordWrap(True)
        # Wide enough for a sentence on one line: a word-wrapped label alone in the centred
        # column would otherwise take its narrowest width and break mid-word.
        self._note.setMinimumWidth(self._note.fontMetrics().horizontalAdvance("M") * 30)
        self._layout.addWidget(self._note)
        self.setWidget(self._inner)
        self.show_message(self.tr("选择一份文书查看预览。"))

    def _clear_pages(self) -> None:
        for label in self._pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._pages.clear()

    def show_message(self, text: str) -> None:
        self._clear_pages()
        self._note.setText(text)
        self._note.setVisible(bool(text))

    def show_pages(self, images: list[QImage], note: str = "") -> None:
        self._clear_pages()
        self._note.setText(note)
        self._note.setVisible(bool(note))
        for n, image in enumerate(images, start=1):
            label = QLabel()
            label.setObjectName(f"previewPage{n}")
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QFrame.Shape.Box)
            label.setAccessibleName(self.tr("第 {0} 页").format(n))
            label.setFixedSize(image.size())
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._pages.append(label)

    def page_count(self) -> int:
        return len(self._pages)
