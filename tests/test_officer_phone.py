"""The officer's optional phone: profile (CLI, dialog, migration) and the letter's 附注."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from officer_app.domain.people import normalise_phone
from officer_app.services import catalogue, documents
from officer_app.services.agencies import list_agencies
from officer_app.ui.profile_dialog import ProfileDialog
from tests.doc_fixtures import cli, load_demo
from tests.pdf_glyphs import page_content


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("021-59721234", "021-59721234"),
        ("02159721234", "021-59721234"),
        ("0512-63001234", "0512-63001234"),
        ("0573-8412345-801", "0573-8412345-801"),
        ("０２１－５９７２１２３４", "021-59721234"),
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("", ""),
    ],
)
def test_phone_forms_accepted(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("bad", ["12345", "1381234567", "23812345678", "021-1234", "abc", "110"])
def test_bad_phone_refused_with_a_chinese_message(bad: str) -> None:
    with pytest.raises(ValueError, match=r"联系电话格式不正确.*13812345678.*021-59721234"):
        normalise_phone(bad)


def test_init_with_phone_and_bad_phone(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("init", "--officer-name", "张伟", "--badge", "31011800123", "--agency", "310118")
    assert cli(data_dir, *args, "--phone", "021-5972 1234", "--json") == 0
    capsys.readouterr()
    assert cli(data_dir, *args, "--phone", "59721234", "--json") == 1
    err = capsys.readouterr().err
    assert "联系电话格式不正确" in err and "021-59721234" in err
    conn = sqlite3.connect(data_dir / "officer_app.sqlite3")
    # The bad number changed nothing; re-running init without --phone keeps the phone.
    assert conn.execute("SELECT phone FROM officers").fetchall() == [("021-59721234",)]
    conn.close()
    assert cli(data_dir, *args, "--json") == 0
    conn = sqlite3.connect(data_dir / "officer_app.sqlite3")
    assert conn.execute("SELECT phone FROM officers").fetchall() == [("021-59721234",)]
    conn.close()


def test_migration_gives_existing_officers_an_empty_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.services.context import AppContext
    from officer_app.store import migrations
    from officer_app.store.migration_officer_phone import MIGRATION_OFFICER_PHONE

    version = migrations.MIGRATIONS.index(MIGRATION_OFFICER_PHONE)
    old = migrations.MIGRATIONS[:version]
    root = tmp_path / "data"
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", old)
        m.setattr(migrations, "SCHEMA_VERSION", len(old))
        m.setattr("officer_app.store.db.MIGRATIONS", old, raising=False)
        m.setattr("officer_app.store.db.SCHEMA_VERSION", len(old), raising=False)
        with AppContext.open(root) as ctx, ctx.store.transaction():
            ctx.store.execute(
                "INSERT INTO officers (id, name, badge, agency_code, created_at)"
                " VALUES ('o1', '张伟', '31011800123', '310118', '2026-03-05T08:00:00+08:00')"
            )
    conn = sqlite3.connect(root / "officer_app.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    with AppContext.open(root) as ctx:
        assert ctx.store.scalar("PRAGMA user_version") == migrations.SCHEMA_VERSION
        rows = ctx.store.query("SELECT name, badge, phone FROM officers")
        assert rows == [{"name": "张伟", "badge": "31011800123", "phone": ""}]


def _note_run(ctx: Any, case_id: str) -> tuple[str, Any, Any]:
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(ctx, doc["id"])
    issued = documents.issue_document(ctx, doc["id"])
    data = Path(issued["path"]).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    runs = [r for p in reader.pages for r in page_content(p)[0]]
    note = next((r for r in runs if r.text.startswith("（联系人：")), None)
    assert note is not None, [r.text for r in runs]
    date = next(r for r in runs if r.y - note.y > 0 and r.y - note.y < 40 and "年" in r.text)
    return note.text, note, date


def test_letter_prints_the_phone_in_the_note(officer_ctx: Any) -> None:
    from officer_app.services.officers import add_or_select_officer

    ctx = officer_ctx
    add_or_select_officer(ctx, "张伟", "31011800123", "310118", "021-59721234")
    case_id = load_demo(ctx)
    text, note, date = _note_run(ctx, case_id)
    assert text == "（联系人：张伟，联系电话：021-59721234）"
    # §7.3.6: 居左空二字, on the line under the 成文日期.
    from officer_app.documents.geometry import DEFAULT_GEOMETRY as GEO

    pitch = GEO.body_size + (GEO.text_width - 28 * GEO.body_size) / 27
    assert note.x0 == pytest.approx(GEO.text_left + 2 * pitch, abs=0.03)
    assert date.y - note.y == pytest.approx(GEO.line_pitch, abs=0.01)


def test_letter_without_phone_prints_name_and_badge_and_issues(officer_ctx: Any) -> None:
    case_id = load_demo(officer_ctx)
    text, _, _ = _note_run(officer_ctx, case_id)
    assert text == "（联系人：张伟，执法证号：31011800123）"


def test_profile_dialog_phone_field(qtbot: Any, ctx: Any) -> None:
    dialog = ProfileDialog(list_agencies(ctx.store), first_start=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("张伟")
    dialog.badge_edit.setText("31011800123")
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData("310118"))
    qtbot.keyClicks(dialog.phone_edit, "5972123")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and "联系电话格式不正确" in dialog.error_label.text()
    dialog.phone_edit.setText("13812345678")
    ok.click()
    assert not dialog.isVisible() and dialog.phone() == "13812345678"


def test_public_profile_carries_the_phone(officer_ctx: Any) -> None:
    officer = officer_ctx.current_officer()
    assert json.loads(json.dumps(officer.public()))["phone"] == ""
