"""The main window: section navigation, status bar, officer switching, first-start flow."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QActionGroup,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFontMetrics,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from officer_app import __version__
from officer_app.services import info, officers, pins, settings
from officer_app.services.agencies import get_agency
from officer_app.services.context import AppContext
from officer_app.ui import memory, sections
from officer_app.ui.camera_card import CardBar
from officer_app.ui.first_paint import FirstPaint
from officer_app.ui.lock import IdleWatcher, LockController
from officer_app.ui.messages import show_error
from officer_app.ui.officer_flows import OfficerFlows
from officer_app.ui.screen_fit import ElidedLabel
from officer_app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the pages and dialogs are imported when first built, off the start-up path
    from officer_app.services.camera_cards import CameraCard
    from officer_app.ui.case_page import CasePage
    from officer_app.ui.document_page import DocumentPage
    from officer_app.ui.evidence_page import EvidencePage
    from officer_app.ui.patrol_page import PatrolPage
    from officer_app.ui.stats_page import StatsPage
    from officer_app.ui.sync_page import SyncPage
    from officer_app.ui.verify_dialog import VerifyDialog

log = logging.getLogger(__name__)

#: Application font scale of the large-text mode (outdoor use in sunlight).
LARGE_TEXT_SCALE = 1.4
_BASE_FONT_PROPERTY = "officer_app_base_font_size"
#: How long after start-up the sync page (platform reachability, automatic sync) is built.
SYNC_PAGE_DELAY_MS = 500


def apply_large_text(large: bool) -> None:
    """Scale the application font; widgets that follow the app font re-lay out at once.

    The unscaled size is remembered on the application so toggling never compounds.
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    font = app.font()
    base = app.property(_BASE_FONT_PROPERTY)
    if not base:
        base = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        app.setProperty(_BASE_FONT_PROPERTY, base)
    size = float(base) * (LARGE_TEXT_SCALE if large else 1.0)
    if abs(font.pointSizeF() - size) > 0.01:
        font.setPointSizeF(size)
        app.setFont(font)


