"""证据 section: thumbnail grid with filters, map, detail pane, import by dialog or drag and drop.

The map shows the filtered photos in their jurisdiction's colours; selecting on either side selects
on the other. A photo without a usable position gets one by pin (手工定位) or typed coordinates
(输入坐标), and a photo at a border may have its jurisdiction overridden (更改管辖); each goes
through a confirmation dialog and a service that writes the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from officer_app.services import evidence_query, map_data, patrol_query, positions, settings
from officer_app.services import jurisdiction as jurisdiction_service
from officer_app.services.context import AppContext
from officer_app.ui import list_page
from officer_app.ui.evidence_model import EvidenceModel, ItemRole
from officer_app.ui.flags import WARNING_FLAGS, flag_text
from officer_app.ui.import_dialog import ImportDialog, ImportOfferBar
from officer_app.ui.map_widget import MapWidget, boundary_cache
from officer_app.ui.photo_text import local_time, position_text, size_text
from officer_app.ui.position_dialogs import JurisdictionDialog, PositionDialog
from officer_app.ui.preview_dialog import PreviewDialog
from officer_app.ui.qt_dates import py_date
from officer_app.ui.raw_exif_dialog import RawExifDialog
from officer_app.ui.recording_detail import (
    StripLoader,
    format_duration,
    kind_text,
    play,
)
from officer_app.ui.recording_route import RouteOverlay, route_text
from officer_app.ui.screen_fit import FlowLayout
from officer_app.ui.tasks import tasks_of

CST = dt.timezone(dt.timedelta(hours=8))


class EvidencePage(QWidget):
    changed = Signal()
    caseRequested = Signal(list)  # evidence ids, in grid order: the officer wants a case of them

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = EvidenceModel(ctx, self)
        layout = QVBoxLayout(self)
        self._build_filter_bars(layout)
        self.offer = ImportOfferBar()  # after an import: the photos are selected, 立案 offered
        self.offer.caseRequested.connect(self.request_case)
        layout.addWidget(self.offer)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.view = QListView()
        self.view.setObjectName("evidenceGrid")
        self.view.setAccessibleName(self.tr("证据缩略图"))
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(self.model.icon_size())
        list_page.fit_icon_grid(self.view, self.model.icon_size())
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)  # a recording shows duration and size on a second line
        self.view.setMovement(QListView.Movement.Static)
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(lambda _index: self.show_preview())
        self.view.selectionModel().currentChanged.connect(self._show_detail)
        splitter.addWidget(self.view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("evidenceRightPane")
        self.map = MapWidget()
        self.route = RouteOverlay(self.map.scene)
        self.map.setObjectName("evidenceMap")
        self.map.setAccessibleName(self.tr("证据地图"))
        self.map.set_mbtiles(settings.get(ctx.store, settings.MBTILES_PATH))
        self.map.photoActivated.connect(self.select_photo)
        self.map.positionPicked.connect(self._position_picked)
        self.map.pinModeChanged.connect(self.pin_button.setChecked)
        right.addWidget(self.map)
        self.detail = QTextBrowser()
        self.detail.setObjectName("evidenceDetail")
        self.detail.setAccessibleName(self.tr("证据详情"))
        self.detail.setMinimumWidth(300)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.summary = QLabel()
        self.summary.setObjectName("evidenceSummary")
        layout.addWidget(self.summary)
        self.setAcceptDrops(True)
        self.strips = StripLoader(ctx.data, self)
        self.strips.ready.connect(self._strip_ready)
        self.position_dialog: PositionDialog | None = None
        self.jurisdiction_dialog: JurisdictionDialog | None = None
        self._map_ids: list[str] = []
        self._update_summary()
        self._refresh_map(fit=True)
        self._update_actions()

    # Filters --------------------------------------------------------------------------------
    def _build_filter_bars(self, layout: QVBoxLayout) -> None:
        """Actions on one row (wrapping when too narrow), filters on the next, so the page fits
        a small laptop screen in any language and text size."""
        actions = QWidget()
        bar = FlowLayout(actions)
        self.import_button = QPushButton(self.tr("导入照片(&I)…"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.choose_files)
        bar.addWidget(self.import_button)
        self.folder_button = QPushButton(self.tr("导入文件夹(&O)…"))
        self.folder_button.clicked.connect(self.choose_folder)
        bar.addWidget(self.folder_button)
        bar.addSpacing(16)
        self.pin_button = QPushButton(self.tr("手工定位(&P)"))
        self.pin_button.setObjectName("pinButton")
        self.pin_button.setAccessibleName(self.tr("在地图上点选所选照片的位置"))
        self.pin_button.setCheckable(True)
        self.pin_button.toggled.connect(self._pin_toggled)
        bar.addWidget(self.pin_button)
        self.coords_button = QPushButton(self.tr("输入坐标(&G)…"))
        self.coords_button.setObjectName("coordinatesButton")
        self.coords_button.setAccessibleName(self.tr("输入或粘贴所选照片的坐标"))
        self.coords_button.clicked.connect(lambda: self.enter_coordinates())
        bar.addWidget(self.coords_button)
        self.jurisdiction_button = QPushButton(self.tr("更改管辖(&J)…"))
        self.jurisdiction_button.setObjectName("jurisdictionButton")
        self.jurisdiction_button.setAccessibleName(self.tr("更改所选照片的管辖区"))
        self.jurisdiction_button.clicked.connect(lambda: self.change_jurisdiction())
        bar.addWidget(self.jurisdiction_button)
        self.preview_button = QPushButton(self.tr("大图(&V)"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setAccessibleName(self.tr("查看所选照片的大图"))
        self.preview_button.clicked.connect(lambda: self.show_preview())
        bar.addWidget(self.preview_button)
        self.exif_button = QPushButton(self.tr("原始EXIF(&X)…"))
        self.exif_button.setObjectName("rawExifButton")
        self.exif_button.setAccessibleName(self.tr("查看所选照片的全部EXIF标签"))
        self.exif_button.clicked.connect(lambda: self.show_raw_exif())
        bar.addWidget(self.exif_button)
        self.play_button = QPushButton(self.tr("播放(&Y)"))
        self.play_button.setObjectName("playButton")
        self.play_button.setToolTip(self.tr("用系统播放器播放所选录音录像（原始文件不会被修改）"))
        self.play_button.clicked.connect(lambda: self.play_selected())
        bar.addWidget(self.play_button)
        bar.addSpacing(16)
        self.case_button = QPushButton(self.tr("立案(&C)…"))
        self.case_button.setObjectName("caseButton")
        self.case_button.setAccessibleName(self.tr("用所选照片登记违法案件"))
        self.case_button.clicked.connect(self.request_case)
        bar.addWidget(self.case_button)
        self.select_all_button = QPushButton(self.tr("全选"))
        self.select_all_button.setObjectName("selectAllButton")
        self.select_all_button.setAccessibleName(self.tr("选中显示的全部照片"))
        self.select_all_button.setToolTip(self.tr("选中显示的全部照片（Ctrl+A）"))
        self.select_all_button.clicked.connect(self.select_all)
        bar.addWidget(self.select_all_button)
        layout.addWidget(actions)
        filters = QHBoxLayout()
        self.patrol_combo = QComboBox()
        self.patrol_combo.setObjectName("patrolFilter")
        self.patrol_combo.setAccessibleName(self.tr("按巡查筛选"))
        self.use_dates = QCheckBox(self.tr("按日期"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        self.date_from.setAccessibleName(self.tr("起始日期"))
        self.date_to.setAccessibleName(self.tr("截止日期"))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.position_combo = QComboBox()
        self.position_combo.setObjectName("positionFilter")
        self.position_combo.setAccessibleName(self.tr("按位置筛选"))
        self.position_combo.addItem(self.tr("全部位置"), None)
        self.position_combo.addItem(self.tr("有位置"), True)
        self.position_combo.addItem(self.tr("无位置"), False)
        self.flag_combo = QComboBox()
        self.flag_combo.setObjectName("flagFilter")
        self.flag_combo.setAccessibleName(self.tr("按提示筛选"))
        self.flag_combo.addItem(self.tr("全部提示"), None)
        for flag in (
            "no_position",
            "assumed_timezone",
            "future_time",
            "camera_default_date",
            "gps_clock_mismatch",
            "no_camera_exif",
            "odd_gps",
        ):
            self.flag_combo.addItem(flag_text(flag), flag)
        for combo in (self.position_combo, self.flag_combo):
            list_page.fit_combo(combo)
        for widget in (
            self.patrol_combo,
            self.use_dates,
            self.date_from,
            self.date_to,
            self.position_combo,
            self.flag_combo,
        ):
            filters.addWidget(widget)
        self.patrol_combo.currentIndexChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.position_combo.currentIndexChanged.connect(self.apply_filter)
        self.flag_combo.currentIndexChanged.connect(self.apply_filter)
        filters.addStretch(1)
        layout.addLayout(filters)
        self._fill_patrols()
        list_page.fit_combo(self.patrol_combo)  # filled now: sized for its "全部巡查"

    def _fill_patrols(self) -> None:
        current = self.patrol_combo.currentData()
        self.patrol_combo.blockSignals(True)
        self.patrol_combo.clear()
        self.patrol_combo.addItem(self.tr("全部巡查"), None)
        for patrol_id, label in patrol_query.patrol_choices(self.ctx):
            self.patrol_combo.addItem(label, patrol_id)
        index = self.patrol_combo.findData(current)
        self.patrol_combo.setCurrentIndex(max(index, 0))
        self.patrol_combo.blockSignals(False)

    def current_filter(self) -> evidence_query.EvidenceFilter:
        date_from = date_to = None
        if self.use_dates.isChecked():
            start = dt.datetime.combine(py_date(self.date_from.date()), dt.time(), CST)
            end = dt.datetime.combine(py_date(self.date_to.date()), dt.time(), CST)
            from officer_app.domain.times import to_utc_iso

            date_from, date_to = to_utc_iso(start), to_utc_iso(end + dt.timedelta(days=1))
        return evidence_query.EvidenceFilter(
            patrol_id=self.patrol_combo.currentData(),
            date_from=date_from,
            date_to=date_to,
            has_position=self.position_combo.currentData(),
            flag=self.flag_combo.currentData(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self.detail.clear()
        self._update_summary()
        self._refresh_map(fit=True)
        self._update_actions()

    def refresh(self) -> None:
        self._fill_patrols()
        self.model.reload()
        self._update_summary()
        self._refresh_map(fit=True)
        self._update_actions()

    # Map --------------------------------------------------------------------------------------
    def _refresh_map(self, *, fit: bool) -> None:
        """Markers of the filtered photos and the cases that use them."""
        self._map_ids = evidence_query.evidence_ids(self.ctx, self.model.filter)
        self.map.set_content(
            map_data.evidence_markers(self.ctx, self._map_ids),
            map_data.case_markers(self.ctx, evidence_ids=self._map_ids),
            fit=fit,
        )
        current = self.current_item()
        self.map.select_photo(current["id"] if current else None)

    def current_item(self) -> dict[str, Any] | None:
        index = self.view.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def select_photo(self, evidence_id: str) -> None:
        """Select a photo in the grid (the map's markers call this)."""
        try:
            row = self._map_ids.index(evidence_id)
        except ValueError:
            return
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedIndexes())
        return [self.model.item(row)["id"] for row in rows]

    def select_all(self) -> None:
        self.view.selectAll()
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def select_ids(self, evidence_ids: list[str]) -> int:
        """Select these photos (those the filter shows), the first one current; how many."""
        rows = [r for r in (self.model.row_of(e) for e in evidence_ids) if r >= 0]
        selection = QItemSelection()
        for row in rows:
            selection.select(self.model.index(row), self.model.index(row))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.view.selectionModel().select(selection, flags)
        if rows:
            first = self.model.index(min(rows))
            self.view.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.view.scrollTo(first)
        return len(rows)

    def request_case(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.caseRequested.emit(ids)

    def show_preview(self) -> PreviewDialog | None:
        item = self.current_item()
        if item is None:
            return None
        dialog = PreviewDialog(self.ctx.data, item["sha256"], item["original_name"], self)
        dialog.open()
        return dialog

    def show_raw_exif(self) -> RawExifDialog | None:
        item = self.current_item()
        full = evidence_query.get_evidence(self.ctx, item["id"]) if item else None
        if full is None:
            return None
        dialog = RawExifDialog(full["original_name"], full.get("raw_tags") or {}, self)
        dialog.open()
        return dialog

    def _update_actions(self) -> None:
        has = self.current_item() is not None
        for button in (
            self.pin_button,
            self.coords_button,
            self.jurisdiction_button,
            self.preview_button,
            self.exif_button,
            self.case_button,
        ):
            button.setEnabled(has)
        item = self.current_item()
        self.play_button.setEnabled(item is not None and item.get("kind", "photo") != "photo")
        if not has and self.pin_button.isChecked():
            self.pin_button.setChecked(False)

    def _pin_toggled(self, on: bool) -> None:
        self.map.set_pin_mode(on and self.current_item() is not None)
        if not on:
            self.map.clear_pin()

    def _position_picked(self, lat: float, lon: float) -> None:
        self.enter_coordinates(lat, lon)

    def enter_coordinates(
        self, lat: float | None = None, lon: float | None = None
    ) -> PositionDialog | None:
        """Confirm a picked point (WGS-84) or type one, then save it as a manual position."""
        item = self.current_item()
        if item is None:
            return None
        dialog = PositionDialog(self.ctx, item, lat=lat, lon=lon, parent=self)
        dialog.saved.connect(self._after_position_change)
        dialog.finished.connect(self._position_dialog_closed)
        self.position_dialog = dialog
        dialog.open()
        return dialog

    def _position_dialog_closed(self, _result: int) -> None:
        self.map.clear_pin()
        self.pin_button.setChecked(False)

    def change_jurisdiction(self) -> JurisdictionDialog | None:
        item = self.current_item()
        if item is None:
            return None
        dialog = JurisdictionDialog(self.ctx, item, parent=self)
        dialog.saved.connect(self._after_position_change)
        self.jurisdiction_dialog = dialog
        dialog.open()
        return dialog

    def _after_position_change(self, evidence_id: str) -> None:
        self.model.reload()
        self._update_summary()
        self._refresh_map(fit=False)
        self.select_photo(evidence_id)
        self._update_actions()
        self.changed.emit()

    def _update_summary(self) -> None:
        self.summary.setText(self.tr("显示 {0} 个证据").format(self.model.rowCount()))

    # Detail -----------------------------------------------------------------------------------
    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        if not current.isValid():
            self.detail.clear()
            self.map.select_photo(None)
            self.route.show(None)
            return
        item = current.data(ItemRole)
        self.map.select_photo(item["id"])
        full = evidence_query.get_evidence(self.ctx, item["id"]) or item
        self.route.show(full.get("path"))  # a moving recording's path, as a line
        self.detail.setHtml(self._detail_html(full))

    def _strip_ready(self, evidence_id: str, _path: str) -> None:
        item = self.current_item()
        if item is not None and item["id"] == evidence_id:
            self._show_detail(self.view.currentIndex(), QModelIndex())

    def play_selected(self) -> bool:
        """Hand the selected recording to the system's player."""
        item = self.current_item()
        if item is None or item.get("kind", "photo") == "photo":
            return False
        return play(self.ctx.data, item["sha256"], item["original_name"])

    def _recording_html(self, item: dict[str, Any], row: Callable[[str, object], str]) -> list[str]:

        parts = [
            row(self.tr("类型"), kind_text(item["kind"])),
            row(self.tr("时长"), format_duration(item.get("duration_s"))),
            row(self.tr("编码"), item.get("codec") or self.tr("无法读取")),
            row(self.tr("移动轨迹"), route_text(item)),
        ]
        return parts

    def _strip_html(self, item: dict[str, Any]) -> str:
        """The frame strip under the table, scaled to the pane's width."""
        from html import escape

        from PySide6.QtGui import QImageReader

        if item.get("kind") != "video":
            return ""
        strip = self.strips.strip_for(item["id"], item["sha256"])
        if strip is None:
            return f"<p><i>{escape(self.tr('正在生成画面…'))}</i></p>"
        if not strip:
            return ""
        size = QImageReader(strip).size()
        width = min(size.width(), max(120, self.detail.viewport().width() - 24))
        height = round(size.height() * width / max(1, size.width()))
        return f"<p><img src='{escape(strip)}' width={width} height={height}></p>"

    def _detail_html(self, item: dict[str, Any]) -> str:
        from html import escape

        def row(label: str, value: object) -> str:
            return f"<tr><td><b>{escape(label)}</b></td><td>{escape(str(value))}</td></tr>"

        if item["lat"] is not None:
            position = position_text(item["lat"], item["lon"], item["datum"])
            source = {
                "exif": self.tr("照片GPS"),
                "container": self.tr("录像文件内的位置"),
                "nmea": self.tr("记录仪GPS日志"),
                "gpx": self.tr("轨迹匹配"),
                "manual": self.tr("手工标注"),
            }
            position += " · " + source.get(item["position_source"], item["position_source"] or "")
        else:
            position = self.tr("无")
        jurisdiction = item.get("jurisdiction_code") or self.tr("未知")
        if item.get("jurisdiction_code"):
            agency = jurisdiction_service.district_agency(self.ctx, item["jurisdiction_code"])
            jurisdiction = f"{jurisdiction} {agency['name'] if agency else ''}"
        warnings = [f for f in item["flags"] if f in WARNING_FLAGS]
        notes = [f for f in item["flags"] if f not in WARNING_FLAGS]
        parts = [
            f"<h3>{escape(item['original_name'])}</h3>",
            self._strip_html(item),
            "<table cellspacing=4>",
            *(self._recording_html(item, row) if item.get("kind", "photo") != "photo" else []),
            row(self.tr("拍摄时间"), local_time(item["taken_at"], self.tr("无"))),
            row(self.tr("位置"), position),
            row(self.tr("管辖"), jurisdiction),
            row(
                self.tr("设备"),
                f"{item['make'] or ''} {item['model'] or ''}".strip() or self.tr("无"),
            ),
            row(
                self.tr("尺寸"),
                f"{item['width']} × {item['height']}" if item["width"] else self.tr("无"),
            ),
            row(self.tr("文件大小"), size_text(item["size"])),
            row(self.tr("SHA-256"), item["sha256"]),
            row(self.tr("导入时间"), local_time(item["imported_at"], "")),
            "</table>",
        ]
        if warnings:
            parts.append(f"<p style='color:#b00020'><b>{escape(self.tr('警示'))}</b>：")
            parts.append("；".join(escape(flag_text(f)) for f in warnings) + "</p>")
        if notes:
            parts.append(
                f"<p>{escape(self.tr('提示'))}："
                + "；".join(escape(flag_text(f)) for f in notes)
                + "</p>"
            )
        changes = positions.jurisdiction_changes(self.ctx, item["id"])
        if changes:
            parts.append(f"<p><b>{escape(self.tr('管辖更改记录'))}</b><br>")
            parts.append(
                "<br>".join(
                    escape(
                        self.tr("{0} {1}：{2} → {3}。理由：{4}").format(
                            c["at"],
                            c["officer_name"],
                            c["old_code"] or "—",
                            c["new_code"],
                            c["reason"],
                        )
                    )
                    for c in changes
                )
                + "</p>"
            )
        if item.get("training"):
            parts.append(f"<p><i>{escape(self.tr('演示（培训）数据'))}</i></p>")
        return "".join(parts)  # the raw tags have their own table: 原始EXIF…

    # Import -----------------------------------------------------------------------------------
    def start_folder(self) -> str:
        """Where the file dialogs open: a mounted camera card, else the folder used last."""
        from officer_app.services.camera_cards import first_card_dcim

        card = first_card_dcim()
        if card is not None:
            return str(card)
        last = settings.get(self.ctx.store, settings.LAST_IMPORT_FOLDER)
        return last if last and Path(last).is_dir() else ""

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择证据照片或录音录像"),
            self.start_folder(),
            self.tr(
                "照片和录音录像 (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif"
                " *.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;"
                "照片 (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif);;"
                "录音录像 (*.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;"
                "所有文件 (*)"
            ),
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择照片或录像文件夹"), self.start_folder()
        )
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path], *, folder: Path | None = None) -> ImportDialog:
        """Import on a worker; afterwards the photos are selected and 立案 is offered."""
        where = folder or (paths[0] if paths[0].is_dir() else paths[0].parent)
        tasks_of(self).write(  # queued on the one writer, ahead of the import itself
            self.ctx,
            lambda worker_ctx: settings.put(
                worker_ctx.store, settings.LAST_IMPORT_FOLDER, str(where)
            ),
            lambda _result: None,
            error_parent=self,
        )
        self.offer.hide()
        dialog = ImportDialog(
            self.ctx.data.root, paths, patrol_id=self.patrol_combo.currentData(), parent=self
        )
        dialog.imported.connect(lambda: self._after_import(dialog))
        dialog.open()
        dialog.start()
        return dialog

    def _after_import(self, dialog: ImportDialog) -> None:
        self.refresh()
        report = dialog.report
        selected = self.select_ids(dialog.evidence_ids())
        self.offer.offer(selected, report.count("imported") if report else 0)
        self._update_actions()
        self.changed.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def shutdown(self) -> None:
        self.model.drain()
        self.strips.drain()
        boundary_cache().drain()
