"""The patrol editor dialog (new / edit while open) and the amendment dialog (closed patrols).

Both save through the services themselves and stay open on a refusal, with the reason shown
inline, so nothing the officer typed is lost (a stale-version conflict included).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.patrol import AMENDABLE_FIELDS, FIELD_NAMES, PATROL_TYPES, OfficerEntry
from officer_app.errors import ConflictError, UserFacingError
from officer_app.services import patrol_query, patrols
from officer_app.services.agencies import list_agencies
from officer_app.services.context import AppContext
from officer_app.ui.error_text import error_text
from officer_app.ui.qt_dates import py_date, py_time, q_date, q_time
from officer_app.ui.tasks import refusal_or_bug, tasks_of

CST = dt.timezone(dt.timedelta(hours=8))
CodeRole = Qt.ItemDataRole.UserRole + 1


def _to_qdatetime(moment: dt.datetime) -> QDateTime:
    local = moment.astimezone(CST)
    return QDateTime(q_date(local.date()), q_time(local.time()), QTimeZone(8 * 3600))


def _from_edit(edit: QDateTimeEdit) -> dt.datetime:
    """The edit shows China Standard Time; the stored value keeps its +08:00 offset."""
    value = edit.dateTime()
    return dt.datetime.combine(py_date(value.date()), py_time(value.time()), CST)


def _buddy(form: QFormLayout, field: QWidget | QHBoxLayout, target: QWidget) -> None:
    """Alt+mnemonic of a row whose field is a box or a row of widgets focuses ``target``."""
    label = form.labelForField(field)
    if isinstance(label, QLabel):
        label.setBuddy(target)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PatrolEditorDialog(QDialog):
    """New patrol (``patrol=None``) or edit of one that is not closed."""

    saved = Signal(str)

    def __init__(
        self, ctx: AppContext, patrol: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patrol = patrol
        self.result_saved: patrols.Saved | None = None
        self.saving = False  # a save is queued on the write executor
        self.setObjectName("patrolEditor")
        self.setWindowTitle(self.tr("编辑联合巡查") if patrol else self.tr("新建联合巡查"))
        self._agency_names = {a.code: a.name for a in list_agencies(ctx.store)}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName(self.tr("巡查类型"))
        for name in PATROL_TYPES:
            self.type_combo.addItem(self.tr(name), name)
        form.addRow(self.tr("巡查类型(&T)："), self.type_combo)
        self.cluster_combo = QComboBox()
        self.cluster_combo.setAccessibleName(self.tr("协作片区"))
        self.cluster_combo.addItem(self.tr("（无）"), None)
        for name in patrol_query.clusters(ctx):
            self.cluster_combo.addItem(name, name)
        form.addRow(self.tr("协作片区(&C)："), self.cluster_combo)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("标题"))
        form.addRow(self.tr("标题(&L)："), self.title_edit)
        times = QHBoxLayout()
        self.start_edit = QDateTimeEdit()
        self.end_edit = QDateTimeEdit()
        for edit, name in ((self.start_edit, "计划开始时间"), (self.end_edit, "计划结束时间")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setAccessibleName(self.tr(name))
        times.addWidget(self.start_edit)
        times.addWidget(QLabel(self.tr("至")))
        times.addWidget(self.end_edit)
        form.addRow(self.tr("计划时间(&P)："), times)
        _buddy(form, times, self.start_edit)
        self.agency_list = QListWidget()
        self.agency_list.setObjectName("agencyPicker")
        self.agency_list.setAccessibleName(self.tr("参加单位（可多选，最近合作的在前）"))
        self.agency_list.setMaximumHeight(150)
        self._fill_agencies()
        form.addRow(self.tr("参加单位(&A)："), self.agency_list)
        officer_box = self._officer_box()
        form.addRow(self.tr("执法人员(&O)："), officer_box)
        _buddy(form, officer_box, self.officer_table)
        self.area_edit = QLineEdit()
        self.area_edit.setAccessibleName(self.tr("巡查区域"))
        form.addRow(self.tr("巡查区域(&R)："), self.area_edit)
        self.route_edit = QLineEdit()
        self.route_edit.setAccessibleName(self.tr("巡查路线"))
        self.route_edit.setPlaceholderText(self.tr("路线说明；GPS轨迹请在证据页导入GPX文件"))
        form.addRow(self.tr("巡查路线(&U)："), self.route_edit)
        self.findings_edit = QPlainTextEdit()
        self.findings_edit.setAccessibleName(self.tr("发现问题"))
        self.findings_edit.setTabChangesFocus(True)
        self.findings_edit.setMaximumHeight(70)
        form.addRow(self.tr("发现问题(&F)："), self.findings_edit)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName(self.tr("备注"))
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMaximumHeight(50)
        form.addRow(self.tr("备注(&N)："), self.notes_edit)
        self.warning_label = QLabel()
        self.warning_label.setObjectName("warningLabel")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #8a5300;")
        layout.addWidget(self.warning_label)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._load(patrol)
        self.agency_list.itemChanged.connect(self._agencies_changed)
        self.officer_table.itemChanged.connect(lambda _item: self.update_warnings())
        self.update_warnings()
        self.resize(720, 760)

    # Agencies and officers ------------------------------------------------------------------
    def _fill_agencies(self) -> None:
        recent = [a["code"] for a in patrols.recent_agencies(self.ctx)]
        ordered = recent + [code for code in sorted(self._agency_names) if code not in recent]
        for code in ordered:
            label = f"{self._agency_names.get(code, code)}（{code}）"
            if code in recent:
                label += self.tr("　· 最近合作")
            item = QListWidgetItem(label)
            item.setData(CodeRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.agency_list.addItem(item)

    def _officer_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.officer_table = QTableWidget(0, 3)
        self.officer_table.setObjectName("officerTable")
        self.officer_table.setAccessibleName(self.tr("各单位执法人员"))
        self.officer_table.setHorizontalHeaderLabels(
            [self.tr("所属单位"), self.tr("姓名"), self.tr("执法证号")]
        )
        self.officer_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.officer_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.officer_table.setTabKeyNavigation(False)
        self.officer_table.setMinimumHeight(130)
        layout.addWidget(self.officer_table)
        row = QHBoxLayout()
        self.recent_combo = QComboBox()
        self.recent_combo.setObjectName("recentOfficers")
        self.recent_combo.setAccessibleName(self.tr("最近合作的执法人员"))
        self.recent_combo.addItem(self.tr("— 从最近合作人员中添加 —"), None)
        for officer in patrols.recent_officers(self.ctx):
            label = (
                f"{officer['name']}（{officer['badge'] or self.tr('无证号')}，"
                f"{self._agency_names.get(officer['agency_code'], officer['agency_code'])}）"
            )
            self.recent_combo.addItem(label, officer)
        self.recent_combo.activated.connect(self._add_recent)
        row.addWidget(self.recent_combo, 1)
        add = QPushButton(self.tr("添加人员(&D)"))
        add.setAccessibleName(self.tr("添加执法人员"))
        add.clicked.connect(lambda: self.add_officer(OfficerEntry(self._first_agency(), "", "")))
        row.addWidget(add)
        remove = QPushButton(self.tr("删除人员"))
        remove.setAccessibleName(self.tr("删除所选执法人员"))
        remove.clicked.connect(self._remove_officer)
        row.addWidget(remove)
        layout.addLayout(row)
        return box

    def _first_agency(self) -> str:
        codes = self.selected_agencies()
        return codes[0] if codes else ""

    def _agency_combo(self, code: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(self.tr("所属单位"))
        for selected in self.selected_agencies() or [code]:
            combo.addItem(self._agency_names.get(selected, selected), selected)
        if code and combo.findData(code) < 0:
            combo.addItem(self._agency_names.get(code, code), code)
        combo.setCurrentIndex(max(combo.findData(code), 0))
        combo.currentIndexChanged.connect(lambda _i: self.update_warnings())
        return combo

    def add_officer(self, officer: OfficerEntry) -> None:
        if officer.agency_code and officer.agency_code not in self.selected_agencies():
            self.set_agency_checked(officer.agency_code, True)
        row = self.officer_table.rowCount()
        self.officer_table.blockSignals(True)
        self.officer_table.insertRow(row)
        self.officer_table.setCellWidget(row, 0, self._agency_combo(officer.agency_code))
        self.officer_table.setItem(row, 1, QTableWidgetItem(officer.name))
        self.officer_table.setItem(row, 2, QTableWidgetItem(officer.badge))
        self.officer_table.blockSignals(False)
        self._officer_tab_order()
        self.update_warnings()

    def _add_recent(self, index: int) -> None:
        officer = self.recent_combo.itemData(index)
        if officer:
            self.add_officer(
                OfficerEntry(officer["agency_code"], officer["name"], officer["badge"])
            )
        self.recent_combo.setCurrentIndex(0)

    def _remove_officer(self) -> None:
        row = self.officer_table.currentRow()
        if row >= 0:
            self.officer_table.removeRow(row)
            self.update_warnings()

    def set_agency_checked(self, code: str, checked: bool) -> None:
        for i in range(self.agency_list.count()):
            item = self.agency_list.item(i)
            if item.data(CodeRole) == code:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def selected_agencies(self) -> list[str]:
        out = []
        for i in range(self.agency_list.count()):
            item = self.agency_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(CodeRole))
        return out

    def _agencies_changed(self, _item: QListWidgetItem) -> None:
        """Keep each officer's agency choice in step with the picked agencies."""
        for row in range(self.officer_table.rowCount()):
            combo = self.officer_table.cellWidget(row, 0)
            if isinstance(combo, QComboBox):
                self.officer_table.setCellWidget(row, 0, self._agency_combo(combo.currentData()))
        self._officer_tab_order()
        self.update_warnings()

    def _officer_tab_order(self) -> None:
        """Cell widgets join the focus chain at its end; Tab should reach each officer's agency
        right after the table, before the controls below it."""
        previous: QWidget = self.officer_table
        for row in range(self.officer_table.rowCount()):
            combo = self.officer_table.cellWidget(row, 0)
            if combo is not None:
                QWidget.setTabOrder(previous, combo)
                previous = combo
        QWidget.setTabOrder(previous, self.recent_combo)

    def officers(self) -> list[OfficerEntry]:
        out = []
        for row in range(self.officer_table.rowCount()):
            combo = self.officer_table.cellWidget(row, 0)
            name = self.officer_table.item(row, 1)
            badge = self.officer_table.item(row, 2)
            entry = OfficerEntry(
                combo.currentData() if isinstance(combo, QComboBox) else "",
                name.text().strip() if name else "",
                badge.text().strip() if badge else "",
            )
            if entry.name or entry.badge:
                out.append(entry)
        return out

    def update_warnings(self) -> None:
        warnings = patrols.warnings_for(self.ctx, self.selected_agencies(), self.officers())
        self.warning_label.setText("\n".join(f"⚠ {w}" for w in warnings))

    # Loading and saving ---------------------------------------------------------------------
    def _load(self, patrol: dict[str, Any] | None) -> None:
        if patrol is None:
            start = dt.datetime.now(CST).replace(second=0, microsecond=0) + dt.timedelta(hours=1)
            self.start_edit.setDateTime(_to_qdatetime(start))
            self.end_edit.setDateTime(_to_qdatetime(start + dt.timedelta(hours=3)))
            return
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(patrol["type"]), 0))
        self.cluster_combo.setCurrentIndex(max(self.cluster_combo.findData(patrol["cluster"]), 0))
        self.title_edit.setText(patrol["title"])
        self.start_edit.setDateTime(
            _to_qdatetime(dt.datetime.fromisoformat(patrol["planned_start"]))
        )
        self.end_edit.setDateTime(_to_qdatetime(dt.datetime.fromisoformat(patrol["planned_end"])))
        for agency in patrol["agencies"]:
            self.set_agency_checked(agency["code"], True)
        for officer in patrol["officers"]:
            self.add_officer(OfficerEntry(**officer))
        self.area_edit.setText(patrol["area"])
        self.route_edit.setText(patrol["route"])
        self.findings_edit.setPlainText(patrol["findings"])
        self.notes_edit.setPlainText(patrol["notes"])

    def draft(self) -> patrols.PatrolDraft:
        return patrols.PatrolDraft(
            patrol_type=self.type_combo.currentData(),
            planned_start=_from_edit(self.start_edit),
            planned_end=_from_edit(self.end_edit),
            agencies=self.selected_agencies(),
            officers=self.officers(),
            cluster=self.cluster_combo.currentData(),
            title=self.title_edit.text(),
            area=self.area_edit.text(),
            route=self.route_edit.text(),
            notes=self.notes_edit.toPlainText(),
            findings=self.findings_edit.toPlainText(),
        )

    def save(self) -> None:
        """Store the patrol on the write executor; a refusal stays in the dialog."""
        if self.saving:
            return
        draft, patrol = self.draft(), self.patrol

        def work(worker_ctx: AppContext) -> patrols.Saved:
            if patrol is None:
                return patrols.create_patrol(worker_ctx, draft)
            return patrols.update_patrol(
                worker_ctx, patrol["id"], draft, expected_version=patrol["version"]
            )

        self.saving = True
        tasks_of(self).write(self.ctx, work, self._saved, refusal_or_bug(self._refused, self))

    def reject(self) -> None:
        if self.saving:  # Esc while the save is queued: it lands, then the dialog closes
            return
        super().reject()

    def _refused(self, exc: UserFacingError) -> None:
        self.saving = False
        self.error_label.setText(error_text(exc))

    def _saved(self, saved: patrols.Saved) -> None:
        self.saving = False
        self.result_saved = saved
        self.saved.emit(saved.patrol_id)
        self.accept()


