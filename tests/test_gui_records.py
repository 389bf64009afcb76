"""The form editor on a 现场检查（勘验）笔录 with real widgets: the officers present as a table, the
§42 notice with one officer, the refusal to issue it, times typed as 9:05 shown as 9时5分, and the
issue once a second officer of another agency is added."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt

from officer_app.services import documents
from officer_app.ui.document_editor import DocumentEditor
from officer_app.ui.officers_field import AGENCY, BADGE, NAME, OfficersField
from officer_app.ui.tasks import TaskRunner
from tests.doc_fixtures import load_demo

pytestmark = pytest.mark.gui
ISSUE_TIMEOUT = 120_000


@pytest.fixture
def editor(qtbot: Any, ctx: Any) -> Iterator[DocumentEditor]:
    case_id = load_demo(ctx)
    doc = documents.new_document(ctx, "site_inspection", case_id=case_id)
    runner = TaskRunner()
    dialog = DocumentEditor(ctx, doc["id"], runner)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    runner.drain()


def _pdf_text(path: str) -> str:
    reader = pypdf.PdfReader(io.BytesIO(Path(path).read_bytes()))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def test_officers_table_one_officer_refused_then_issued(qtbot: Any, editor: DocumentEditor) -> None:
    field = editor.widgets["officers"]
    assert isinstance(field, OfficersField)
    # Prefilled from the joint patrol: five officers of three agencies, one row each.
    assert field.table.rowCount() == 5
    assert field.count_label.text() == "共 5 名执法人员，来自 3 个单位"
    assert field.table.item(2, AGENCY).text() == "苏州市吴江区综合行政执法局黎里镇执法中队"
    assert not editor.notice_label.isVisible()
    # Only one of them was at the scene.
    field.table.selectRow(1)
    for row in range(2, 5):
        field.table.selectionModel().select(
            field.table.model().index(row, 0),
            field.table.selectionModel().SelectionFlag.Select
            | field.table.selectionModel().SelectionFlag.Rows,
        )
    qtbot.mouseClick(field.remove_button, Qt.MouseButton.LeftButton)
    assert field.table.rowCount() == 1 and "不得少于两人" in field.count_label.text()
    editor.set_value("start_time", "09:05")
    editor.set_value("end_time", "10：40")
    with qtbot.waitSignal(editor.saved):  # stored by the write executor
        assert editor.save() is True
    assert editor.value("start_time") == "9时5分" and editor.value("end_time") == "10时40分"
    assert "已保存，请注意" in editor.message.text() and "第四十二条" in editor.message.text()
    assert (
        editor.notice_label.isVisible()
        and "“检查人员”中现只登记了1名" in editor.notice_label.text()
    )
    # 签发 is refused with the reason before any confirmation is asked; the draft stays a draft.
    editor.issue()
    qtbot.waitUntil(lambda: "不能签发" in editor.message.text())
    assert editor.issue_dialog is None and "执法人员不得少于两人" in editor.message.text()
    assert documents.get_document(editor.ctx, editor.doc_id)["status"] == "draft"
    # A second officer, of the other agency, through the table.
    qtbot.mouseClick(field.add_button, Qt.MouseButton.LeftButton)
    row = field.table.rowCount() - 1
    assert field.table.item(row, AGENCY).text() == "上海市青浦区城市管理行政执法局金泽镇中队"
    field.table.item(row, AGENCY).setText("苏州市吴江区综合行政执法局")
    field.table.item(row, NAME).setText("李四")
    field.table.item(row, BADGE).setText("32050900002")
    assert field.count_label.text() == "共 2 名执法人员，来自 2 个单位"
    with qtbot.waitSignal(editor.issued, timeout=ISSUE_TIMEOUT):
        qtbot.mouseClick(editor.issue_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: editor.issue_dialog is not None)  # once the table is saved
        dialog = editor.issue_dialog  # the one confirmation: the number, the preview
        assert dialog is not None and dialog.isVisible() and not dialog.plan["unverified"]
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    doc = documents.get_document(editor.ctx, editor.doc_id)
    assert doc["status"] == "issued" and not editor.notice_label.isVisible()
    assert not field.add_button.isEnabled()  # issued: read-only
    text = _pdf_text(str(documents.issued_pdf_path(editor.ctx, doc["pdf_sha256"])))
    assert "检查时间：2026年11月20日9时5分至10时40分" in text
    assert "金泽镇中队：陈立群（执法证号31011820318）" in text and "周海峰" not in text
    assert "苏州市吴江区综合行政执法局：李四（执法证号32050900002）" in text


def test_row_without_badge_marked_and_nothing_saved(qtbot: Any, editor: DocumentEditor) -> None:
    field = editor.widgets["officers"]
    assert isinstance(field, OfficersField)
    before = documents.get_document(editor.ctx, editor.doc_id)["fields"]["officers"]
    qtbot.mouseClick(field.add_button, Qt.MouseButton.LeftButton)
    field.table.item(field.table.rowCount() - 1, NAME).setText("王五")
    assert editor.save() is False
    assert editor.marked() == {"officers"}
    assert "“王五”没有写明执法证号" in editor.message.text()
    assert documents.get_document(editor.ctx, editor.doc_id)["fields"]["officers"] == before
