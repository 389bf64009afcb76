"""Models of the 案件 section: the case list (ids only, rows by page) and two evidence models.

``CaseEvidenceModel`` shows a fixed set of evidence (a case's photos) and ``EvidencePickModel`` lets
the officer tick photos for a new case; both reuse the evidence browser's off-thread thumbnails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from officer_app.services import case_query
from officer_app.services.cases import CASE_STATUS_ZH
from officer_app.services.context import AppContext
from officer_app.ui.evidence_model import EvidenceModel, Index
from officer_app.ui.id_table_model import IdRole, IdTableModel, RowRole
from officer_app.ui.patrol_model import short_time

__all__ = ["CaseEvidenceModel", "CaseTableModel", "EvidencePickModel", "IdRole", "RowRole"]

_STATUS_COLOURS = {
    "draft": "#5b6b7a",
    "recorded": "#0b4f8a",
    "transferred": "#8a5300",
    "closed": "#333333",
}


class CaseTableModel(IdTableModel):
    COLUMNS = (
        ("taken_at", "发现时间"),
        ("type", "违法类型"),
        ("place", "地点"),
        ("jurisdiction", "管辖"),
        ("parties", "当事人"),
        ("status", "状态"),
        ("evidence", "证据"),
    )

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = case_query.CaseFilter()
        self.reload()

    def set_filter(self, flt: case_query.CaseFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch_ids(self) -> list[str]:
        return case_query.case_ids(self.ctx, self.filter)

    def fetch_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return case_query.rows_by_ids(self.ctx, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "taken_at":
            return short_time(row["taken_at"])
        if key == "type":
            return row["violation_name"] or row["violation_code"] or ""
        if key == "jurisdiction":
            ref = row["jurisdiction"]
            return (ref["name"] or ref["code"]) if ref else self.tr("未知")
        if key == "status":
            return self.tr(CASE_STATUS_ZH.get(row["status"], row["status"]))
        if key == "evidence":
            return str(row["evidence_count"])
        if key == "parties" and not row.get("parties"):  # 当事人待查, the plates seen as clues
            plates = f"（{row['plates']}）" if row.get("plates") else ""
            return self.tr("待查") + plates
        return str(row.get(key) or "")

    def colour(self, row: dict[str, Any], key: str) -> str | None:
        return _STATUS_COLOURS.get(row["status"]) if key == "status" else None


class CaseEvidenceModel(EvidenceModel):
    """The thumbnails of a fixed list of evidence ids (a case's photos), in the given order."""

    def set_ids(self, ids: Iterable[str]) -> None:
        self._fixed = list(ids)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._ids = list(getattr(self, "_fixed", []))
        self._rows.clear()
        self._row_of_sha.clear()
        self.endResetModel()


class EvidencePickModel(EvidenceModel):
    """All evidence (optionally of one patrol) with a tick box each; ticks survive filter changes."""

    checkedChanged = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, parent)
        self.checked: list[str] = []  # in ticking order: the first is the case's "first photo"

    def set_checked(self, ids: Iterable[str]) -> None:
        self.checked = list(dict.fromkeys(ids))
        if self._ids:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._ids) - 1), [Qt.ItemDataRole.CheckStateRole]
            )
        self.checkedChanged.emit()

    def row_of(self, evidence_id: str) -> int:
        try:
            return self._ids.index(evidence_id)
        except ValueError:
            return -1

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            if not index.isValid() or not 0 <= index.row() < len(self._ids):
                return None
            ticked = self._ids[index.row()] in self.checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        if not 0 <= index.row() < len(self._ids):
            return False
        evidence_id = self._ids[index.row()]
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        if state == Qt.CheckState.Checked and evidence_id not in self.checked:
            self.checked.append(evidence_id)
        elif state != Qt.CheckState.Checked and evidence_id in self.checked:
            self.checked.remove(evidence_id)
        else:
            return True
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True
