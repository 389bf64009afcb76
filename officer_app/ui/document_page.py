"""文书 section: the document list, a preview of the selected document, and its actions.

Everything slow runs on a worker (``TaskRunner``): rendering a draft, rasterising pages for the
preview, painting pages on the printer, writing a PDF copy. An issued document is always the
stored, hashed PDF (``documents.render_to`` returns it byte for byte), so what is previewed,
printed and saved is the very file whose SHA-256 the ledger holds.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import cases, document_query, documents, forms, patrol_query, settings
from officer_app.services.context import AppContext
from officer_app.ui import list_page, pdf_raster
from officer_app.ui.document_editor import DOC_STATUS, GREEN, RED, DocumentEditor
from officer_app.ui.error_text import error_text
from officer_app.ui.id_table_model import IdRole, IdTableModel
from officer_app.ui.messages import show_error
from officer_app.ui.patrol_model import short_time
from officer_app.ui.pdf_preview import PREVIEW_DPI, PdfPreview
from officer_app.ui.tasks import TaskRunner, refusal_or_bug

CST = dt.timezone(dt.timedelta(hours=8))
_STATUS_COLOURS = {"draft": "#5b6b7a", "issued": "#0b6e2e", "superseded": "#999999"}


def local_time(iso: str | None) -> str:
    """A stored UTC timestamp as the officer's China Standard Time, ``2026-11-27 12:16``."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16].replace("T", " ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M")


