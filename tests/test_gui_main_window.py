"""The main window and first-start flow, driven through real widgets with qtbot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from officer_app.services.context import AppContext
from officer_app.services.officers import add_or_select_officer
from officer_app.ui.main_window import MainWindow
from officer_app.ui.profile_dialog import ProfileDialog
from officer_app.ui.tasks import as_writer

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, data_dir: Path):
    ctx = AppContext.open(data_dir)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.tasks.drain()
    ctx.close()


def _profile_dialog(win: MainWindow) -> ProfileDialog:
    dialogs = win.findChildren(ProfileDialog)
    assert len(dialogs) == 1
    return dialogs[0]


def test_first_start_asks_for_the_officer_and_loads_the_demo(qtbot, window: MainWindow) -> None:
    window.start()
    qtbot.waitUntil(lambda: bool(window.findChildren(ProfileDialog)))
    dialog = _profile_dialog(window)
    assert not dialog.demo_check.isChecked()  # the demo is a choice, not the default
    dialog.demo_check.setChecked(True)
    # Empty name: refused with a message, dialog stays open.
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible() and "姓名" in dialog.error_label.text()
    dialog.name_edit.insert("张伟")  # QTest cannot type CJK; an input method commits text like this
    qtbot.keyClicks(dialog.badge_edit, "31011800123")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no agency chosen yet: refused
    assert dialog.isVisible() and "执法机关" in dialog.error_label.text()
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData("310118"))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: "张伟" in window.officer_label.text())  # stored by the writer
    assert "上海市青浦区城市管理行政执法局" in window.officer_label.text()
    qtbot.waitUntil(lambda: window.patrol_page.model.rowCount() == 1, timeout=60_000)
    assert window.ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 5
    assert window.outbox_label.text() != "待同步：0 项"
    # Nothing but demo records: every page says so, above the page.
    qtbot.waitUntil(lambda: window.demo_banner.isVisible())
    assert "演示" in window.demo_banner.text()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.demo_banner.isVisible()


def test_first_start_without_demo_leaves_the_store_empty(qtbot, window: MainWindow) -> None:
    window.start()
    qtbot.waitUntil(lambda: bool(window.findChildren(ProfileDialog)))
    dialog = _profile_dialog(window)
    dialog.name_edit.setText("李娜")
    dialog.badge_edit.setText("32050900001")
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData("320509"))
    dialog.demo_check.setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    window.tasks.drain()
    assert window.ctx.current_officer().agency_code == "320509"
    assert window.ctx.store.scalar("SELECT COUNT(*) FROM patrols") == 0
    assert not window.demo_banner.isVisible()  # an empty store is not a demo store


def test_no_dialog_when_a_profile_exists(qtbot, data_dir: Path) -> None:
    with as_writer(), AppContext.open(data_dir) as ctx:  # seeding, as the executor would
        add_or_select_officer(ctx, "张伟", "1", "310118")
    with AppContext.open(data_dir) as ctx:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.start()
        qtbot.wait(20)
        assert not win.findChildren(ProfileDialog)
        win.close()


def test_navigation_by_click_and_keyboard(qtbot, window: MainWindow) -> None:
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["巡查", "证据", "案件", "文书", "同步", "统计"]
    window.nav.setCurrentRow(3)
    assert window.stack.currentWidget() is window.document_page
    window.nav.setCurrentRow(0)
    assert window.stack.currentWidget() is window.patrol_page
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.sync_page
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.stats_holder
    assert window.stats_page is not None and window.stats_page.isVisible()
    assert window.nav.item(0).toolTip().startswith("记录与毗邻地区")


def test_opening_the_stats_page_exempts_matplotlib_from_full_collections(
    qtbot, window: MainWindow
) -> None:
    """ui.memory: what lives for the session is frozen once the charting library is loaded."""
    import gc

    gc.unfreeze()
    try:
        window.ensure_stats_page()
        frozen = gc.get_freeze_count()
        import matplotlib

        assert frozen > 10_000
        assert not any(o is matplotlib.rcParams for o in gc.get_objects())  # not walked any more
    finally:
        gc.unfreeze()


def test_status_bar_shows_data_dir_network_and_outbox(window: MainWindow, data_dir: Path) -> None:
    assert window.data_dir_label.toolTip() == str(data_dir)
    assert window.data_dir_label.text().startswith("数据目录")
    assert window.network_label.text().startswith("离线")
    assert window.outbox_label.text() == "待同步：0 项"
    assert window.officer_label.text() == "执法人员：未设置"


def test_window_state_persists_in_the_data_dir(qtbot, data_dir: Path) -> None:
    with as_writer(), AppContext.open(data_dir):
        pass  # created and migrated, as the app does before its window opens
    with AppContext.open(data_dir) as ctx:
        first = MainWindow(ctx)
        qtbot.addWidget(first)
        first.show()
        qtbot.waitExposed(first)
        first.nav.setCurrentRow(2)  # pages are built when first shown: the minimum follows them
        target = min(first.minimumSizeHint().height() + 37, 780)  # the offscreen screen is 800 px
        assert target != first.height()
        first.resize(first.width(), target)
        qtbot.waitUntil(lambda: first.height() == target)
        size = (first.width(), first.height())
        first.nav.setCurrentRow(2)
        first.close()
        second = MainWindow(ctx)
        qtbot.addWidget(second)
        second.show()
        qtbot.waitExposed(second)
        assert second.nav.currentRow() == 2
        assert second.height() == size[1]  # width is clamped to the 800 px offscreen screen
        second.close()
    assert (data_dir / "ui-state.ini").is_file()
