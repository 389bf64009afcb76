"""The procedure in the GUI (issue 14): 立案 from the case page with the §60 limit shown, no
transfer banner for a case we found in a shared area of ours, and the inbox's 退回 / 反馈 dialogs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from officer_app.ui.case_page import CasePage
from officer_app.ui.transfer_inbox import FeedbackDialog, ReturnDialog, letters_text
from tests.doc_fixtures import load_demo, outside_the_gui

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: Any, officer_ctx: Any):
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    widget = CasePage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.refresh()
    yield widget, officer_ctx, case_id
    widget.shutdown()


def test_filing_from_the_case_page_shows_the_ninety_day_limit(qtbot: Any, page: Any) -> None:
    widget, _ctx, case_id = page
    assert widget.select_case(case_id)
    assert "尚未立案" in widget.detail.toPlainText()
    assert widget.file_button.isEnabled()
    dialog = widget.file_case()
    assert dialog is not None
    assert dialog.date_edit.minimumDate() == QDate(2026, 11, 20)  # not before the finding
    dialog.date_edit.setDate(QDate(2026, 11, 23))
    with qtbot.waitSignal(widget.changed):  # filed by the write executor
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    text = widget.detail.toPlainText()
    assert "2026-11-23" in text and "2027-02-22" in text and "第六十条" in text
    assert "2027年的节假日调休安排尚未收录" in text  # the limit crosses an unpublished year
    assert not widget.file_button.isEnabled()  # filed once
    assert "已立案" in widget.message.text()


def test_no_transfer_banner_for_a_case_we_found_in_our_shared_area(qtbot: Any, page: Any) -> None:
    widget, ctx, case_id = page
    assert widget.select_case(case_id)
    assert widget.foreign_frame.isVisibleTo(widget)  # 吴江: transfer proposed (§22)
    folder = ctx.data.root / "boundaries"
    folder.mkdir()
    area = {
        "type": "FeatureCollection",
        "kind": "shared_areas",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "T", "name": "测试共同管辖区域", "members": ["310118", "320509"],
                               "datum": "wgs84"},
                "geometry": {"type": "Polygon", "coordinates": [
                    [[120.83, 31.01], [120.84, 31.01], [120.84, 31.02], [120.83, 31.02]]]},
            }
        ],
    }  # fmt: skip
    (folder / "shared.geojson").write_text(json.dumps(area), encoding="utf-8")
    widget.show_case(case_id)
    assert not widget.foreign_frame.isVisibleTo(widget)
    assert "共同管辖区域" in widget.detail.toPlainText()
    assert "车辆" in widget.detail.toPlainText() and "苏E5K218" in widget.detail.toPlainText()


def test_return_dialog_asks_reason_and_basis_and_declines_a_joint_request(qtbot: Any) -> None:
    dialog = ReturnDialog("青城管移〔2026〕1号")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "第二十二条" in dialog.basis_edit.text()
    dialog.reason_edit.setPlainText("不属我单位管辖")
    assert ok.isEnabled()
    dialog.basis_edit.setText(" ")
    assert not ok.isEnabled()  # a 退回函 states its legal basis
    dialog.basis_edit.setText("《中华人民共和国行政处罚法》第二十五条")
    assert (dialog.reason(), dialog.basis()) == ("不属我单位管辖", dialog.basis_edit.text())
    joint = ReturnDialog("青城管联〔2026〕1号", joint=True)
    qtbot.addWidget(joint)
    joint.reason_edit.setPlainText("不涉及我单位职责")
    assert joint.basis() is None and joint.windowTitle() == "不同意联合查处"


def test_feedback_dialog_asks_what_each_outcome_needs(qtbot: Any) -> None:
    dialog = FeedbackDialog("青城管移〔2026〕1号", today=QDate(2026, 12, 2))
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.result_combo.setCurrentIndex(dialog.result_combo.findData("处罚决定"))
    assert dialog.decision_edit.isVisible() and not dialog.basis_edit.isVisible()
    assert not ok.isEnabled()
    dialog.decision_edit.setText("吴综执罚决字〔2026〕88号")
    dialog.fine_spin.setValue(20000)
    assert ok.isEnabled()
    assert dialog.values() == {
        "result": "处罚决定",
        "note": "",
        "decision_date": "2026-12-02",
        "decision_number": "吴综执罚决字〔2026〕88号",
        "fine": 20000.0,
        "executed": "yes",
    }
    dialog.result_combo.setCurrentIndex(dialog.result_combo.findData("移送司法"))
    assert not dialog.decision_edit.isVisible() and dialog.date_edit.isVisible()
    assert "第二十七条" in dialog.hint.text()
    assert dialog.values() == {"result": "移送司法", "note": "", "decision_date": "2026-12-02"}
    dialog.result_combo.setCurrentIndex(dialog.result_combo.findData("不予处罚"))
    assert dialog.basis_edit.isVisible() and dialog.values()["basis"].endswith("第三十三条")
    dialog.result_combo.setCurrentIndex(dialog.result_combo.findData("其他"))
    assert not ok.isEnabled()
    dialog.note_edit.setPlainText("当事人已自行清运")
    assert ok.isEnabled()


def test_letters_of_a_transfer_are_listed() -> None:
    t = {
        "documents": [
            {"title": "案件移送函", "number": "青城管移〔2026〕1号", "origin": "received"},
            {"title": "案件退回函", "number": "吴综执退〔2026〕1号", "origin": "ours"},
        ]
    }
    assert (
        letters_text(t)
        == "案件移送函　青城管移〔2026〕1号（对方）\n案件退回函　吴综执退〔2026〕1号"
    )


def test_document_editor_warns_when_a_deadline_runs_into_an_unpublished_year(
    qtbot: Any, page: Any
) -> None:
    import datetime as dt

    from officer_app.services import documents
    from officer_app.ui.document_editor import DocumentEditor
    from officer_app.ui.tasks import TaskRunner

    _widget, ctx, case_id = page
    moment = dt.datetime(2026, 12, 24, 2, tzinfo=dt.UTC)
    ctx.clock = lambda: moment
    with outside_the_gui():  # seeding, as the write executor would
        doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    editor = DocumentEditor(ctx, doc["id"], TaskRunner())
    qtbot.addWidget(editor)
    editor.show()
    assert editor.deadline_label.isVisible()
    assert "2027年的节假日调休安排尚未收录" in editor.deadline_label.text()
    assert editor.value("receipt_due") == ""  # computed when issued, not frozen in the draft
    editor.tasks.drain()
