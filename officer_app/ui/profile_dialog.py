"""The officer-profile dialog: first start (with the demo offer) and adding an officer later."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.people import Agency, normalise_phone
from officer_app.services import pins
from officer_app.ui.settings_dialog import pin_pair_error


class ProfileDialog(QDialog):
    def __init__(
        self, agencies: list[Agency], *, first_start: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("执法人员档案") if not first_start else self.tr("欢迎使用"))
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel(
                self.tr(
                    "这是本机第一次启动。请填写使用本机的执法人员信息，"
                    "之后记录的巡查、证据和文书都会注明由谁完成。"
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setAccessibleName(self.tr("姓名"))
        self.badge_edit = QLineEdit()
        self.badge_edit.setObjectName("badgeEdit")
        self.badge_edit.setAccessibleName(self.tr("执法证号"))
        self.agency_combo = QComboBox()
        self.agency_combo.setObjectName("agencyCombo")
        self.agency_combo.setAccessibleName(self.tr("所属执法机关"))
        for agency in agencies:
            self.agency_combo.addItem(f"{agency.name}（{agency.code}）", agency.code)
        # No silent default: a wrong agency would put every record under the wrong authority.
        self.agency_combo.setPlaceholderText(self.tr("请选择所属执法机关"))
        self.agency_combo.setCurrentIndex(-1)
        form.addRow(self.tr("姓名(&N)："), self.name_edit)
        form.addRow(self.tr("执法证号(&B)："), self.badge_edit)
        form.addRow(self.tr("所属执法机关(&A)："), self.agency_combo)
        # Optional: printed in the 附注 of the letters this officer issues.
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phoneEdit")
        self.phone_edit.setAccessibleName(self.tr("联系电话（可选）"))
        self.phone_edit.setPlaceholderText(self.tr("如 13812345678 或 021-59721234，印在文书附注"))
        form.addRow(self.tr("联系电话（可选）(&T)："), self.phone_edit)
        # Optional here so a first start stays quick; offered again in the 设置 menu.
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setAccessibleName(self.tr("PIN（可选）"))
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(pins.PIN_MAX_LEN)
        self.pin_edit.setPlaceholderText(
            self.tr("{0}–{1} 位数字，用于锁屏解锁").format(pins.PIN_MIN_LEN, pins.PIN_MAX_LEN)
        )
        self.pin_again_edit = QLineEdit()
        self.pin_again_edit.setObjectName("pinAgainEdit")
        self.pin_again_edit.setAccessibleName(self.tr("再次输入PIN"))
        self.pin_again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again_edit.setMaxLength(pins.PIN_MAX_LEN)
        form.addRow(self.tr("PIN（可选）(&P)："), self.pin_edit)
        form.addRow(self.tr("再次输入PIN(&R)："), self.pin_again_edit)
        layout.addLayout(form)
        self.demo_check = QCheckBox(self.tr("加载演示数据（培训用，不会同步到正式平台）(&D)"))
        self.demo_check.setObjectName("demoCheck")
        # A choice, not the default: demo records mixed into a new officer's real lists mislead.
        self.demo_check.setChecked(False)
        self.demo_check.setVisible(first_start)
        layout.addWidget(self.demo_check)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _check_and_accept(self) -> None:
        if not self.name_edit.text().strip():
            self.error_label.setText(self.tr("请填写姓名。"))
            self.name_edit.setFocus()
            return
        if not self.badge_edit.text().strip():
            self.error_label.setText(self.tr("请填写执法证号。"))
            self.badge_edit.setFocus()
            return
        if self.agency_combo.currentIndex() < 0:
            self.error_label.setText(self.tr("请选择所属执法机关。"))
            self.agency_combo.setFocus()
            return
        try:
            normalise_phone(self.phone_edit.text())
        except ValueError:
            self.error_label.setText(
                self.tr(
                    "联系电话格式不正确。请填写手机号（如 13812345678）或带区号的固定电话（如 021-59721234）。"
                )
            )
            self.phone_edit.setFocus()
            return
        error = pin_pair_error(self.pin_edit.text(), self.pin_again_edit.text(), required=False)
        if error:
            self.error_label.setText(error)
            self.pin_edit.setFocus()
            return
        self.accept()

    def values(self) -> tuple[str, str, str, bool]:
        return (
            self.name_edit.text().strip(),
            self.badge_edit.text().strip(),
            str(self.agency_combo.currentData()),
            self.demo_check.isChecked(),
        )

    def phone(self) -> str:
        """The phone as the officer typed it ("" when left blank; the service normalises it)."""
        return self.phone_edit.text().strip()

    def pin(self) -> str:
        """The new PIN, or "" when none was asked for (the service hashes it; never stored here)."""
        return self.pin_edit.text()
