"""The 未能接收 tab of the 同步 page: items pulled from the platform that could not be taken in.

Why a tab: such an item no longer stops the sync (it is set aside and the pull goes on), so the
officer must be shown that something addressed to the agency did not arrive, and why (a file
missing on the platform, a corrupt file, malformed content), and be able to try again once the
platform has what was missing (重新接收). A module of its own keeps ``sync_page.py`` from growing;
the page only calls :func:`install`. Reading and retrying run on the page's worker pools, like
everything else there, so the GUI thread never touches the network.
"""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services.context import AppContext
from officer_app.services.doc_context import CST
from officer_app.ui import error_text as error_table
from officer_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
WARNING = "#b3261e"


def error_text(error: BaseException) -> str:
    """What the 同步 page says about a failed task (the detail goes to the log)."""
    if isinstance(error, UserFacingError):
        log.warning("sync page: %s", error.detail)
        return error_table.error_text(error)
    log.error("sync page: unexpected error", exc_info=error)
    return error_table.internal_error_text(error)


def local_time(stamp: str) -> str:
    """UTC ISO time as China Standard Time minutes (what the officer's watch says)."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone(CST).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


class HeldPanel(QWidget):
    """The list (kind, document number, reason, attempts, last try) and 重新接收."""

    countChanged = Signal(int)  # how many items are held (the tab title shows it)
    retried = Signal()  # a retry took items in: the page reloads its transfers

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.items: list[dict[str, Any]] = []
        self.busy = False
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr(
                "以下来自协作平台的项目未能接收，其余项目已正常接收。"
                "平台补齐所缺文件后，可点“重新接收”。"
            )
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(self.tr("未能接收的项目列表"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("类型"),
                self.tr("文号"),
                self.tr("原因"),
                self.tr("尝试次数"),
                self.tr("最近尝试"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 90), (1, 200), (3, 70), (4, 130)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setObjectName("heldStatusLabel")
        self.status_label.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("重新接收(&E)"))
        self.retry_button.setAccessibleName(self.tr("重新接收未能接收的项目"))
        self.retry_button.clicked.connect(self.retry)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.retry_button)
        layout.addLayout(row)
        self._update_button()

    # Loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        root = self.ctx.data.root

        def work() -> list[dict[str, Any]]:
            from officer_app.services import sync_inbox as inbox

            with AppContext.open(root) as wctx:
                return inbox.held_items(wctx.store)

        self.tasks.run(work, self.show_items, self._failed, write=False)

    def show_items(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            cells = (
                self._kind(item["kind"]),
                item["document_number"] or "—",
                item["reason"],
                str(item["attempts"]),
                local_time(str(item["tried_at"])),
            )
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == 2:
                    cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        self._update_button()
        self.countChanged.emit(len(items))

    def _kind(self, kind: str) -> str:
        names = {
            "transfer": self.tr("案件移送"),
            "transfer_status": self.tr("移送办理结果"),
            "patrol": self.tr("联合巡查"),
        }
        return names.get(kind, kind)

    def title(self, count: int) -> str:
        return self.tr("未能接收（{0}）").format(count) if count else self.tr("未能接收")

    def _update_button(self) -> None:
        self.retry_button.setEnabled(bool(self.items) and not self.busy)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._update_button()
        text = escape(error_text(error))
        self.status_label.setText(f"<span style='color:{WARNING}'>{text}</span>")

    # Retrying -------------------------------------------------------------------------------
    def retry(self) -> None:
        """Try every held item again (needs the platform; runs off the GUI thread)."""
        if self.busy or not self.items:
            return
        root, clock = self.ctx.data.root, self.ctx.clock

        def work() -> dict[str, Any]:
            from officer_app.services import sync_inbox as inbox
            from officer_app.services.sync_run import retry_held

            with AppContext.open(root, clock=clock) as wctx:
                result = retry_held(wctx)
                result["held"] = inbox.held_items(wctx.store)
                return result

        def done(result: dict[str, Any]) -> None:
            self.busy = False
            self.status_label.setText(
                self.tr("已接收 {0} 项，仍未能接收 {1} 项。").format(
                    len(result["received"]), len(result["still_held"])
                )
            )
            self.show_items(result["held"])
            if result["received"]:
                self.retried.emit()

        self.busy = True
        self._update_button()
        self.status_label.setText(self.tr("正在重新接收…"))
        self.tasks.run(work, done, self._failed)  # takes items in: a write, on the one writer


def install(page: Any) -> HeldPanel:
    """Add the tab to ``page`` (a SyncPage): refreshed with the page, its title counts items."""
    tabs: QTabWidget = page.tabs
    panel = HeldPanel(page.ctx, page.tasks, page)
    index = tabs.addTab(panel, panel.title(0))
    panel.countChanged.connect(lambda count: tabs.setTabText(index, panel.title(count)))
    panel.retried.connect(page.refresh)
    page.changed.connect(panel.refresh)
    panel.refresh()
    return panel
