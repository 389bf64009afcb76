"""The 统计 page drives real widgets (offscreen) and shows exactly the service's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from officer_app.services import stats
from tests import stats_dataset as ds


@pytest.fixture
def page(qtbot, officer_ctx):
    from officer_app.ui.stats_page import StatsPage

    ds.build_known(officer_ctx.store)
    officer_ctx.clock = lambda: ds.AS_OF.astimezone(dt.UTC)
    widget = StatsPage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    widget.tasks.drain()


def test_page_matches_service_and_drills_down(qtbot, page, officer_ctx) -> None:
    from PySide6.QtCore import Qt

    index = page.period_combo.findData("2026Q3")
    assert index >= 0
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.period_combo.setCurrentIndex(index)
        if index == page.period_combo.currentIndex() and page.board is None:
            page.refresh()
    expected = stats.dashboard(officer_ctx, stats.parse_quarter("2026Q3"), as_of=ds.AS_OF)
    for key, button in page.tiles.items():
        assert button.text() == f"{expected.figures[key].label}\n{expected.figures[key].display}"
    assert "3次" in page.tiles["patrols"].text()
    assert "50.0%（3/6）" in page.tiles["receipt_on_time"].text()

    qtbot.mouseClick(page.tiles["overdue"], Qt.MouseButton.LeftButton)
    assert page.records.rowCount() == 3
    assert all("逾期" in page.records.item(r, 3).text() for r in range(3))

    qtbot.mouseClick(page.tiles["cases"], Qt.MouseButton.LeftButton)
    assert page.records.rowCount() == 5
    with qtbot.waitSignal(page.open_record, timeout=2000) as sig:
        page.records.itemDoubleClicked.emit(page.records.item(0, 2))
    assert sig.args[0] == "case" and sig.args[1] in expected.figures["cases"].ids

    # Breakdown row → its records.
    rows = {page.breakdown.item(r, 1).text(): r for r in range(page.breakdown.rowCount())}
    page.breakdown.itemClicked.emit(page.breakdown.item(rows["嘉善县"], 1))
    assert page.records.rowCount() == 2
    # the chart on view is drawn with the figures; the others when their tab is opened
    assert page.charts.currentWidget() is page.canvases["months"]
    assert page.canvases["months"].figure.axes and not page.canvases["map"].figure.axes
    page.charts.setCurrentWidget(page.canvases["map"])
    assert len(page.canvases["map"].figure.axes) >= 1
    title = page.canvases["map"].figure.axes[0].get_title()
    assert title == "案件辖区分布"


def test_custom_range_and_empty_period(qtbot, page) -> None:
    from PySide6.QtCore import QDate

    page.period_combo.setCurrentIndex(page.period_combo.findData("custom"))
    page.start_edit.setDate(QDate(2025, 1, 1))
    page.end_edit.setDate(QDate(2025, 3, 31))
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.refresh_button.click()
    assert page.tiles["cases"].text().endswith("0起")
    assert page.tiles["receipt_on_time"].text().endswith("—")
