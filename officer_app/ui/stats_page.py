"""统计 section: cooperation figures for a quarter or a custom range, their records and charts.

No SQL and no arithmetic here: the figures come from ``services.stats.dashboard`` (the same
computation as the CLI and the bulletin), computed on a read worker with its own store connection,
so a refresh over 100,000 cases never freezes the window. Clicking a figure lists the records behind
it; double-clicking a record emits :attr:`StatsPage.open_record` with ``(kind, id)`` for the main
window to show the patrol, case or document. matplotlib loads only when this page is built.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import stats
from officer_app.services.context import AppContext
from officer_app.ui.error_text import error_text
from officer_app.ui.tasks import TaskRunner

TILES = (
    "patrols",
    "officer_hours",
    "cases",
    "transfers_sent",
    "transfers_received",
    "receipt_on_time",
    "feedback_on_time",
    "open",
    "overdue",
    "mean_receipt_days",
    "mean_feedback_days",
)
KEY_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


def recent_quarters(today: dt.date, n: int = 8) -> list[str]:
    y, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(n):
        out.append(f"{y}Q{q}")
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
    return out


class StatsPage(QWidget):
    """The dashboard; ``refreshed`` fires after every completed computation, once the figures
    (``figures_shown``) and then the chart on view are on screen (tests wait on it)."""

    open_record = Signal(str, str)  # kind (patrol / case / transfer), id
    figures_shown = Signal()
    refreshed = Signal()
    bulletin_made = Signal(str, str)  # path, number ("" for a draft); ("", "") when it failed

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, tasks: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks or TaskRunner(self)
        self.board: stats.Dashboard | None = None
        self._busy = False
        self._stale_charts: set[str] = set()  # chart tabs not yet drawn from ``board``
        self._build()

    # Layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        bar = QHBoxLayout()
        self.period_combo = QComboBox()
        today = self.ctx.clock().astimezone(stats.CST).date()
        for q in recent_quarters(today):
            self.period_combo.addItem(stats.parse_quarter(q).text, q)
        self.period_combo.addItem(self.tr("自定义时段"), "custom")
        self.period_combo.setAccessibleName(self.tr("统计时段"))
        self.start_edit = QDateEdit(QDate(today.year, 1, 1))
        self.end_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.start_edit.setAccessibleName(self.tr("起始日期"))
        self.end_edit.setAccessibleName(self.tr("截止日期"))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.bulletin_button = QPushButton(self.tr("生成通报(&G)…"))
        self.bulletin_button.setToolTip(self.tr("按当前统计数字生成专项通报（PDF）及其表格"))
        self.bulletin_button.setEnabled(False)
        self.bulletin_button.clicked.connect(lambda: self.make_bulletin())
        self.open_bulletin_button = QPushButton(self.tr("打开通报(&O)"))
        self.open_bulletin_button.setVisible(False)
        self.open_bulletin_button.clicked.connect(self._open_bulletin)
        self._bulletin_path: Path | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)  # a long agency name wraps instead of widening the window
        bar.addWidget(QLabel(self.tr("统计时段：")))
        bar.addWidget(self.period_combo)
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel(self.tr("至")))
        bar.addWidget(self.end_edit)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.open_bulletin_button)
        bar.addWidget(self.bulletin_button)

        tiles = QGridLayout()
        self.tiles: dict[str, QToolButton] = {}
        for i, key in enumerate(TILES):
            button = QToolButton()
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumSize(150, 58)
            button.setCheckable(True)
            button.setAutoExclusive(False)
            button.setAccessibleName(self.tr("统计数字"))  # the figure's own label once computed
            button.clicked.connect(lambda _=False, k=key: self.drill(k))
            tiles.addWidget(button, i // 6, i % 6)
            self.tiles[key] = button

        self.breakdown = QTableWidget(0, 3)
        self.breakdown.setAccessibleName(self.tr("分组统计"))
        self.breakdown.setHorizontalHeaderLabels(
            [self.tr("分组"), self.tr("项目"), self.tr("数量")]
        )
        self.breakdown.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.breakdown.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.breakdown.verticalHeader().setVisible(False)
        self.breakdown.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.breakdown.itemClicked.connect(self._drill_row)

        self.records_title = QLabel(self.tr("单击上方数字查看对应记录；双击记录打开。"))
        self.records = QTableWidget(0, 4)
        self.records.setAccessibleName(self.tr("对应记录"))
        self.records.setHorizontalHeaderLabels(
            [self.tr("类别"), self.tr("日期"), self.tr("摘要"), self.tr("状态")]
        )
        self.records.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.records.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records.verticalHeader().setVisible(False)
        self.records.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.records.itemDoubleClicked.connect(self._open)

        self.charts = QTabWidget()
        self.canvases: dict[str, Any] = {}
        for key, title in (
            ("months", self.tr("按月")),
            ("types", self.tr("违法类型")),
            ("map", self.tr("辖区分布")),
        ):
            canvas = FigureCanvasQTAgg(Figure(figsize=(5, 3), dpi=90))
            canvas.setMinimumHeight(220)
            self.canvases[key] = canvas
            self.charts.addTab(canvas, title)
        self.charts.currentChanged.connect(self._draw_current_chart)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.breakdown, 1)
        lv.addWidget(self.records_title)
        lv.addWidget(self.records, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.charts)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)

        root = QVBoxLayout(self)
        root.addLayout(bar)
        root.addLayout(tiles)
        root.addWidget(split, 1)

        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.refresh_button.clicked.connect(self.refresh)

    # Computing -----------------------------------------------------------------------------------
    def period(self) -> stats.Period:
        data = self.period_combo.currentData()
        if data == "custom":
            s, e = self.start_edit.date(), self.end_edit.date()
            return stats.Period(
                dt.date(s.year(), s.month(), s.day()), dt.date(e.year(), e.month(), e.day())
            )
        return stats.parse_quarter(str(data))

    def _period_changed(self) -> None:
        custom = self.period_combo.currentData() == "custom"
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        if not custom:
            self.refresh()

    def refresh(self) -> None:
        """Recompute on a read worker (its own connection); the result comes back queued."""
        try:
            period = self.period()
        except ValueError:
            self.status.setText(self.tr("结束日期早于开始日期。"))
            return
        root, clock = self.ctx.data.root, self.ctx.clock

        def work() -> stats.Dashboard:
            with AppContext.open(root, clock=clock) as ctx:
                return stats.dashboard(ctx, period)

        self._busy = True
        self.bulletin_button.setEnabled(False)  # until the figures of the new period are in
        self.status.setText(self.tr("正在统计…"))
        self.status.setToolTip("")
        self.tasks.run(work, self._show, self._failed, write=False)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        message = error_text(exc) if isinstance(exc, UserFacingError) else str(exc)
        self.status.setText(self.tr("统计失败：{0}").format(message))
        self.refreshed.emit()

    def _show(self, board: stats.Dashboard) -> None:
        self._busy = False
        self.board = board
        self.status.setText(
            self.tr("{0}，{1}，截至{2}；按本机记录统计，演示培训数据不计入").format(
                board.scope_name,
                board.period.text,
                f"{board.as_of.astimezone(stats.CST):%Y-%m-%d %H:%M}",
            )
        )
        for key, button in self.tiles.items():
            f = board.figures[key]
            button.setText(f"{f.label}\n{f.display}")
            button.setAccessibleName(f"{f.label} {f.display}")
            button.setChecked(False)
        self.breakdown.setRowCount(0)
        groups = (
            (self.tr("巡查类型"), board.patrols_by_type),
            (self.tr("违法类型"), board.cases_by_type),
            (self.tr("辖区"), board.cases_by_jurisdiction),
        )
        for group, figures in groups:
            for f in figures:
                row = self.breakdown.rowCount()
                self.breakdown.insertRow(row)
                first = QTableWidgetItem(group)
                first.setData(KEY_ROLE, f.key)
                self.breakdown.setItem(row, 0, first)
                self.breakdown.setItem(row, 1, QTableWidgetItem(f.label))
                self.breakdown.setItem(row, 2, QTableWidgetItem(str(f.value)))
        self.records.setRowCount(0)
        self._stale_charts = set(self.canvases)
        self.bulletin_button.setEnabled(True)
        # The figures are painted now; then the chart on view (matplotlib takes ~60 ms to lay
        # out and render one), the others when their tab is opened, from the same board.  Without
        # repaint() the chart would be drawn first: Qt paints on an update timer that a 0 ms
        # timer beats, so the officer would see nothing new until the chart was done.  The tables
        # lay out their rows on a timer too, so they are laid out first.
        for table in (self.breakdown, self.records):
            table.doItemsLayout()
        self.repaint()
        self.figures_shown.emit()
        QTimer.singleShot(0, self, self._finish_refresh)  # not called once the page is gone

    def _finish_refresh(self) -> None:
        self._draw_current_chart()
        self.refreshed.emit()

    def _draw_current_chart(self) -> None:
        from officer_app.services import charts

        current = self.charts.currentWidget()
        key = next((k for k, c in self.canvases.items() if c is current), None)
        if self.board is None or key not in self._stale_charts:
            return
        self._stale_charts.discard(key)
        draw = {"months": charts.draw_months, "types": charts.draw_types, "map": charts.draw_map}
        draw[key](self.canvases[key].figure, self.board)
        self.canvases[key].draw()  # now, not draw_idle: this already runs after the figures

    # Bulletin ------------------------------------------------------------------------------------
    def make_bulletin(
        self,
        out: Path | None = None,
        *,
        draft: bool = True,
        csv_path: Path | None = None,
        xlsx_path: Path | None = None,
    ) -> bool:
        """The bulletin of exactly the figures on screen; asks where (and whether to number it)
        unless ``out`` is given. Runs on the write worker: issuing takes a document number."""
        from officer_app.services import bulletin

        board = self.board
        if board is None:
            return False
        if out is None:
            from officer_app.ui.bulletin_dialog import BulletinDialog, default_folder

            folder = self._bulletin_path.parent if self._bulletin_path else default_folder()
            dialog = BulletinDialog(board.scope_name, board.period.text, folder, self)
            if dialog.exec() != BulletinDialog.DialogCode.Accepted:
                return False
            out, draft = dialog.pdf_path(), dialog.draft
            csv_path, xlsx_path = dialog.csv_path(), dialog.xlsx_path()
        root, clock, target = self.ctx.data.root, self.ctx.clock, out

        def work() -> dict[str, Any]:
            with AppContext.open(root, clock=clock) as ctx:
                return bulletin.issue_local_bulletin(
                    ctx, board, target, csv_path=csv_path, xlsx_path=xlsx_path, draft=draft
                )

        def ready() -> None:  # a refresh started meanwhile keeps it off until its figures
            self.bulletin_button.setEnabled(self.board is not None and not self._busy)

        def done(result: dict[str, Any]) -> None:
            ready()
            self._bulletin_path = target
            self.open_bulletin_button.setVisible(True)
            number = result["number"] or self.tr("草稿")
            self.status.setText(
                self.tr("已生成通报（{0}，{1}页）：{2}").format(
                    number, result["pages"], target.name
                )
            )
            self.status.setToolTip(str(target))
            self.bulletin_made.emit(str(target), result["number"] or "")

        def failed(exc: BaseException) -> None:
            from officer_app.ui.messages import show_error

            ready()
            self.status.setText(self.tr("通报未生成。"))
            self.bulletin_made.emit("", "")
            show_error(self, self.tr("生成通报"), exc)

        self.bulletin_button.setEnabled(False)
        self.status.setText(self.tr("正在生成通报…"))
        self.tasks.run(work, done, failed, write=True)
        return True

    def _open_bulletin(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self._bulletin_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._bulletin_path)))

    # Drill-down ----------------------------------------------------------------------------------
    def _drill_row(self, item: QTableWidgetItem) -> None:
        first = self.breakdown.item(item.row(), 0)
        if first is not None:
            self.drill(first.data(KEY_ROLE))

    def drill(self, key: str) -> None:
        """List the records behind figure ``key`` (also breakdown keys like ``cases_by_type:…``)."""
        if self.board is None:
            return
        board = self.board
        f = board.figure(key)
        for k, button in self.tiles.items():
            button.setChecked(k == key)
        self.records_title.setText(
            self.tr("{0}：{1}（{2}条记录）").format(f.label, f.display, len(f.ids))
        )
        self.records.setRowCount(0)
        self.records.setUpdatesEnabled(False)
        for rid in f.ids[:5000]:
            cells = self._describe(board, f.kind, rid)
            row = self.records.rowCount()
            self.records.insertRow(row)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(RECORD_ROLE, (f.kind, rid))
                self.records.setItem(row, col, item)
        self.records.setUpdatesEnabled(True)

    def _describe(self, board: stats.Dashboard, kind: str, rid: str) -> list[str]:
        if kind == "patrol":
            p = board.patrols[rid]
            day = stats.cst_date(p.actual_start) if p.actual_start else None
            return [self.tr("巡查"), str(day or ""), f"{p.type} {p.title}", p.status]
        if kind == "case":
            c = board.cases[rid]
            day = stats.cst_date(c.taken_at) if c.taken_at else None
            text = f"{board.violation_name(c.violation_code)}（{board.division_name(c.jurisdiction_code)}）"
            return [self.tr("案件"), str(day or ""), text, c.status]
        t = board.transfers[rid]
        st = board.transfer_states[rid]
        state = {
            stats.OPEN_RECEIPT: self.tr("待签收"),
            stats.OPEN_FEEDBACK: self.tr("待反馈"),
        }.get(st.open_state or "", self.tr("已办结"))
        if st.overdue:
            state += self.tr("（逾期）")
        route = f"{board.division_name(t.from_agency)}→{board.division_name(t.to_agency)}"
        return [
            self.tr("移送"),
            str(stats.cst_date(t.sent_at)),
            f"{t.document_number} {route}",
            state,
        ]

    def _open(self, item: QTableWidgetItem) -> None:
        first = self.records.item(item.row(), 0)
        if first is None:
            return
        kind, rid = first.data(RECORD_ROLE)
        self.open_record.emit(kind, rid)