class DocumentTableModel(IdTableModel):
    COLUMNS = (
        ("number", "文号"),
        ("title", "文书"),
        ("case", "案件"),
        ("status", "状态"),
        ("issued", "签发日期"),
    )

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = document_query.DocumentFilter()
        self.reload()

    def set_filter(self, flt: document_query.DocumentFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch_ids(self) -> list[str]:
        return document_query.document_ids(self.ctx, self.filter)

    def fetch_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return document_query.rows_by_ids(self.ctx, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "number":
            return row["number"] or self.tr("（草稿，未编号）")
        if key == "title":
            version = self.tr("（第{0}版）").format(row["version"]) if row["version"] > 1 else ""
            return f"{row['title']}{version}"
        if key == "case":
            if not row["case_id"]:
                return self.tr("巡查记录") if row["patrol_id"] else ""
            when = short_time(row["case_taken_at"])[:10]
            return f"{row['case_violation'] or ''} {row['case_place'] or ''} {when}".strip()
        if key == "status":
            return self.tr(DOC_STATUS.get(row["status"], row["status"]))
        if key == "issued":
            return local_time(row["issued_at"])[:10]
        return str(row.get(key) or "")

    def colour(self, row: dict[str, Any], key: str) -> str | None:
        return _STATUS_COLOURS.get(row["status"]) if key == "status" else None


class NewDocumentDialog(QDialog):
    """新建文书: which form, about which case (or patrol, for a 联合巡查记录)."""

    def __init__(
        self, ctx: AppContext, case_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("newDocumentDialog")
        self.setWindowTitle(self.tr("新建文书"))
        self.resize(560, 200)
        form = QFormLayout(self)
        self.form_combo = QComboBox()
        self.form_combo.setObjectName("formCombo")
        for f in forms.list_forms(ctx):
            self.form_combo.addItem(f["title"], f["id"])
        form.addRow(self.tr("文书(&F)"), self.form_combo)
        self.case_combo = QComboBox()
        self.case_combo.setObjectName("caseCombo")
        self.case_combo.addItem(self.tr("（不针对案件）"), None)
        for c in cases.list_cases(ctx):
            where = (c["jurisdiction"] or {}).get("name") or ""
            label = f"{c['type']['name']}　{c['place'] or where}　{short_time(c['taken_at'])}"
            self.case_combo.addItem(label, c["id"])
        if case_id:
            self.case_combo.setCurrentIndex(max(self.case_combo.findData(case_id), 0))
        form.addRow(self.tr("案件(&C)"), self.case_combo)
        self.patrol_combo = QComboBox()
        self.patrol_combo.setObjectName("docPatrolCombo")
        self.patrol_combo.addItem(self.tr("（取自案件）"), None)
        for patrol_id, label in patrol_query.patrol_choices(ctx):
            self.patrol_combo.addItem(label, patrol_id)
        form.addRow(self.tr("巡查(&P)"), self.patrol_combo)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED};")
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("起草"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.form_combo.currentIndexChanged.connect(self._form_changed)
        self._form_changed()

    def _form_changed(self) -> None:
        """A patrol form asks for the patrol; a case form for the case."""
        form_id = self.form_combo.currentData()
        subject = forms.find_form(self.ctx, form_id).subject if form_id else "case"
        self.patrol_combo.setEnabled(subject == "patrol")

    def values(self) -> tuple[str, str | None, str | None]:
        patrol = self.patrol_combo.currentData() if self.patrol_combo.isEnabled() else None
        return self.form_combo.currentData(), self.case_combo.currentData(), patrol


def _pdf_bytes(root: Path, clock: Any, doc_id: str) -> tuple[bytes, dict[str, Any]]:
    """On a worker: the document's PDF (the stored original if issued, a marked draft else)."""
    buf = io.BytesIO()
    with AppContext.open(root, clock=clock) as worker_ctx:
        info = documents.render_to(worker_ctx, doc_id, buf)
    return buf.getvalue(), info


class DocumentPage(QWidget):
    changed = Signal()
    previewed = Signal(int)  # pages shown
    printed = Signal(int)  # pages sent to the printer
    pdfSaved = Signal(str, str)  # path, sha256

    def __init__(
        self, ctx: AppContext, tasks: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks or TaskRunner(self)
        self.current: dict[str, Any] | None = None
        self.editor: DocumentEditor | None = None
        self._printer: QPrinter | None = None
        self._preview_generation = 0
        self.model = DocumentTableModel(ctx, self)
        self.summary = list_page.lay_out(
            self,
            self._filter_bar(),
            self._table(),
            self._detail_pane(),
            summary_name="documentSummary",
            stretch=(2, 3),
            sizes=(600, 800),
        )
        self._text_timer = list_page.text_filter_timer(self, self.text_edit, self.apply_filter)
        self._update_summary()
        self.show_document(None)

    # Building -------------------------------------------------------------------------------
    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建文书(&N)…"))
        self.new_button.setObjectName("newDocumentButton")
        self.new_button.clicked.connect(lambda: self.new_document())
        bar.addWidget(self.new_button)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("documentText")
        self.text_edit.setAccessibleName(self.tr("按文号或标题筛选"))
        self.text_edit.setPlaceholderText(self.tr("搜索文号、文书名称"))
        list_page.clear_button_once_typed(self.text_edit)
        bar.addWidget(self.text_edit, 1)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("documentStatusFilter")
        self.status_combo.setAccessibleName(self.tr("按状态筛选"))
        self.status_combo.addItem(self.tr("全部状态"), None)
        for status in ("draft", "issued", "superseded"):
            self.status_combo.addItem(self.tr(DOC_STATUS[status]), status)
        self.status_combo.currentIndexChanged.connect(self.apply_filter)
        list_page.fit_combo(self.status_combo)
        bar.addWidget(self.status_combo)
        return bar

    def _table(self) -> QTableView:
        self.view = list_page.record_table(
            self.model, "documentTable", self.tr("文书列表"), (150, 100, 190, 56)
        )
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.doubleClicked.connect(lambda _index: self.edit_current())
        return self.view

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("documentHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("编辑(&E)…"))
        self.edit_button.setObjectName("editDocumentButton")
        self.edit_button.clicked.connect(lambda: self.edit_current())
        self.issue_button = QPushButton(self.tr("签发(&I)…"))
        self.issue_button.setObjectName("issueDocumentButton")
        self.issue_button.clicked.connect(self.issue_current)
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(lambda: self.print_current())
        self.save_pdf_button = QPushButton(self.tr("另存为PDF(&A)…"))
        self.save_pdf_button.setObjectName("savePdfButton")
        self.save_pdf_button.clicked.connect(lambda: self.save_pdf())
        self.correct_button = QPushButton(self.tr("更正(&R)"))
        self.correct_button.setObjectName("correctButton")
        self.correct_button.setToolTip(self.tr("生成新版本草稿；新版本签发后原文书作废"))
        self.correct_button.clicked.connect(self.correct_current)
        for button in (
            self.edit_button,
            self.issue_button,
            self.print_button,
            self.save_pdf_button,
            self.correct_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setObjectName("documentMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setObjectName("documentProgress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.preview = PdfPreview()
        self.preview.setMinimumWidth(420)
        layout.addWidget(self.preview, 1)
        return pane

    # List -----------------------------------------------------------------------------------
    def current_filter(self) -> document_query.DocumentFilter:
        return document_query.DocumentFilter(
            status=self.status_combo.currentData(), text=self.text_edit.text().strip() or None
        )

    def apply_filter(self) -> None:
        self._text_timer.stop()
        selected = self.current["id"] if self.current else None
        self.model.set_filter(self.current_filter())
        self._reselect(selected)
        self._update_summary()

    def refresh(self) -> None:
        selected = self.current["id"] if self.current else None
        self.model.reload()
        self._reselect(selected)
        self._update_summary()

    def select_document(self, doc_id: str) -> bool:
        row = self.model.row_of(doc_id)
        if row < 0 and self.current_filter() != document_query.DocumentFilter():
            self.status_combo.setCurrentIndex(0)  # show it even when a filter hid it
            self.text_edit.clear()
            self.apply_filter()
            row = self.model.row_of(doc_id)
        if row < 0:
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.scrollTo(self.model.index(row, 0))
        if self.current is None or self.current["id"] != doc_id:
            self.show_document(doc_id)
        return True

    def _reselect(self, doc_id: str | None) -> None:
        row = self.model.row_of(doc_id) if doc_id else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.show_document(doc_id)
        else:
            self.show_document(None)

    def _update_summary(self) -> None:
        self.summary.setText(self.tr("显示 {0} 份文书").format(self.model.rowCount()))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.message.clear()
        self.show_document(current.data(IdRole) if current.isValid() else None)

    def number_rows(self) -> list[str]:
        """The 文号 column as shown (tests and screen readers)."""
        return [self.model.index(r, 0).data() for r in range(self.model.rowCount())]

    # Detail and preview -----------------------------------------------------------------------
    def show_document(self, doc_id: str | None) -> None:
        self.current = documents.get_document(self.ctx, doc_id) if doc_id else None
        doc = self.current
        status = doc["status"] if doc else None
        self.edit_button.setEnabled(doc is not None)
        self.edit_button.setText(
            self.tr("编辑(&E)…") if status == "draft" else self.tr("查看(&E)…")
        )
        self.issue_button.setEnabled(status == "draft")
        self.print_button.setEnabled(doc is not None)
        self.save_pdf_button.setEnabled(doc is not None)
        self.correct_button.setEnabled(
            doc is not None and status == "issued" and not doc.get("superseded_by")
        )
        if doc is None:
            self.heading.setText("")
            self.preview.show_message(self.tr("选择一份文书查看预览。"))
            return
        from html import escape

        number = doc["number"] or self.tr("（草稿，未编号）")
        state = self.tr(DOC_STATUS.get(doc["status"], doc["status"]))
        lines = [f"<h3>{escape(doc['title'])}　{escape(number)}</h3>", f"<p><b>{escape(state)}</b>"]
        if doc["issued_at"]:
            lines.append(self.tr("　签发于 {0}").format(escape(local_time(doc["issued_at"]))))
        if doc["pdf_sha256"]:
            lines.append(f"<br><small>SHA-256 {escape(doc['pdf_sha256'])}</small>")
        if doc["missing"]:
            labels = "、".join(m["label"] for m in doc["missing"])
            lines.append(
                f"<br><span style='color:{RED}'>{escape(self.tr('待填写：'))}{escape(labels)}</span>"
            )
        lines.append("</p>")
        self.heading.setText("".join(lines))
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Render (a draft) and rasterise on a worker; a newer request drops an older result."""
        if self.current is None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        draft = self.current["status"] == "draft"
        self.preview.show_message(self.tr("正在生成草稿预览…") if draft else self.tr("正在载入…"))
        root, clock, doc_id = self.ctx.data.root, self.ctx.clock, self.current["id"]

        def work() -> list[QImage]:
            data, _info = _pdf_bytes(root, clock, doc_id)
            return pdf_raster.render_pages(data, PREVIEW_DPI)

        def done(images: list[QImage]) -> None:
            if generation != self._preview_generation:
                return
            note = self.tr("草稿预览：带“草稿”水印、未编号；签发后为正式文本。") if draft else ""
            self.preview.show_pages(images, note)
            self.previewed.emit(len(images))

        def failed(error: BaseException) -> None:
            if generation != self._preview_generation:
                return
            text = error_text(error) if isinstance(error, UserFacingError) else str(error)
            self.preview.show_message(self.tr("无法预览：{0}").format(text))
            self.previewed.emit(0)

        self.tasks.run(work, done, failed, write=False)

    # Actions --------------------------------------------------------------------------------
    def new_document(self, case_id: str | None = None) -> NewDocumentDialog:
        dialog = NewDocumentDialog(self.ctx, case_id, self)
        dialog.accepted.connect(lambda: self.start_document(*dialog.values()))
        dialog.open()
        return dialog

    def start_document(
        self, form_id: str, case_id: str | None, patrol_id: str | None = None
    ) -> None:
        """Draft ``form_id`` about a case (from the case page) and open it in the editor once
        the draft is stored (``self.editor``; ``changed`` is emitted just before).

        An empty ``form_id`` lets the officer choose the form first.
        """
        if not form_id:
            self.new_document(case_id)
            return
        self.tasks.write(
            self.ctx,
            lambda worker_ctx: documents.new_document(
                worker_ctx, form_id, case_id=case_id, patrol_id=patrol_id
            ),
            self._drafted,
            refusal_or_bug(lambda exc: self._say(error_text(exc), RED), self),
        )

    def _drafted(self, doc: dict[str, Any]) -> None:
        self.refresh()
        self.select_document(doc["id"])
        self.changed.emit()
        self.open_document(doc["id"])

    def open_document(self, doc_id: str) -> DocumentEditor:
        self.select_document(doc_id)
        if self.editor is not None and self.editor.busy:
            return self.editor
        self.editor = DocumentEditor(self.ctx, doc_id, self.tasks, self)
        self.editor.saved.connect(self._after_change)
        self.editor.issued.connect(self._after_change)
        self.editor.printRequested.connect(
            lambda d: self.select_document(d) and self.print_current()
        )
        self.editor.savePdfRequested.connect(lambda d: self.select_document(d) and self.save_pdf())
        self.editor.open()
        return self.editor

    def edit_current(self) -> DocumentEditor | None:
        return self.open_document(self.current["id"]) if self.current else None

    def issue_current(self) -> DocumentEditor | None:
        editor = self.edit_current()
        if editor is not None:
            editor.issue()
        return editor

    def _after_change(self, doc_id: str) -> None:
        self.refresh()
        self.select_document(doc_id)
        self.show_document(doc_id)
        self.changed.emit()

    def correct_current(self) -> None:
        """更正: a new draft version of the current document, written on the write executor."""
        if self.current is None:
            return
        doc_id = self.current["id"]
        self.tasks.write(
            self.ctx,
            lambda worker_ctx: documents.correct_document(worker_ctx, doc_id),
            self._corrected,
            refusal_or_bug(lambda exc: self._say(error_text(exc), RED), self),
        )

    def _corrected(self, doc: dict[str, Any]) -> None:
        self.refresh()
        self.select_document(doc["id"])
        self._say(
            self.tr("已生成更正草稿（第{0}版），签发后原文书作废。").format(doc["version"]), GREEN
        )
        self.changed.emit()
        self.open_document(doc["id"])

    def print_current(self, printer: QPrinter | None = None) -> bool:
        """Print through QPrintDialog, or on ``printer`` as given (tests, "print again")."""
        if self.current is None:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(self.tr("打印文书"))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        self._printer = printer  # kept alive until the worker is done with it
        root, clock, doc_id = self.ctx.data.root, self.ctx.clock, self.current["id"]

        def work() -> int:
            from officer_app.ui import pdf_print  # numpy: loaded when printing, not at start-up

            data, _info = _pdf_bytes(root, clock, doc_id)
            return pdf_print.print_pdf(data, printer)

        def done(pages: int) -> None:
            self._busy(False)
            self._printer = None
            self._say(self.tr("已发送到打印机：{0} 页。").format(pages), GREEN)
            self.printed.emit(pages)

        def failed(error: BaseException) -> None:
            self._busy(False)
            self._printer = None
            self._report(self.tr("打印失败"), error)
            self.printed.emit(0)

        self._busy(True, self.tr("正在打印…"))
        self.tasks.run(work, done, failed, write=False)
        return True

    def save_pdf(self, path: str | Path | None = None) -> bool:
        """另存为PDF: a byte-identical copy of the issued original (a marked draft for drafts)."""
        if self.current is None:
            return False
        if path is None:
            name = (self.current["number"] or f"{self.current['title']}（草稿）") + ".pdf"
            last = settings.get(self.ctx.store, settings.LAST_PDF_FOLDER)
            folder = Path(last) if last and Path(last).is_dir() else Path.home()
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("另存为PDF"), str(folder / name), self.tr("PDF 文件 (*.pdf)")
            )
            if not chosen:
                return False
            path = chosen
        target = Path(path)
        root, clock, doc_id = self.ctx.data.root, self.ctx.clock, self.current["id"]

        def work() -> dict[str, Any]:
            with AppContext.open(root, clock=clock) as worker_ctx:
                return documents.render_to(worker_ctx, doc_id, target)

        def done(info: dict[str, Any]) -> None:
            self._busy(False)
            folder = str(target.parent)
            self.tasks.write(
                self.ctx,
                lambda worker_ctx: settings.put(worker_ctx.store, settings.LAST_PDF_FOLDER, folder),
                lambda _result: None,
                error_parent=self,
            )
            self._say(self.tr("已保存到 {0}（SHA-256 {1}）").format(target, info["sha256"]), GREEN)
            self.pdfSaved.emit(str(target), info["sha256"])

        def failed(error: BaseException) -> None:
            self._busy(False)
            self._report(self.tr("另存为PDF失败"), error)
            self.pdfSaved.emit("", "")

        self._busy(True, self.tr("正在保存PDF…"))
        self.tasks.run(work, done, failed, write=False)
        return True

    def _busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        for button in (self.print_button, self.save_pdf_button):
            button.setEnabled(not busy and self.current is not None)
        if busy:
            self._say(text, "#333")

    def _report(self, title: str, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self._say(error_text(error), RED)
        else:
            show_error(self, title, error)

    def _say(self, text: str, colour: str) -> None:
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(text)
        editor = self.editor
        if editor is not None and editor.isVisible() and not editor.is_draft():
            editor._say(text, colour)  # printed or saved from the editor: said where it looks

    def shutdown(self) -> None:
        self.tasks.drain()
