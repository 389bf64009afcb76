"""The 文书 page and the form editor with real widgets, from the demo evidence to an issued
案件移送函: drafting from the case, filling and saving, the missing-fields refusal, issuing off the
GUI thread, the list's 文号, the in-app preview, "save as PDF" (byte-identical to the recorded
SHA-256), printing to a PDF QPrinter, corrections, and the list model under qtmodeltester."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QPlainTextEdit

from officer_app.domain.legal_catalogue import UNCONFIRMED_MARK
from officer_app.services import cases, documents, evidence_query
from officer_app.ui.case_page import CasePage
from officer_app.ui.document_editor import DocumentEditor
from officer_app.ui.document_page import DocumentPage, DocumentTableModel
from officer_app.ui.issue_dialog import IssueDialog
from officer_app.ui.tasks import as_writer
from tests.doc_fixtures import load_demo

pytestmark = pytest.mark.gui
NUMBER = re.compile(r"^青城管移〔2026〕(\d+)号$")
ISSUE_TIMEOUT = 120_000  # rendering embeds the CJK font subset and two photos


@pytest.fixture
def demo(ctx: Any) -> tuple[Any, str]:
    return ctx, load_demo(ctx)


@pytest.fixture
def pages(qtbot, demo: tuple[Any, str]):
    ctx, _case = demo
    case_page = CasePage(ctx)
    doc_page = DocumentPage(ctx)
    case_page.documentRequested.connect(doc_page.start_document)
    case_page.documentOpened.connect(doc_page.open_document)
    for widget in (case_page, doc_page):
        qtbot.addWidget(widget)
        widget.resize(1300, 860)
        widget.show()
    yield case_page, doc_page
    doc_page.shutdown()
    case_page.shutdown()


def _started(qtbot, doc_page: DocumentPage, click: Any) -> DocumentEditor:
    """The editor of the draft that ``click()`` asks for, once the writer has stored it."""
    before = doc_page.editor
    click()
    qtbot.waitUntil(lambda: doc_page.editor is not before, timeout=30_000)
    assert doc_page.editor is not None
    return doc_page.editor


def _saved(qtbot, editor: DocumentEditor) -> None:
    with qtbot.waitSignal(editor.saved, timeout=30_000):
        assert editor.save()


def _issue(qtbot, editor: DocumentEditor, *, basis_checked: bool = False) -> IssueDialog:
    """签发 as the officer does it: the button, then the one confirmation dialog."""
    editor.issue_dialog = None
    with qtbot.waitSignal(editor.issued, timeout=ISSUE_TIMEOUT):
        qtbot.mouseClick(editor.issue_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: editor.issue_dialog is not None, timeout=30_000)  # after saving
        dialog = editor.issue_dialog
        assert dialog is not None and dialog.isVisible()
        if basis_checked:
            assert dialog.basis_check is not None
            dialog.basis_check.setChecked(True)
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    return dialog


def test_demo_evidence_to_issued_transfer_letter(
    qtbot, tmp_path: Path, pages: tuple[CasePage, DocumentPage], demo: tuple[Any, str]
) -> None:
    ctx, _demo_case = demo
    case_page, doc_page = pages
    # 1. A case from the demo's photos at the 汾湖 dumping site, through the case editor.
    by_name = {e["original_name"]: e["id"] for e in evidence_query.list_evidence(ctx)}
    photos = [by_name["DSC_0112.JPG"], by_name["DSC_0113.JPG"]]
    editor = case_page.new_case(photos)
    editor.set_violation("JZLJ-01")
    editor.plate_edit.setText("苏E5K218")  # a clue: the party stays 待查
    editor.vehicle_desc_edit.setText("自卸货车")
    editor.place_edit.setText("吴江区黎里镇汾湖岸边滩地")
    editor.description_edit.setPlainText("岸边新倾倒建筑垃圾约20立方米。")
    with qtbot.waitSignal(editor.recorded) as recorded:
        qtbot.mouseClick(
            editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    case_id = recorded.args[0]
    assert case_page.current is not None and case_page.current["id"] == case_id
    # 2. The photos lie inside 吴江区 (real boundaries), the officer is from 青浦区: transfer it.
    assert case_page.current["jurisdiction"] == {"code": "320509", "name": "吴江区"}
    assert case_page.foreign_label.text() == "该案件属于外地管辖（吴江区），建议移送"
    doc_editor = _started(
        qtbot,
        doc_page,
        lambda: qtbot.mouseClick(case_page.transfer_button, Qt.MouseButton.LeftButton),
    )
    assert doc_editor.isVisible()
    assert doc_editor.doc["case_id"] == case_id and doc_editor.doc["form_id"] == "case_transfer"
    assert doc_editor.value("receiving_agency") == "苏州市吴江区综合行政执法局"
    assert doc_editor.value("issuing_agency") == "上海市青浦区城市管理行政执法局"
    assert doc_editor.value("party") == "待查" and "苏E5K218" in doc_editor.value("plates")
    assert isinstance(doc_editor.widgets["facts"], QPlainTextEdit)
    assert isinstance(doc_editor.widgets["handling"], QComboBox)
    assert "*" in doc_editor.labels["receiving_agency"].text()
    # 3. Fill what the case cannot know: the contact's telephone.
    doc_editor.set_value("contact", "演示执法员 021-59230000")
    _saved(qtbot, doc_editor)
    assert documents.get_document(ctx, doc_editor.doc_id)["fields"]["contact"].endswith(
        "021-59230000"
    )
    # The basis cites law nobody has checked: the 签发 dialog lists it and cannot be confirmed
    # until the officer has checked it against the published text (or removed the marks).
    assert UNCONFIRMED_MARK in doc_editor.value("legal_basis")
    assert doc_editor.issue() is True
    qtbot.waitUntil(lambda: doc_editor.issue_dialog is not None, timeout=30_000)
    dialog = doc_editor.issue_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChild(QLabel, "unverified_legal_basis") is not None
    assert not dialog.issue_button.isEnabled()
    assert NUMBER.match(dialog.plan["number"])
    assert dialog.plan["number"] in dialog.number_label.text()
    qtbot.waitUntil(lambda: dialog.preview.page_count() >= 1, timeout=ISSUE_TIMEOUT)
    dialog.reject()  # cancelled: nothing issued, no number taken
    assert documents.get_document(ctx, doc_editor.doc_id)["status"] == "draft"
    doc_editor.set_value(
        "legal_basis", doc_editor.value("legal_basis").replace(UNCONFIRMED_MARK, "")
    )
    _saved(qtbot, doc_editor)
    # 4. Issue on a worker; the 文号 appears in the list (the one the dialog said).
    dialog = _issue(qtbot, doc_editor)
    assert dialog.basis_check is None  # nothing left to check
    issued = documents.get_document(ctx, doc_editor.doc_id)
    assert issued["number"] == dialog.plan["number"]
    assert issued["status"] == "issued"
    match = NUMBER.match(issued["number"])
    assert match, issued["number"]
    assert issued["number"] in doc_page.number_rows()
    assert "已签发" in doc_editor.message.text()
    assert not doc_editor.issue_button.isEnabled()
    assert cases.get_case(ctx, case_id)["status"] == "transferred"
    # 5. The preview shows the stored original's pages.
    with qtbot.waitSignal(doc_page.previewed, timeout=60_000) as previewed:
        doc_page.refresh_preview()
    assert previewed.args[0] == issued["pages"] >= 1
    assert doc_page.preview.page_count() == issued["pages"]
    # 6. Save as PDF: byte-identical to what the ledger recorded.
    target = tmp_path / "out" / "移送函.pdf"
    with qtbot.waitSignal(doc_page.pdfSaved, timeout=60_000) as saved:
        assert doc_page.save_pdf(target)
    assert saved.args == [str(target), issued["pdf_sha256"]]
    assert hashlib.sha256(target.read_bytes()).hexdigest() == issued["pdf_sha256"]
    # 7. Back on the case page, the letter is listed and the banner says it went.
    case_page.refresh()
    assert case_page.foreign_label.text() == "该案件属于外地管辖（吴江区），已移送"
    assert not case_page.transfer_button.isVisibleTo(case_page)
    assert case_page.documents_list.count() == 1
    assert issued["number"] in case_page.documents_list.item(0).text()


def test_issue_refused_with_missing_fields_marked(
    qtbot, pages: tuple[CasePage, DocumentPage], demo: tuple[Any, str]
) -> None:
    ctx, demo_case = demo
    case_page, doc_page = pages
    case_page.select_case(demo_case)
    editor = _started(
        qtbot,
        doc_page,
        lambda: qtbot.mouseClick(case_page.transfer_button, Qt.MouseButton.LeftButton),
    )
    editor.set_value("receiving_agency", "")
    editor.set_value("contact", "")
    editor.issue()  # the blanks are saved, then refused before anything is numbered
    qtbot.waitUntil(editor.missing_label.isVisible, timeout=30_000)
    assert editor.issue_dialog is None
    assert editor.marked() == {"receiving_agency", "contact"}
    assert editor.missing_label.isVisible()
    assert editor.missing_label.text() == "不能签发，缺少必填项：受移送机关、联系人及电话"
    assert "border: 2px solid" in editor.widgets["contact"].styleSheet()
    doc = documents.get_document(ctx, editor.doc_id)
    assert doc["status"] == "draft" and doc["number"] is None
    assert {m["name"] for m in doc["missing"]} == {"receiving_agency", "contact"}
    doc_page.refresh()
    assert doc_page.number_rows() == ["（草稿，未编号）"]
    # Filling one clears its mark; the other stays marked.
    editor.set_value("receiving_agency", "苏州市吴江区综合行政执法局")
    editor.issue()
    qtbot.waitUntil(lambda: editor.marked() == {"contact"}, timeout=30_000)
    assert editor.issue_dialog is None
    assert editor.missing_label.text() == "不能签发，缺少必填项：联系人及电话"


def test_invalid_value_marked_on_its_field(
    qtbot, pages: tuple[CasePage, DocumentPage], demo: tuple[Any, str]
) -> None:
    _ctx, demo_case = demo
    _case_page, doc_page = pages
    editor = _started(qtbot, doc_page, lambda: doc_page.start_document("case_transfer", demo_case))
    editor.set_value("contact", "很长" * 40)  # max_length 60
    assert editor.save() is False
    assert editor.marked() == {"contact"}
    assert "不能超过60个字" in editor.message.text()


def test_print_to_pdf_printer_and_correction(
    qtbot, tmp_path: Path, pages: tuple[CasePage, DocumentPage], demo: tuple[Any, str]
) -> None:
    ctx, demo_case = demo
    _case_page, doc_page = pages
    editor = _started(qtbot, doc_page, lambda: doc_page.start_document("case_transfer", demo_case))
    # The officer ticks "checked against the published text" in the 签发 dialog: the marks go,
    # the attestation is in the ledger, the letter is issued, all from the one confirmation.
    assert UNCONFIRMED_MARK in editor.value("legal_basis")
    _issue(qtbot, editor, basis_checked=True)
    issued = documents.get_document(ctx, editor.doc_id)
    assert UNCONFIRMED_MARK not in issued["fields"]["legal_basis"]
    assert UNCONFIRMED_MARK not in editor.value("legal_basis")
    confirmed = ctx.store.scalar(
        "SELECT COUNT(*) FROM ledger WHERE kind = 'legal_basis_confirmed' AND entity_id = ?",
        [issued["id"]],
    )
    assert confirmed == 1
    # Issued: the editor offers printing and saving in place of 保存 and 签发.
    assert editor.print_button.isVisible() and editor.save_pdf_button.isVisible()
    assert not editor.issue_button.isVisible()
    editor.close_editor()
    assert doc_page.select_document(issued["id"])
    # The QPrintDialog is bypassed: a configured printer is handed in.
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    with qtbot.waitSignal(doc_page.printed, timeout=120_000) as printed:
        assert doc_page.print_current(printer)
    assert printed.args == [issued["pages"]]
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == issued["pages"]
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5  # A4
    # 更正: a new draft version; the original stays issued until the correction is issued.
    correction = _started(
        qtbot,
        doc_page,
        lambda: qtbot.mouseClick(doc_page.correct_button, Qt.MouseButton.LeftButton),
    )
    assert correction.doc_id != issued["id"]
    assert correction.doc["version"] == 2 and correction.doc["supersedes_id"] == issued["id"]
    assert correction.value("issue_date") == ""
    _issue(qtbot, correction)
    assert documents.get_document(ctx, issued["id"])["status"] == "superseded"
    doc_page.refresh()
    statuses = {
        doc_page.model.index(r, 0).data(): doc_page.model.index(r, 3).data()
        for r in range(doc_page.model.rowCount())
    }
    assert statuses[issued["number"]] == "已作废"
    assert statuses[correction.doc["number"]] == "已签发"


def test_draft_preview_and_new_document_dialog(
    qtbot, pages: tuple[CasePage, DocumentPage], demo: tuple[Any, str]
) -> None:
    _ctx, demo_case = demo
    _case_page, doc_page = pages
    dialog = doc_page.new_document(demo_case)
    assert dialog.case_combo.currentData() == demo_case
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData("joint_patrol_record"))
    assert dialog.patrol_combo.isEnabled()  # a patrol form asks for the patrol
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData("assistance_request"))
    assert not dialog.patrol_combo.isEnabled()
    with qtbot.waitSignal(doc_page.previewed, timeout=60_000) as previewed:
        dialog.accept()
    assert previewed.args[0] >= 1
    editor = doc_page.editor
    assert editor is not None and editor.doc["form_id"] == "assistance_request"
    assert "草稿" in doc_page.preview._note.text()


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, demo: tuple[Any, str]) -> None:
    ctx, demo_case = demo
    with as_writer():  # seeding, as the write executor would
        for form in ("case_transfer", "assistance_request", "transfer_receipt"):
            documents.new_document(ctx, form, case_id=demo_case)
    model = DocumentTableModel(ctx)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert {model.index(r, 3).data() for r in range(3)} == {"草稿"}


def test_escape_keeps_what_was_typed(qtbot, tmp_path) -> None:
    """Esc on the form editor saves the draft's changes like 关闭 does; nothing typed is lost."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    from officer_app.services import demo, documents, officers
    from officer_app.services.context import AppContext
    from officer_app.ui.document_editor import DocumentEditor

    with as_writer(), AppContext.open(tmp_path / "d"):
        pass  # created and migrated, as the app does before its window opens
    with AppContext.open(tmp_path / "d") as ctx:
        with as_writer():  # seeding, as the write executor would
            officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
            demo.load_demo(ctx)
            doc = documents.new_document(ctx, "case_transfer", case_id=demo.CASE_ID)
        from officer_app.ui.tasks import TaskRunner

        runner = TaskRunner()
        editor = DocumentEditor(ctx, doc["id"], runner)
        qtbot.addWidget(editor)
        editor.show()
        edits = [
            w
            for w in editor.findChildren(QLineEdit) + editor.findChildren(QPlainTextEdit)
            if w.isVisible() and not w.isReadOnly()
        ]
        target = edits[0]
        if isinstance(target, QLineEdit):
            target.setText("护城河东侧（更正）")
        else:
            target.setPlainText("护城河东侧（更正）")
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not editor.isVisible())  # closed once the writer stored it
        values = json.loads(
            ctx.store.scalar("SELECT fields FROM documents WHERE id = ?", [doc["id"]])
        )
        assert "护城河东侧（更正）" in values.values()
        runner.drain()
