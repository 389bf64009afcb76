"""The 同步 page: login, 立即同步 with progress and cancel, the outbox, and the 移送 inbox.

Nothing here touches the network on the GUI thread: login, every sync and the reachability probe
run on the window's worker pools and open their own store connection. A sync runs on the read pool
(it may take minutes over a slow link and must not queue the officer's own edits behind it); the
officer's answers to transfers (接收/退回/反馈) and 重试 go through the single-writer pool. The
platform is probed every few minutes only while logged in, with a short time-out, and a sync
starts by itself when it becomes reachable. ``onlineChanged`` feeds the status bar.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import sync_status as status
from officer_app.services.context import AppContext
from officer_app.services.doc_context import CST
from officer_app.ui import sync_held
from officer_app.ui.error_text import error_text
from officer_app.ui.id_table_model import IdRole, IdTableModel, RowRole
from officer_app.ui.sync_held import error_text as _message
from officer_app.ui.sync_held import local_time as _local
from officer_app.ui.tasks import Job, TaskRunner
from officer_app.ui.transfer_inbox import FeedbackDialog, ReturnDialog, TransferModel, letters_text

log = logging.getLogger(__name__)
PROBE_MINUTES = 5.0
OVERDUE = "#b3261e"


# Models -------------------------------------------------------------------------------------------
class OutboxModel(IdTableModel):
    """Every outbox entry; rows are read a page at a time, so 10 000 entries cost nothing."""

    COLUMNS = (
        ("entity_zh", "记录"),
        ("op_zh", "操作"),
        ("state_zh", "状态"),
        ("attempts", "尝试次数"),
        ("last_error", "最近错误"),
        ("created_at", "记录时间"),
    )

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def fetch_ids(self) -> list[str]:
        return status.outbox_ids(self.ctx.store)

    def fetch_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return status.outbox_rows(self.ctx.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "state_zh":
            return self.tr(row["state_zh"])
        if key == "created_at":
            return _local(str(row["created_at"]))
        if key == "attempts":
            return str(row["attempts"])
        return str(row.get(key) or "")

    def colour(self, row: dict[str, Any], key: str) -> str | None:
        if row.get("state") == "set_aside":
            return OVERDUE
        if row.get("state") == "sent":
            return "#5f6368"
        return None


# Dialogs ------------------------------------------------------------------------------------------
class LoginDialog(QDialog):
    """Server URL and token; the token is masked, read once and cleared from the field."""

    def __init__(self, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录协作平台"))
        form = QFormLayout(self)
        self.server_edit = QLineEdit(server)
        self.server_edit.setPlaceholderText("https://platform.example.gov.cn")
        self.server_edit.setAccessibleName(self.tr("平台地址"))
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName(self.tr("登录令牌"))
        self.token_edit.setPlaceholderText(self.tr("平台管理员发放的令牌"))
        form.addRow(self.tr("平台地址(&S)："), self.server_edit)
        form.addRow(self.tr("登录令牌(&T)："), self.token_edit)
        note = QLabel(self.tr("令牌只保存在本机系统密钥库中，不会再次显示。"))
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def take(self) -> tuple[str, str]:
        """The entered values; the token leaves the widget here and nowhere else."""
        token = self.token_edit.text().strip()
        self.token_edit.clear()
        return self.server_edit.text().strip(), token


# The page -----------------------------------------------------------------------------------------
class SyncPage(QWidget):
    onlineChanged = Signal(bool, str)
    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        probe_minutes: float = PROBE_MINUTES,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks or TaskRunner(self)
        self.server: str | None = None
        self.logged_in = False
        self.online: bool | None = None
        self.running = False
        self._sync_job: Job | None = None
        self._probing = False
        self._build()
        self.probe_timer = QTimer(self)
        self.probe_timer.setObjectName("probeTimer")
        self.probe_timer.timeout.connect(self.probe)
        if probe_minutes > 0:
            self.probe_timer.start(int(probe_minutes * 60_000))
        self.refresh()

    # Layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        box = QGroupBox(self.tr("协作平台"))
        top = QVBoxLayout(box)
        row = QHBoxLayout()
        self.login_label = QLabel()
        self.login_label.setObjectName("loginLabel")
        self.login_label.setWordWrap(True)
        self.login_button = QPushButton(self.tr("登录(&L)…"))
        self.login_button.setAccessibleName(self.tr("登录协作平台"))
        self.login_button.clicked.connect(self.ask_login)
        self.sync_button = QPushButton(self.tr("立即同步(&Y)"))
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setAccessibleName(self.tr("立即与协作平台同步"))
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(self.tr("取消同步"))
        self.cancel_button.setAccessibleName(self.tr("取消正在进行的同步"))
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.cancel_button.setEnabled(False)
        row.addWidget(self.login_label, 1)
        for button in (self.login_button, self.sync_button, self.cancel_button):
            row.addWidget(button)
        top.addLayout(row)
        row = QHBoxLayout()
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("同步进度"))
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.progress_label)
        top.addLayout(row)
        self.result_label = QLabel()
        self.result_label.setObjectName("resultLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.result_label)
        layout.addWidget(box)
        self._set_progress_visible(False)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._inbox_tab(), self.tr("案件移送"))
        self.tabs.addTab(self._outbox_tab(), self.tr("同步记录"))
        self.held = sync_held.install(self)  # items pulled that could not be taken in
        layout.addWidget(self.tabs, 1)

    def _table(self, model: IdTableModel, name: str) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(name)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return view

    def _inbox_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.transfer_model = TransferModel(self)
        self.transfer_view = self._table(self.transfer_model, self.tr("案件移送列表"))
        for column, width in enumerate((60, 130, 200, 220, 110, 200)):
            self.transfer_view.setColumnWidth(column, width)
        self.transfer_view.selectionModel().currentRowChanged.connect(self._update_actions)
        layout.addWidget(self.transfer_view, 1)
        self.letters_label = QLabel()  # the numbered letters of the selected transfer
        self.letters_label.setObjectName("lettersLabel")
        self.letters_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.letters_label)
        row = QHBoxLayout()
        self.accept_button = QPushButton(self.tr("接收(&A)"))
        self.accept_button.setAccessibleName(self.tr("接收移送并出具回执"))
        self.accept_button.clicked.connect(self.accept_selected)
        self.return_button = QPushButton(self.tr("退回(&R)…"))
        self.return_button.setAccessibleName(self.tr("退回移送（签发退回函）"))
        self.return_button.clicked.connect(self.ask_return)
        self.feedback_button = QPushButton(self.tr("反馈(&F)…"))
        self.feedback_button.setAccessibleName(self.tr("反馈处理结果（签发反馈函）"))
        self.feedback_button.clicked.connect(self.ask_feedback)
        self.action_label = QLabel()
        self.action_label.setObjectName("actionLabel")
        self.action_label.setWordWrap(True)
        for button in (self.accept_button, self.return_button, self.feedback_button):
            row.addWidget(button)
        row.addWidget(self.action_label, 1)
        layout.addLayout(row)
        self._update_actions()
        return tab

    def _outbox_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.outbox_model = OutboxModel(self.ctx, self)
        self.outbox_view = self._table(self.outbox_model, self.tr("待同步记录列表"))
        self.outbox_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, width in enumerate((90, 80, 70, 70, 360)):
            self.outbox_view.setColumnWidth(column, width)
        self.outbox_view.selectionModel().selectionChanged.connect(self._update_retry)
        layout.addWidget(self.outbox_view, 1)
        row = QHBoxLayout()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.retry_button = QPushButton(self.tr("重试(&T)"))
        self.retry_button.setAccessibleName(self.tr("重试选中的已搁置记录"))
        self.retry_button.clicked.connect(self.retry_selected)
        row.addWidget(self.counts_label, 1)
        row.addWidget(self.retry_button)
        layout.addLayout(row)
        self._update_retry()
        return tab

    # Loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read everything the page shows (login state reads the keyring: off the GUI thread)."""
        root, clock = self.ctx.data.root, self.ctx.clock

        def work() -> dict[str, Any]:
            from officer_app.services import transfers
            from officer_app.services.doc_context import today

            with AppContext.open(root, clock=clock) as wctx:
                return {
                    "login": status.login_state(wctx),
                    "last": status.last_result(wctx.store),
                    "transfers": transfers.list_transfers(wctx),
                    "today": today(wctx).isoformat(),
                }

        self.tasks.run(work, self._loaded, self._load_failed, write=False)

    def _loaded(self, data: dict[str, Any]) -> None:
        login = data["login"]
        self.server, self.logged_in = login["server"], login["logged_in"]
        if self.logged_in:
            self._show_login()
        elif login["problem"]:
            self.login_label.setText(login["problem"])
        else:
            self.login_label.setText(self.tr("尚未登录协作平台。请点“登录”，输入平台地址和令牌。"))
        self.login_button.setText(
            self.tr("重新登录(&L)…") if self.logged_in else self.tr("登录(&L)…")
        )
        if not self.running:
            self._show_last(data["last"])
        current = self._current_transfer()
        self.transfer_model.set_items(data["transfers"], data["today"])
        self._reselect(current["id"] if current else None)
        self._reload_outbox()
        self._update_actions()
        self.sync_button.setEnabled(self.logged_in and not self.running)
        if self.logged_in and self.online is None:
            self.probe()

    def _show_login(self) -> None:
        text = self.tr("已登录：{0}").format(self.server)
        if self.online is True:
            text += self.tr("（在线）")
        elif self.online is False:
            text = f"{text}<span style='color:{OVERDUE}'>{self.tr('（当前离线，联网后自动同步）')}</span>"
        self.login_label.setText(text)

    def _load_failed(self, error: BaseException) -> None:
        self.result_label.setText(_message(error))

    def _reload_outbox(self) -> None:
        self.outbox_model.reload()
        counts = status.outbox_counts(self.ctx.store)
        self.counts_label.setText(
            self.tr("待上传 {0} 条，已搁置 {1} 条，已上传 {2} 条").format(
                counts["pending"], counts["set_aside"], counts["sent"]
            )
        )
        self._update_retry()

    def _show_last(self, last: dict[str, Any] | None) -> None:
        if not last:
            self.result_label.setText(self.tr("尚未同步过。"))
            return
        try:  # stored in UTC; officers read China Standard Time
            when = (
                dt.datetime.fromisoformat(str(last["at"]))
                .astimezone(CST)
                .strftime("%Y-%m-%d %H:%M")
            )
        except (KeyError, ValueError):
            when = ""
        colour = "#1e6b2f" if last.get("ok") else OVERDUE
        self.result_label.setText(
            f"<span style='color:{colour}'>{escape(self.tr('上次同步（{0}）：').format(when))}"
            f"{escape(last.get('text', ''))}</span>"
        )

    # Reachability ---------------------------------------------------------------------------
    def probe(self) -> None:
        """Ask ``/v1/hello`` off the GUI thread; only when logged in, never twice at once."""
        if not self.logged_in or not self.server or self._probing:
            return
        self._probing = True
        server = self.server
        self.tasks.run(lambda: status.probe(server), self._probed, self._probe_failed, write=False)

    def _probed(self, result: tuple[bool, str]) -> None:
        self._probing = False
        online, text = result
        was = self.online
        self.online = online
        if online != was:
            self._show_login()
            self.onlineChanged.emit(online, text if online else self.tr("离线：{0}").format(text))
        if online and was is not True and not self.running:
            self.start_sync()  # the platform just became reachable: send what waited

    def _probe_failed(self, error: BaseException) -> None:
        self._probe_failed_with(_message(error))

    def _probe_failed_with(self, text: str) -> None:
        self._probing = False
        if self.online is not False:
            self.online = False
            self._show_login()
            self.onlineChanged.emit(False, self.tr("离线：{0}").format(text))

    # Login ----------------------------------------------------------------------------------
    def ask_login(self) -> LoginDialog:
        dialog = LoginDialog(self.server or "", self)
        dialog.accepted.connect(lambda: self._login(*dialog.take()))
        dialog.open()
        return dialog

    def _login(self, server: str, token: str) -> None:
        root, clock = self.ctx.data.root, self.ctx.clock

        def work() -> dict[str, Any]:
            from officer_app.services.sync_run import login

            with AppContext.open(root, clock=clock) as wctx:
                return login(wctx, server, token)

        def done(who: dict[str, Any]) -> None:
            self.login_button.setEnabled(True)
            mode = self.tr("（培训平台）") if who["training"] else ""
            self.action_label.setText("")
            self.result_label.setText(
                self.tr("已登录 {0}{1}：{2}（{3}）").format(
                    who["server"], mode, who["officer_name"], who["agency"]
                )
            )
            self.online = None  # probe afresh (and sync) now that we may
            self.refresh()

        def failed(error: BaseException) -> None:
            self.login_button.setEnabled(True)
            self.result_label.setText(
                f"<span style='color:{OVERDUE}'>{escape(self.tr('登录失败：'))}"
                f"{escape(_message(error))}</span>"
            )

        self.login_button.setEnabled(False)
        self.result_label.setText(self.tr("正在登录…"))
        self.tasks.run(work, done, failed)

    # Sync -----------------------------------------------------------------------------------
    def start_sync(self) -> bool:
        if self.running or not self.logged_in:
            return False
        self.running = True
        root, clock = self.ctx.data.root, self.ctx.clock

        def work(job: Job) -> dict[str, Any]:
            from officer_app.services.sync_run import run_sync

            def moved(report: Any) -> None:
                job.report(report.items_done, report.items_total, report.bytes_uploaded / 1e6)

            with AppContext.open(root, clock=clock) as wctx:
                try:
                    report = run_sync(wctx, on_progress=moved, cancel=job.cancel_event).to_json()
                except UserFacingError as exc:
                    status.save_result(
                        wctx.store, {"ok": False, "text": error_text(exc), "at": wctx.now_iso()}
                    )
                    raise
                ok = not report["set_aside"] and not report["deferred"]
                text = status.summarise(report)
                status.save_result(wctx.store, {"ok": ok, "text": text, "at": wctx.now_iso()})
                return {**report, "ok": ok, "text": text}

        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(self.tr("正在连接平台…"))
        self._set_progress_visible(True)
        # Sync writes what it pulls: it queues on the one write executor like every write.
        self._sync_job = self.tasks.start(
            work, self._synced, self._sync_failed, write=True, on_progress=self._show_progress
        )
        return True

    def shutdown(self) -> None:
        """On window close: stop probing and cancel a running sync (the next start resumes it),
        so draining the worker pools does not wait for a long upload."""
        self.probe_timer.stop()
        self.cancel_sync()

    def cancel_sync(self) -> None:
        if self._sync_job is not None:
            self._sync_job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("正在取消…"))

    def _show_progress(self, done: int, total: int, megabytes: float) -> None:
        if not self.running:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, max(total, 1)))
        self.progress_label.setText(
            self.tr("记录 {0}/{1}，已上传 {2:.1f} MB").format(done, total, megabytes)
        )

    def _sync_ended(self) -> None:
        self.running = False
        self._sync_job = None
        self.cancel_button.setEnabled(False)
        self.sync_button.setEnabled(self.logged_in)
        self._set_progress_visible(False)
        self.refresh()
        self.changed.emit()

    def _synced(self, report: dict[str, Any]) -> None:
        if self.online is not True:
            self.online = True
            self._show_login()
            self.onlineChanged.emit(True, self.tr("在线：{0}").format(self.server))
        self._sync_ended()

    def _sync_failed(self, error: BaseException) -> None:
        from officer_app.sync.errors import SyncCancelledError, TransientSyncError

        text = _message(error)
        if isinstance(error, TransientSyncError):
            self._probe_failed_with(text)
        self.result_label.setText(f"<span style='color:{OVERDUE}'>{escape(text)}</span>")
        self._sync_ended()
        if isinstance(error, SyncCancelledError):
            self.result_label.setText(escape(text))

    def _set_progress_visible(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.progress_label.setVisible(visible)

    # Outbox ---------------------------------------------------------------------------------
    def _selected_entries(self) -> list[dict[str, Any]]:
        rows = {i.row() for i in self.outbox_view.selectionModel().selectedRows()}
        return [self.outbox_model.row_dict(r) for r in sorted(rows)]

    def _update_retry(self) -> None:
        aside = [r for r in self._selected_entries() if r.get("state") == "set_aside"]
        self.retry_button.setEnabled(bool(aside))

    def retry_selected(self) -> None:
        ids = [r["id"] for r in self._selected_entries() if r.get("state") == "set_aside"]
        root = self.ctx.data.root

        def work() -> int:
            with AppContext.open(root) as wctx:
                return status.retry(wctx.store, ids)

        def done(count: int) -> None:
            self.action_label.setText(self.tr("{0} 条记录将在下次同步时重新上传。").format(count))
            self._reload_outbox()
            self.start_sync()

        self.tasks.run(work, done, lambda e: self.action_label.setText(_message(e)))

    # Transfers ------------------------------------------------------------------------------
    def _current_transfer(self) -> dict[str, Any] | None:
        index = self.transfer_view.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _reselect(self, tid: str | None) -> None:
        row = self.transfer_model.row_of(tid) if tid else -1
        if row >= 0:
            self.transfer_view.selectRow(row)

    def select_transfer(self, tid: str) -> None:
        self._reselect(tid)

    def _update_actions(self, *_args: object) -> None:
        t = self._current_transfer()
        row = t or {}
        incoming = row.get("direction") == "in"
        joint = row.get("kind") == "joint"
        status = row.get("status") if incoming else None
        self.accept_button.setText(self.tr("同意(&A)") if joint else self.tr("接收(&A)"))
        self.return_button.setText(self.tr("不同意(&R)…") if joint else self.tr("退回(&R)…"))
        self.accept_button.setEnabled(status == "sent")
        self.return_button.setEnabled(status == "sent")
        self.feedback_button.setEnabled(status == "accepted")
        self.letters_label.setText(letters_text(t))

    def _answer(
        self,
        fn: Callable[[AppContext, str], dict[str, Any]],
        done_text: Callable[[dict[str, Any]], str],
    ) -> None:
        t = self._current_transfer()
        if not t:
            return
        root, clock, tid = self.ctx.data.root, self.ctx.clock, t["id"]

        def work() -> dict[str, Any]:
            with AppContext.open(root, clock=clock) as wctx:
                return fn(wctx, tid)

        def done(result: dict[str, Any]) -> None:
            self.action_label.setStyleSheet("")
            self.action_label.setText(done_text(result))
            self.refresh()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self.action_label.setStyleSheet(f"color: {OVERDUE};")
            self.action_label.setText(_message(error))
            self._update_actions()

        for button in (self.accept_button, self.return_button, self.feedback_button):
            button.setEnabled(False)
        self.action_label.setStyleSheet("")
        self.action_label.setText(self.tr("正在办理…"))
        self.tasks.run(work, done, failed)

    def accept_selected(self) -> None:
        from officer_app.services import transfer_letters

        self._answer(
            lambda wctx, tid: transfer_letters.accept(wctx, tid),
            lambda r: self.tr("已签发{0}：{1}（同步后送达对方）").format(
                r["document"]["title"], r["number"]
            ),
        )

    def ask_return(self) -> ReturnDialog | None:
        t = self._current_transfer()
        if not t:
            return None
        dialog = ReturnDialog(t["document_number"], self, joint=t.get("kind") == "joint")
        dialog.accepted.connect(lambda: self._return(dialog.reason(), dialog.basis()))
        dialog.open()
        return dialog

    def _return(self, reason: str, basis: str | None) -> None:
        from officer_app.services import joint, transfer_letters

        def answer(wctx: AppContext, tid: str) -> dict[str, Any]:
            if basis is None:  # a 联合查处: declined
                return joint.decline(wctx, tid, reason=reason)
            return transfer_letters.return_transfer(wctx, tid, reason=reason, basis=basis)

        self._answer(
            answer,
            lambda r: self.tr("已签发{0}：{1}（同步后送达对方）").format(
                r["document"]["title"], r["number"]
            ),
        )

    def ask_feedback(self) -> FeedbackDialog | None:
        t = self._current_transfer()
        if not t:
            return None
        dialog = FeedbackDialog(t["document_number"], self)
        dialog.accepted.connect(lambda: self._feedback(dialog.values()))
        dialog.open()
        return dialog

    def _feedback(self, values: dict[str, Any]) -> None:
        from officer_app.services import transfer_letters

        self._answer(
            lambda wctx, tid: transfer_letters.feedback(wctx, tid, **values),
            lambda r: self.tr("处理结果已反馈：{0}，反馈函文号：{1}（同步后送达对方）").format(
                values["result"], r["number"]
            ),
        )


__all__ = ["IdRole", "SyncPage"]
