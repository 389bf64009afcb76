"""Errors reach the officer through one table keyed by code, in the UI's language.

Every code raised anywhere has an entry with an English translation; only the table's module in
ui/ reads ``message_zh``; with the English translation installed a real failure (a wrong 身份证号,
a damaged photo) is explained in English, and in the Chinese UI by the raise site's own sentence.
"""

from __future__ import annotations

import ast
import errno
import importlib
import pkgutil
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import officer_app
from officer_app.errors import UserFacingError, ValidationError
from officer_app.ui import error_text as table

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "officer_app"
TS = REPO / "resources" / "i18n" / "officer_app_en.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_ID = "110105194912310021"  # check character should be X


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def codes_of_error_classes() -> set[str]:
    """``code`` (and the media errors' fixed ``reason``) of every UserFacingError subclass."""
    for module in pkgutil.walk_packages(officer_app.__path__, "officer_app."):
        if not module.name.startswith("officer_app.ui"):
            importlib.import_module(module.name)
    codes = {UserFacingError.code}
    for cls in _subclasses(UserFacingError):
        codes.add(cls.code)
        if "reason" in vars(cls):
            codes.add(vars(cls)["reason"])
    return codes


def codes_given_at_raise_sites() -> set[str]:
    """Literal ``code=``/``reason_code=`` arguments (a raise narrowing its class's code, an
    import refusal) and the import's ``_rejected(path, reason, "code")`` calls, outside ui/."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg in ("code", "reason_code") and isinstance(kw.value, ast.Constant):
                    codes.add(kw.value.value)
                if kw.arg == "reason_code" and isinstance(kw.value, ast.IfExp):
                    codes |= {
                        v.value
                        for v in (kw.value.body, kw.value.orelse)
                        if isinstance(v, ast.Constant)
                    }
            name = getattr(node.func, "id", None)
            if (
                name == "_rejected"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
            ):
                codes.add(node.args[2].value)
    return codes


def test_the_code_collection_sees_every_kind_of_code() -> None:
    from_classes = codes_of_error_classes()
    assert {"invalid", "disk_full", "corrupt_image", "sync_refused", "busy", "bad_gpx"} <= (
        from_classes
    )
    at_sites = codes_given_at_raise_sites()
    assert {"invalid_resident_id", "empty_file", "vanished", "unreadable"} <= at_sites


def test_every_code_raised_has_an_entry() -> None:
    codes = codes_of_error_classes() | codes_given_at_raise_sites()
    missing = sorted(code for code in codes if code not in table.ERROR_TEXT)
    assert not missing, f"add these codes to officer_app/ui/error_text.py: {missing}"


def test_every_entry_has_an_english_translation_with_the_same_details() -> None:
    root = ET.parse(TS).getroot()
    english = {
        m.findtext("source"): m.find("translation").text
        for c in root.iter("context")
        if c.findtext("name") == table.CONTEXT
        for m in c.iter("message")
    }
    for code, source in table.ERROR_TEXT.items():
        assert source in english, code
        translation = english[source] or ""
        assert translation, code
        assert set(CJK.findall(translation)) <= set(source), code  # only what it quotes
        fields = sorted(re.findall(r"\{(\w+)\}", source))
        assert fields == sorted(re.findall(r"\{(\w+)\}", translation)), code


def test_no_ui_module_but_the_table_reads_message_zh() -> None:
    mentions = {
        path.name: path.read_text(encoding="utf-8").count("message_zh")
        for path in (PACKAGE / "ui").glob("*.py")
    }
    assert mentions["error_text.py"] > 0  # the scan reads the real files
    others = {name: n for name, n in mentions.items() if n and name != "error_text.py"}
    assert not others, f"show errors through ui/error_text.py instead: {others}"


@pytest.fixture
def english(qapp) -> Iterator[None]:
    from officer_app.ui.i18n import install_translators

    assert install_translators(qapp, "en") == "en"
    try:
        yield
    finally:
        install_translators(qapp, "zh_CN")


def _wrong_id() -> ValidationError:
    from officer_app.services import cases

    with pytest.raises(ValidationError) as caught:
        cases.person_party("张三", BAD_ID)
    return caught.value


def test_chinese_ui_shows_the_raise_sites_own_sentence(qapp) -> None:
    error = _wrong_id()
    assert table.error_text(error) == error.message_zh
    assert "校验位" in error.message_zh  # more precise than the table's entry, so it is kept
    assert table.coded_text("a_newer_platforms_code", "原文") == "原文"


def test_english_ui_formats_the_details_in(english: None, tmp_path: Path) -> None:
    from officer_app.fileguard import file_error, read_regular
    from officer_app.fileio import write_error
    from officer_app.media.errors import UnsupportedFormat
    from officer_app.services.document_records import DocumentIncompleteError
    from officer_app.sync.errors import RefusedError

    text = table.error_text(_wrong_id())
    assert text.startswith(f"The resident ID number {BAD_ID} of “张三” is not valid")

    missing = tmp_path / "gone.jpg"
    with pytest.raises(UserFacingError) as caught:
        read_regular(missing)
    assert table.error_text(caught.value) == f"Cannot read or write {missing}."
    assert table.error_text(caught.value) != file_error(OSError(2, "x"), missing).message_zh

    full = write_error(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "out.pdf")
    assert table.error_text(full).startswith(f"The disk is full: cannot write {tmp_path}")
    assert table.error_text(UnsupportedFormat("JPEG XL")) == "Unsupported format (JPEG XL)."
    from officer_app.services import forms

    with pytest.raises(ValidationError) as bad_amount:
        forms.check_value({"name": "fine", "label": "罚款", "validate": "amount"}, "五千")
    assert table.error_text(bad_amount.value) == (
        "罚款: the amount must be a number of yuan, e.g. 5000."
    )
    blank = [{"name": "party", "label": "当事人"}, {"name": "place", "label": "地点"}]
    incomplete = DocumentIncompleteError(blank)
    assert table.error_text(incomplete) == "Cannot issue: 2 required field(s) are still empty."

    refused = RefusedError("平台拒绝", "403", status=403, error="forbidden")
    assert table.error_text(refused) == "You are not allowed to access this data."
    odd = RefusedError("平台拒绝", "418", status=418, error="teapot")
    assert table.error_text(odd) == "The sync platform refused the request (status 418)."
    assert table.error_text(KeyError("x")).startswith("An internal error occurred")


@pytest.mark.gui
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_case_editor_explains_a_wrong_id_number_in_the_ui_language(
    qtbot, qapp, ctx: Any, language: str
) -> None:
    from officer_app.ui.case_page import CasePage
    from officer_app.ui.i18n import install_translators
    from tests.doc_fixtures import load_demo

    load_demo(ctx)
    assert install_translators(qapp, language) == language
    try:
        page = CasePage(ctx)
        qtbot.addWidget(page)
        page.show()
        editor = page.new_case([])
        editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("person"))
        editor.name_edit.setText("张三")
        editor.number_edit.setText(BAD_ID)
        shown = editor.party_message.text()
        if language == "en":
            assert shown.startswith(f"✗ The resident ID number {BAD_ID} of “张三” is not valid")
            assert not CJK.search(shown.replace("张三", ""))
        else:
            assert shown == "✗ " + _wrong_id().message_zh
        editor.reject()
        page.shutdown()
    finally:
        install_translators(qapp, "zh_CN")


@pytest.mark.gui
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_import_explains_a_damaged_photo_in_the_ui_language(
    qtbot, qapp, officer_ctx: Any, tmp_path: Path, language: str
) -> None:
    from officer_app.ui.evidence_page import EvidencePage
    from officer_app.ui.i18n import install_translators
    from tests.photos import make_photo

    photo = make_photo(tmp_path / "DSC_0001.jpg", seed=5)
    damaged = tmp_path / "DSC_0002.jpg"
    damaged.write_bytes(photo.read_bytes()[:2000])  # the card was pulled mid-write
    assert install_translators(qapp, language) == language
    try:
        page = EvidencePage(officer_ctx)
        qtbot.addWidget(page)
        page.show()
        dialog = page.import_paths([damaged])
        qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=60_000)
        assert dialog.table.item(0, 0).text() == "DSC_0002.jpg"
        reason = dialog.table.item(0, 2).text()
        if language == "en":
            assert dialog.table.item(0, 1).text() == "not imported"
            assert reason == "The file's data is damaged or incomplete."
        else:
            assert dialog.table.item(0, 1).text() == "未导入"
            assert reason == "图片数据损坏或不完整"  # the media layer's own sentence
        dialog.accept()
        page.shutdown()
    finally:
        install_translators(qapp, "zh_CN")
