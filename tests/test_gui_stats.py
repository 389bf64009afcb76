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


def test_figures_are_painted_before_the_chart_is_drawn(qtbot, page) -> None:
    """What the officer waits for: the tiles and the breakdown on screen, with the chart after.
    Qt paints on an update timer, so the page must paint the figures itself."""
    from PySide6.QtCore import QEvent, QObject

    events: list[str] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and page.board is not None:
                events.append(f"{watched.objectName()} painted")
            return False

    watch = Watch()
    page.breakdown.viewport().setObjectName("breakdown")
    page.tiles["cases"].setObjectName("tile")
    page.breakdown.viewport().installEventFilter(watch)
    page.tiles["cases"].installEventFilter(watch)
    page.figures_shown.connect(lambda: events.append("figures shown"))
    page.refreshed.connect(lambda: events.append("chart drawn"))
    index = page.period_combo.findData("2026Q3")
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.period_combo.setCurrentIndex(index)
        if index == page.period_combo.currentIndex() and page.board is None:
            page.refresh()
    assert page.canvases["months"].figure.axes
    shown = events.index("figures shown")
    assert {"tile painted", "breakdown painted"} <= set(events[:shown]), events
    assert shown < events.index("chart drawn")


def test_custom_range_and_empty_period(qtbot, page) -> None:
    from PySide6.QtCore import QDate

    page.period_combo.setCurrentIndex(page.period_combo.findData("custom"))
    page.start_edit.setDate(QDate(2025, 1, 1))
    page.end_edit.setDate(QDate(2025, 3, 31))
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.refresh_button.click()
    assert page.tiles["cases"].text().endswith("0起")
    assert page.tiles["receipt_on_time"].text().endswith("—")


def _q3(qtbot, page) -> None:
    index = page.period_combo.findData("2026Q3")
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        if index == page.period_combo.currentIndex():
            page.refresh()
        else:
            page.period_combo.setCurrentIndex(index)


def test_bulletin_from_the_page_states_the_figures_on_screen(qtbot, page, officer_ctx, tmp_path):
    from pypdf import PdfReader

    assert not page.bulletin_button.isEnabled()  # nothing computed yet: nothing to print
    _q3(qtbot, page)
    assert page.bulletin_button.isEnabled()
    out = tmp_path / "通报.pdf"
    with qtbot.waitSignal(page.bulletin_made, timeout=30000) as sig:
        page.make_bulletin(out, draft=False, xlsx_path=tmp_path / "通报.xlsx")
    path, number = sig.args
    assert path == str(out) and number.startswith("青城管通〔")
    assert page.open_bulletin_button.isVisible() and number in page.status.text()
    text = "".join(p.extract_text() for p in PdfReader(out).pages).replace(" ", "")
    text = text.replace("\n", "")
    board = page.board
    assert f"联合巡查{board.figures['patrols'].value}次" in text
    assert board.figures["receipt_on_time"].display.split("（")[0] in text
    assert (tmp_path / "通报.xlsx").is_file() and not (tmp_path / "通报.csv").exists()
    row = officer_ctx.store.query("SELECT number, status FROM documents WHERE number = ?", [number])
    assert row == [{"number": number, "status": "issued"}]


def test_bulletin_that_cannot_be_written_says_so(qtbot, page, officer_ctx, tmp_path, monkeypatch):
    from officer_app.ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    _q3(qtbot, page)
    before = officer_ctx.store.scalar("SELECT count(*) FROM documents")
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "x.pdf").mkdir()  # a folder where the file should go
    with qtbot.waitSignal(page.bulletin_made, timeout=30000) as sig:
        page.make_bulletin(tmp_path / "ro" / "x.pdf", draft=False)
    assert sig.args == ["", ""]
    assert shown and "内部错误" not in shown[0]
    assert page.bulletin_button.isEnabled() and "未生成" in page.status.text()
    assert officer_ctx.store.scalar("SELECT count(*) FROM documents") == before  # no number used


def test_bulletin_dialog_paths(qtbot, tmp_path) -> None:
    from officer_app.ui.bulletin_dialog import BulletinDialog

    dialog = BulletinDialog("青浦区", "2026年第三季度", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.draft and dialog.pdf_path() == tmp_path / "青浦区2026年第三季度协作通报.pdf"
    dialog.path_edit.setText(str(tmp_path / "季报"))
    dialog.csv_check.setChecked(True)
    assert dialog.pdf_path() == tmp_path / "季报.pdf"
    assert (dialog.csv_path(), dialog.xlsx_path()) == (
        tmp_path / "季报.csv",
        tmp_path / "季报.xlsx",
    )
    assert dialog.problem() is None and dialog.existing() == []
    (tmp_path / "季报.xlsx").write_bytes(b"old")
    assert dialog.existing() == [tmp_path / "季报.xlsx"]
    dialog.path_edit.setText(str(tmp_path / "没有" / "x.pdf"))
    assert "文件夹不存在" in (dialog.problem() or "")
    dialog.path_edit.setText("  ")
    assert not dialog.ok_button.isEnabled()
    dialog.set_draft(False)
    assert not dialog.draft
