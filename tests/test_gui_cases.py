"""The 案件 page with real widgets: list model (qtmodeltester), filters, the detail with the
out-of-jurisdiction banner, the case editor's live party checks, and the jurisdiction change."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox

from officer_app.services import cases, evidence_query
from officer_app.ui.case_model import CaseTableModel, EvidencePickModel, IdRole
from officer_app.ui.case_page import CasePage
from officer_app.ui.tasks import as_writer
from tests.doc_fixtures import load_demo

pytestmark = pytest.mark.gui
VALID_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # check character should be X
VALID_USCC = "91310110666007217T"
EARLY_USCC = "913101106660072170"  # well-formed, wrong check character: warn only


@pytest.fixture
def demo(ctx: Any) -> tuple[Any, str]:
    return ctx, load_demo(ctx)


@pytest.fixture
def page(qtbot, demo: tuple[Any, str]):
    widget = CasePage(demo[0])
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    yield widget
    widget.shutdown()


def photo_ids(ctx: Any, *names: str) -> list[str]:
    by_name = {e["original_name"]: e["id"] for e in evidence_query.list_evidence(ctx)}
    return [by_name[n] for n in names]


def ids_shown(page: CasePage) -> list[str]:
    return [page.model.index(r, 0).data(IdRole) for r in range(page.model.rowCount())]


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, demo: tuple[Any, str]) -> None:
    ctx, _case = demo
    photos = photo_ids(ctx, "DSC_0101.JPG")
    with as_writer():  # seeding, as the write executor would
        for i in range(120):  # more than one page of rows
            cases.record_case(
                ctx, violation_code="SRHJ-02" if i % 2 else "JZLJ-01", evidence_ids=photos
            )
    model = CaseTableModel(ctx)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 121
    last = model.index(120, 0).data(IdRole)
    assert model.row_of(last) == 120
    picker = EvidencePickModel(ctx)
    qtmodeltester.check(picker, force_py=True)
    picker.drain()


def test_filters_drive_the_list(qtbot, page: CasePage, demo: tuple[Any, str]) -> None:
    ctx, demo_case = demo
    with as_writer():  # seeding, as the write executor would
        own = cases.record_case(
            ctx,
            violation_code="SRHJ-02",
            evidence_ids=photo_ids(ctx, "DSC_0101.JPG"),
            parties=[cases.person_party("李四", VALID_ID).party],
            place="金泽镇沿湖道路",
        )
    page.refresh()
    assert set(ids_shown(page)) == {demo_case, own}
    page.violation_combo.setCurrentIndex(page.violation_combo.findData("JZLJ-01"))
    assert ids_shown(page) == [demo_case]
    page.violation_combo.setCurrentIndex(0)
    page.jurisdiction_combo.setCurrentIndex(page.jurisdiction_combo.findData("320509"))
    assert ids_shown(page) == [demo_case]
    page.jurisdiction_combo.setCurrentIndex(0)
    page.status_combo.setCurrentIndex(page.status_combo.findData("transferred"))
    assert ids_shown(page) == []
    page.status_combo.setCurrentIndex(0)
    page.text_edit.setText("李四")  # a party's name finds the case
    qtbot.waitUntil(lambda: ids_shown(page) == [own], timeout=3000)
    page.text_edit.setText("苏E5K218")  # a plate too
    qtbot.waitUntil(lambda: ids_shown(page) == [demo_case], timeout=3000)


def test_detail_says_foreign_jurisdiction_and_offers_transfer(
    qtbot, page: CasePage, demo: tuple[Any, str]
) -> None:
    ctx, demo_case = demo
    assert page.select_case(demo_case)
    assert page.foreign_frame.isVisibleTo(page)
    assert page.foreign_label.text() == "该案件属于外地管辖（吴江区），建议移送"
    html = page.detail.toPlainText()
    assert "《城市建筑垃圾管理规定》" in html and "吴江区（320509）" in html
    assert "苏E5K218" in html and "江苏普通号牌" in html
    qtbot.waitUntil(lambda: page.photos.rowCount() == 2, timeout=3000)
    with qtbot.waitSignal(page.documentRequested) as blocker:
        qtbot.mouseClick(page.transfer_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["case_transfer", demo_case]

    with as_writer():  # seeding, as the write executor would
        own = cases.record_case(
            ctx, violation_code="SRHJ-02", evidence_ids=photo_ids(ctx, "DSC_0101.JPG")
        )
    page.refresh()
    assert page.select_case(own)
    assert not page.foreign_frame.isVisibleTo(page)  # 金泽 lies in the officer's own 青浦区


def test_change_jurisdiction_needs_a_reason(qtbot, page: CasePage, demo: tuple[Any, str]) -> None:
    ctx, demo_case = demo
    page.select_case(demo_case)
    dialog = page.change_jurisdiction()
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no reason, no change
    dialog.division_combo.setCurrentIndex(dialog.division_combo.findData("310118"))
    dialog.reason_edit.setPlainText("经现场复核，倾倒点位于金泽镇一侧")
    assert ok.isEnabled()
    with qtbot.waitSignal(page.changed):  # stored on the write executor
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert cases.get_case(ctx, demo_case)["jurisdiction"]["code"] == "310118"
    assert not page.foreign_frame.isVisibleTo(page)
    assert "经现场复核" in page.detail.toPlainText()


def test_editor_explains_an_invalid_id_number(qtbot, page: CasePage, demo: tuple[Any, str]) -> None:
    ctx, _case = demo
    editor = page.new_case(photo_ids(ctx, "DSC_0112.JPG"))
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("person"))
    editor.name_edit.setText("张三")
    editor.number_edit.setText(BAD_ID)
    text = editor.party_message.text()
    assert "无效" in text and "校验位" in text and BAD_ID in text
    assert "#b00020" in editor.party_message.styleSheet()
    assert not editor.add_party_button.isEnabled()
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert editor.case_id is None and editor.isVisible()  # refused, the dialog stays
    assert "当事人信息有误" in editor.message.text()

    editor.number_edit.setText(VALID_ID)
    text = editor.party_message.text()
    assert "号码有效" in text and "1949-12-31" in text and "女" in text and "110105" in text
    assert editor.add_party_button.isEnabled()
    qtbot.mouseClick(editor.add_party_button, Qt.MouseButton.LeftButton)
    assert editor.party_list.count() == 1 and [p.id_number for p in editor.party_rows()] == [
        VALID_ID
    ]


def test_uscc_check_failure_warns_but_does_not_block(
    qtbot, page: CasePage, demo: tuple[Any, str]
) -> None:
    ctx, _case = demo
    picked = photo_ids(ctx, "DSC_0112.JPG", "DSC_0113.JPG")
    editor = page.new_case(picked)
    assert editor.evidence_model.checked == picked  # pre-selected from the evidence page
    assert "已选 2 张" in editor.picked_label.text() and "吴江区" in editor.picked_label.text()
    editor.set_violation("JZLJ-01")
    assert "第二十六条" in editor.basis_label.text()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("organisation"))
    editor.name_edit.setText("某建筑工程有限公司")
    editor.number_edit.setText(EARLY_USCC)
    assert editor.party_message.text().startswith("⚠")
    assert "#8a5300" in editor.party_message.styleSheet()
    assert editor.add_party_button.isEnabled()
    editor.add_party()
    assert editor.kind_combo.findData("vehicle") == -1  # vehicles are clues, not parties
    editor.plate_edit.setText("沪AD12345")
    assert "纯电动" in editor.plate_message.text()
    editor.vehicle_desc_edit.setText("渣土车")
    editor.place_edit.setText("吴江区黎里镇汾湖岸边")
    editor.description_edit.setPlainText("复查发现新倾倒点")
    with qtbot.waitSignal(editor.recorded) as blocker:
        qtbot.mouseClick(
            editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    case_id = blocker.args[0]
    case = cases.get_case(ctx, case_id)
    assert [p["kind"] for p in case["parties"]] == ["organisation"]
    assert [(v["plate"], v["description"]) for v in case["vehicles"]] == [("沪AD12345", "渣土车")]
    assert case["parties"][0]["details"]["check_digit_warning"]
    assert [e["id"] for e in case["evidence"]] == picked
    assert page.current is not None and page.current["id"] == case_id
    assert "⚠" in page.detail.toPlainText()
    assert page.foreign_label.text() == "该案件属于外地管辖（吴江区），建议移送"


def test_editor_refuses_a_case_without_photos(qtbot, page: CasePage) -> None:
    editor = page.new_case()
    editor.set_violation("JZLJ-01")
    editor.evidence_model.set_checked([])
    editor.save()
    qtbot.waitUntil(lambda: "至少需要一份证据" in editor.message.text())  # refused by the writer
    assert editor.case_id is None
    editor.reject()
    assert page.model.rowCount() == 1


def test_violation_type_has_no_silent_default(qtbot, page: CasePage, demo: tuple[Any, str]) -> None:
    ctx, _case = demo
    photo = photo_ids(ctx, "DSC_0120.JPG")[0]
    editor = page.new_case([photo])
    # Empty until the officer picks one: recording under the first type would be a wrong case.
    assert editor.violation_combo.currentIndex() == -1
    assert editor.violation_combo.placeholderText() == "请选择违法类型"
    assert editor.basis_label.text() == ""
    editor.save()
    assert editor.case_id is None and editor.message.text() == "请选择违法类型。"
    assert page.model.rowCount() == 1
    # Prefilled from the photo: the district and its coordinates; time and jurisdiction shown.
    assert editor.place_edit.text() == "嘉善县（北纬30.96100°，东经120.88020°）"
    assert "发现时间 2026年11月20日 10:17:35，管辖 嘉善县" in editor.picked_label.text()
    # Types of this laptop's real cases come first, most used first (the demo's does not count).
    codes = [editor.violation_combo.itemData(i) for i in range(editor.violation_combo.count())]
    assert codes == sorted(codes)
    editor.set_violation("SRHJ-02")
    with qtbot.waitSignal(editor.recorded):
        editor.save()
    assert editor.case_id is not None
    again = page.new_case([photo])
    first = again.violation_combo.itemData(0)
    assert first == "SRHJ-02" and again.violation_combo.currentIndex() == -1
    again.reject()


def test_ticking_a_photo_selects_it(qtbot, page: CasePage, demo: tuple[Any, str]) -> None:
    ctx, _case = demo
    editor = page.new_case()
    model = editor.evidence_model
    row = model.row_of(photo_ids(ctx, "DSC_0120.JPG")[0])
    index = model.index(row)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert "已选 1 张" in editor.picked_label.text()
    assert not model.setData(QModelIndex(), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    editor.reject()
