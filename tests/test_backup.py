"""Backup to one file, restore on "another laptop", verified before use; damage is refused."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from officer_app.__main__ import main
from officer_app.services import backup, catalogue, demo, documents, info
from officer_app.services.context import AppContext


@pytest.fixture
def stocked(officer_ctx: AppContext) -> AppContext:
    demo.load_demo(officer_ctx)
    doc = documents.new_document(officer_ctx, "case_transfer", case_id=demo.CASE_ID)
    catalogue.confirm_draft_basis(officer_ctx, doc["id"])  # the officer checked the basis
    documents.issue_document(officer_ctx, doc["id"])  # the demo case fills every required field
    return officer_ctx


def test_backup_and_restore_on_another_data_dir(stocked: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "backup.zip"
    out.parent.mkdir()
    result = backup.backup(stocked, out)
    assert result["evidence"] == 5 and result["documents"] >= 1
    target = tmp_path / "new-laptop"
    restored = backup.restore(out, target)
    assert restored["verified"]["ok"]
    with AppContext.open(target) as copy:
        assert info.counts(copy) == info.counts(stocked)
        assert copy.current_officer() == stocked.current_officer()
        issued = copy.store.query("SELECT pdf_sha256 FROM documents WHERE status = 'issued'")
        assert issued and (target / "documents" / f"{issued[0]['pdf_sha256']}.pdf").is_file()


def test_backup_is_consistent_while_another_connection_writes(
    stocked: AppContext, tmp_path: Path
) -> None:
    writer = sqlite3.connect(stocked.store.path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO settings (key, value) VALUES ('uncommitted', '1')")
    try:
        backup.backup(stocked, tmp_path / "b.zip")
    finally:
        writer.rollback()
        writer.close()
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        zf.extract(backup.STORE_MEMBER, tmp_path / "x")
    snap = sqlite3.connect(tmp_path / "x" / backup.STORE_MEMBER)
    try:
        assert (
            snap.execute("SELECT COUNT(*) FROM settings WHERE key='uncommitted'").fetchone()[0] == 0
        )
        assert snap.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        snap.close()


def _tamper(src: Path, dst: Path, member_prefix: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith(member_prefix):
                data = data[:-20] + bytes(b ^ 0xFF for b in data[-20:])
                member_prefix = "\0"  # only the first one
            zout.writestr(item, data)


@pytest.mark.parametrize("member", ["evidence/", "store/", "documents/"])
def test_damaged_backup_is_refused_and_nothing_is_written(
    stocked: AppContext, tmp_path: Path, member: str
) -> None:
    good = tmp_path / "good.zip"
    backup.backup(stocked, good)
    bad = tmp_path / "bad.zip"
    _tamper(good, bad, member)
    target = tmp_path / "target"
    with pytest.raises(backup.BackupError) as caught:
        backup.restore(bad, target)
    assert "损坏" in caught.value.message_zh
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]


def test_restore_refuses_to_overwrite_a_store(stocked: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "b.zip"
    backup.backup(stocked, out)
    with pytest.raises(backup.BackupError):
        backup.restore(out, stocked.data.root)
    assert stocked.store.scalar("SELECT COUNT(*) FROM evidence") == 5


def test_cli_backup_restore(stocked: AppContext, tmp_path: Path, capsysbinary) -> None:
    root = str(stocked.data.root)
    out = tmp_path / "cli.zip"
    assert main(["--data-dir", root, "backup", "--out", str(out), "--json"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["evidence"] == 5
    target = tmp_path / "restored"
    assert main(["--data-dir", str(target), "restore", str(out), "--json"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["verified"]["ok"] is True
    assert main(["--data-dir", str(target), "verify"]) == 0
    assert main(["--data-dir", str(target), "restore", str(tmp_path / "missing.zip")]) == 1