class AmendDialog(QDialog):
    """Correct one field of a (closed) patrol, with a reason; recorded as an amendment."""

    amended = Signal(str)

    def __init__(
        self, ctx: AppContext, patrol: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patrol = patrol
        self.version = patrol["version"]  # the version the officer is looking at
        self.saving = False  # an amendment is queued on the write executor
        self.setObjectName("amendDialog")
        self.setWindowTitle(self.tr("更正巡查记录"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "已结束的巡查记录只读。更正将连同更正人、时间、原值、新值和理由一并记录，不可撤销。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.field_combo = QComboBox()
        self.field_combo.setObjectName("amendField")
        self.field_combo.setAccessibleName(self.tr("更正字段"))
        for name in AMENDABLE_FIELDS:
            self.field_combo.addItem(self.tr(FIELD_NAMES[name]), name)
        form.addRow(self.tr("更正字段(&F)："), self.field_combo)
        self.old_label = QLabel()
        self.old_label.setObjectName("amendOld")
        self.old_label.setWordWrap(True)
        self.old_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("原值："), self.old_label)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("amendValue")
        self.value_edit.setAccessibleName(self.tr("新值"))
        form.addRow(self.tr("新值(&V)："), self.value_edit)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("amendReason")
        self.reason_edit.setAccessibleName(self.tr("更正理由"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setMaximumHeight(80)
        form.addRow(self.tr("更正理由(&R)："), self.reason_edit)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("提交更正"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self._field_changed()
        self.resize(520, 320)

    def _field_changed(self) -> None:
        old = self.patrol.get(self.field_combo.currentData())
        self.old_label.setText("" if old is None else str(old))
        self.value_edit.setText("" if old is None else str(old))

    def submit(self) -> None:
        """Record the amendment on the write executor; a conflict shows what is there now."""
        if self.saving:
            return
        field, value = self.field_combo.currentData(), self.value_edit.text()
        reason, version, patrol_id = self.reason_edit.toPlainText(), self.version, self.patrol["id"]
        self.saving = True
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: patrols.amend_patrol(
                worker_ctx, patrol_id, field, value, reason=reason, expected_version=version
            ),
            lambda _result: self._amended(patrol_id),
            refusal_or_bug(lambda exc: self._refused(field, exc), self),
        )

    def reject(self) -> None:
        if self.saving:  # Esc while the save is queued: it lands, then the dialog closes
            return
        super().reject()

    def _amended(self, patrol_id: str) -> None:
        self.saving = False
        self.amended.emit(patrol_id)
        self.accept()

    def _refused(self, field: str, exc: UserFacingError) -> None:
        self.saving = False
        if isinstance(exc, ConflictError):
            # Show what is there now; keep what the officer typed for a deliberate resubmit.
            self.patrol = patrols.get_patrol(self.ctx, self.patrol["id"])
            self.version = self.patrol["version"]
            current = self.patrol.get(field)
            self.old_label.setText("" if current is None else str(current))
        self.error_label.setText(error_text(exc))
