"""The officers present on a record, as a table (执法机关 / 姓名 / 执法证号) in the form editor.

The document stores them as text, one agency per line (:mod:`officer_app.domain.officers_present`);
typing that by hand is error-prone on a laptop at the roadside, so the editor shows one row per
officer and writes the text back. A row without a 执法证号 is kept as typed so the service's own
check names it; below the table a line counts officers and agencies and says when fewer than two
are listed (行政处罚法 §42).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.officers_present import (
    MIN_OFFICERS,
    NO_OFFICERS_MARK,
    OfficerPresent,
    format_lines,
    parse_lines,
)

AGENCY, NAME, BADGE = range(3)
_T = QAbstractItemView.EditTrigger
NO_EDIT = _T.NoEditTriggers
# Typing or double-clicking edits a cell; moving the current cell does not (add_row opens one).
EDIT_TRIGGERS = _T.DoubleClicked | _T.EditKeyPressed | _T.AnyKeyPressed | _T.SelectedClicked
AMBER = "#8a5300"


class OfficersField(QWidget):
    """Editable list of officers; :meth:`text` / :meth:`setText` speak the stored text form."""

    changed = Signal()

    def __init__(self, default_agency: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_agency = default_agency
        self._read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("officersTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("执法机关"), self.tr("姓名"), self.tr("执法证号")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AGENCY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BADGE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.setAccessibleName(self.tr("在场执法人员"))
        self.table.itemChanged.connect(self._edited)
        layout.addWidget(self.table)
        self.setFocusProxy(self.table)  # the label's Alt+letter lands in the table
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加执法人员"))
        self.add_button.setObjectName("addOfficer")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self.tr("删除所选"))
        self.remove_button.setObjectName("removeOfficer")
        self.remove_button.clicked.connect(self.remove_selected)
        self.count_label = QLabel()
        self.count_label.setObjectName("officerCount")
        self.count_label.setWordWrap(True)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.count_label, 1)
        layout.addLayout(row)
        self._update_count()

    # The stored text ----------------------------------------------------------------------------
    def setText(self, text: str) -> None:  # the QLineEdit-like API the editor uses
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        try:
            lines = parse_lines(text)
        except ValueError:  # shown as typed, one line per row: the save check names the fault
            for line in text.splitlines():
                if line.strip():
                    self._append("", line.strip(), "")
        else:
            for agency, group in lines:
                if not group:
                    self._append(agency, "", "")
                for o in group:
                    self._append(agency, o.name, o.badge)
        self.table.blockSignals(False)
        self._update_count()

    def text(self) -> str:
        lines: list[tuple[str, list[OfficerPresent]]] = []
        for r in range(self.table.rowCount()):
            agency, name, badge = (self._cell(r, c) for c in (AGENCY, NAME, BADGE))
            if not (agency or name or badge):
                continue
            group = next((g for a, g in lines if a == agency), None)
            if group is None:
                group = []
                lines.append((agency, group))
            if name or badge:
                group.append(OfficerPresent(name, badge, agency))
        if any(not o.badge or not o.name for _, g in lines for o in g):
            return self._raw(lines)
        return format_lines(lines)

    @staticmethod
    def _raw(lines: list[tuple[str, list[OfficerPresent]]]) -> str:
        """A row lacking its number stays visible to the check (``张三`` without 执法证号)."""
        out = []
        for agency, group in lines:
            names = "、".join(
                f"{o.name}（执法证号{o.badge}）" if o.badge else o.name for o in group
            )
            out.append(f"{agency}：{names or NO_OFFICERS_MARK}" if agency else names)
        return "\n".join(out)

    # Editing ------------------------------------------------------------------------------------
    def add_row(self) -> None:
        last = self._cell(self.table.rowCount() - 1, AGENCY) if self.table.rowCount() else ""
        self._append(last or self.default_agency, "", "")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, NAME)
        cell = self.table.item(row, NAME)  # _append made it
        if cell is not None:
            self.table.editItem(cell)
        self._edited()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
        if rows:
            self._edited()

    def setReadOnly(self, read_only: bool) -> None:
        self._read_only = read_only
        self.table.setEditTriggers(NO_EDIT if read_only else EDIT_TRIGGERS)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    def officer_count(self) -> int:
        return sum(1 for r in range(self.table.rowCount()) if self._cell(r, NAME))

    # Internals ----------------------------------------------------------------------------------
    def _append(self, agency: str, name: str, badge: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in ((AGENCY, agency), (NAME, name), (BADGE, badge)):
            self.table.setItem(row, col, QTableWidgetItem(value))

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _edited(self, *_: object) -> None:
        self._update_count()
        self.changed.emit()

    def _update_count(self) -> None:
        n = self.officer_count()
        agencies = {
            self._cell(r, AGENCY) for r in range(self.table.rowCount()) if self._cell(r, NAME)
        }
        text = self.tr("共 {0} 名执法人员，来自 {1} 个单位").format(n, len(agencies))
        if n < MIN_OFFICERS:
            text += self.tr("；执法人员不得少于两人（行政处罚法第四十二条）")
        self.count_label.setText(text)
        self.count_label.setStyleSheet(f"color: {AMBER};" if n < MIN_OFFICERS else "")
