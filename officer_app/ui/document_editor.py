"""The form editor: a dialog generated from a form definition in ``forms/`` (no per-form code).

Each field becomes a widget by its kind (text → line edit, multiline → text edit, choice → combo,
date → line edit), required ones carry a red ``*``. Values are checked field by field with the
service's own rules before saving, so a wrong value is marked on its field. 签发 refuses while
required fields are blank, marks them and lists them in Chinese; otherwise it asks once
(``IssueDialog``: the 文号, the preview, the cited law still to be checked) and the issue itself
(numbering, rendering with the photos, hashing) runs on a worker with a progress bar. An issued
document is printed or saved as PDF from the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.services import catalogue, documents, forms, issue_preview
from officer_app.services.context import AppContext
from officer_app.services.documents import DocumentIncompleteError
from officer_app.ui.error_text import error_text
from officer_app.ui.issue_dialog import IssueDialog
from officer_app.ui.messages import show_error
from officer_app.ui.officers_field import OfficersField
from officer_app.ui.screen_fit import fit_to_screen
from officer_app.ui.tasks import Job, TaskRunner, refusal_or_bug

RED = "#b00020"
AMBER = "#8a5300"
GREEN = "#0b6e2e"
MISSING_STYLE = f"border: 2px solid {RED}; background: #fff0f0;"
DOC_STATUS = {"draft": "草稿", "issued": "已签发", "superseded": "已作废"}
BUTTON_KEYS = {"S", "I"}  # 保存(&S), 签发(&I)


class DocumentEditor(QDialog):
    saved = Signal(str)
    issued = Signal(str)
    printRequested = Signal(str)  # document id
    savePdfRequested = Signal(str)  # document id

    def __init__(
        self,
        ctx: AppContext,
        doc_id: str,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.doc_id = doc_id
        self.tasks = tasks
        self.busy = False  # issuing
        self.saving = False  # a save is queued on the write executor
        self.issue_dialog: IssueDialog | None = None
        self.doc = documents.get_document(ctx, doc_id)
        self.form = forms.find_form(ctx, self.doc["form_id"])
        self.fields = documents.document_fields(ctx, doc_id)
        self._saved_values = {f["name"]: str(f["value"] or "") for f in self.fields}
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._mnemonics: set[str] = set(BUTTON_KEYS)
        self.setObjectName("documentEditor")
        self.setWindowTitle(self.tr("文书：{0}").format(self.doc["title"]))
        fit_to_screen(self, 760, 820)
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setObjectName("editorHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.form_layout = QFormLayout(inner)
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for f in self.fields:
            self._add_field(f)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingLabel")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.missing_label.hide()
        layout.addWidget(self.missing_label)
        self.deadline_label = QLabel("\n".join(self.doc.get("deadline_warnings", [])))
        self.deadline_label.setObjectName("deadlineWarning")  # a year whose 调休 is unknown
        self.deadline_label.setWordWrap(True)
        self.deadline_label.setStyleSheet(f"color: {AMBER};")
        self.deadline_label.setVisible(bool(self.deadline_label.text()))
        layout.addWidget(self.deadline_label)
        self.notice_label = QLabel()  # e.g. a 笔录 with one officer (行政处罚法 §42)
        self.notice_label.setObjectName("recordNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet(f"color: {AMBER};")
        layout.addWidget(self.notice_label)
        self._show_notices()
        self.message = QLabel()
        self.message.setObjectName("editorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setObjectName("issueProgress")
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(lambda: self.save())
        self.issue_button = QPushButton(self.tr("签发(&I)"))
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setToolTip(self.tr("编号、生成PDF并存档；签发后不能修改，只能更正"))
        self.issue_button.clicked.connect(self.issue)
        # Once issued, the letter is printed or saved from here (no detour through the list).
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.print_button.setObjectName("editorPrintButton")
        self.print_button.clicked.connect(lambda: self.printRequested.emit(self.doc_id))
        self.save_pdf_button = QPushButton(self.tr("另存为PDF(&A)…"))
        self.save_pdf_button.setObjectName("editorSavePdfButton")
        self.save_pdf_button.clicked.connect(lambda: self.savePdfRequested.emit(self.doc_id))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.close_editor)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._update_state()

    # Building -------------------------------------------------------------------------------
    def _add_field(self, f: dict[str, Any]) -> None:
        required = f["required"] and not f["filled_at_issue"]
        # No "&nbsp;": with a buddy, QLabel would take its "&n" for an Alt+N mnemonic.
        mark = f"<span style='color:{RED}'>\u00a0*</span>" if f["required"] else ""
        text = escape(f["label"], quote=False)
        key = None if "&" in text else self._mnemonic(f["name"])
        label = QLabel(f"{text}(&{key}){mark}" if key else f"{text}{mark}")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setObjectName(f"label_{f['name']}")
        value = str(f["value"] or "")
        widget: QWidget
        if f["kind"] == "choice":
            combo = QComboBox()
            if not required:
                combo.addItem("", "")
            for option in f["options"]:
                combo.addItem(option, option)
            if value and combo.findData(value) < 0:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            widget = combo
        elif (self.form.field(f["name"]) or {}).get("validate") == "officers":
            officers = OfficersField(self._own_agency())  # 执法机关 / 姓名 / 执法证号 rows
            officers.setText(value)
            widget = officers
        elif f["kind"] == "multiline":
            edit = QPlainTextEdit()
            edit.setPlainText(value)
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            edit.setMinimumHeight(80 if len(value) < 120 else 130)
            edit.setTabChangesFocus(True)
            if f.get("composed"):
                edit.setPlaceholderText(self.tr("留空则按所选项自动生成规范表述（可改写）"))
            elif f.get("hint"):  # the form's own example (e.g. 机关：姓名（执法证号…）)
                edit.setPlaceholderText(f["hint"])
            widget = edit
        else:
            line = QLineEdit(value)
            line.setCursorPosition(0)  # show a long 当事人 from its start
            if f["filled_at_issue"]:
                line.setReadOnly(True)
                line.setPlaceholderText(self.tr("签发时自动填写"))
            elif f["kind"] == "date":
                line.setPlaceholderText(self.tr("如 2026-03-05"))
            elif f.get("hint"):
                line.setPlaceholderText(f["hint"])
            widget = line
        widget.setObjectName(f"field_{f['name']}")
        widget.setAccessibleName(f["label"])
        self.widgets[f["name"]] = widget
        self.labels[f["name"]] = label
        label.setBuddy(widget)  # Alt+letter focuses the field
        self.form_layout.addRow(label, widget)

    def _own_agency(self) -> str:
        try:
            return documents.issuing_agency(self.ctx).name
        except UserFacingError:
            return ""

    def _mnemonic(self, name: str) -> str | None:
        """A free Alt+letter for a generated field: a letter of its key, else any free one."""
        for letter in [c for c in name.upper() if "A" <= c <= "Z"] + [
            chr(c) for c in range(ord("A"), ord("Z") + 1)
        ]:
            if letter not in self._mnemonics:
                self._mnemonics.add(letter)
                return letter
        return None

    # Values ---------------------------------------------------------------------------------
    def value(self, name: str) -> str:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, OfficersField):
            return widget.text()
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def set_value(self, name: str, value: str) -> None:
        """Set a field as the officer would (tests and pre-filling use it)."""
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, OfficersField):
            widget.setText(value)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(value)
            widget.setCursorPosition(0)

    def values(self) -> dict[str, str]:
        return {f["name"]: self.value(f["name"]) for f in self.fields if not f["filled_at_issue"]}

    def changed_values(self) -> dict[str, str]:
        return {
            k: v for k, v in self.values().items() if v.strip() != self._saved_values[k].strip()
        }

    def is_draft(self) -> bool:
        status: str = self.doc["status"]
        return status == "draft"

    # Marking ----------------------------------------------------------------------------------
    def mark(self, names: set[str]) -> None:
        """Mark ``names`` (blank required or invalid) on their fields; clear the others."""
        for name, widget in self.widgets.items():
            bad = name in names
            widget.setProperty("missing", bad)
            widget.setStyleSheet(MISSING_STYLE if bad else "")
            self.labels[name].setStyleSheet(f"color: {RED};" if bad else "")

    def marked(self) -> set[str]:
        return {name for name, w in self.widgets.items() if w.property("missing")}

    def show_missing(self, missing: list[dict[str, str]]) -> None:
        self.mark({m["name"] for m in missing})
        labels = "、".join(m["label"] for m in missing)
        self.missing_label.setText(self.tr("不能签发，缺少必填项：{0}").format(labels))
        self.missing_label.show()
        first = self.widgets.get(missing[0]["name"]) if missing else None
        if first is not None:
            first.setFocus()

    def _show_notices(self) -> None:
        """What would stop or weaken the record (too few officers, an end before the start)."""
        notices = self.doc.get("notices") or []
        self.notice_label.setText(
            "\n".join(self.tr("提醒：{0}").format(n) for n in notices) if self.is_draft() else ""
        )
        self.notice_label.setVisible(bool(notices) and self.is_draft())

    def _say(self, text: str, colour: str) -> None:
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(text)

    # Actions --------------------------------------------------------------------------------
    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Check every changed value, mark the wrong ones, then save them in one go on the write
        executor; ``then()`` runs once they are stored.  False: refused here, nothing queued."""
        if self.saving:
            return False
        if not self.is_draft():
            if then is not None:
                then()
            return True
        updates = self.changed_values()
        self.missing_label.hide()
        bad: dict[str, str] = {}
        for name, value in updates.items():
            field = self.form.field(name)
            try:
                if field is not None:
                    forms.check_value(field, value)
            except UserFacingError as exc:
                bad[name] = error_text(exc)
        if bad:
            self.mark(set(bad))
            self._say("；".join(bad.values()), RED)
            return False
        self.mark(set())
        if not updates:
            self._say(self.tr("没有需要保存的修改。"), GREEN)
            if then is not None:
                then()
            return True
        doc_id = self.doc_id
        self.saving = True
        self.tasks.write(
            self.ctx,
            lambda worker_ctx: documents.set_fields(worker_ctx, doc_id, updates),
            lambda result: self._fields_saved(updates, result, then),
            refusal_or_bug(self._save_refused, self),
        )
        return True

    def _save_refused(self, exc: UserFacingError) -> None:
        self.saving = False
        self._say(error_text(exc), RED)

    def _fields_saved(
        self, updates: dict[str, str], result: dict[str, Any], then: Callable[[], None] | None
    ) -> None:
        self.saving = False
        self.doc = documents.get_document(self.ctx, self.doc_id)
        self._saved_values.update({k: v.strip() for k, v in updates.items()})
        for f in self.fields:  # stored as normalised (9:48 → 9时48分)
            stored = str(self.doc["fields"].get(f["name"], "") or "")
            if f["name"] in updates and stored != updates[f["name"]].strip():
                self.set_value(f["name"], stored)
                self._saved_values[f["name"]] = stored
        self._show_notices()
        warnings = result.get("warnings") or []
        if warnings:
            self._say(self.tr("已保存，请注意：") + "；".join(warnings), AMBER)
        else:
            self._say(self.tr("已保存。"), GREEN)
        self.saved.emit(self.doc_id)
        if then is not None:
            then()

    def issue(self) -> bool:
        """Save, refuse with the blank required fields marked, else issue on a worker.
        False: refused at once; otherwise the checks follow once the save is stored."""
        if self.busy or self.saving or not self.is_draft():
            return False
        return self.save(then=self._check_before_issue)

    def _check_before_issue(self) -> None:
        missing = self.doc.get("missing") or []
        if missing:
            self.show_missing(missing)
            self._say(self.tr("请填写标红的必填项后再签发。"), RED)
            return
        try:
            plan = issue_preview.issue_plan(self.ctx, self.doc_id)
        except UserFacingError as exc:
            self._say(error_text(exc), RED)
            return
        # One confirmation: the number it takes, the preview, and the unchecked law, if any.
        dialog = IssueDialog(self.ctx, plan, self.tasks, self)
        dialog.accepted.connect(lambda: self._confirmed(dialog))
        self.issue_dialog = dialog
        dialog.open()
        dialog.start_preview()

    def _confirmed(self, dialog: IssueDialog) -> None:
        """签发 confirmed: record the officer's check of the cited law, then issue."""
        if dialog.plan["unverified"]:
            if not dialog.basis_checked():
                return
            doc_id = self.doc_id
            self.tasks.write(
                self.ctx,
                lambda worker_ctx: catalogue.confirm_draft_basis(worker_ctx, doc_id),
                lambda _result: self._basis_confirmed(dialog),
                refusal_or_bug(lambda exc: self._say(error_text(exc), RED), self),
            )
            return
        self._start_issue()

    def _basis_confirmed(self, dialog: IssueDialog) -> None:
        self.doc = documents.get_document(self.ctx, self.doc_id)
        for f in dialog.plan["unverified"]:  # the marks are gone from the stored draft
            value = str(self.doc["fields"].get(f["name"], ""))
            self.set_value(f["name"], value)
            self._saved_values[f["name"]] = value
        self._start_issue()

    def _start_issue(self) -> None:
        self.busy = True
        self._update_state()
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say(self.tr("正在签发：编号、生成PDF并存档…"), "#333")
        root: Path = self.ctx.data.root
        clock = self.ctx.clock
        doc_id = self.doc_id

        def work(job: Job) -> dict[str, Any]:
            # A write task: numbering, PDF and archive queue on the one write executor.
            with AppContext.open(root, clock=clock) as worker_ctx:
                return documents.issue_document(worker_ctx, doc_id, progress=job.report)

        self.tasks.start(
            work, self._issued, self._issue_failed, write=True, on_progress=self._progress
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _issued(self, result: dict[str, Any]) -> None:
        self.busy = False
        self.progress.hide()
        self.doc = documents.get_document(self.ctx, self.doc_id)
        self.missing_label.hide()
        self._show_notices()
        self.mark(set())
        for f in self.fields:  # the issue date and the deadlines running from it
            if f["filled_at_issue"]:
                self.set_value(f["name"], str(self.doc["fields"].get(f["name"], "")))
        self._say(
            self.tr("已签发：{0}，共 {1} 页。").format(result["number"], result["pages"]), GREEN
        )
        self._update_state()
        self.issued.emit(self.doc_id)

    def _issue_failed(self, error: BaseException) -> None:
        self.busy = False
        self.progress.hide()
        self._update_state()
        if isinstance(error, DocumentIncompleteError):
            self.show_missing(error.missing)
            self._say(error_text(error), RED)
        elif isinstance(error, UserFacingError):
            self._say(error_text(error), RED)
        else:
            show_error(self, self.tr("签发失败"), error)

    def _update_state(self) -> None:
        draft = self.is_draft()
        status = self.tr(DOC_STATUS.get(self.doc["status"], self.doc["status"]))
        number = self.doc["number"] or self.tr("签发时编号")
        version = (
            self.tr("　第{0}版（更正）").format(self.doc["version"])
            if self.doc["version"] > 1
            else ""
        )
        self.header.setText(
            f"<h3>{escape(self.doc['title'])}</h3>"
            f"<p>{escape(number)}　<b>{escape(status)}</b>{escape(version)}</p>"
        )
        for f in self.fields:
            widget = self.widgets[f["name"]]
            if isinstance(widget, QComboBox):
                widget.setEnabled(draft and not self.busy)
            elif isinstance(widget, QPlainTextEdit | QLineEdit | OfficersField):
                widget.setReadOnly(not draft or self.busy or f["filled_at_issue"])
        self.save_button.setEnabled(draft and not self.busy)
        self.issue_button.setEnabled(draft and not self.busy)
        self.save_button.setVisible(draft)
        self.issue_button.setVisible(draft)
        self.print_button.setVisible(not draft)
        self.save_pdf_button.setVisible(not draft)
        self.print_button.setEnabled(not self.busy)
        self.save_pdf_button.setEnabled(not self.busy)
        self.close_button.setEnabled(not self.busy)

    def reject(self) -> None:
        """Esc and the window's close button behave like 关闭: typed values are saved, never
        dropped (a value that fails its check keeps the editor open with the reason shown)."""
        if self.busy or self.saving:  # Esc during an issue must not orphan the worker's result
            return
        if self.is_draft() and self.changed_values():
            self.save(then=self.accept)  # closes once the values are stored
            return
        super().reject()

    def close_editor(self) -> None:
        if self.busy or self.saving:
            return
        if self.is_draft() and self.changed_values():
            self.save(then=self.accept)  # closes once the values are stored
            return
        self.accept()
