"""The main window: section navigation, status bar, officer switching, first-start flow."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from officer_app import __version__
from officer_app.services import info, officers
from officer_app.services.agencies import get_agency, list_agencies
from officer_app.services.context import AppContext
from officer_app.ui.case_page import CasePage
from officer_app.ui.document_page import DocumentPage
from officer_app.ui.evidence_page import EvidencePage
from officer_app.ui.messages import show_error
from officer_app.ui.pages import PendingPage
from officer_app.ui.patrol_page import PatrolPage
from officer_app.ui.profile_dialog import ProfileDialog
from officer_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    SECTIONS = ("patrols", "evidence", "cases", "documents", "sync", "stats")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("长三角城管执法协作助手"))
        self.ui_state = QSettings(str(ctx.data.root / "ui-state.ini"), QSettings.Format.IniFormat)
        self._build_navigation()
        self._build_status_bar()
        self._build_menus()
        self._restore_state()
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
        self.nav.setFixedWidth(150)
        self.nav.setSpacing(2)
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.35)
        self.nav.setFont(nav_font)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 10px 14px; }")
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.pages: dict[str, PendingPage] = {}
        self.case_page = CasePage(self.ctx)
        self.case_page.setObjectName("page_cases")
        self.document_page = DocumentPage(self.ctx, self.tasks)
        self.document_page.setObjectName("page_documents")
        self.case_page.changed.connect(self.refresh)
        self.document_page.changed.connect(self.refresh)
        self.document_page.changed.connect(self.case_page.refresh)
        self.case_page.documentRequested.connect(self._draft_document)
        self.case_page.documentOpened.connect(self._open_document)
        self.patrol_page = PatrolPage(self.ctx)
        self.patrol_page.setObjectName("page_patrols")
        self.patrol_page.changed.connect(self.refresh)
        self.evidence_page = EvidencePage(self.ctx)
        self.evidence_page.setObjectName("page_evidence")
        self.evidence_page.changed.connect(self.refresh)
        self.evidence_page.caseRequested.connect(self._new_case_from_evidence)
        for index, key in enumerate(self.SECTIONS):
            item = QListWidgetItem(titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            if key == "evidence":
                self.stack.addWidget(self.evidence_page)
            elif key == "patrols":
                self.stack.addWidget(self.patrol_page)
            elif key == "cases":
                self.stack.addWidget(self.case_page)
            elif key == "documents":
                self.stack.addWidget(self.document_page)
            else:
                page = PendingPage(titles[key], purposes[key])
                page.setObjectName(f"page_{key}")
                self.pages[key] = page
                self.stack.addWidget(page)
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            shortcut.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            self.addAction(shortcut)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.officer_label = QLabel()
        self.officer_label.setObjectName("officerLabel")
        self.network_label = QLabel(self.tr("离线（未配置协作平台）"))
        self.network_label.setObjectName("networkLabel")
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outboxLabel")
        # A long path is elided in the middle so it never widens the window; the tooltip has it all.
        label_text = self.tr("数据目录：{0}").format(self.ctx.data.root)
        self.data_dir_label = QLabel(
            self.fontMetrics().elidedText(label_text, Qt.TextElideMode.ElideMiddle, 320)
        )
        self.data_dir_label.setObjectName("dataDirLabel")
        self.data_dir_label.setToolTip(str(self.ctx.data.root))
        for widget in (self.officer_label, self.network_label, self.outbox_label):
            bar.addWidget(widget)
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
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("退出(&Q)"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
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
        self.nav.setCurrentRow(int(section or 0))

    def _new_case_from_evidence(self, evidence_ids: list[str]) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("cases"))
        self.case_page.new_case(evidence_ids)

    def _draft_document(self, form_id: str, case_id: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("documents"))
        self.document_page.start_document(form_id, case_id)

    def _open_document(self, doc_id: str) -> None:
        self.nav.setCurrentRow(self.SECTIONS.index("documents"))
        self.document_page.open_document(doc_id)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """Photos dropped anywhere on the window are imported as evidence."""
        self.nav.setCurrentRow(self.SECTIONS.index("evidence"))
        self.evidence_page.dropEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/section", self.nav.currentRow())
        self.ui_state.sync()
        self.tasks.drain()
        self.evidence_page.shutdown()
        self.patrol_page.shutdown()
        self.case_page.shutdown()
        self.document_page.shutdown()
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
        texts = {
            "sync": self.tr("等待同步的变更：{0} 项").format(counts["outbox"]),
            "stats": self.tr("巡查 {0} 次，案件 {1} 件").format(counts["patrols"], counts["cases"]),
        }
        for key, text in texts.items():
            self.pages[key].set_count_text(text)

    def reload_data(self) -> None:
        """After a change made elsewhere (demo, import): counts and every data view."""
        self.refresh()
        self.patrol_page.refresh()
        self.evidence_page.refresh()
        self.case_page.refresh()
        self.document_page.refresh()

    # Actions --------------------------------------------------------------------------------
    def start(self) -> None:
        """Called once the window is shown: first start asks for the officer profile."""
        if not officers.list_officers(self.ctx):
            QTimer.singleShot(0, lambda: self.ask_profile(first_start=True))

    def ask_profile(self, *, first_start: bool) -> ProfileDialog:
        dialog = ProfileDialog(list_agencies(self.ctx.store), first_start=first_start, parent=self)
        dialog.accepted.connect(lambda: self._profile_entered(dialog))
        dialog.open()
        return dialog

    def _profile_entered(self, dialog: ProfileDialog) -> None:
        name, badge, agency, with_demo = dialog.values()
        try:
            officers.add_or_select_officer(self.ctx, name, badge, agency)
        except Exception as exc:
            show_error(self, self.tr("无法保存执法人员档案"), exc)
            return
        self.refresh()
        if with_demo:
            self.load_demo()

    def switch_officer(self) -> None:
        profiles = officers.list_officers(self.ctx)
        if not profiles:
            self.ask_profile(first_start=False)
            return
        labels = [f"{o.name}（{o.badge}，{o.agency_code}）" for o in profiles]
        label, ok = QInputDialog.getItem(
            self, self.tr("切换执法人员"), self.tr("选择执法人员："), labels, 0, False
        )
        if ok:
            officers.select_officer(self.ctx, profiles[labels.index(label)].id)
            self.refresh()

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

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr("长三角城管执法协作助手 {0}\n离线优先的跨区域联合执法现场工具。").format(
                __version__
            ),
        )
