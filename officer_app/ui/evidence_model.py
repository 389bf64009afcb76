"""The evidence browser's model: ids only, rows fetched in pages, thumbnails made off-thread."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPixmap

from officer_app.paths import DataDir
from officer_app.services import evidence_query, previews
from officer_app.services.context import AppContext

log = logging.getLogger(__name__)

PAGE = 200
ItemRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class _ThumbSignals(QObject):
    ready = Signal(str, QImage)
    failed = Signal(str, str)


class _ThumbJob(QRunnable):
    def __init__(self, data: DataDir, sha256: str, signals: _ThumbSignals, scale: int) -> None:
        super().__init__()
        self.data, self.sha256, self.signals, self.scale = data, sha256, signals, scale

    def run(self) -> None:
        try:
            path = previews.thumbnail(self.data, self.sha256, scale=self.scale)
            image = QImage(str(path))  # QImage is safe off the GUI thread, QPixmap is not
            if image.isNull():
                raise ValueError(f"cannot load {path}")
        except Exception as exc:  # a bad thumbnail must not stop the browser; it shows why
            log.warning("thumbnail for %s failed: %s", self.sha256, exc)
            self.signals.failed.emit(self.sha256, str(exc))
        else:
            self.signals.ready.emit(self.sha256, image)


class EvidenceModel(QAbstractListModel):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = evidence_query.EvidenceFilter()
        self._ids: list[str] = []
        self._rows: dict[str, dict[str, Any]] = {}
        self._icons: dict[str, QIcon] = {}
        self._pending: set[str] = set()
        self._row_of_sha: dict[str, int] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._signals = _ThumbSignals(self)
        self._signals.ready.connect(self._thumb_ready)
        self._signals.failed.connect(self._thumb_failed)
        placeholder = QPixmap(160, 120)
        placeholder.fill(QColor("#d9dde3"))
        self._placeholder = QIcon(placeholder)
        self.reload()

    # Loading --------------------------------------------------------------------------------
    def set_filter(self, flt: evidence_query.EvidenceFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._ids = evidence_query.evidence_ids(self.ctx, self.filter)
        self._rows.clear()
        self._row_of_sha.clear()
        self.endResetModel()

    def row_of(self, evidence_id: str) -> int:
        try:
            return self._ids.index(evidence_id)
        except ValueError:
            return -1

    def _row(self, index: int) -> dict[str, Any]:
        evidence_id = self._ids[index]
        row = self._rows.get(evidence_id)
        if row is None:
            start = (index // PAGE) * PAGE
            page = self._ids[start : start + PAGE]
            self._rows.update(evidence_query.rows_by_ids(self.ctx, page))
            for offset, page_id in enumerate(page):
                self._row_of_sha[self._rows[page_id]["sha256"]] = start + offset
            row = self._rows[evidence_id]
        return row

    # Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if row.get("kind", "photo") != "photo":
                from officer_app.ui.recording_detail import format_duration, format_size

                mark = (
                    QCoreApplication.translate("recording", "录像")
                    if row["kind"] == "video"
                    else QCoreApplication.translate("recording", "录音")
                )
                length = format_duration(row.get("duration_s"))
                return f"{row['original_name']}\n{mark} {length} · {format_size(row['size'])}"
            return row["original_name"]
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row["sha256"])
        if role == Qt.ItemDataRole.SizeHintRole:
            # Room for two lines under every thumbnail: uniform item sizes take the first item's
            # hint, and a recording's second line (duration, size) must never be cut.
            return self.icon_size() + QSize(16, 44)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['original_name']}\n{row['taken_at'] or ''}"
        if role == ItemRole:
            return row
        return None

    def item(self, row: int) -> dict[str, Any]:
        return self._row(row)

    # Thumbnails -----------------------------------------------------------------------------
    def _icon(self, sha256: str) -> QIcon:
        icon = self._icons.get(sha256)
        if icon is not None:
            return icon
        if sha256 not in self._pending:
            self._pending.add(sha256)
            self.pool.start(_ThumbJob(self.ctx.data, sha256, self._signals, self._scale()))
        return self._placeholder

    @staticmethod
    def _scale() -> int:
        """2 on a high-DPI screen, so thumbnails stay sharp; 1 otherwise."""
        screen = QGuiApplication.primaryScreen()
        return 2 if screen is not None and screen.devicePixelRatio() > 1.25 else 1

    def _thumb_ready(self, sha256: str, image: QImage) -> None:
        self._pending.discard(sha256)
        self._icons[sha256] = QIcon(QPixmap.fromImage(image))
        self._changed(sha256)

    def _thumb_failed(self, sha256: str, _reason: str) -> None:
        self._pending.discard(sha256)
        broken = QPixmap(160, 120)
        broken.fill(QColor("#f3d6d6"))
        self._icons[sha256] = QIcon(broken)
        self._changed(sha256)

    def _changed(self, sha256: str) -> None:
        row = self._row_of_sha.get(sha256)
        if row is not None and row < len(self._ids):
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def icon_size(self) -> QSize:
        return QSize(160, 120)

    def drain(self) -> None:
        self.pool.waitForDone(10_000)

    def thumbnail_dir(self) -> Path:
        return self.ctx.data.cache_dir / "thumbs"
