"""The dialog that records a case: violation type with its legal basis, evidence photos, parties
(none: 当事人待查) and the plates of vehicles seen (clues, never the party).

Parties are checked while the officer types, by the same service functions that will store them
(``cases.person_party`` / ``organisation_party``; plates ``cases.vehicle_clue``), so what the dialog says is
what the store will accept: a wrong 身份证号 is refused with the reason (red), what a valid one
tells (birth date, sex, region) is shown, and a USCC whose check character fails only warns (amber)
because some early codes fail it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import cases, catalogue, evidence_query, patrol_query
from officer_app.services.cases import PARTY_KIND_ZH, CheckedParty, Party, Vehicle
from officer_app.services.context import AppContext
from officer_app.ui import list_page
from officer_app.ui.case_model import EvidencePickModel
from officer_app.ui.error_text import error_text
from officer_app.ui.photo_text import local_time
from officer_app.ui.screen_fit import fit_to_screen, scrolling
from officer_app.ui.tasks import refusal_or_bug, tasks_of

RED = "#b00020"
AMBER = "#8a5300"
GREEN = "#0b6e2e"
PLATE_KINDS_ZH = {
    "ordinary": "普通号牌",
    "new_energy_small": "小型新能源号牌",
    "new_energy_large": "大型新能源号牌",
    "police": "警用号牌",
    "coach": "教练车号牌",
    "trailer": "挂车号牌",
    "consulate": "领馆号牌",
    "hong_kong": "港籍号牌",
    "macau": "澳籍号牌",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseEditor", text)


def basis_text(vt: dict[str, Any] | None) -> str:
    """A violation type's obligation and penalty basis and fine range, as the catalogue words it."""
    if not vt:
        return ""
    lines = []
    if vt.get("obligation_basis"):
        lines.append(_tr("违反：") + vt["obligation_basis"])
    if vt.get("penalty_basis"):
        lines.append(_tr("处罚依据：") + vt["penalty_basis"])
    if vt.get("fine_note"):
        lines.append(_tr("罚款：") + vt["fine_note"])
    elif vt.get("fine_min") is not None or vt.get("fine_max") is not None:
        lines.append(
            _tr("罚款：{0}–{1}元").format(vt.get("fine_min") or 0, vt.get("fine_max") or "")
        )
    if vt.get("edition"):
        lines.append(_tr("（目录版本 {0}）").format(vt["edition"]))
    return "\n".join(lines)


def place_basis_text(basis: dict[str, Any] | None) -> tuple[str, str]:
    """A place's basis (``LegalBasis.to_json()``) as (the basis lines, the unconfirmed warning)."""
    if not basis:
        return "", ""
    lines = []
    if basis.get("province", {}).get("name"):
        lines.append(_tr("适用{0}的地方性法规").format(basis["province"]["name"]))
    if basis.get("obligation_basis"):
        lines.append(_tr("违反：") + basis["obligation_basis"])
    if basis.get("penalty_basis"):
        lines.append(_tr("处罚依据：") + basis["penalty_basis"])
    if basis.get("fine"):
        lines.append(_tr("罚款：") + basis["fine"])
    lines += basis.get("notes", [])
    if basis.get("catalogue_edition"):
        lines.append(_tr("（目录版本 {0}）").format(basis["catalogue_edition"]))
    warning = ""
    if basis.get("unconfirmed"):
        warning = _tr("法律依据未经核实：{0}。签发文书前须对照公布的条文核实。").format(
            "、".join(basis["unconfirmed"])
        )
    return "\n".join(lines), warning


def place_text(ref: dict[str, Any] | None, lat: float | None, lon: float | None) -> str:
    """A case's 地点 as the photo gives it: the district, then the WGS-84 coordinates."""
    parts = [ref["name"] or ref["code"]] if ref else []
    if lat is not None and lon is not None:
        north = _tr("北纬") if lat >= 0 else _tr("南纬")
        east = _tr("东经") if lon >= 0 else _tr("西经")
        parts.append(f"（{north}{abs(lat):.5f}°，{east}{abs(lon):.5f}°）")
    return "".join(parts)


