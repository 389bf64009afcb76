"""The 移送 inbox of the 同步 page: the transfers list and the dialogs that answer one.

Every answer is a numbered letter (issue 14): 接收 issues the 回执 (a 联合查处: the 复函, 同意),
退回 the 案件退回函 with its reasons and legal basis (a 联合查处 is declined: 不同意, with
reasons), 反馈 the 处理结果反馈函 whose text follows the outcome. Split from ``sync_page.py``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.transfer import FEEDBACK_RESULTS
from officer_app.ui.id_table_model import IdTableModel, Index

OVERDUE = "#b3261e"
DEFAULT_BASIS = "《中华人民共和国行政处罚法》第二十二条"


def letters_text(transfer: dict[str, Any] | None) -> str:
    """The numbered letters of a transfer, one per line (both ends hold the same)."""
    if not transfer:
        return ""
    lines = [
        f"{d['title']}　{d['number']}" + ("（对方）" if d["origin"] == "received" else "")
        for d in transfer.get("documents", [])
    ]
    return "\n".join(lines)


# Model -------------------------------------------------------------------------------------------
class TransferModel(IdTableModel):
    """Transfers in and out (a short list); ``today`` decides which rows are overdue."""

    COLUMNS = (
        ("direction_zh", "方向"),
        ("status_zh", "状态"),
        ("other", "对方机关"),
        ("document_number", "移送文号"),
        ("deadline", "回执期限"),
        ("receipt_number", "回执文号"),
        ("kind_zh", "类型"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[dict[str, Any]] = []
        self.today = ""

    def set_items(self, items: list[dict[str, Any]], today: str) -> None:
        self.items, self.today = items, today
        self.reload()

    def fetch_ids(self) -> list[str]:
        # incoming waiting for us first: that is where the officer has something to do
        order = sorted(
            self.items,
            key=lambda t: (t["direction"] != "in" or t["status"] != "sent", t["created_at"]),
        )
        return [t["id"] for t in order]

    def fetch_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        by_id = {t["id"]: t for t in self.items}
        return {i: by_id[i] for i in ids if i in by_id}

    def overdue(self, row: dict[str, Any]) -> bool:
        """A receipt still owed after its deadline (either side: we owe it, or they owe us)."""
        deadline = row.get("deadline") or ""
        return bool(deadline) and row.get("status") == "sent" and deadline < self.today

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "kind_zh":
            return self.tr(str(row.get("kind_zh") or "案件移送"))
        if key == "direction_zh":
            return self.tr("移入") if row["direction"] == "in" else self.tr("移出")
        if key == "status_zh":
            text = self.tr(row["status_zh"])
            return text + self.tr("（已逾期）") if self.overdue(row) else text
        if key == "other":
            return str(row["other_agency"]["name"])
        if key == "deadline":
            return str(row.get("deadline") or "—")
        return str(row.get(key) or "")

    def colour(self, row: dict[str, Any], key: str) -> str | None:
        return OVERDUE if self.overdue(row) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            row = self.row_dict(index.row())
            if self.overdue(row):
                font = QFont()
                font.setBold(True)
                return font
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and index.isValid()
            and self.overdue(self.row_dict(index.row()))
        ):
            return QBrush(QColor("#fdecea"))
        return super().data(index, role)


# Dialogs -----------------------------------------------------------------------------------------
class ReturnDialog(QDialog):
    """退回 (a 案件移送: reasons and legal basis) or 不同意 (a 联合查处: reasons)."""

    def __init__(self, number: str, parent: QWidget | None = None, *, joint: bool = False):
        super().__init__(parent)
        self.joint = joint
        self.setObjectName("returnDialog")
        self.setWindowTitle(self.tr("不同意联合查处") if joint else self.tr("退回移送"))
        layout = QVBoxLayout(self)
        text = (
            self.tr("答复 {0}：不同意，须写明理由(&R)：")
            if joint
            else self.tr("退回 {0}，须写明理由(&R)：")
        )
        prompt = QLabel(text.format(number))
        layout.addWidget(prompt)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName(self.tr("退回理由"))
        self.reason_edit.setTabChangesFocus(True)  # Tab moves on to the buttons
        prompt.setBuddy(self.reason_edit)
        layout.addWidget(self.reason_edit)
        self.basis_label = QLabel(self.tr("法律依据(&B)："))
        self.basis_edit = QLineEdit(DEFAULT_BASIS)
        self.basis_edit.setAccessibleName(self.tr("法律依据"))
        self.basis_label.setBuddy(self.basis_edit)
        layout.addWidget(self.basis_label)
        layout.addWidget(self.basis_edit)
        self.basis_label.setVisible(not joint)
        self.basis_edit.setVisible(not joint)
        note = QLabel(self.tr("将签发编号的退回函，同步后送达移送机关。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok_text = self.tr("不同意") if joint else self.tr("退回")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.basis_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        basis_ok = self.joint or bool(self.basis_edit.text().strip())
        ok.setEnabled(bool(self.reason_edit.toPlainText().strip()) and basis_ok)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def basis(self) -> str | None:
        return None if self.joint else self.basis_edit.text().strip()


EXECUTED = (("yes", "已执行完毕"), ("no", "尚未执行"), ("partly", "部分执行"))


class FeedbackDialog(QDialog):
    """反馈: the outcome and what its letter must state (处罚决定: 决定书文号, date, penalty and
    execution; 不予处罚: its basis; 移送司法: the date referred)."""

    def __init__(self, number: str, parent: QWidget | None = None, *, today: QDate | None = None):
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(self.tr("反馈处理结果"))
        form = QFormLayout(self)
        self.form = form
        form.addRow(QLabel(self.tr("移送文号：{0}").format(number)))
        self.result_combo = QComboBox()
        self.result_combo.setAccessibleName(self.tr("处理结果"))
        for result in FEEDBACK_RESULTS:
            self.result_combo.addItem(self.tr(result), result)
        self.decision_edit = QLineEdit()
        self.decision_edit.setAccessibleName(self.tr("处罚决定书文号"))
        self.decision_edit.setPlaceholderText(self.tr("如 吴综执罚决字〔2026〕88号"))
        self.date_edit = QDateEdit(today or QDate.currentDate())
        self.date_edit.setAccessibleName(self.tr("决定日期"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.fine_spin = QDoubleSpinBox()
        self.fine_spin.setAccessibleName(self.tr("罚款金额"))
        self.fine_spin.setRange(0, 100_000_000)
        self.fine_spin.setDecimals(2)
        self.fine_spin.setSuffix(self.tr(" 元"))
        self.fine_spin.setSpecialValueText(self.tr("无罚款"))
        self.executed_combo = QComboBox()
        self.executed_combo.setAccessibleName(self.tr("执行情况"))
        for key, text in EXECUTED:
            self.executed_combo.addItem(self.tr(text), key)
        self.basis_edit = QLineEdit("《中华人民共和国行政处罚法》第三十三条")
        self.basis_edit.setAccessibleName(self.tr("不予处罚依据"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName(self.tr("处理情况说明"))
        self.note_edit.setFixedHeight(70)
        self.note_edit.setTabChangesFocus(True)  # Tab moves on to the buttons
        form.addRow(self.tr("处理结果(&R)："), self.result_combo)
        form.addRow(self.tr("决定书文号(&D)："), self.decision_edit)
        form.addRow(self.tr("决定（移送）日期(&T)："), self.date_edit)
        form.addRow(self.tr("罚款(&F)："), self.fine_spin)
        form.addRow(self.tr("执行情况(&E)："), self.executed_combo)
        form.addRow(self.tr("不予处罚依据(&B)："), self.basis_edit)
        form.addRow(self.tr("说明(&N)："), self.note_edit)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("反馈"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.result_combo.currentIndexChanged.connect(self._result_changed)
        self.decision_edit.textChanged.connect(self._update_ok)
        self.note_edit.textChanged.connect(self._update_ok)
        self._result_changed()

    def _show(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    def _result_changed(self) -> None:
        result = self.result_combo.currentData()
        penalty = result == "处罚决定"
        for widget in (self.decision_edit, self.fine_spin, self.executed_combo):
            self._show(widget, penalty)
        self._show(self.date_edit, result in ("处罚决定", "移送司法"))
        self._show(self.basis_edit, result == "不予处罚")
        self.hint.setText(
            {
                "处罚决定": self.tr("反馈函写明决定书文号、决定日期、处罚内容和执行情况。"),
                "不予处罚": self.tr("反馈函写明不予处罚的法律依据。"),
                "移送司法": self.tr(
                    "反馈函依照行政处罚法第二十七条和国务院令第310号写明移送司法机关的日期。"
                ),
                "其他": self.tr("请在说明中写明处理情况。"),
            }[result]
        )
        self._update_ok()

    def _update_ok(self) -> None:
        result = self.result_combo.currentData()
        ok = True
        if result == "处罚决定":
            ok = bool(self.decision_edit.text().strip())
        elif result == "其他":
            ok = bool(self.note_edit.toPlainText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict[str, Any]:
        result = self.result_combo.currentData()
        fine = self.fine_spin.value()
        out: dict[str, Any] = {"result": result, "note": self.note_edit.toPlainText().strip()}
        if result in ("处罚决定", "移送司法"):
            out["decision_date"] = self.date_edit.date().toString("yyyy-MM-dd")
        if result == "处罚决定":
            out.update(
                decision_number=self.decision_edit.text().strip(),
                fine=fine if fine > 0 else None,
                executed=self.executed_combo.currentData(),
            )
        if result == "不予处罚":
            out["basis"] = self.basis_edit.text().strip() or None
        return out
