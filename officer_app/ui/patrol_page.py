"""巡查 section: the patrol list with filters and sorting, a detail pane, and the patrol actions.

No SQL here: the list's model and the detail pane ask ``services.patrol_query`` and
``services.patrols``; refusals (illegal status step, stale version) are shown inline in the pane
rather than in a modal box, so the officer keeps the context.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.patrol import (
    CLOSED,
    FIELD_NAMES,
    IN_PROGRESS,
    PATROL_TYPES,
    PLANNED,
    STATUS_NAMES,
)
from officer_app.domain.times import to_utc_iso
from officer_app.errors import UserFacingError
from officer_app.services import evidence_query, patrol_query, settings
from officer_app.services.agencies import list_agencies
from officer_app.services.context import AppContext
from officer_app.ui import list_page
from officer_app.ui.error_text import error_text
from officer_app.ui.patrol_model import IdRole, PatrolTableModel, short_time
from officer_app.ui.qt_dates import py_date
from officer_app.ui.tasks import Job, refusal_or_bug, tasks_of

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the map, the photo strip and the editors load when first used, off the
    # start-up path
    from officer_app.ui.evidence_model import EvidenceModel
    from officer_app.ui.map_widget import MapWidget
    from officer_app.ui.patrol_editor import AmendDialog, PatrolEditorDialog

CST = dt.timezone(dt.timedelta(hours=8))
NO_PATROL = "\x00"  # an evidence filter that matches nothing while no patrol is selected


class PatrolPage(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: dict[str, Any] | None = None
        self._counting: Job | None = None  # a count running off the GUI thread
        self.model = PatrolTableModel(ctx, self)
        self.summary = list_page.lay_out(
            self,
            self._filter_bar(),
            self._table(),
            self._detail_pane(),
            summary_name="patrolSummary",
        )
        self._text_timer = list_page.text_filter_timer(self, self.text_edit, self.apply_filter)
        self._update_summary()
        self.show_patrol(None)

    # Building -------------------------------------------------------------------------------
    def _filter_bar(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        top = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建巡查(&N)…"))
        self.new_button.setObjectName("newPatrolButton")
        self.new_button.setAccessibleName(self.tr("新建联合巡查"))
        self.new_button.clicked.connect(self.new_patrol)
        top.addWidget(self.new_button)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("patrolText")
        self.text_edit.setAccessibleName(self.tr("按文字筛选巡查"))
        self.text_edit.setPlaceholderText(self.tr("搜索标题、区域、路线、发现问题、备注"))
        list_page.clear_button_once_typed(self.text_edit)
        top.addWidget(self.text_edit, 1)
        self.use_dates = QCheckBox(self.tr("按日期(&D)"))
        self.use_dates.setAccessibleName(self.tr("按开始日期筛选"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-3))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit, name in ((self.date_from, "开始日期自"), (self.date_to, "开始日期至")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(self.tr(name))
        top.addWidget(self.use_dates)
        top.addWidget(self.date_from)
        top.addWidget(QLabel(self.tr("至")))
        top.addWidget(self.date_to)
        rows.addLayout(top)
        bottom = QHBoxLayout()
        self.cluster_combo = self._combo(
            "clusterFilter",
            "按协作片区筛选",
            "全部片区",
            [(c, c) for c in patrol_query.clusters(self.ctx)],
        )
        self.type_combo = self._combo(
            "typeFilter", "按巡查类型筛选", "全部类型", [(self.tr(t), t) for t in PATROL_TYPES]
        )
        self.agency_combo = self._combo(
            "agencyFilter",
            "按参加单位筛选",
            "全部单位",
            [(f"{a.name}（{a.code}）", a.code) for a in list_agencies(self.ctx.store)],
        )
        self.status_combo = self._combo(
            "statusFilter",
            "按状态筛选",
            "全部状态",
            [(self.tr(STATUS_NAMES[s]), s) for s in (PLANNED, IN_PROGRESS, CLOSED)],
        )
        for widget in (self.cluster_combo, self.type_combo, self.agency_combo, self.status_combo):
            list_page.fit_combo(widget)
            bottom.addWidget(widget)
            widget.currentIndexChanged.connect(self.apply_filter)
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.clear_button.setAccessibleName(self.tr("清除全部筛选条件"))
        self.clear_button.clicked.connect(self.clear_filters)
        bottom.addWidget(self.clear_button)
        bottom.addStretch(1)
        rows.addLayout(bottom)
        self.use_dates.toggled.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        return rows

    def _combo(
        self, name: str, accessible: str, everything: str, items: list[tuple[str, str]]
    ) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(self.tr(accessible))
        combo.addItem(self.tr(everything), None)
        for label, value in items:
            combo.addItem(label, value)
        return combo

    def _table(self) -> QTableView:
        self.view = list_page.record_table(
            self.model, "patrolTable", self.tr("联合巡查列表"), (120, 120, 110, 60, 60, 220, 44, 44)
        )
        header = self.view.horizontalHeader()
        self.view.setSortingEnabled(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.doubleClicked.connect(lambda _index: self.edit_patrol())
        return self.view

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("编辑(&E)…"))
        self.edit_button.setAccessibleName(self.tr("编辑巡查"))
        self.edit_button.clicked.connect(self.edit_patrol)
        self.start_button = QPushButton(self.tr("开始巡查(&S)"))
        self.start_button.setObjectName("startButton")
        self.start_button.setAccessibleName(self.tr("开始巡查"))
        self.start_button.clicked.connect(self.start_current)
        self.close_button = QPushButton(self.tr("结束巡查(&C)"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAccessibleName(self.tr("结束巡查"))
        self.close_button.clicked.connect(self.close_current)
        self.amend_button = QPushButton(self.tr("更正(&M)…"))
        self.amend_button.setObjectName("amendButton")
        self.amend_button.setAccessibleName(self.tr("更正已结束的巡查"))
        self.amend_button.clicked.connect(self.amend_current)
        for button in (self.edit_button, self.start_button, self.close_button, self.amend_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setObjectName("patrolMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.detail = QTextBrowser()
        self.detail.setObjectName("patrolDetail")
        self.detail.setAccessibleName(self.tr("巡查详情"))
        self.detail.setMinimumWidth(320)
        # The map is built when its tab is first opened: the first screen does not show it.
        self.map: MapWidget | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("patrolDetailTabs")
        self.tabs.addTab(self.detail, self.tr("详情"))
        self.tabs.addTab(QWidget(), self.tr("轨迹地图"))
        self.tabs.setTabToolTip(1, self.tr("巡查轨迹、现场照片和案件的位置"))
        self.tabs.currentChanged.connect(lambda index: self.ensure_map() if index == 1 else None)
        layout.addWidget(self.tabs, 3)
        self._photo_ids: list[str] = []
        self.photos_label = QLabel(self.tr("现场照片"))
        layout.addWidget(self.photos_label)
        # The strip's model (thumbnails, the evidence store) is made for the first patrol shown:
        # the first screen has none selected, so its strip is empty.
        self.photos: EvidenceModel | None = None
        self.photo_view = QListView()
        self.photo_view.setObjectName("patrolPhotos")
        self.photo_view.setAccessibleName(self.tr("本次巡查的现场照片"))
        self.photo_view.setViewMode(QListView.ViewMode.IconMode)
        self.photo_view.setIconSize(QSize(96, 72))
        list_page.fit_icon_grid(self.photo_view, QSize(96, 72))
        self.photo_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_view.setUniformItemSizes(True)
        self.photo_view.setMovement(QListView.Movement.Static)
        self.photo_view.setMinimumHeight(110)
        layout.addWidget(self.photo_view, 1)
        return pane

    def _photo_model(self) -> EvidenceModel:
        if self.photos is None:
            from officer_app.ui.evidence_model import EvidenceModel

            self.photos = EvidenceModel(self.ctx, self)
            self.photo_view.setModel(self.photos)
            self.photo_view.selectionModel().currentChanged.connect(
                lambda current, _previous: (
                    self.map.select_photo(
                        self._photo_ids[current.row()] if current.isValid() else None
                    )
                    if self.map is not None
                    else None
                )
            )
        return self.photos

    # Filtering ------------------------------------------------------------------------------
    def current_filter(self) -> patrol_query.PatrolFilter:
        date_from = date_to = None
        if self.use_dates.isChecked():
            start = dt.datetime.combine(py_date(self.date_from.date()), dt.time(), CST)
            end = dt.datetime.combine(py_date(self.date_to.date()), dt.time(), CST)
            date_from, date_to = to_utc_iso(start), to_utc_iso(end + dt.timedelta(days=1))
        return patrol_query.PatrolFilter(
            date_from=date_from,
            date_to=date_to,
            cluster=self.cluster_combo.currentData(),
            patrol_type=self.type_combo.currentData(),
            agency=self.agency_combo.currentData(),
            status=self.status_combo.currentData(),
            text=self.text_edit.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self._text_timer.stop()
        selected = self.current["id"] if self.current else None
        self.model.set_filter(self.current_filter())
        self._reselect(selected)
        self._update_summary()

    def clear_filters(self) -> None:
        widgets = (
            self.cluster_combo,
            self.type_combo,
            self.agency_combo,
            self.status_combo,
            self.use_dates,
            self.text_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        for combo in widgets[:4]:
            combo.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.text_edit.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filter()

    def refresh(self) -> None:
        selected = self.current["id"] if self.current else None
        self.model.reload()
        self._reselect(selected)
        self._update_summary()

    def _reselect(self, patrol_id: str | None) -> None:
        row = self.model.row_of(patrol_id) if patrol_id else -1
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
            self.show_patrol(patrol_id)
        else:
            self.show_patrol(None)

    def _update_summary(self) -> None:
        """How many match. A count that means testing a common term on each row of a broad
        filter (0.4 s at a million patrols) is made on a worker thread while the list already
        shows its first rows; a newer filter cancels it."""
        if self._counting is not None:
            self._counting.cancel()
            self._counting = None
        total = self.model.quick_total()
        if total is not None:
            self._show_total(total)
            return
        self.summary.setText(self.tr("正在统计符合条件的联合巡查…"))
        flt, root, clock = self.model.filter, self.ctx.data.root, self.ctx.clock

        def work(job: Job) -> int | None:
            with AppContext.open(root, clock=clock) as worker_ctx:
                return patrol_query.count_unless_cancelled(worker_ctx, flt, job.cancelled)

        def done(total: int | None) -> None:
            if total is not None and flt == self.model.filter:
                self._counting = None
                self._show_total(total)

        def failed(error: BaseException) -> None:
            if flt != self.model.filter:
                return
            self._counting = None
            log.warning("counting patrols failed: %s", error, exc_info=error)
            text = error_text(error) if isinstance(error, UserFacingError) else str(error)
            self.summary.setText(self.tr("无法统计符合条件的联合巡查：{0}").format(text))

        self._counting = tasks_of(self).start(work, done, failed, write=False)

    def _show_total(self, total: int) -> None:
        self.summary.setText(self.tr("显示 {0} 次联合巡查").format(total))

    # Detail ---------------------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.message.clear()
        self.show_patrol(current.data(IdRole) if current.isValid() else None)

    def show_patrol(self, patrol_id: str | None) -> None:
        if patrol_id:
            from officer_app.services import patrols  # the ledger and outbox: not at start-up

            self.current = patrols.get_patrol(self.ctx, patrol_id)
        else:
            self.current = None
        status = self.current["status"] if self.current else None
        self.edit_button.setEnabled(status in (PLANNED, IN_PROGRESS))
        self.start_button.setEnabled(status == PLANNED)
        self.close_button.setEnabled(status == IN_PROGRESS)
        self.amend_button.setEnabled(status == CLOSED)
        if patrol_id or self.photos is not None:
            self._photo_model().set_filter(
                evidence_query.EvidenceFilter(patrol_id=patrol_id or NO_PATROL)
            )
        self._show_map(self.current["id"] if self.current else None)
        if self.current is None:
            self.detail.setPlainText(self.tr("在左侧列表中选择一次巡查查看详情。"))
            self.photos_label.setText(self.tr("现场照片"))
            return
        self.detail.setHtml(self._detail_html(self.current))
        photos = self._photo_model().rowCount()
        self.photos_label.setText(self.tr("现场照片（{0} 张）").format(photos))

    def ensure_map(self) -> MapWidget:
        """The track map, built (and filled with the current patrol) the first time it is asked for."""
        if self.map is None:
            from officer_app.ui.map_widget import MapWidget

            self.map = MapWidget()
            self.map.setObjectName("patrolMap")
            self.map.setAccessibleName(self.tr("巡查轨迹地图"))
            self.map.set_mbtiles(settings.get(self.ctx.store, settings.MBTILES_PATH))
            self.map.photoActivated.connect(self.select_photo)
            current = self.tabs.currentIndex()
            placeholder = self.tabs.widget(1)
            self.tabs.removeTab(1)
            if placeholder is not None:
                placeholder.deleteLater()
            self.tabs.insertTab(1, self.map, self.tr("轨迹地图"))
            self.tabs.setTabToolTip(1, self.tr("巡查轨迹、现场照片和案件的位置"))
            self.tabs.setCurrentIndex(current)
            self._show_map(self.current["id"] if self.current else None)
        return self.map

    def _show_map(self, patrol_id: str | None) -> None:
        """The patrol's track, photos and cases on the map tab (once the tab was opened)."""
        if patrol_id is None:
            self._photo_ids = []
            if self.map is not None:
                self.map.set_content([], [], None)
            return
        self._photo_ids = patrol_query.patrol_evidence_ids(self.ctx, patrol_id)
        if self.map is None:
            return
        from officer_app.services import map_data

        self.map.set_content(
            map_data.evidence_markers(self.ctx, self._photo_ids),
            map_data.case_markers(self.ctx, patrol_id=patrol_id),
            map_data.patrol_track(self.ctx, patrol_id),
        )

    def select_photo(self, evidence_id: str) -> None:
        """Select a photo in the strip below (the map's markers call this)."""
        if evidence_id in self._photo_ids:
            index = self._photo_model().index(self._photo_ids.index(evidence_id))
            self.photo_view.setCurrentIndex(index)
            self.photo_view.scrollTo(index)

    def _detail_html(self, p: dict[str, Any]) -> str:
        from html import escape  # html.entities is a large table: not before the first paint

        def row(label: str, value: str) -> str:
            return f"<tr><td valign=top><b>{escape(label)}</b></td><td>{value}</td></tr>"

        title = p["title"] or f"{p['type']} {short_time(p['start'])}"
        status = self.tr(STATUS_NAMES.get(p["status"], p["status"]))
        parts = [f"<h3>{escape(title)}</h3>"]
        if p["status"] == CLOSED:
            parts.append(
                f"<p style='color:#555'>{escape(self.tr('已结束：记录只读，更改须提交更正。'))}</p>"
            )
        if p["warnings"]:
            parts.append(
                "<p style='color:#8a5300'>"
                + "<br>".join("⚠ " + escape(w) for w in p["warnings"])
                + "</p>"
            )
        officers_by_agency: dict[str, list[str]] = {}
        for o in p["officers"]:
            badge = o["badge"] or self.tr("无执法证号")
            officers_by_agency.setdefault(o["agency_code"], []).append(f"{o['name']}（{badge}）")
        agencies = "<br>".join(
            f"{escape(a['name'] or a['code'])}{escape(self.tr('（牵头）') if a['lead'] else '')}："
            + escape("、".join(officers_by_agency.get(a["code"], [])) or self.tr("未填人员"))
            for a in p["agencies"]
        )
        planned = f"{short_time(p['planned_start'])} — {short_time(p['planned_end'])}"
        actual = (
            f"{short_time(p['actual_start'])} — {short_time(p['actual_end']) or self.tr('进行中')}"
            if p["actual_start"]
            else self.tr("未开始")
        )
        track = patrol_query.track_summary(self.ctx, p["id"])
        if track["tracks"]:
            track_text = self.tr("{0} 条轨迹，{1} 个点，{2} — {3}（UTC）").format(
                track["tracks"],
                track["points"],
                short_time(track["start_utc"]),
                short_time(track["end_utc"]),
            )
        else:
            track_text = self.tr("无（可在证据页导入GPX轨迹）")
        cases = patrol_query.patrol_cases(self.ctx, p["id"])
        case_text = "<br>".join(
            escape(f"{c['violation_name'] or c['violation_code']} · {c['place']} · {c['id'][:8]}")
            for c in cases
        ) or escape(self.tr("无"))
        parts += [
            "<table cellspacing=4>",
            row(self.tr("状态"), escape(status)),
            row(self.tr("类型"), escape(self.tr(p["type"]))),
            row(self.tr("协作片区"), escape(p["cluster"] or self.tr("无"))),
            row(self.tr("计划时间"), escape(planned)),
            row(self.tr("实际时间"), escape(actual)),
            row(self.tr("参加单位及人员"), agencies),
            row(self.tr("巡查区域"), escape(p["area"] or self.tr("未填"))),
            row(self.tr("巡查路线"), escape(p["route"] or self.tr("未填"))),
            row(self.tr("GPS轨迹"), escape(track_text)),
            row(self.tr("发现问题"), escape(p["findings"] or self.tr("无"))),
            row(self.tr("关联案件"), case_text),
            row(self.tr("备注"), escape(p["notes"] or "")),
            row(self.tr("版本"), str(p["version"])),
            "</table>",
        ]
        if p["amendments"]:
            parts.append(f"<h4>{escape(self.tr('更正记录'))}</h4><ul>")
            for m in p["amendments"]:
                parts.append(
                    "<li>"
                    + escape(
                        self.tr("{0} {1} 更正“{2}”：{3} → {4}。理由：{5}").format(
                            short_time(m["at"]),
                            m["officer_name"],
                            self.tr(FIELD_NAMES.get(m["field"], m["field"])),
                            m["old_value"] or "—",
                            m["new_value"] or "—",
                            m["reason"],
                        )
                    )
                    + "</li>"
                )
            parts.append("</ul>")
        if p["training"]:
            parts.append(f"<p><i>{escape(self.tr('演示（培训）数据'))}</i></p>")
        return "".join(parts)

    # Actions --------------------------------------------------------------------------------
    def new_patrol(self) -> PatrolEditorDialog:
        from officer_app.ui.patrol_editor import PatrolEditorDialog

        dialog = PatrolEditorDialog(self.ctx, None, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def edit_patrol(self) -> PatrolEditorDialog | None:
        if self.current is None or self.current["status"] == CLOSED:
            if self.current is not None:
                self._say(self.tr("巡查已结束，记录只读；如需更正，请点击“更正”。"), error=True)
            return None
        from officer_app.ui.patrol_editor import PatrolEditorDialog

        dialog = PatrolEditorDialog(self.ctx, self.current, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def amend_current(self) -> AmendDialog | None:
        if self.current is None:
            return None
        from officer_app.ui.patrol_editor import AmendDialog

        dialog = AmendDialog(self.ctx, self.current, self)
        dialog.amended.connect(self._saved)
        dialog.open()
        return dialog

    def start_current(self) -> None:
        from officer_app.services import patrols

        self._step(patrols.start_patrol, self.tr("巡查已开始。"))

    def close_current(self) -> None:
        from officer_app.services import patrols

        self._step(patrols.close_patrol, self.tr("巡查已结束，记录转为只读。"))

    def _step(self, action: Any, done: str) -> None:
        if self.current is None:
            return
        patrol_id, version = self.current["id"], self.current["version"]

        def refused(exc: UserFacingError) -> None:
            self._say(error_text(exc), error=True)
            self.show_patrol(patrol_id)  # what is there now

        def stepped(_result: Any) -> None:
            self._after_change(patrol_id)
            self._say(done, error=False)  # warnings stay in the detail pane, in amber

        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: action(worker_ctx, patrol_id, expected_version=version),
            stepped,
            refusal_or_bug(refused, self),
        )

    def _saved(self, patrol_id: str) -> None:
        self._after_change(patrol_id)
        self._say(self.tr("已保存。"), error=False)

    def _after_change(self, patrol_id: str) -> None:
        self.model.reload()
        self._update_summary()
        row = self.model.row_of(patrol_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        self.show_patrol(patrol_id)
        self.changed.emit()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #0b6e2e;")
        self.message.setText(text)

    def shutdown(self) -> None:
        if self.photos is not None:
            self.photos.drain()
        if self.map is not None:
            from officer_app.ui.map_widget import boundary_cache

            boundary_cache().drain()
