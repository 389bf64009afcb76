"""The 同步 page against a real platform subprocess: login, auto sync, inbox answers, retry."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from officer_app.services import sync_status as status
from officer_app.services.context import AppContext
from tests.doc_fixtures import outside_the_gui
from tests.sync_fixtures import PlatformProcess, free_port
from tests.test_sync import QP, WJ, _issue_transfer, _login, _officer, _real_case, _run


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    proc = PlatformProcess(tmp_path / "platform")
    yield proc
    proc.stop()


def _page(qtbot: Any, data: Path, clock: Any = None) -> tuple[Any, AppContext]:
    from officer_app.ui.sync_page import SyncPage

    ctx = AppContext.open(data, clock=clock) if clock else AppContext.open(data)
    page = SyncPage(ctx, probe_minutes=0)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    return page, ctx


def _close(qtbot: Any, page: Any, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: not page.running, timeout=30_000)
    assert page.tasks.drain(30_000)
    ctx.close()


def test_sync_page_login_inbox_and_answers(
    tmp_path: Path, platform: PlatformProcess, capsys: Any, qtbot: Any
) -> None:
    qp_tok = platform.add_officer(QP, "张伟", "31011800123")
    wj_tok = platform.add_officer(WJ, "沈建明", "32050921107")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    wj = _officer(tmp_path, "沈建明", "32050921107", WJ)
    letter = _issue_transfer(qp, _real_case(qp))
    _login(capsys, qp, platform.url, qp_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0

    page, ctx = _page(qtbot, wj)
    online: list[tuple[bool, str]] = []
    page.onlineChanged.connect(lambda ok, text: online.append((ok, text)))
    qtbot.waitUntil(lambda: page.login_label.text() != "", timeout=10_000)
    assert not page.logged_in and not page.sync_button.isEnabled() and online == []

    dialog = page.ask_login()
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    dialog.server_edit.setText(platform.url)
    dialog.token_edit.setText(wj_tok["token"])
    dialog.accept()
    assert dialog.token_edit.text() == ""  # read once, gone from the widget
    # logged in → probe → online → a sync starts by itself and pulls the transfer
    qtbot.waitUntil(lambda: page.transfer_model.rowCount() == 1, timeout=30_000)
    qtbot.waitUntil(lambda: not page.running, timeout=30_000)
    assert online and online[0][0] is True and platform.url in online[0][1]
    assert wj_tok["token"] not in page.login_label.text() + page.result_label.text()
    assert "上次同步" in page.result_label.text()
    row = page.transfer_model.row_dict(0)
    assert row["direction"] == "in" and row["document_number"] == letter["number"]

    page.select_transfer(row["id"])
    assert page.accept_button.isEnabled() and page.return_button.isEnabled()
    assert not page.feedback_button.isEnabled()
    page.accept_selected()
    qtbot.waitUntil(lambda: "案件移送回执" in page.action_label.text(), timeout=30_000)
    qtbot.waitUntil(
        lambda: (
            page.transfer_model.rowCount() == 1
            and page.transfer_model.row_dict(0)["status"] == "accepted"
        ),
        timeout=10_000,
    )
    number = page.transfer_model.row_dict(0)["receipt_number"]
    assert number and number in page.action_label.text()

    page.select_transfer(row["id"])
    assert page.feedback_button.isEnabled()
    fb = page.ask_feedback()
    assert fb is not None
    fb.result_combo.setCurrentIndex(fb.result_combo.findData("处罚决定"))
    ok = fb.buttons.button(fb.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # a 处罚决定 needs its 决定书文号
    fb.decision_edit.setText("吴综执罚决字〔2026〕88号")
    assert ok.isEnabled()
    fb.fine_spin.setValue(5000)
    fb.executed_combo.setCurrentIndex(fb.executed_combo.findData("partly"))
    fb.note_edit.setPlainText("已处罚")
    fb.accept()
    qtbot.waitUntil(
        lambda: page.transfer_model.row_dict(0)["status"] == "feedback_sent", timeout=30_000
    )
    assert "反馈函文号" in page.action_label.text() and "馈〔" in page.action_label.text()
    page.select_transfer(row["id"])
    assert "处理结果反馈函" in page.letters_label.text()
    assert "案件移送函" in page.letters_label.text()  # the sender's letter, held here too
    qtbot.waitUntil(lambda: page.outbox_model.rowCount() > 0, timeout=10_000)

    # 立即同步 sends the answers; progress and result in plain Chinese
    assert page.start_sync()
    qtbot.waitUntil(lambda: not page.running, timeout=30_000)
    counts = status.outbox_counts(ctx.store)
    assert counts["pending"] == 0 and counts["sent"] >= 2
    assert "上传" in page.result_label.text()

    # 重试: a set-aside entry goes back to the queue
    with outside_the_gui(), ctx.store.transaction():  # as another process would
        ctx.store.execute(
            "UPDATE outbox SET state = 'set_aside', last_error = '平台拒收：测试' WHERE seq = "
            "(SELECT max(seq) FROM outbox)"
        )
    page._reload_outbox()
    assert page.outbox_model.row_dict(0)["state"] == "set_aside"
    assert page.outbox_model.data(page.outbox_model.index(0, 2)) == "已搁置"
    page.outbox_view.selectRow(0)
    assert page.retry_button.isEnabled()
    page.retry_selected()
    qtbot.waitUntil(lambda: "重新上传" in page.action_label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not page.running, timeout=30_000)
    assert status.outbox_counts(ctx.store)["set_aside"] == 0

    if os.environ.get("OFFICER_APP_SCREENSHOT"):
        page.tabs.setCurrentIndex(0)
        page.grab().save(os.environ["OFFICER_APP_SCREENSHOT"])
    _close(qtbot, page, ctx)


def test_overdue_rows_stand_out_and_no_network_never_blocks(
    tmp_path: Path, platform: PlatformProcess, capsys: Any, qtbot: Any
) -> None:
    qp_tok = platform.add_officer(QP, "张伟", "31011800123")
    wj_tok = platform.add_officer(WJ, "沈建明", "32050921107")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    wj = _officer(tmp_path, "沈建明", "32050921107", WJ)
    _issue_transfer(qp, _real_case(qp))
    _login(capsys, qp, platform.url, qp_tok["token"])
    _login(capsys, wj, platform.url, wj_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0
    assert _run(capsys, wj, "sync")[0] == 0
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens here
    with outside_the_gui(), AppContext.open(wj) as wctx:  # as the CLI would
        from officer_app.store import sync_state
        from officer_app.sync import credentials

        credentials.save_token(wctx.store, dead, wj_tok["token"])
        sync_state.put(wctx.store, sync_state.SERVER_URL, dead)

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    page, ctx = _page(qtbot, wj, clock=lambda: later)
    online: list[tuple[bool, str]] = []
    page.onlineChanged.connect(lambda ok, text: online.append((ok, text)))
    qtbot.waitUntil(lambda: page.transfer_model.rowCount() == 1, timeout=10_000)
    model = page.transfer_model
    assert "逾期" in model.data(model.index(0, 1))
    assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole).bold()
    qtbot.waitUntil(lambda: bool(online), timeout=10_000)  # the probe gives up quickly
    assert online[0][0] is False and online[0][1].startswith("离线")
    assert not page.running  # offline: no sync was started
    assert "离线" in page.login_label.text() and "上次同步" in page.result_label.text()
    page.probe_timer.setInterval(50)
    page.probe_timer.start()
    qtbot.wait(300)  # repeated probes stay off the GUI thread and do not re-announce
    page.probe_timer.stop()
    assert len(online) == 1
    page.grab().save(str(tmp_path / "overdue.png"))
    _close(qtbot, page, ctx)


def test_cancel_stops_between_steps(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> None:
    from officer_app.services.sync_run import run_sync
    from officer_app.sync.errors import SyncCancelledError

    tok = platform.add_officer(QP, "张伟", "31011800123")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _issue_transfer(qp, _real_case(qp))
    _login(capsys, qp, platform.url, tok["token"])
    cancel = threading.Event()
    cancel.set()
    seen: list[int] = []
    with AppContext.open(qp) as ctx:
        with pytest.raises(SyncCancelledError):
            run_sync(ctx, on_progress=lambda r: seen.append(r.items_total), cancel=cancel)
        assert seen and seen[0] >= 4
        assert status.outbox_counts(ctx.store)["sent"] == 0
        report = run_sync(ctx)
        assert report.pushed == seen[0] and status.outbox_counts(ctx.store)["pending"] == 0
