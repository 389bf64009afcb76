"""文件 › 核验证据与日志: the GUI shows verify's result, witness problems named in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from officer_app.services.context import AppContext
from officer_app.ui.main_window import MainWindow
from officer_app.ui.verify_dialog import VerifyDialog
from tests.sync_fixtures import PlatformProcess, running_platform
from tests.test_custody import _rewrite_chain, _swap_photo, _synced_laptop, _untrigger

pytestmark = pytest.mark.gui


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", "sqlite")


def _window(qtbot: Any, data: Path) -> tuple[MainWindow, AppContext]:
    ctx = AppContext.open(data)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win, ctx


def _run(qtbot: Any, dialog: VerifyDialog) -> dict[str, Any]:
    dialog.report = None
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    assert dialog.report is not None
    return dialog.report


def test_verify_dialog_names_witness_problems(
    qtbot: Any, tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp = _synced_laptop(tmp_path, platform, capsys)
    win, ctx = _window(qtbot, qp)
    try:
        action = win.findChild(type(win.menuBar().actions()[0]), "verifyAction")
        assert action is not None and "核验" in action.text()
        action.trigger()
        dialog = win.findChildren(VerifyDialog)[0]
        assert _run(qtbot, dialog)["ok"]
        assert "核验通过" in dialog.status.text()
        assert "平台见证回执 1 份" in dialog.summary.text() and dialog.problems.count() == 0

        _untrigger(qp)
        with AppContext.open(qp) as attacker:
            seq, _sha = _swap_photo(attacker)
            _rewrite_chain(
                attacker, attacker.store.query("SELECT * FROM ledger ORDER BY seq"), from_seq=seq
            )
        result = _run(qtbot, dialog)
        assert not result["ok"]
        assert "发现 1 个问题" in dialog.status.text()
        text = dialog.problems.item(0).text()
        assert text.startswith("【平台见证】") and f"第 {seq} 条" in text and "改写" in text

        # receipts deleted as well: only the platform can tell, when asked
        with AppContext.open(qp) as attacker:
            attacker.store.execute("DELETE FROM witness_receipts")
            attacker.store.execute("DELETE FROM witness_heads")
            attacker.store.conn.commit()
        assert _run(qtbot, dialog)["ok"]
        dialog.platform_check.setChecked(True)
        result = _run(qtbot, dialog)
        assert {p["kind"] for p in result["problems"]} == {"platform_rewritten"}
        assert "平台现存的见证记录" in dialog.problems.item(0).text()
        dialog.resize(1366 * 2 // 3, 520)
        dialog.grab().save(str(tmp_path / "verify-dialog.png"))
    finally:
        win.close()
        win.tasks.drain()
        ctx.close()