class MainWindow(OfficerFlows):
    SECTIONS = ("patrols", "evidence", "cases", "documents", "sync", "stats")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._closing = False
        self.tasks = TaskRunner(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("长三角城管执法协作助手"))
        self.ui_state = QSettings(str(ctx.data.root / "ui-state.ini"), QSettings.Format.IniFormat)
        self._build_navigation()
        self._build_status_bar()
        self._build_menus()
        self._restore_state()
        self.lock = LockController(ctx, self)
        self.lock.unlocked.connect(self._unlocked)
        self.lock.locked_changed.connect(self._lock_changed)
        self.idle = IdleWatcher(
            60.0 * settings.get(ctx.store, settings.IDLE_LOCK_MINUTES), self, watch=False
        )
        self.idle.idle.connect(self.lock_now)
        # What the first screen does not need waits for its first paint (ui/first_paint.py).
        self.first_paint = FirstPaint(self)
        self.first_paint.later(lambda: None if self._closing else self.idle.watch())
        self.set_large_text(settings.get(ctx.store, settings.LARGE_TEXT))
        self.refresh()

    # Building -----------------------------------------------------------------------------
    def _build_navigation(self) -> None:
        titles = {
            "patrols": self.tr("巡查"),
            "evidence": self.tr("证据"),
            "cases": self.tr("案件"),
            "documents": self.tr("文书"),
            "sync": self.tr("同步"),
            "stats": self.tr("统计"),
        }
        purposes = {
            "patrols": self.tr(
                "记录与毗邻地区执法队伍的联合巡查：参加单位与人员、时间、区域、路线和发现的问题。"
            ),
            "evidence": self.tr(
                "导入相机或手机拍摄的违法现场照片，读取拍摄时间与位置，计算指纹并在地图上定位。"
            ),
            "cases": self.tr(
                "登记违法案件：违法类型、地点、当事人及证件号码、车辆号牌和法律依据。"
            ),
            "documents": self.tr(
                "起草并打印跨区域文书：案件移送函及回执、协助调查函、处理结果反馈函。"
            ),
            "sync": self.tr(
                "联网后与市级协作平台同步：上传本机记录，接收移送给本机关的案件、回执和反馈。"
            ),
            "stats": self.tr("协作统计与季度专项通报。"),
        }
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("功能导航"))
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 10px 14px; }")
        self._titles = titles
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        # Pages are built the first time they are shown (or asked for): the first screen needs
        # one of them, and building all six doubled the start-up time (issue 17).
        self._pages: dict[str, QWidget] = {}
        self._page_factories = sections.page_factories(self)
        # The statistics page brings matplotlib: it is built the first time it is shown.
        self.stats_holder = QWidget()
        self.stats_holder.setObjectName("page_stats")
        self.stats_layout = QVBoxLayout(self.stats_holder)
        self.stats_layout.setContentsMargins(0, 0, 0, 0)
        self.stats_page: StatsPage | None = None
        self._pages["stats"] = self.stats_holder
        for key in self.SECTIONS:
            item = QListWidgetItem(titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(purposes[key])
            self.nav.addItem(item)
            self.stack.addWidget(self._pages.get(key) or QWidget())  # a placeholder until built
        self.nav.currentRowChanged.connect(self._section_shown)
        self.nav.setCurrentRow(0)
        # Above every page: a store with nothing but demo records says so, since 统计 leaves
        # training data out and the lists would otherwise mix 【演示】 records with no word why.
        self.demo_banner = QLabel(
            self.tr(
                "本机目前只有演示（培训）数据：这些记录不会同步到正式平台，统计也不计入。"
                "开始正式记录后此提示消失。"
            )
        )
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setMargin(6)
        self.demo_banner.setAutoFillBackground(True)  # a palette (not a style sheet) follows
        palette = self.demo_banner.palette()  # the large-text font like every other label
        palette.setColor(QPalette.ColorRole.Window, QColor("#fff4ce"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#5c4400"))
        self.demo_banner.setPalette(palette)
        self.demo_banner.hide()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.demo_banner)
        self.card_bar = CardBar(self.tasks)  # a camera card in the laptop: offer to import it
        self.card_bar.importRequested.connect(self._import_card)
        right.addWidget(self.card_bar)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        # Squeezed (large text, English) they end in "…", the whole text in their tooltip.
        self.officer_label = ElidedLabel()
        self.officer_label.setObjectName("officerLabel")
        self.network_label = ElidedLabel(self.tr("离线（未配置协作平台）"))
        self.network_label.setObjectName("networkLabel")
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outboxLabel")
        # A long path is elided in the middle so it never widens the window; the tooltip has it all.
        self.data_dir_label = QLabel()
        self.data_dir_label.setObjectName("dataDirLabel")
        self.data_dir_label.setToolTip(str(self.ctx.data.root))
        for widget, stretch in ((self.officer_label, 3), (self.network_label, 2)):
            bar.addWidget(widget, stretch)
        bar.addWidget(self.outbox_label)
        bar.addPermanentWidget(self.data_dir_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        switch = file_menu.addAction(self.tr("切换执法人员(&S)…"))
        switch.setObjectName("switchOfficerAction")
        switch.triggered.connect(self.switch_officer)
        add = file_menu.addAction(self.tr("新增执法人员(&A)…"))
        add.triggered.connect(lambda: self.ask_profile(first_start=False))
        load_demo = file_menu.addAction(self.tr("加载演示数据(&D)"))
        load_demo.triggered.connect(self.load_demo)
        verify_action = file_menu.addAction(self.tr("核验证据与日志(&V)…"))
        verify_action.setObjectName("verifyAction")
        verify_action.triggered.connect(self.open_verify)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("退出(&Q)"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        # The sections are reachable from the menu too, where their Ctrl+1..6 shortcuts show.
        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        self.section_actions = QActionGroup(self)
        for index, key in enumerate(self.SECTIONS):
            action = view_menu.addAction(f"{self._titles[key]}(&{index + 1})")
            action.setObjectName(f"section_{key}")
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            self.section_actions.addAction(action)
        self.nav.currentRowChanged.connect(
            lambda row: self.section_actions.actions()[row].setChecked(True) if row >= 0 else None
        )
        view_menu.addSeparator()
        self.large_text_action = view_menu.addAction(self.tr("大字模式(&L)"))
        self.large_text_action.setObjectName("largeTextAction")
        self.large_text_action.setCheckable(True)
        self.large_text_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.large_text_action.toggled.connect(self._large_text_toggled)
        settings_menu = self.menuBar().addMenu(self.tr("设置(&T)"))
        prefs = settings_menu.addAction(self.tr("设置(&P)…"))
        prefs.setObjectName("settingsAction")
        prefs.setShortcut(QKeySequence("Ctrl+,"))
        prefs.triggered.connect(self.open_settings)
        set_pin = settings_menu.addAction(self.tr("设置或更改PIN(&I)…"))
        set_pin.setObjectName("setPinAction")
        set_pin.triggered.connect(self.change_pin)
        lock_action = settings_menu.addAction(self.tr("立即锁定(&L)"))
        lock_action.setObjectName("lockAction")
        lock_action.setShortcut(QKeySequence("Ctrl+L"))
        lock_action.triggered.connect(self.lock_now)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = help_menu.addAction(self.tr("关于(&A)"))
        about.triggered.connect(self._about)

    # State ----------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.ui_state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        section = self.ui_state.value("window/section", 0)
        self.nav.setCurrentRow(int(str(section or 0)))  # an int, or its text from the .ini

    # Pages, built on first use -------------------------------------------------------------
    def _page(self, key: str) -> QWidget:
        """The section's page, built and put in place of its placeholder the first time."""
        page = self._pages.get(key)
        if page is None:
            page = self._page_factories[key]()
            page.setObjectName(f"page_{key}")
            self._pages[key] = page
            index = self.SECTIONS.index(key)
            current = self.stack.currentIndex()
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
        return page

    def _built(self, key: str) -> QWidget | None:
        return self._pages.get(key) if key in self._page_factories else None

    def first_screen_ready(self) -> bool:
        """The section on screen is its real page (not the placeholder) and has painted once."""
        key = self.SECTIONS[self.stack.currentIndex()]
        built = self.stats_page is not None if key == "stats" else self._built(key) is not None
        return built and self.first_paint.painted

    def refresh_if_built(self, key: str) -> None:
        page = self._built(key)
        if page is not None:
            page.refresh()  # type: ignore[attr-defined]  # every built page has refresh()

    # The pages are built lazily and their modules imported late (start-up time), so these
    # accessors cannot check the class: _page_factories builds the class each one names.
    @property
    def patrol_page(self) -> PatrolPage:
        return self._page("patrols")  # type: ignore[return-value]

    @property
    def evidence_page(self) -> EvidencePage:
        return self._page("evidence")  # type: ignore[return-value]

    @property
    def case_page(self) -> CasePage:
        return self._page("cases")  # type: ignore[return-value]

    @property
    def document_page(self) -> DocumentPage:
        return self._page("documents")  # type: ignore[return-value]

    @property
    def sync_page(self) -> SyncPage:
        return self._page("sync")  # type: ignore[return-value]

    def _section_shown(self, row: int) -> None:
        if not 0 <= row < len(self.SECTIONS):
            return
        key = self.SECTIONS[row]
        if key in self._page_factories:
            self._page(key)
        self.stack.setCurrentIndex(row)
        if key == "stats":
            self.ensure_stats_page().refresh()  # figures follow what was recorded since

    def ensure_stats_page(self) -> StatsPage:
        if self.stats_page is None:
            from officer_app.ui import stats_page

            self.stats_page = stats_page.StatsPage(self.ctx, tasks=self.tasks)
            self.stats_page.open_record.connect(self._open_record)
            self.stats_layout.addWidget(self.stats_page)
            self.stats_page.show()
            memory.freeze_long_lived()  # matplotlib is loaded now and stays for the session
        return self.stats_page

    def _open_record(self, kind: str, record_id: str) -> None:
        """A drill-down from the statistics: show the record where it is edited."""
        if kind == "patrol":
            self.nav.setCurrentRow(self.SECTIONS.index("patrols"))
            row = self.patrol_page.model.row_of(record_id)
            if row >= 0:
                self.patrol_page.view.selectRow(row)
        elif kind == "case":
            self.nav.setCurrentRow(self.SECTIONS.index("cases"))
            self.case_page.select_case(record_id)
        else:  # a transfer lives in the sync section's inbox
            self.nav.setCurrentRow(self.SECTIONS.index("sync"))

    def _import_card(self, card: CameraCard) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("evidence"))
        self.evidence_page.import_paths([card.dcim], folder=card.dcim)

    def new_case_from_evidence(self, evidence_ids: list[str]) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("cases"))
        self.case_page.new_case(evidence_ids)

    def draft_document(self, form_id: str, case_id: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("documents"))
        self.document_page.start_document(form_id, case_id)

    def open_document(self, doc_id: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("documents"))
        self.document_page.open_document(doc_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Photos dropped anywhere on the window are imported as evidence."""
        self.nav.setCurrentRow(self.SECTIONS.index("evidence"))
        self.evidence_page.dropEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.card_bar.stop()
        self.idle.stop()
        self.lock.release()
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/section", self.nav.currentRow())
        self.ui_state.sync()
        sync_page = self._built("sync")
        if sync_page is not None:  # cancels a running sync so closing never waits on the network
            sync_page.shutdown()  # type: ignore[attr-defined]  # a SyncPage
        self.tasks.drain()
        for key in ("evidence", "patrols", "cases", "documents"):
            page = self._built(key)
            if page is not None:
                page.shutdown()  # type: ignore[attr-defined]  # these pages all have it
        super().closeEvent(event)

    def refresh(self) -> None:
        officer = self.ctx.current_officer()
        if officer is None:
            self.officer_label.setText(self.tr("执法人员：未设置"))
        else:
            agency = get_agency(self.ctx.store, officer.agency_code)
            self.officer_label.setText(
                self.tr("执法人员：{0}（{1}）　{2}").format(
                    officer.name, officer.badge, agency.name
                )
            )
        counts = info.counts(self.ctx)
        self.outbox_label.setText(self.tr("待同步：{0} 项").format(counts["outbox"]))
        self.demo_banner.setVisible(info.training_only(self.ctx))

    def reload_data(self) -> None:
        """After a change made elsewhere (demo, import): counts and every data view."""
        self.refresh()
        for key in ("patrols", "evidence", "sync", "cases", "documents"):
            self.refresh_if_built(key)  # a page built later reads the store then

    # Actions --------------------------------------------------------------------------------
    def start(self) -> None:
        """Called once the window is shown: first start asks for the officer profile.

        When the selected officer has a PIN the app starts locked, or restarting it would be a
        way around the idle lock on a shared laptop.
        """
        # The sync page watches for the platform and sends what waited once it is reachable:
        # built soon after the window is on screen, not before it.
        QTimer.singleShot(SYNC_PAGE_DELAY_MS, self, self._build_sync_page_later)
        self.first_paint.later(lambda: None if self._closing else self.card_bar.start())
        if not officers.list_officers(self.ctx):
            QTimer.singleShot(0, lambda: self.ask_profile(first_start=True))
            return
        officer = self.ctx.current_officer()
        if officer is not None and pins.has_pin(self.ctx, officer.id):
            self.lock_now()

    def _build_sync_page_later(self) -> None:
        if not self._closing:
            self._page("sync")

    # Field use: text size, idle lock, PINs ------------------------------------------------
    def set_large_text(self, large: bool) -> None:
        self.large_text_action.setChecked(large)  # toggled -> _large_text_toggled
        self._apply_text_size(large)

    def _large_text_toggled(self, large: bool) -> None:
        self._apply_text_size(large)
        if settings.get(self.ctx.store, settings.LARGE_TEXT) != large:
            self._write(lambda w: settings.put(w.store, settings.LARGE_TEXT, large))

    def _apply_text_size(self, large: bool) -> None:
        apply_large_text(large)
        # The navigation has its own, larger font and a width that follows it (no fixed pixels,
        # so neither 200 % screens nor large text cut the section names).
        nav_font = QApplication.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.35)
        self.nav.setFont(nav_font)
        metrics = self.nav.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in self._titles.values())
        self.nav.setFixedWidth(widest + metrics.horizontalAdvance("M") * 3 + 28)
        # The data dir is elided to a width in characters, not pixels, so large text keeps room
        # for the officer and sync status; the tooltip has the whole path.
        status_metrics = QFontMetrics(QApplication.font())
        label_text = self.tr("数据目录：{0}").format(self.ctx.data.root)
        self.data_dir_label.setText(
            status_metrics.elidedText(
                label_text,
                Qt.TextElideMode.ElideMiddle,
                status_metrics.horizontalAdvance("M") * (18 if large else 26),
            )
        )

    def lock_now(self) -> None:
        if self.lock.is_locked:
            return
        log.info("locking the window")
        self.lock.lock(officers.list_officers(self.ctx), self.ctx.current_officer())

    def _lock_changed(self, locked: bool) -> None:
        if not locked:
            self.idle.reset()

    def _unlocked(self, officer_id: str) -> None:
        current = self.ctx.current_officer()
        if officer_id and (current is None or current.id != officer_id):
            self._write(lambda w: officers.select_officer(w, officer_id), lambda _r: self.refresh())

    def _write(
        self,
        fn: Callable[[AppContext], Any],
        then: Callable[[Any], None] | None = None,
        *,
        title: str = "",
    ) -> None:
        """An officer's action on the one write executor; ``then(result)`` on the GUI thread."""
        done = then if then is not None else (lambda _result: None)
        self.tasks.write(self.ctx, fn, done, error_title=title, error_parent=self)

    def load_demo(self) -> None:
        progress = QProgressDialog(self.tr("正在加载演示数据…"), "", 0, 0, self)
        progress.setObjectName("demoProgress")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        root: Path = self.ctx.data.root

        def work() -> dict[str, object]:
            from officer_app.services import demo  # Pillow & co. stay off the start-up path

            with AppContext.open(root) as worker_ctx:
                return demo.load_demo(worker_ctx)

        def done(result: dict[str, object]) -> None:
            progress.reset()
            self.reload_data()
            message = (
                self.tr("演示数据已加载。") if result["loaded"] else self.tr("演示数据已存在。")
            )
            self.statusBar().showMessage(message, 8000)

        def failed(error: BaseException) -> None:
            progress.reset()
            show_error(self, self.tr("加载演示数据失败"), error)

        self.tasks.run(work, done, failed)

    def open_verify(self) -> VerifyDialog:
        from officer_app.ui.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self.ctx.data.root, self.tasks, self)
        dialog.open()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr("长三角城管执法协作助手 {0}\n离线优先的跨区域联合执法现场工具。").format(
                __version__
            ),
        )
