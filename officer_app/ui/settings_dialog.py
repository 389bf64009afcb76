"""The 设置 dialog (language, large text, idle lock) and the PIN dialogs.

Language is stored and applied at the next start (see ``ui/i18n.py`` for why); large text and the
idle time apply at once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import ValidationError
from officer_app.services import pins
from officer_app.ui.i18n import LANGUAGES


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    # A fixed context: dialog.tr() would use each dialog's class name, which lupdate cannot know.
    ok = QCoreApplication.translate("dialogs", "确定")
    cancel = QCoreApplication.translate("dialogs", "取消")
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    buttons.rejected.connect(dialog.reject)
    return buttons


class SettingsDialog(QDialog):
    def __init__(
        self,
        *,
        language: str,
        large_text: bool,
        idle_minutes: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("设置"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.setAccessibleName(self.tr("界面语言"))
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))
        form.addRow(self.tr("界面语言(&L)："), self.language_combo)
        self.large_text_check = QCheckBox(self.tr("大字模式（户外强光下使用）(&G)"))
        self.large_text_check.setObjectName("largeTextCheck")
        self.large_text_check.setChecked(large_text)
        form.addRow(self.large_text_check)
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idleSpin")
        self.idle_spin.setAccessibleName(self.tr("无操作自动锁定时间"))
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSuffix(self.tr(" 分钟"))
        self.idle_spin.setSpecialValueText(self.tr("从不"))
        self.idle_spin.setValue(idle_minutes)
        form.addRow(self.tr("无操作自动锁定(&I)："), self.idle_spin)
        layout.addLayout(form)
        note = QLabel(
            self.tr("界面语言在下次启动时生效；大字模式和锁定时间立即生效。")
            + "\n"
            + self.tr("共用笔记本：请每位执法人员都设置PIN，否则锁屏只能遮挡数据。")
        )
        note.setObjectName("settingsNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)

    def values(self) -> tuple[str, bool, int]:
        return (
            str(self.language_combo.currentData()),
            self.large_text_check.isChecked(),
            self.idle_spin.value(),
        )


def _pin_edit(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(pins.PIN_MAX_LEN)
    return edit


class PinSetDialog(QDialog):
    """Set or change a PIN: the current one first when there is one, then the new one twice."""

    def __init__(self, officer_label: str, *, has_pin: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinSetDialog")
        self.setWindowTitle(self.tr("设置PIN"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("执法人员：{0}\nPIN 为 {1}–{2} 位数字，用于锁屏解锁和切换执法人员。").format(
                officer_label, pins.PIN_MIN_LEN, pins.PIN_MAX_LEN
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.current_edit = _pin_edit("currentPinEdit", self.tr("当前PIN"))
        if has_pin:
            form.addRow(self.tr("当前PIN(&C)："), self.current_edit)
        self.new_edit = _pin_edit("newPinEdit", self.tr("新PIN"))
        form.addRow(self.tr("新PIN(&N)："), self.new_edit)
        self.confirm_edit = _pin_edit("confirmPinEdit", self.tr("再次输入新PIN"))
        form.addRow(self.tr("再次输入(&R)："), self.confirm_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self._check_and_accept)
        layout.addWidget(self.buttons)
        self.has_pin = has_pin

    def _check_and_accept(self) -> None:
        error = pin_pair_error(self.new_edit.text(), self.confirm_edit.text(), required=True)
        if error:
            self.error_label.setText(error)
            self.new_edit.setFocus()
            return
        self.accept()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)


def pin_pair_error(pin: str, again: str, *, required: bool) -> str:
    """Check a new PIN typed twice; the message is translated (service messages stay Chinese)."""
    if not pin and not again and not required:
        return ""
    try:
        pins.validate_pin(pin)
    except ValidationError:
        return QCoreApplication.translate("pins", "PIN 应为 {0}–{1} 位数字。").format(
            pins.PIN_MIN_LEN, pins.PIN_MAX_LEN
        )
    if pin != again:
        return QCoreApplication.translate("pins", "两次输入的PIN不一致。")
    return ""


class PinPromptDialog(QDialog):
    """Ask one officer's PIN (switching officer on a shared laptop, changing the PIN)."""

    def __init__(self, officer_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPromptDialog")
        self.setWindowTitle(self.tr("输入PIN"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请 {0} 输入PIN：").format(officer_label)))
        form = QFormLayout()
        self.pin_edit = _pin_edit("promptPinEdit", self.tr("PIN"))
        form.addRow(self.tr("PIN(&P)："), self.pin_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)

    def pin(self) -> str:
        return self.pin_edit.text()
