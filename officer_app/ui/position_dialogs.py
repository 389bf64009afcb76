"""Dialogs for a photo's manual position and for overriding its jurisdiction.

Why a confirmation step: a position decides which agency handles a case. Before anything is
saved the officer sees the district, the responsible agency and, near a border, a warning, and
types the reason that goes into the ledger. The dialogs only call services; nothing is saved until
OK, and OK stays disabled until the service would accept the input.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import positions
from officer_app.services.context import AppContext
from officer_app.ui.error_text import error_text
from officer_app.ui.tasks import refusal_or_bug, tasks_of


class PositionDialog(QDialog):
    """Confirm a picked point, or type / paste a coordinate, then save it as a manual position."""

    saved = Signal(str)  # evidence id

    def __init__(
        self,
        ctx: AppContext,
        item: dict[str, Any],
        *,
        lat: float | None = None,
        lon: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.check: positions.PositionCheck | None = None
        self.result_data: dict[str, Any] | None = None
        self.setWindowTitle(self.tr("手工定位：{0}").format(item["original_name"]))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.coords = QLineEdit()
        self.coords.setObjectName("coordinatesEdit")
        self.coords.setAccessibleName(self.tr("坐标（纬度, 经度）"))
        self.coords.setPlaceholderText(
            self.tr("如 31.0135, 120.8370 或 31°0'48.6\"N 120°50'13.2\"E")
        )
        if lat is not None and lon is not None:
            self.coords.setText(f"{lat:.6f}, {lon:.6f}")
        form.addRow(self.tr("坐标(&C)"), self.coords)
        self.datum = QComboBox()
        self.datum.setObjectName("datumCombo")
        self.datum.setAccessibleName(self.tr("坐标系"))
        for code in positions.DATUMS:
            self.datum.addItem(self.tr(positions.DATUM_ZH[code]), code)
        self.datum.setEnabled(lat is None)  # a point picked on this map is WGS-84
        form.addRow(self.tr("坐标系(&D)"), self.datum)
        self.preview = QLabel()
        self.preview.setObjectName("positionPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAccessibleName(self.tr("管辖预览"))
        form.addRow(self.tr("管辖"), self.preview)
        self.reason = QLineEdit()
        self.reason.setObjectName("reasonEdit")
        self.reason.setAccessibleName(self.tr("定位理由"))
        self.reason.setPlaceholderText(self.tr("如：照片无GPS，按现场记录定位"))
        form.addRow(self.tr("理由(&R)"), self.reason)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存位置"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.error = QLabel()
        self.error.setObjectName("positionError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        self.coords.textChanged.connect(self._update)
        self.datum.currentIndexChanged.connect(self._update)
        self.reason.textChanged.connect(self._update_ok)
        self._update()
        (self.reason if lat is not None else self.coords).setFocus()

    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update(self) -> None:
        self.check = None
        text = self.coords.text().strip()
        if not text:
            self.preview.setText(self.tr("请输入坐标。"))
            self.preview.setStyleSheet("")
            self._update_ok()
            return
        try:
            parsed = positions.parse_coordinates(text)
            self.check = positions.check_position(
                self.ctx, parsed.lat, parsed.lon, datum=self.datum.currentData()
            )
        except UserFacingError as exc:
            self.preview.setText(error_text(exc))
            self.preview.setStyleSheet("color: #b00020;")
        else:
            lines = []
            if parsed.swapped:
                lines.append(parsed.note_zh)
            lines.append(self.check.summary_zh())
            if self.check.datum != "wgs84":
                lines.append(
                    self.tr("换算为 WGS-84：{0:.6f}, {1:.6f}").format(
                        self.check.lat, self.check.lon
                    )
                )
            old = self.item.get("jurisdiction_code")
            if old and old != self.check.code:
                lines.append(self.tr("管辖将由 {0} 变为 {1}。").format(old, self.check.code))
            self.preview.setText("\n".join(lines))
            warn = self.check.near_border or parsed.swapped
            self.preview.setStyleSheet("color: #8a5300;" if warn else "color: #0b6e2e;")
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button().setEnabled(self.check is not None and bool(self.reason.text().strip()))

    def save(self) -> None:
        if self.check is None:
            return
        item_id, check, reason = self.item["id"], self.check, self.reason.text()
        self.ok_button().setEnabled(False)  # one save at a time; a refusal enables it again
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: positions.set_manual_position(
                worker_ctx,
                item_id,
                check.input_lat,
                check.input_lon,
                datum=check.datum,
                reason=reason,
            ),
            self._saved,
            refusal_or_bug(self._refused, self),
        )

    def _saved(self, result: Any) -> None:
        self.result_data = result
        self.saved.emit(self.item["id"])
        self.accept()

    def _refused(self, exc: UserFacingError) -> None:
        self.error.setText(error_text(exc))
        self._update_ok()


class JurisdictionDialog(QDialog):
    """Override a photo's jurisdiction: nearby districts first, reason required."""

    saved = Signal(str)

    def __init__(self, ctx: AppContext, item: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.result_data: dict[str, Any] | None = None
        self.setWindowTitle(self.tr("更改管辖：{0}").format(item["original_name"]))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        current = item.get("jurisdiction_code")
        name = positions.district_name(ctx, current) if current else None
        info = QLabel(
            self.tr("当前管辖：{0}").format(f"{name}（{current}）" if current else self.tr("未知"))
        )
        info.setObjectName("currentJurisdiction")
        layout.addWidget(info)
        form = QFormLayout()
        self.combo = QComboBox()
        self.combo.setObjectName("districtCombo")
        self.combo.setAccessibleName(self.tr("新的管辖区"))
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for d in positions.candidate_districts(item.get("lat"), item.get("lon")):
            if d["code"] == current:
                continue
            near = (
                self.tr("，距约 {0:.0f} 米").format(d["distance_m"])
                if d["distance_m"] is not None
                else ""
            )
            self.combo.addItem(f"{d['name']}（{d['code']}，{d['province']}{near}）", d["code"])
        form.addRow(self.tr("改为(&T)"), self.combo)
        self.reason = QLineEdit()
        self.reason.setObjectName("reasonEdit")
        self.reason.setAccessibleName(self.tr("更改管辖理由"))
        self.reason.setPlaceholderText(self.tr("如：现场位于界河对岸，经双方确认"))
        form.addRow(self.tr("理由(&R)"), self.reason)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("更改管辖"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update_ok(self) -> None:
        self.ok_button().setEnabled(bool(self.reason.text().strip()))

    def save(self) -> None:
        code = self.combo.currentData()
        if code is None:  # typed text: accept a bare code
            code = self.combo.currentText().strip()[:6]
        item_id, reason = self.item["id"], self.reason.text()
        self.ok_button().setEnabled(False)  # one save at a time; a refusal enables it again
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: positions.change_evidence_jurisdiction(
                worker_ctx, item_id, code, reason
            ),
            self._saved,
            refusal_or_bug(self._refused, self),
        )

    def _saved(self, result: Any) -> None:
        self.result_data = result
        self.saved.emit(self.item["id"])
        self.accept()

    def _refused(self, exc: UserFacingError) -> None:
        self.error.setText(error_text(exc))
        self._update_ok()
