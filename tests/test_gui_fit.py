"""What the screenshot matrix checks by eye, checked in numbers: on a 1366 × 768 laptop, in large
text, every page fits the window and every column of the record tables is on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from officer_app.services import demo, officers
from officer_app.services.context import AppContext
from officer_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, data_dir: Path):
    ctx = AppContext.open(data_dir)
    officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118-jz")
    demo.load_demo(ctx)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 728)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.set_large_text(False)
    win.close()
    win.tasks.drain()
    ctx.close()


@pytest.mark.parametrize("large", [False, True])
def test_pages_fit_a_1366_laptop_and_tables_show_every_column(qtbot, window, large) -> None:
    window.set_large_text(large)
    for row, key in enumerate(MainWindow.SECTIONS):
        window.nav.setCurrentRow(row)
        qtbot.wait(20)
        # The window never has to grow past the screen to show a page (the evidence actions
        # wrap onto a second row instead).
        assert window.minimumSizeHint().width() <= 1366, key
        view = getattr(window.stack.currentWidget(), "view", None)
        if key in ("patrols", "cases", "documents") and view is not None:
            header = view.horizontalHeader()
            qtbot.waitUntil(lambda h=header, v=view: h.length() <= v.viewport().width())
            assert header.length() <= view.viewport().width(), key
            assert all(header.sectionSize(c) > 20 for c in range(header.count())), key
