"""Field use of the main window: keyboard, accessible names, large text, idle lock and PINs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from officer_app.services import pins, settings
from officer_app.services.context import AppContext
from officer_app.services.officers import add_or_select_officer
from officer_app.ui import officer_flows as main_window_module  # the officer flows live there
from officer_app.ui.main_window import MainWindow
from officer_app.ui.settings_dialog import PinPromptDialog, PinSetDialog, SettingsDialog
from officer_app.ui.tasks import as_writer, writes_in_flight

pytestmark = pytest.mark.gui

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)


@pytest.fixture
def officer_window(qtbot, data_dir: Path):
    ctx = AppContext.open(data_dir)
    add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.tasks.drain()
    from officer_app.ui.main_window import apply_large_text

    apply_large_text(False)
    ctx.close()


def _is_internal(widget: QWidget) -> bool:
    """Parts of a compound widget (a combo's line edit, a view's scroll bars, tab scrollers)."""
    if isinstance(widget, QScrollBar):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QTabBar | QAbstractItemView):
            return True
        if isinstance(parent, QAbstractScrollArea) and widget is not parent.viewport():
            pass
        parent = parent.parentWidget()
    return False


def _has_name(widget: QWidget) -> bool:
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    return any(label.buddy() is widget for label in widget.window().findChildren(QLabel))


def _unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
        for w in root.findChildren(QWidget)
        if w.isVisible() and isinstance(w, INTERACTIVE) and not _is_internal(w) and not _has_name(w)
    ]


def test_every_visible_control_has_an_accessible_name(qtbot, officer_window: MainWindow) -> None:
    from officer_app.services import demo

    with as_writer():  # seeding, as the write executor would
        demo.load_demo(officer_window.ctx)
    officer_window.reload_data()
    problems = []
    for row in range(officer_window.nav.count()):
        officer_window.nav.setCurrentRow(row)
        qtbot.wait(10)
        problems += [f"section {row + 1}: {p}" for p in _unnamed(officer_window)]
    for open_dialog in (
        officer_window.open_settings,
        officer_window.change_pin,
        lambda: officer_window.ask_profile(first_start=True),
    ):
        dialog = open_dialog()
        assert isinstance(dialog, QDialog)
        qtbot.waitExposed(dialog)
        problems += [f"{type(dialog).__name__}: {p}" for p in _unnamed(dialog)]
        dialog.reject()
    officer_window.lock_now()
    problems += [f"lock: {p}" for p in _unnamed(officer_window)]
    assert not problems, "\n".join(problems)


def test_menus_have_mnemonics_and_sections_have_shortcuts(officer_window: MainWindow) -> None:
    bar = officer_window.menuBar()
    for action in bar.actions():
        assert "&" in action.text(), action.text()
        menu = action.menu()
        assert isinstance(menu, QMenu)
        for item in menu.actions():
            if not item.isSeparator():
                assert "&" in item.text(), item.text()
    shortcuts = {a.shortcut().toString() for a in officer_window.section_actions.actions()}
    assert shortcuts == {f"Ctrl+{n}" for n in range(1, 7)}
    officer_window.findChild(type(officer_window.large_text_action), "section_cases").trigger()
    assert officer_window.stack.currentWidget() is officer_window.case_page


def test_dialog_tab_order_follows_the_form(qtbot, officer_window: MainWindow) -> None:
    dialog = officer_window.ask_profile(first_start=True)
    qtbot.waitExposed(dialog)
    order = [dialog.name_edit]
    widget: QWidget = dialog.name_edit
    for _ in range(6):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order == [
        dialog.name_edit,
        dialog.badge_edit,
        dialog.agency_combo,
        dialog.phone_edit,
        dialog.pin_edit,
        dialog.pin_again_edit,
        dialog.demo_check,
    ]
    dialog.reject()


def test_large_text_scales_the_font_persists_and_toggles_by_keyboard(
    qtbot, officer_window: MainWindow
) -> None:
    base = QApplication.font().pointSizeF()
    nav_width = officer_window.nav.width()
    qtbot.keyClick(
        officer_window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert officer_window.large_text_action.isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.4)
    assert officer_window.nav.width() > nav_width  # grows with the text instead of cutting it
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    assert settings.get(officer_window.ctx.store, settings.LARGE_TEXT) is True
    officer_window.large_text_action.trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    assert settings.get(officer_window.ctx.store, settings.LARGE_TEXT) is False


def test_settings_dialog_stores_language_text_size_and_idle_time(
    qtbot, officer_window: MainWindow
) -> None:
    dialog = officer_window.open_settings()
    assert isinstance(dialog, SettingsDialog)
    assert dialog.idle_spin.value() == 10 and dialog.language_combo.currentText() == "中文"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.idle_spin.setValue(3)
    dialog.large_text_check.setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    store = officer_window.ctx.store
    assert settings.get(store, settings.LANGUAGE) == "en"
    assert settings.get(store, settings.IDLE_LOCK_MINUTES) == 3
    assert officer_window.large_text_action.isChecked()
    assert "重新启动" in officer_window.statusBar().currentMessage()


def test_idle_lock_hides_everything_blocks_input_and_unlocks_with_the_pin(
    qtbot, officer_window: MainWindow
) -> None:
    ctx = officer_window.ctx
    officer = ctx.current_officer()
    with as_writer():  # seeding, as the write executor would
        pins.set_pin(ctx, officer.id, "2580")
    officer_window.idle.set_timeout(0.2)
    qtbot.waitUntil(lambda: officer_window.lock.is_locked, timeout=3000)
    cover = officer_window.lock.covers[0]
    assert cover.isVisible() and cover.geometry() == officer_window.rect()
    panel = officer_window.lock.panel
    assert panel is not None and panel.pin_edit.isVisible()
    # Section shortcuts and clicks on the (covered) navigation do nothing while locked.
    officer_window.nav.setCurrentRow(0)
    qtbot.keyClick(officer_window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert officer_window.nav.currentRow() == 0
    qtbot.keyClicks(panel.pin_edit, "1111")
    qtbot.keyClick(panel.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.status.text() == "PIN不正确。")  # checked by the writer
    assert officer_window.lock.is_locked
    qtbot.keyClicks(panel.pin_edit, "2580")
    qtbot.keyClick(panel.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not officer_window.lock.is_locked)
    qtbot.waitUntil(  # hidden, or already deleted while the PIN check came back
        lambda: not shiboken6.isValid(cover) or not cover.isVisible() or cover.parent() is None,
        timeout=1000,
    )
    qtbot.keyClick(officer_window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert officer_window.nav.currentRow() == 2


def test_the_pin_field_is_on_screen_as_soon_as_the_lock_falls(
    qtbot, officer_window: MainWindow
) -> None:
    """No turn of the event loop between locking and a PIN field to type into."""
    ctx = officer_window.ctx
    with as_writer():  # seeding, as the write executor would
        pins.set_pin(ctx, ctx.current_officer().id, "2580")
    officer_window.lock_now()
    panel = officer_window.lock.panel
    assert panel is not None and panel.isVisible() and panel.pin_edit.isVisible()
    assert all(cover.isVisible() for cover in officer_window.lock.covers)


def test_lock_covers_an_open_dialog_and_keeps_it(qtbot, officer_window: MainWindow) -> None:
    dialog = officer_window.open_settings()
    qtbot.waitExposed(dialog)
    officer_window.lock_now()
    hosts = {cover.host for cover in officer_window.lock.covers}
    assert {officer_window, dialog} <= hosts
    assert officer_window.lock.panel.window() is dialog  # the modal dialog takes the input
    officer_window.lock.panel.unlock_button.click()  # no PIN set: unlocks without one
    qtbot.waitUntil(lambda: not officer_window.lock.is_locked)
    assert dialog.isVisible()
    dialog.reject()


def test_too_many_wrong_pins_make_the_lock_screen_wait(qtbot, officer_window: MainWindow) -> None:
    ctx = officer_window.ctx
    with as_writer():  # seeding, as the write executor would
        pins.set_pin(ctx, ctx.current_officer().id, "2580")
    officer_window.lock_now()
    panel = officer_window.lock.panel
    for _ in range(pins.FREE_ATTEMPTS):
        panel.pin_edit.setText("0000")
        panel.unlock_button.click()
        qtbot.waitUntil(lambda: writes_in_flight() == 0)
    assert not panel.pin_edit.isEnabled() and not panel.unlock_button.isEnabled()
    assert "秒" in panel.status.text()
    assert ctx.store.scalar("SELECT COUNT(*) FROM officers") == 1


def test_start_is_locked_when_the_officer_has_a_pin(qtbot, data_dir: Path) -> None:
    with as_writer(), AppContext.open(data_dir) as ctx:  # seeding, as the executor would
        officer = add_or_select_officer(ctx, "张伟", "1", "310118")
        pins.set_pin(ctx, officer.id, "2580")
    with AppContext.open(data_dir) as ctx:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        win.start()
        assert win.lock.is_locked
        win.close()


def test_switching_officer_asks_the_new_officers_pin(
    qtbot, officer_window: MainWindow, monkeypatch
) -> None:
    ctx = officer_window.ctx
    with as_writer():  # seeding, as the write executor would
        other = add_or_select_officer(ctx, "李娜", "32050900001", "320509")
        pins.set_pin(ctx, other.id, "7777")
        first = add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    warnings: list[str] = []
    monkeypatch.setattr(
        main_window_module.QInputDialog,
        "getItem",
        lambda *args, **kw: ("李娜（32050900001，320509）", True),
    )
    monkeypatch.setattr(
        main_window_module.QMessageBox, "warning", lambda _p, _t, text: warnings.append(text)
    )
    officer_window.switch_officer()
    prompt = officer_window.findChildren(PinPromptDialog)[-1]
    prompt.pin_edit.setText("1234")
    prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    assert warnings == ["PIN不正确。"] and ctx.current_officer().id == first.id
    officer_window.switch_officer()
    prompt = officer_window.findChildren(PinPromptDialog)[-1]
    prompt.pin_edit.setText("7777")
    prompt.buttons.accepted.emit()
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    assert ctx.current_officer().id == other.id
    assert "李娜" in officer_window.officer_label.text()


def test_first_start_sets_a_pin_and_reentering_a_profile_needs_it(
    qtbot, data_dir: Path, monkeypatch
) -> None:
    with as_writer(), AppContext.open(data_dir):
        pass  # created and migrated, as the app does before its window opens
    with AppContext.open(data_dir) as ctx:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        dialog = win.ask_profile(first_start=True)
        dialog.name_edit.setText("张伟")
        dialog.badge_edit.setText("31011800123")
        dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData("310118"))
        dialog.demo_check.setChecked(False)
        dialog.pin_edit.setText("12")
        dialog.pin_again_edit.setText("12")
        dialog.buttons.accepted.emit()
        assert dialog.isVisible() and "PIN" in dialog.error_label.text()
        dialog.pin_edit.setText("4321")
        dialog.pin_again_edit.setText("4321")
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: writes_in_flight() == 0)
        officer = ctx.current_officer()
        with as_writer():  # verifying counts attempts: a write
            assert officer is not None and pins.verify_pin(ctx, officer.id, "4321").ok
            # Someone else "adds" the same badge to take over the profile: the PIN is asked.
            add_or_select_officer(ctx, "李娜", "32050900001", "320509")
        again = win.ask_profile(first_start=False)
        again.name_edit.setText("张伟")
        again.badge_edit.setText("31011800123")
        again.agency_combo.setCurrentIndex(again.agency_combo.findData("310118"))
        again.buttons.accepted.emit()
        prompt = win.findChildren(PinPromptDialog)[-1]
        assert prompt.isVisible() and ctx.current_officer().name == "李娜"
        prompt.reject()
        win.close()


def test_changing_a_pin_needs_the_current_one(
    qtbot, officer_window: MainWindow, monkeypatch
) -> None:
    ctx = officer_window.ctx
    officer_id = ctx.current_officer().id
    monkeypatch.setattr(main_window_module.QMessageBox, "warning", lambda *a: None)
    dialog = officer_window.change_pin()
    assert isinstance(dialog, PinSetDialog) and not dialog.current_edit.isVisible()
    dialog.new_edit.setText("1357")
    dialog.confirm_edit.setText("1358")
    dialog.buttons.accepted.emit()
    assert "不一致" in dialog.error_label.text() and not pins.has_pin(ctx, officer_id)
    dialog.confirm_edit.setText("1357")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    with as_writer():  # verifying counts attempts: a write
        assert pins.verify_pin(ctx, officer_id, "1357").ok
    dialog = officer_window.change_pin()
    assert dialog.current_edit.isVisible()
    dialog.current_edit.setText("0000")
    dialog.new_edit.setText("2468")
    dialog.confirm_edit.setText("2468")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: writes_in_flight() == 0)
    with as_writer():  # verifying counts attempts: a write
        assert pins.verify_pin(ctx, officer_id, "1357").ok  # unchanged: wrong current PIN


HIGH_DPI_PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from officer_app.ui.app import set_high_dpi_defaults
    set_high_dpi_defaults()
    app = QApplication([])
    from officer_app.services import demo, officers
    from officer_app.services.context import AppContext
    from officer_app.ui.main_window import MainWindow
    ctx = AppContext.open(Path(sys.argv[1]))
    officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118-jz")
    demo.load_demo(ctx)
    window = MainWindow(ctx)
    window.show()
    app.processEvents()
    out = {"dpr": window.devicePixelRatio()}
    for large in (False, True):
        window.set_large_text(large)
        app.processEvents()
        hint = window.minimumSizeHint()
        nav = window.nav
        widest = max(nav.visualItemRect(nav.item(i)).width() for i in range(nav.count()))
        text = max(nav.fontMetrics().horizontalAdvance(nav.item(i).text())
                   for i in range(nav.count()))
        out["large" if large else "normal"] = {
            "min_w": hint.width(), "min_h": hint.height(), "nav_item_w": widest, "nav_text_w": text,
        }
    window.close()
    window.tasks.drain()
    ctx.close()
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_main_window_lays_out_at_200_percent(tmp_path: Path) -> None:
    """QT_SCALE_FACTOR=2 needs a fresh process: the scale is read when Qt starts."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", HIGH_DPI_PROBE, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(figures)
    assert figures["dpr"] == 2
    for mode in ("normal", "large"):
        layout = figures[mode]
        # A 3840x2160 panel at 200 % is a 1920x1080 logical screen: the window must fit it.
        assert layout["min_w"] <= 1920 and layout["min_h"] <= 1080, (mode, layout)
        assert layout["nav_item_w"] >= layout["nav_text_w"], (mode, layout)  # names not cut
