"""What the start of the GUI leaves for later (issue 17 item 6): no timing here, only that the
window's first screen does not build, import or set off what it does not show, and that what
was deferred does come once the window has painted."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.gui_args import GuiArgs, gui_args
from officer_app.services.context import AppContext
from officer_app.services.officers import add_or_select_officer
from tests.doc_fixtures import outside_the_gui

pytestmark = pytest.mark.gui

#: Modules the first screen (巡查) must not have loaded when it reports itself shown.
NOT_AT_START = (
    "officer_app.cli",
    "officer_app.ui.evidence_page",
    "officer_app.ui.evidence_model",
    "officer_app.ui.case_page",
    "officer_app.ui.document_page",
    "officer_app.ui.sync_page",
    "officer_app.ui.stats_page",
    "officer_app.ui.map_widget",
    "officer_app.services.patrols",
    "logging.handlers",
    "socket",
    "html",
    "uuid",
    "sqlite_utils",
    "PIL",
    "gpxpy",
    "reportlab",
    "numpy",
    "matplotlib",
    "httpx",
    "keyring",
)


def test_the_real_entry_point_shows_its_first_page_without_the_rest(data_dir: Path) -> None:
    """``python -m officer_app --data-dir D`` as an officer starts it, up to the probe's line."""
    with AppContext.open(data_dir) as ctx:
        add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    env = {**os.environ, "OFFICER_APP_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "officer_app", "--data-dir", str(data_dir)]
    with subprocess.Popen(
        [*command, "--no-crash-dialog"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(proc.stdout, selectors.EVENT_READ)
                assert selector.select(timeout=120), "the window never reported itself shown"
            line = proc.stdout.readline().decode("utf-8")
        finally:
            proc.kill()  # it stopped itself after the line (SIGSTOP); a kill ends it either way
            errors = proc.stderr.read().decode("utf-8", "replace")
    assert line.startswith("shown "), errors
    loaded = set(line.split(" ", 1)[1].strip().split(","))
    assert "officer_app.ui.patrol_page" in loaded  # the first screen is built …
    assert [name for name in NOT_AT_START if name in loaded] == []  # … and nothing else


def test_the_first_screen_builds_one_page_and_defers_the_rest(
    qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.ui.first_paint import FirstPaint
    from officer_app.ui.main_window import MainWindow

    monkeypatch.setattr(FirstPaint, "LATEST_MS", 600_000)  # the paint, not the fallback, here
    with outside_the_gui():  # creating and seeding the store, as the start-up does before Qt
        ctx = AppContext.open(data_dir)
        add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        shown = win.SECTIONS[win.stack.currentIndex()]
        assert shown == "patrols" and win._built("patrols") is not None
        assert [key for key in win.SECTIONS if key != shown and win._built(key)] == []
        assert win.stats_page is None
        # The strip under the patrol detail has no model until a patrol is selected.
        assert win.patrol_page.photos is None and win.patrol_page.photo_view.model() is None
        # Before the first paint: no application-wide input filter, no camera-card scan.
        win.start()
        assert not win.idle._watching and not win.card_bar.timer.isActive()
        assert not win.first_screen_ready()
        win.show()
        qtbot.waitUntil(win.first_screen_ready, timeout=10_000)
        qtbot.waitUntil(lambda: win.idle._watching and win.card_bar.timer.isActive())
    finally:
        win.close()
        win.tasks.drain()
        ctx.close()


def test_deferred_work_queued_after_the_first_paint_still_runs(qtbot, data_dir: Path) -> None:
    from officer_app.ui.main_window import MainWindow

    with outside_the_gui():  # creating the store, as the start-up does before Qt
        ctx = AppContext.open(data_dir)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitUntil(lambda: win.first_paint.painted, timeout=10_000)
        ran: list[str] = []
        win.first_paint.later(lambda: ran.append("second"))
        win.first_paint.later(lambda: ran.append("first"), first=True)
        qtbot.waitUntil(lambda: len(ran) == 2)
        assert ran == ["first", "second"]
    finally:
        win.close()
        win.tasks.drain()
        ctx.close()


def test_deferred_work_runs_even_when_no_paint_comes(
    qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window that is never painted (started minimised) still gets its idle watch."""
    from officer_app.ui.first_paint import FirstPaint
    from officer_app.ui.main_window import MainWindow

    monkeypatch.setattr(FirstPaint, "LATEST_MS", 200)
    with outside_the_gui():  # creating the store, as the start-up does before Qt
        ctx = AppContext.open(data_dir)
    win = MainWindow(ctx)  # never shown
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: win.idle._watching, timeout=5000)
        assert not win.first_paint.painted and not win.first_screen_ready()
        ran: list[bool] = []
        win.first_paint.later(lambda: ran.append(True))
        qtbot.waitUntil(lambda: ran == [True])
    finally:
        win.close()
        win.tasks.drain()
        ctx.close()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], GuiArgs(None, False)),
        (["--data-dir", "/d"], GuiArgs("/d", False)),
        (["--data-dir=/d", "--no-crash-dialog"], GuiArgs("/d", True)),
        (["--data-dir", "/a", "--data-dir", "/b"], GuiArgs("/b", False)),  # the last one wins
        (["--data-dir"], None),  # missing value: argparse says so
        (["--data-dir", "--no-crash-dialog"], None),
        (["--data-dir="], None),
        (["--data", "/d"], None),  # an abbreviation: argparse's to accept
        (["--data-dir", "/d", "info"], None),  # a command
        (["--version"], None),
        (["--data-dir", "/d\udcff"], None),  # bytes that are not UTF-8: argparse names them
    ],
)
def test_the_gui_start_reads_its_two_options_and_leaves_the_rest_to_argparse(
    argv: list[str], expected: GuiArgs | None
) -> None:
    assert gui_args(argv) == expected


def test_an_unusual_gui_command_line_is_still_refused_in_one_line(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "officer_app", "--data-dir"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and err.count("\n") == 1 and "用法错误" in err
