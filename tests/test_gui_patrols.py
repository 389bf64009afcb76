"""The 巡查 page with real widgets: list model (qtmodeltester), filters, sorting, detail pane,
editor dialog with warnings and recent partners, start/close, amendments and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from officer_app.services import patrols
from officer_app.services.context import AppContext
from officer_app.services.patrols import PatrolDraft, PatrolOfficer
from officer_app.ui.patrol_editor import AmendDialog
from officer_app.ui.patrol_model import COLUMNS, IdRole, PatrolTableModel
from officer_app.ui.patrol_page import PatrolPage
from tests.doc_fixtures import outside_the_gui

pytestmark = pytest.mark.gui
CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
PAIR = [
    PatrolOfficer("310118", "陈立群", "31011820318"),
    PatrolOfficer("320509", "沈建明", "32050921107"),
]


def make(ctx: AppContext, days: int = 0, **kw: object) -> str:
    values: dict[str, object] = {
        "patrol_type": "陆路巡查",
        "planned_start": DAY + dt.timedelta(days=days),
        "planned_end": DAY + dt.timedelta(days=days, hours=2),
        "agencies": ["310118", "320509"],
        "officers": list(PAIR),
        "cluster": "青嘉吴",
        "title": f"巡查{days}",
    }
    values.update(kw)
    with outside_the_gui():  # seeding, as the write executor would
        return patrols.create_patrol(ctx, PatrolDraft(**values)).patrol_id  # type: ignore[arg-type]


@pytest.fixture
def page(qtbot, officer_ctx: AppContext):
    widget = PatrolPage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    yield widget
    widget.shutdown()


def _select(page: PatrolPage, patrol_id: str) -> None:
    row = page.model.row_of(patrol_id)
    assert row >= 0
    page.view.setCurrentIndex(page.model.index(row, 0))


def test_model_passes_qtmodeltester(qtmodeltester, officer_ctx: AppContext) -> None:
    for i in range(130):  # more than one page
        make(officer_ctx, days=i, patrol_type=patrols.PATROL_TYPES[i % 5])
    model = PatrolTableModel(officer_ctx)
    qtmodeltester.check(model, force_py=True)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 130 and model.columnCount() == len(COLUMNS)
    last = model.index(129, 0).data(IdRole)
    assert last and model.row_of(last) == 129


def test_filters_and_sort_drive_the_list(qtbot, page: PatrolPage, officer_ctx: AppContext) -> None:
    water = make(officer_ctx, 1, patrol_type="水路巡查", title="淀山湖水域")
    land = make(officer_ctx, 2, agencies=["310114", "320583"], officers=[], cluster="嘉昆太")
    page.refresh()
    assert page.model.rowCount() == 2
    assert page.model.index(0, 0).data(IdRole) == land  # newest first
    page.type_combo.setCurrentIndex(page.type_combo.findData("水路巡查"))
    assert [page.model.index(r, 0).data(IdRole) for r in range(page.model.rowCount())] == [water]
    page.type_combo.setCurrentIndex(0)
    page.agency_combo.setCurrentIndex(page.agency_combo.findData("320583"))
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data(IdRole) == land
    page.clear_filters()
    page.text_edit.setText("淀山湖")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert "1" in page.summary.text()
    page.clear_filters()
    page.status_combo.setCurrentIndex(page.status_combo.findData("closed"))
    assert page.model.rowCount() == 0
    page.clear_filters()
    page.use_dates.setChecked(True)
    page.date_from.setDate(DAY.date() + dt.timedelta(days=2))
    page.date_to.setDate(DAY.date() + dt.timedelta(days=2))
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data(IdRole) == land
    page.clear_filters()
    # clicking the 标题 header sorts by title ascending, then descending
    title_col = [k for k, _ in COLUMNS].index("title")
    page.view.horizontalHeader().setSortIndicator(title_col, Qt.SortOrder.AscendingOrder)
    titles = [page.model.index(r, title_col).data() for r in range(2)]
    assert titles == sorted(titles)
    page.view.horizontalHeader().setSortIndicator(title_col, Qt.SortOrder.DescendingOrder)
    assert [page.model.index(r, title_col).data() for r in range(2)] == sorted(titles, reverse=True)


def test_start_close_and_illegal_steps(qtbot, page: PatrolPage, officer_ctx: AppContext) -> None:
    pid = make(officer_ctx)
    page.refresh()
    _select(page, pid)
    assert page.start_button.isEnabled() and not page.close_button.isEnabled()
    assert not page.amend_button.isEnabled()
    page.close_current()  # illegal: planned → closed
    qtbot.waitUntil(lambda: "请先开始巡查" in page.message.text())  # refused by the writer
    assert patrols.get_patrol(officer_ctx, pid)["status"] == "planned"
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.current is not None and page.current["status"] == "in_progress"
    assert page.close_button.isEnabled() and not page.start_button.isEnabled()
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert page.current["status"] == "closed"
    assert page.amend_button.isEnabled() and not page.edit_button.isEnabled()
    assert "只读" in page.detail.toPlainText()
    page.start_current()
    qtbot.waitUntil(lambda: "已结束" in page.message.text())
    assert page.edit_patrol() is None and "只读" in page.message.text()


def test_detail_shows_warnings_people_and_track(page: PatrolPage, officer_ctx: AppContext) -> None:
    pid = make(
        officer_ctx,
        agencies=["310118", "310114"],
        officers=[PatrolOfficer("310118", "李明", "31011800999")],
    )
    page.refresh()
    _select(page, pid)
    text = page.detail.toPlainText()
    assert "均来自上海市" in text and "至少两名持证执法人员" in text
    assert "李明（31011800999）" in text and "GPS轨迹" in text


def test_editor_creates_patrol_with_live_warnings(
    qtbot, page: PatrolPage, officer_ctx: AppContext
) -> None:
    make(
        officer_ctx,
        agencies=["310118", "330421"],
        officers=[PatrolOfficer("330421", "钱志强", "33042110582")],
    )
    page.refresh()
    dialog = page.new_patrol()
    qtbot.addWidget(dialog)
    first = dialog.agency_list.item(0)
    assert "最近合作" in first.text()
    recent = {dialog.agency_list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(2)}
    assert recent == {"310118", "330421"}
    assert "尚未选择参加单位" in dialog.warning_label.text()
    dialog.set_agency_checked("310118", True)
    assert "均来自上海市" in dialog.warning_label.text()
    dialog.set_agency_checked("330421", True)
    assert "均来自" not in dialog.warning_label.text()
    assert "只有 0 名" in dialog.warning_label.text()
    dialog.recent_combo.setCurrentIndex(1)
    dialog.recent_combo.activated.emit(1)  # pick 钱志强 again
    dialog.add_officer(PatrolOfficer("310118", "陈立群", "31011820318"))
    assert dialog.officer_table.rowCount() == 2
    assert dialog.warning_label.text() == ""
    dialog.title_edit.setText("新的联合巡查")
    with qtbot.waitSignal(dialog.saved):  # stored by the write executor
        dialog.save()
    created = patrols.get_patrol(officer_ctx, dialog.result_saved.patrol_id)
    assert created["title"] == "新的联合巡查" and created["officer_count"] == 2
    assert page.model.rowCount() == 2 and page.current["id"] == created["id"]


def test_editor_refusal_keeps_the_dialog_open(qtbot, page: PatrolPage) -> None:
    dialog = page.new_patrol()
    qtbot.addWidget(dialog)
    dialog.save()  # no agency picked: refused by the service, on the writer
    qtbot.waitUntil(lambda: "至少选择一个参加单位" in dialog.error_label.text())
    assert dialog.isVisible() and dialog.result_saved is None


def test_amend_dialog_records_and_survives_a_conflict(
    qtbot, page: PatrolPage, officer_ctx: AppContext
) -> None:
    pid = make(officer_ctx)
    with outside_the_gui():  # seeding, as the write executor would
        patrols.start_patrol(officer_ctx, pid, at=DAY)
        patrols.close_patrol(officer_ctx, pid, at=DAY + dt.timedelta(hours=1))
    page.refresh()
    _select(page, pid)
    first = page.amend_current()
    second = AmendDialog(officer_ctx, page.current, page)  # a second window, same version
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    for dialog, value in ((first, "汾湖北岸"), (second, "元荡")):
        dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("area"))
        dialog.value_edit.setText(value)
        dialog.reason_edit.setPlainText("更正区域")
    with qtbot.waitSignal(first.amended):
        first.submit()
    assert page.current["area"] == "汾湖北岸" and "汾湖北岸" in page.detail.toPlainText()
    second.submit()
    qtbot.waitUntil(lambda: "其他窗口" in second.error_label.text())
    assert second.value_edit.text() == "元荡" and second.reason_edit.toPlainText() == "更正区域"
    assert second.old_label.text() == "汾湖北岸"
    with qtbot.waitSignal(second.amended):
        second.submit()  # deliberate resubmit on the current version
    assert patrols.get_patrol(officer_ctx, pid)["area"] == "元荡"
    assert len(patrols.list_amendments(officer_ctx, pid)) == 2


def test_controls_have_accessible_names(page: PatrolPage) -> None:
    controls = [
        page.new_button,
        page.text_edit,
        page.use_dates,
        page.date_from,
        page.date_to,
        page.cluster_combo,
        page.type_combo,
        page.agency_combo,
        page.status_combo,
        page.clear_button,
        page.view,
        page.edit_button,
        page.start_button,
        page.close_button,
        page.amend_button,
        page.detail,
        page.photo_view,
    ]
    assert [c.objectName() for c in controls if not c.accessibleName()] == []
    assert all(c.focusPolicy() & Qt.FocusPolicy.TabFocus for c in controls if c is not page.detail)


def test_a_count_that_tests_the_text_on_many_rows_arrives_from_a_worker(
    qtbot, page: PatrolPage, officer_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common term with a broad filter is counted off the GUI thread: the list shows its first
    rows at once and the summary says it is counting until the exact count arrives; a count
    made moot by a newer filter never overwrites that filter's."""
    from officer_app.services import patrol_query
    from officer_app.ui import patrol_model

    monkeypatch.setattr(patrol_model, "KEY_BATCH", 5)  # the list holds more than it has loaded
    monkeypatch.setattr(patrol_query, "_JOIN_OTHERS_MAX", 0)  # others always keep "too many"
    monkeypatch.setattr(patrol_query, "_WALK_SHARE", 0.0)  # every term is common
    for i in range(12):
        make(officer_ctx, i, title=f"河道巡查{i}" if i % 4 else f"码头{i}")
    page.refresh()
    page.status_combo.setCurrentIndex(page.status_combo.findData("planned"))
    page.text_edit.setText("河道")
    page.apply_filter()
    assert page.model.rowCount() == 5  # the first rows, before any count
    assert "正在统计" in page.summary.text()
    qtbot.waitUntil(lambda: page.summary.text() == "显示 9 次联合巡查", timeout=5000)
    # A common term alone: rows from a bounded lookup, its full count from the worker.
    page.status_combo.setCurrentIndex(0)
    page.apply_filter()
    assert page.model.rowCount() == 5 and "正在统计" in page.summary.text()
    qtbot.waitUntil(lambda: page.summary.text() == "显示 9 次联合巡查", timeout=5000)
    # Counting again, then a filter with a count at hand: the late count must not win.
    page.text_edit.setText("巡查")
    page.apply_filter()
    assert "正在统计" in page.summary.text()
    page.clear_filters()
    assert page.summary.text() == "显示 12 次联合巡查"
    qtbot.wait(300)  # the cancelled (or finished) count of 巡查 is delivered, and dropped
    assert page.summary.text() == "显示 12 次联合巡查"
    assert page._counting is None