def party_facts(ctx: AppContext, kind: str, details: dict[str, Any]) -> str:
    """What the validators derived from a party's number (birth date, region, plate kind…)."""
    if kind == "person":
        region = details.get("region_code", "")
        ref = cases.jurisdiction_ref(ctx, region) if region else None
        where = f"{ref['name']}（{region}）" if ref and ref["name"] else region
        return _tr("出生日期 {0}，性别 {1}，地区码 {2}").format(
            details.get("birth_date", ""), details.get("sex", ""), where
        )
    if kind == "organisation":
        parts = [details.get("registration_authority_name", ""), details.get("org_type_name", "")]
        region = details.get("region_code", "")
        text = "，".join(p for p in parts if p)
        return text + _tr("，地区码 {0}").format(region) if region else text
    plate_kind = _tr(PLATE_KINDS_ZH.get(details.get("kind", ""), details.get("kind", "")))
    energy = f"（{details['energy']}）" if details.get("energy") else ""
    return f"{details.get('province', '')}{plate_kind}{energy}"


def check_party(kind: str, name: str, number: str) -> CheckedParty:
    """The service's check for one party; raises ValidationError with the reason in Chinese."""
    if kind == "person":
        return cases.person_party(name, number)
    return cases.organisation_party(name, number)


class CaseEditorDialog(QDialog):
    """Records a new case. ``recorded(case_id)`` fires once it is stored."""

    recorded = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        evidence_ids: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: str | None = None
        self.saving = False  # a save is queued on the write executor
        self.parties: list[CheckedParty] = []
        self.vehicles: list[Vehicle] = []
        self.setWindowTitle(self.tr("登记案件"))
        self.setObjectName("caseEditor")
        outer = QVBoxLayout(self)
        content = QWidget()  # scrolls on a screen too small for it (1366 × 768, large text)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self._violation_box(), 1)
        top.addWidget(self._place_box(), 1)
        layout.addLayout(top)
        layout.addWidget(self._evidence_box(evidence_ids), 2)
        layout.addWidget(self._party_box(), 1)
        outer.addWidget(scrolling(content), 1)
        layout = outer
        self.message = QLabel()
        self.message.setObjectName("caseEditorMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登记(&R)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._violation_changed()
        self._entry_changed()
        self._update_picked()
        self._prefill_place()
        fit_to_screen(self, 980, 760)

    # Building -------------------------------------------------------------------------------
    def _violation_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("违法行为(&V)"))  # Alt+V focuses the violation type
        form = QVBoxLayout(box)
        self.violation_combo = QComboBox()
        self.violation_combo.setObjectName("violationCombo")
        self.violation_combo.setAccessibleName(self.tr("违法类型"))
        self._types = {
            vt["code"]: vt for vt in cases.list_violation_types(self.ctx, most_used_first=True)
        }
        for code, vt in self._types.items():
            self.violation_combo.addItem(f"{vt['name']}（{vt['category']}）", code)
        # No silent default: a case recorded under the first type would carry the wrong basis.
        self.violation_combo.setPlaceholderText(self.tr("请选择违法类型"))
        self.violation_combo.setCurrentIndex(-1)
        self.violation_combo.setMaxVisibleItems(min(max(len(self._types), 1), 20))
        self.violation_combo.currentIndexChanged.connect(self._violation_changed)
        form.addWidget(self.violation_combo)
        self.basis_label = QLabel()
        self.basis_label.setObjectName("basisLabel")
        self.basis_label.setWordWrap(True)
        self.basis_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis_label.setStyleSheet("color: #333;")
        form.addWidget(self.basis_label)
        self.unverified_label = QLabel()
        self.unverified_label.setObjectName("unverifiedBasisLabel")
        self.unverified_label.setWordWrap(True)
        self.unverified_label.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        form.addWidget(self.unverified_label)
        form.addStretch(1)
        return box

    def _place_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("地点与情况"))
        form = QFormLayout(box)
        self.place_edit = QLineEdit()
        self.place_edit.setObjectName("placeEdit")
        self.place_edit.setPlaceholderText(self.tr("如：吴江区黎里镇汾湖岸边滩地"))
        form.addRow(self.tr("地点(&L)"), self.place_edit)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setPlaceholderText(self.tr("现场情况：规模、痕迹、线索…"))
        self.description_edit.setMinimumHeight(70)
        # A few lines, not the editor's default 190 px: the whole form fits a 768 px screen.
        lines = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setMaximumHeight(max(70, lines * 4 + 14))
        self.description_edit.setTabChangesFocus(True)
        form.addRow(self.tr("情况描述(&D)"), self.description_edit)
        return box

    def _evidence_box(self, evidence_ids: Sequence[str]) -> QGroupBox:
        box = QGroupBox(self.tr("证据照片（勾选）(&E)"))
        layout = QVBoxLayout(box)
        bar = QHBoxLayout()
        self.patrol_combo = QComboBox()
        self.patrol_combo.setObjectName("pickPatrolFilter")
        self.patrol_combo.setAccessibleName(self.tr("按巡查筛选证据"))
        self.patrol_combo.addItem(self.tr("全部巡查"), None)
        for patrol_id, label in patrol_query.patrol_choices(self.ctx):
            self.patrol_combo.addItem(label, patrol_id)
        self.patrol_combo.currentIndexChanged.connect(self._patrol_changed)
        bar.addWidget(self.patrol_combo, 1)
        self.picked_label = QLabel()
        self.picked_label.setObjectName("pickedLabel")
        self.picked_label.setWordWrap(True)  # a long photo name must not widen the dialog
        bar.addWidget(self.picked_label, 2)
        layout.addLayout(bar)
        self.evidence_model = EvidencePickModel(self.ctx, self)
        self.evidence_model.set_checked(evidence_ids)
        self.evidence_model.checkedChanged.connect(self._update_picked)
        self.evidence_view = QListView()
        self.evidence_view.setObjectName("evidencePicker")
        self.evidence_view.setAccessibleName(self.tr("选择证据照片"))
        self.evidence_view.setViewMode(QListView.ViewMode.IconMode)
        self.evidence_view.setIconSize(QSize(96, 72))
        list_page.fit_icon_grid(self.evidence_view, QSize(96, 72), extra=24)  # + tick box
        self.evidence_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.evidence_view.setUniformItemSizes(True)
        self.evidence_view.setMovement(QListView.Movement.Static)
        self.evidence_view.setModel(self.evidence_model)
        # One row of thumbnails and a glimpse of the next (it scrolls): its own wish of 190 px
        # pushed the plate below the bottom of a 768 px screen.
        line = self.evidence_view.gridSize().height()
        self.evidence_view.setMinimumHeight(line + 8)
        self.evidence_view.setMaximumHeight(int(line * 1.35))
        layout.addWidget(self.evidence_view)
        if evidence_ids:  # opened from the evidence page: show that patrol's photos
            first = evidence_query.get_evidence(self.ctx, evidence_ids[0])
            if first and first.get("patrol_id"):
                index = self.patrol_combo.findData(first["patrol_id"])
                if index >= 0:
                    self.patrol_combo.setCurrentIndex(index)
            at = self.evidence_model.row_of(evidence_ids[0])
            if at >= 0:
                self.evidence_view.scrollTo(self.evidence_model.index(at))
        return box

    def _party_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("当事人与涉案车辆"))
        outer = QVBoxLayout(box)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        entry = QVBoxLayout()
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("partyKind")
        self.kind_combo.setAccessibleName(self.tr("当事人类型"))
        for kind in cases.PARTY_KINDS:
            self.kind_combo.addItem(self.tr(PARTY_KIND_ZH[kind]), kind)
        form.addRow(self.tr("类型(&K)"), self.kind_combo)
        self.name_label = QLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("partyName")
        self.name_label.setBuddy(self.name_edit)
        form.addRow(self.name_label, self.name_edit)
        self.number_label = QLabel()
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("partyNumber")
        self.number_label.setBuddy(self.number_edit)
        form.addRow(self.number_label, self.number_edit)
        entry.addLayout(form)
        self.party_message = QLabel()
        self.party_message.setObjectName("partyMessage")
        self.party_message.setWordWrap(True)
        self.party_message.setMinimumHeight(36)
        entry.addWidget(self.party_message)
        self.add_party_button = QPushButton(self.tr("添加当事人(&A)"))
        self.add_party_button.setObjectName("addPartyButton")
        self.add_party_button.clicked.connect(self.add_party)
        entry.addWidget(self.add_party_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(entry, 1)
        right = QVBoxLayout()
        self.party_list = QListWidget()
        self.party_list.setObjectName("partyList")
        self.party_list.setAccessibleName(self.tr("已添加的当事人"))
        self.party_list.setWordWrap(True)
        # Room for two parties with their facts; more scroll (the form fits a 768 px screen).
        self.party_list.setMaximumHeight(self.party_list.fontMetrics().lineSpacing() * 5 + 12)
        right.addWidget(self.party_list)
        hint = QLabel(self.tr("不添加当事人时，文书中当事人记为“待查”。"))
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        right.addWidget(hint)
        self.remove_party_button = QPushButton(self.tr("移除所选"))
        self.remove_party_button.clicked.connect(self.remove_party)
        right.addWidget(self.remove_party_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(right, 1)
        vehicles = QHBoxLayout()  # below the parties: plates are clues, not parties
        vehicles.addLayout(self._vehicle_row(), 1)
        self.vehicle_list = QListWidget()
        self.vehicle_list.setObjectName("vehicleList")
        self.vehicle_list.setAccessibleName(self.tr("涉案车辆号牌（线索）"))
        self.vehicle_list.setMaximumHeight(48)
        vehicles.addWidget(self.vehicle_list, 1)
        self.remove_vehicle_button = QPushButton(self.tr("移除车辆"))
        self.remove_vehicle_button.clicked.connect(self.remove_vehicle)
        vehicles.addWidget(self.remove_vehicle_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(vehicles)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.name_edit.textChanged.connect(self._entry_changed)
        self.number_edit.textChanged.connect(self._entry_changed)
        self._kind_changed()
        return box

    # Behaviour ------------------------------------------------------------------------------
    def _violation_changed(self) -> None:
        code = self.violation_combo.currentData()
        if code is None:
            self.basis_label.setText("")
            self.unverified_label.setText("")
            return
        # The basis of the place of the first checked photo (行政处罚法 §22), else of our agency.
        picked = self.evidence_model.checked if hasattr(self, "evidence_model") else []
        first = evidence_query.get_evidence(self.ctx, picked[0]) if picked else None
        place = first.get("jurisdiction_code") if first else None
        officer = self.ctx.current_officer()
        basis = catalogue.basis_for(
            self.ctx, code, place, agency_code=officer.agency_code if officer else None
        )
        text, warning = place_basis_text(basis.to_json())
        self.basis_label.setText(text)
        self.unverified_label.setText(warning)
        self.unverified_label.setVisible(bool(warning))

    def set_violation(self, code: str) -> None:
        self.violation_combo.setCurrentIndex(self.violation_combo.findData(code))

    def _patrol_changed(self) -> None:
        self.evidence_model.set_filter(
            evidence_query.EvidenceFilter(patrol_id=self.patrol_combo.currentData())
        )

    def _first_photo(self) -> dict[str, Any] | None:
        picked = self.evidence_model.checked
        return evidence_query.get_evidence(self.ctx, picked[0]) if picked else None

    def _prefill_place(self) -> None:
        """地点 from the first photo: its district and coordinates, for the officer to refine."""
        first = self._first_photo()
        if first is not None and not self.place_edit.text().strip():
            ref = cases.jurisdiction_ref(self.ctx, first.get("jurisdiction_code"))
            self.place_edit.setText(place_text(ref, first.get("lat"), first.get("lon")))
            self.place_edit.setCursorPosition(0)

    def _update_picked(self) -> None:
        picked = self.evidence_model.checked
        text = self.tr("已选 {0} 张").format(len(picked))
        first = self._first_photo()
        if first is not None:
            ref = cases.jurisdiction_ref(self.ctx, first.get("jurisdiction_code"))
            where = (ref["name"] or ref["code"]) if ref else self.tr("管辖未知")
            when = local_time(first.get("taken_at"), self.tr("时间未知"))
            text += self.tr("；发现时间 {0}，管辖 {1}（取自 {2}）").format(
                when, where, first["original_name"]
            )
        self.picked_label.setText(text)
        self.picked_label.setToolTip(text)
        self._violation_changed()  # the basis follows the place

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        # Labels as literal tr() calls (lupdate sees them) with mnemonics: Alt+N name, Alt+I number.
        name, number, example = {
            "person": (
                self.tr("姓名(&N)"),
                self.tr("居民身份证号(&I)"),
                "18位，如 11010519491231002X",
            ),
            "organisation": (
                self.tr("单位名称(&N)"),
                self.tr("统一社会信用代码(&I)"),
                "18位，如 91310110666007217T",
            ),
        }[kind]
        self.name_label.setText(name)
        self.number_label.setText(number)
        self.number_edit.setPlaceholderText(self.tr(example))
        self.name_edit.setPlaceholderText("")
        self._entry_changed()

    def _say_party(self, text: str, colour: str) -> None:
        self.party_message.setStyleSheet(f"color: {colour};")
        self.party_message.setText(text)

    def _entry_changed(self) -> None:
        """Live check of the number being typed, by the same rules the store applies."""
        kind = self.kind_combo.currentData()
        name, number = self.name_edit.text().strip(), self.number_edit.text().strip()
        if not number:
            self._say_party("", GREEN)
            self.add_party_button.setEnabled(False)
            return
        try:
            checked = check_party(kind, name or self.tr("（未填）"), number)
        except UserFacingError as exc:
            self._say_party("✗ " + error_text(exc), RED)
            self.add_party_button.setEnabled(False)
            return
        facts = party_facts(self.ctx, kind, checked.party.details)
        if checked.warning:
            self._say_party(
                "⚠ " + checked.warning + self.tr("（早期代码可能如此，仅作提示，可以登记）"), AMBER
            )
        else:
            self._say_party("✓ " + self.tr("号码有效：") + facts, GREEN)
        needs_name = not name
        if needs_name:
            self._say_party(self.party_message.text() + "\n" + self.tr("请填写名称。"), AMBER)
        self.add_party_button.setEnabled(not needs_name)

    def add_party(self) -> bool:
        kind = self.kind_combo.currentData()
        try:
            checked = check_party(kind, self.name_edit.text(), self.number_edit.text())
        except UserFacingError as exc:
            self._say_party("✗ " + error_text(exc), RED)
            return False
        self.parties.append(checked)
        p = checked.party
        label, number = p.name, p.id_number
        text = f"{self.tr(PARTY_KIND_ZH[kind])}：{label} {number}".rstrip()
        text += "\n    " + party_facts(self.ctx, kind, p.details)
        item = QListWidgetItem(("⚠ " if checked.warning else "") + text)
        if checked.warning:
            item.setToolTip(checked.warning)
        self.party_list.addItem(item)
        self.name_edit.clear()
        self.number_edit.clear()
        return True

    def remove_party(self) -> None:
        row = self.party_list.currentRow()
        if 0 <= row < len(self.parties):
            self.party_list.takeItem(row)
            del self.parties[row]

    def remove_vehicle(self) -> None:
        row = self.vehicle_list.currentRow()
        if 0 <= row < len(self.vehicles):
            self.vehicle_list.takeItem(row)
            del self.vehicles[row]

    def party_rows(self) -> list[Party]:
        return [c.party for c in self.parties]

    def _vehicle_row(self) -> QFormLayout:
        """车辆号牌: a clue checked per GA 36 while typed (it never becomes the party)."""
        form = QFormLayout()
        row = QHBoxLayout()
        self.plate_edit = QLineEdit()
        self.plate_edit.setObjectName("plateEdit")
        self.plate_edit.setPlaceholderText(self.tr("如 苏E5K218"))
        self.plate_edit.setAccessibleName(self.tr("车辆号牌"))
        self.vehicle_desc_edit = QLineEdit()
        self.vehicle_desc_edit.setObjectName("vehicleDescription")
        self.vehicle_desc_edit.setPlaceholderText(self.tr("车辆说明，如 自卸货车（可不填）"))
        self.vehicle_desc_edit.setAccessibleName(self.tr("车辆说明"))
        self.add_vehicle_button = QPushButton(self.tr("添加车辆(&P)"))
        self.add_vehicle_button.setObjectName("addVehicleButton")
        self.add_vehicle_button.clicked.connect(self.add_vehicle)
        row.addWidget(self.plate_edit, 1)
        row.addWidget(self.vehicle_desc_edit, 1)
        row.addWidget(self.add_vehicle_button)
        label = QLabel(self.tr("车辆号牌(&B)"))
        label.setBuddy(self.plate_edit)
        form.addRow(label, row)
        self.plate_message = QLabel()
        self.plate_message.setObjectName("plateMessage")
        self.plate_message.setWordWrap(True)
        form.addRow(self.plate_message)
        self.plate_edit.textChanged.connect(self._plate_changed)
        self._plate_changed()
        return form

    def _plate_changed(self) -> None:
        plate = self.plate_edit.text().strip()
        if not plate:
            self.plate_message.setText(self.tr("车辆号牌是线索，不作为当事人。"))
            self.plate_message.setStyleSheet("color: #555;")
            self.add_vehicle_button.setEnabled(False)
            return
        try:
            clue = cases.vehicle_clue(plate)
        except UserFacingError as exc:
            self.plate_message.setText("✗ " + error_text(exc))
            self.plate_message.setStyleSheet(f"color: {RED};")
            self.add_vehicle_button.setEnabled(False)
            return
        self.plate_message.setText("✓ " + party_facts(self.ctx, "vehicle", clue.details))
        self.plate_message.setStyleSheet(f"color: {GREEN};")
        self.add_vehicle_button.setEnabled(True)

    def add_vehicle(self) -> bool:
        try:
            clue = cases.vehicle_clue(self.plate_edit.text(), self.vehicle_desc_edit.text())
        except UserFacingError as exc:
            self.plate_message.setText("✗ " + error_text(exc))
            self.plate_message.setStyleSheet(f"color: {RED};")
            return False
        if all(v.plate != clue.plate for v in self.vehicles):
            self.vehicles.append(clue)
            text = f"{self.tr('车辆（线索）')}：{clue.plate} {clue.description}".rstrip()
            self.vehicle_list.addItem(text)
        self.plate_edit.clear()
        self.vehicle_desc_edit.clear()
        return True

    def save(self) -> None:
        """Store the case (on the write executor); refusals (no photo, bad party) stay in the
        dialog with the reason."""
        if self.saving:
            return
        if self.number_edit.text().strip() and not self.add_party():
            self._say(self.tr("当事人信息有误，请更正或清空后再登记。"), error=True)
            return
        if self.plate_edit.text().strip() and not self.add_vehicle():
            self._say(self.tr("车辆号牌有误，请更正或清空后再登记。"), error=True)
            return
        if self.violation_combo.currentIndex() < 0:
            self._say(self.tr("请选择违法类型。"), error=True)
            self.violation_combo.setFocus()
            return
        fields = {
            "violation_code": self.violation_combo.currentData(),
            "evidence_ids": list(self.evidence_model.checked),
            "parties": self.party_rows(),
            "vehicles": list(self.vehicles),
            "place": self.place_edit.text(),
            "description": self.description_edit.toPlainText(),
        }
        self.saving = True
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: cases.record_case(worker_ctx, **fields),
            self._saved,
            refusal_or_bug(self._refused, self),
        )

    def _saved(self, case_id: str) -> None:
        self.saving = False
        self.case_id = case_id
        self.recorded.emit(case_id)
        self.accept()

    def _refused(self, exc: UserFacingError) -> None:
        self.saving = False
        self._say(error_text(exc), error=True)

    def reject(self) -> None:
        if self.saving:  # Esc while the save is queued: it lands, then the dialog closes
            return
        super().reject()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(f"color: {RED if error else GREEN};")
        self.message.setText(text)


class JurisdictionDialog(QDialog):
    """更改管辖: the new division and the reason (行政处罚法 §25 disputes are recorded, not silent)."""

    def __init__(
        self,
        divisions: list[dict[str, str]],
        current: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("更改管辖"))
        self.setObjectName("jurisdictionDialog")
        form = QFormLayout(self)
        self.division_combo = QComboBox()
        self.division_combo.setObjectName("divisionCombo")
        for d in divisions:
            self.division_combo.addItem(f"{d['name']}（{d['code']}）", d["code"])
        index = self.division_combo.findData(current)
        self.division_combo.setCurrentIndex(max(index, 0))
        form.addRow(self.tr("改为(&T)"), self.division_combo)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setPlaceholderText(self.tr("必填：为何更改（如 经现场复核，倾倒点位于…）"))
        self.reason_edit.setMinimumHeight(80)
        self.reason_edit.setTabChangesFocus(True)
        form.addRow(self.tr("理由(&R)"), self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("更改"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason_edit.toPlainText().strip()))

    def values(self) -> tuple[str, str]:
        return self.division_combo.currentData(), self.reason_edit.toPlainText().strip()
