"""A table model that holds ids only and fetches rows a page at a time (after Anki's browser).

The 案件 and 文书 lists share it: a filter change fetches one list of ids from a query service,
``data()`` fetches the ``PAGE`` rows around the one asked for, once. Subclasses say which ids, how to
fetch rows and how to show a cell; no SQL lives here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

PAGE = 100
RowRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class IdTableModel(QAbstractTableModel):
    #: (key, header) pairs; headers are translated in headerData().
    COLUMNS: tuple[tuple[str, str], ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._rows: dict[str, dict[str, Any]] = {}

    # What subclasses provide ------------------------------------------------------------------
    def fetch_ids(self) -> list[str]:
        raise NotImplementedError

    def fetch_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        raise NotImplementedError

    def display(self, row: dict[str, Any], key: str) -> str:
        return str(row.get(key) or "")

    def colour(self, row: dict[str, Any], key: str) -> str | None:
        return None

    # Loading --------------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._ids = self.fetch_ids()
        self._rows.clear()
        self.endResetModel()

    def row_dict(self, row: int) -> dict[str, Any]:
        key = self._ids[row]
        found = self._rows.get(key)
        if found is None:
            start = (row // PAGE) * PAGE
            self._rows.update(self.fetch_rows(self._ids[start : start + PAGE]))
            found = self._rows.get(key)
            if found is None:  # deleted since the ids were read: show an empty row, not a crash
                found = {"id": key}
                self._rows[key] = found
        return found

    def row_of(self, item_id: str) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def ids(self) -> list[str]:
        return list(self._ids)

    # Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.tr(self.COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._ids):
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if not 0 <= index.column() < len(self.COLUMNS):
            return None
        row = self.row_dict(index.row())
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, key) if len(row) > 1 else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.colour(row, key) if len(row) > 1 else None
            return QBrush(QColor(colour)) if colour else None
        if role == RowRole:
            return row
        if role == IdRole:
            return row["id"]
        return None
