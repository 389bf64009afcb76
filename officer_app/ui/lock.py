"""Idle lock for the shared squad laptop: an app-wide input watcher and a lock screen.

Why covers and not a dialog: a laptop left on the bonnet of a patrol car shows whatever window is
open, including an editor dialog with a party's ID number.  Locking puts an opaque cover over
*every* visible window of the app and swallows input to anything under a cover; the PIN panel sits
on the window that currently takes input (an open modal dialog, else the main window), so an
unsaved editor is neither closed nor lost while the app is locked.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.people import Officer
from officer_app.services import pins
from officer_app.services.context import AppContext
from officer_app.ui.messages import show_error
from officer_app.ui.tasks import tasks_of

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)
#: Events swallowed for anything under a cover while locked (shortcuts and menu mnemonics too).
_BLOCKED_EVENTS = _INPUT_EVENTS | {
    QEvent.Type.Shortcut,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu,
    QEvent.Type.Drop,
    QEvent.Type.DragEnter,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``timeout_s`` seconds without keyboard, mouse or touch input.

    An application-wide event filter only stamps the time of the last input (cheap: it sees every
    event of every widget); one single-shot timer wakes up when the timeout could have passed.
    """

    idle = Signal()

    def __init__(
        self,
        timeout_s: float,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        watch: bool = True,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last_input = clock()
        self._timeout_s = 0.0
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        if watch:
            self.watch()
        self.set_timeout(timeout_s)

    def watch(self) -> None:
        """Start seeing input.  The main window calls it after its first paint (ui/first_paint.py):
        the first event through an application-wide filter is costly, and until then the idle
        clock runs from start-up, as if nobody had touched anything."""
        if self._watching:
            return
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._watching = True

    def set_timeout(self, timeout_s: float) -> None:
        """0 switches the lock off."""
        self._timeout_s = max(0.0, timeout_s)
        self.reset()

    def reset(self) -> None:
        self._last_input = self._clock()
        self._timer.stop()
        if self._timeout_s:
            self._timer.start(int(self._timeout_s * 1000))

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False

    def _check(self) -> None:
        if not self._timeout_s:
            return
        remaining = self._timeout_s - (self._clock() - self._last_input)
        if remaining > 0.05:
            self._timer.start(int(remaining * 1000) + 1)
            return
        self.idle.emit()


class _Cover(QWidget):
    """An opaque sheet over one window; follows the window's size.

    The owner fills the cover and then shows it: a child added to the layout of an already visible
    widget is only shown by a queued call, so the PIN field would be hidden for one turn of the
    event loop.
    """

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Window))
        self.setPalette(palette)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.host = host
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self.host.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockPanel(QFrame):
    """Who unlocks, the PIN, and why it may have to wait."""

    unlocked = Signal(str)  # the officer id that unlocked

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lockPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("已锁定"))
        title.setObjectName("lockTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        hint = QLabel(self.tr("长时间无操作，已隐藏数据。请输入执法人员PIN解锁。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.officer_combo = QComboBox()
        self.officer_combo.setObjectName("lockOfficerCombo")
        self.officer_combo.setAccessibleName(self.tr("执法人员"))
        form.addRow(self.tr("执法人员(&O)："), self.officer_combo)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("lockPinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(pins.PIN_MAX_LEN)
        self.pin_edit.setAccessibleName(self.tr("PIN"))
        self.pin_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
        )
        self.pin_label = QLabel(self.tr("PIN(&P)："))
        self.pin_label.setBuddy(self.pin_edit)
        form.addRow(self.pin_label, self.pin_edit)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("lockStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.unlock_button = QPushButton(self.tr("解锁(&U)"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        layout.addWidget(self.unlock_button)
        self.unlock_button.clicked.connect(self._try_unlock)
        self.pin_edit.returnPressed.connect(self._try_unlock)
        self.officer_combo.currentIndexChanged.connect(self._officer_changed)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 44)

    def load_officers(self, officers: list[Officer], current: Officer | None) -> None:
        self.officer_combo.blockSignals(True)
        self.officer_combo.clear()
        for officer in officers:
            self.officer_combo.addItem(f"{officer.name}（{officer.badge}）", officer.id)
        if current is not None:
            self.officer_combo.setCurrentIndex(self.officer_combo.findData(current.id))
        self.officer_combo.blockSignals(False)
        self._officer_changed()

    def officer_id(self) -> str | None:
        data = self.officer_combo.currentData()
        return str(data) if data else None

    def _officer_changed(self) -> None:
        officer_id = self.officer_id()
        needs_pin = officer_id is not None and pins.has_pin(self.ctx, officer_id)
        self.pin_edit.setVisible(needs_pin)
        self.pin_label.setVisible(needs_pin)
        self.pin_edit.clear()
        self.status.setText(
            ""
            if needs_pin
            else self.tr("该执法人员未设置PIN，点“解锁”继续。可在“设置”菜单中设置PIN。")
        )
        self._tick()
        (self.pin_edit if needs_pin else self.unlock_button).setFocus()

    def _tick(self) -> None:
        officer_id = self.officer_id()
        wait = pins.seconds_to_wait(self.ctx, officer_id) if officer_id else 0
        self.pin_edit.setEnabled(not wait)
        self.unlock_button.setEnabled(not wait)
        if wait:
            self.status.setText(self.tr("PIN错误次数过多，请等待 {0} 秒后再试。").format(wait))
            self._countdown.start()
        elif self._countdown.isActive():
            self._countdown.stop()
            self.status.setText(self.tr("可以重新输入PIN。"))
            self.pin_edit.setFocus()

    def _try_unlock(self) -> None:
        officer_id = self.officer_id()
        if officer_id is None:  # no profile yet: nothing to protect
            self.unlocked.emit("")
            return
        pin = self.pin_edit.text()
        self.pin_edit.clear()
        self.unlock_button.setEnabled(False)  # until this check is back
        # A wrong PIN is counted (the wait grows): verifying writes, on the write executor.
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: pins.verify_pin(worker_ctx, officer_id, pin),
            lambda result: self._checked(officer_id, result),
            self._check_failed,
        )

    def _check_failed(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        show_error(self, self.tr("解锁"), error)

    def _checked(self, officer_id: str, result: pins.PinCheck) -> None:
        self.unlock_button.setEnabled(True)
        if result.ok:
            self.status.clear()
            self.unlocked.emit(officer_id)
            return
        if result.retry_after_s:
            self._tick()
        else:
            self.status.setText(self.tr("PIN不正确。"))
        self.pin_edit.setFocus()


class LockController(QObject):
    """Covers every visible window, blocks input beneath the covers, unlocks on a correct PIN."""

    locked_changed = Signal(bool)
    unlocked = Signal(str)

    def __init__(self, ctx: AppContext, main_window: QWidget) -> None:
        super().__init__(main_window)
        self.ctx = ctx
        self.main_window = main_window
        self.covers: list[_Cover] = []
        self.panel: LockPanel | None = None

    @property
    def is_locked(self) -> bool:
        return bool(self.covers)

    def lock(self, officers: list[Officer], current: Officer | None) -> None:
        if self.is_locked:
            return
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        while (popup := app.activePopupWidget()) is not None:  # an open menu would float above
            popup.close()
        host = app.activeModalWidget() or self.main_window
        windows = [
            w
            for w in app.topLevelWidgets()
            if w.isVisible() and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
        ]
        if host not in windows:
            windows.append(host)
        for window in windows:
            cover = _Cover(window)
            self.covers.append(cover)
            if window is host:
                self.panel = LockPanel(self.ctx, cover)
                cover.layout_.addWidget(self.panel)
                self.panel.unlocked.connect(self._unlocked)
            else:
                notice = QLabel(self.tr("已锁定"))
                notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cover.layout_.addWidget(notice)
            cover.show()
        if self.panel is not None:  # shown first, so the PIN field can take the focus
            self.panel.load_officers(officers, current)
        app.installEventFilter(self)
        host.activateWindow()
        self.locked_changed.emit(True)

    def _unlocked(self, officer_id: str) -> None:
        self.release()
        self.locked_changed.emit(False)
        self.unlocked.emit(officer_id)

    def release(self) -> None:
        """Take the covers and the input filter away (after unlocking, or when the app closes)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for cover in self.covers:
            cover.remove()
        self.covers.clear()
        self.panel = None

    def _under_cover(self, widget: QWidget) -> bool:
        if self.panel is not None and (widget is self.panel or self.panel.isAncestorOf(widget)):
            return False
        # A popup of the panel's own combo box is a separate window: let it through.
        window = widget.window()
        if self.panel is not None and window is not self.panel.window():
            combo_view = self.panel.officer_combo.view()
            if combo_view is not None and window.isAncestorOf(combo_view):
                return False
        return any(cover.host is window for cover in self.covers)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _BLOCKED_EVENTS:
            return False
        if isinstance(watched, QWidget):
            return self._under_cover(watched)
        # Shortcuts are delivered to QAction / QShortcut objects: none belongs to the panel.
        return event.type() in (QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride)
