"""``verify`` catches every kind of tampering with stored evidence files and the ledger."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.services import evidence_import, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.photos import make_photo


@pytest.fixture
def stocked(officer_ctx: AppContext, tmp_path: Path) -> AppContext:
    photos = [make_photo(tmp_path / f"p{i}.jpg", seed=20 + i) for i in range(4)]
    evidence_import.import_files(officer_ctx, photos)
    assert verify.verify(officer_ctx)["ok"]
    return officer_ctx


def _kinds(ctx: AppContext) -> set[str]:
    return {p["kind"] for p in verify.verify(ctx)["problems"]}


def _blob(ctx: AppContext, index: int) -> Path:
    sha = ctx.store.query("SELECT sha256 FROM evidence ORDER BY imported_at, rowid")[index][
        "sha256"
    ]
    return BlobStore(ctx.data.evidence_dir).path_for(sha)


def _untrigger(ctx: AppContext) -> None:
    """What an attacker with the file would do first: drop the append-only guard."""
    ctx.store.execute("DROP TRIGGER ledger_no_update")
    ctx.store.execute("DROP TRIGGER ledger_no_delete")


def test_changed_file(stocked: AppContext) -> None:
    path = _blob(stocked, 1)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01  # one bit in the image data
    path.write_bytes(bytes(data))
    assert _kinds(stocked) == {"changed"}


def test_missing_file(stocked: AppContext) -> None:
    _blob(stocked, 2).unlink()
    assert _kinds(stocked) == {"missing"}


def test_extra_file(stocked: AppContext) -> None:
    stray = BlobStore(stocked.data.evidence_dir).root / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"planted")
    assert _kinds(stocked) == {"extra"}


def test_ledger_is_append_only_in_sql(stocked: AppContext) -> None:
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        stocked.store.execute("UPDATE ledger SET payload = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError):
        stocked.store.execute("DELETE FROM ledger WHERE seq = 1")


def test_altered_entry(stocked: AppContext) -> None:
    _untrigger(stocked)
    payload = json.loads(stocked.store.scalar("SELECT payload FROM ledger WHERE seq = 2"))
    payload["lat"] = 31.5
    stocked.store.execute("UPDATE ledger SET payload = ? WHERE seq = 2", [json.dumps(payload)])
    stocked.store.conn.commit()
    assert "ledger_altered" in _kinds(stocked)


def test_removed_entry_in_the_middle(stocked: AppContext) -> None:
    _untrigger(stocked)
    stocked.store.execute("DELETE FROM ledger WHERE seq = 2")
    stocked.store.conn.commit()
    kinds = _kinds(stocked)
    assert {"ledger_gap", "ledger_broken_link", "intake_missing"} <= kinds


def test_removed_last_entry_is_caught_by_the_cross_check(stocked: AppContext) -> None:
    _untrigger(stocked)
    stocked.store.execute("DELETE FROM ledger WHERE seq = (SELECT MAX(seq) FROM ledger)")
    stocked.store.conn.commit()
    assert _kinds(stocked) == {"intake_missing"}


def test_reordered_entries(stocked: AppContext) -> None:
    _untrigger(stocked)
    stocked.store.execute("UPDATE ledger SET seq = -1 WHERE seq = 2")
    stocked.store.execute("UPDATE ledger SET seq = 2 WHERE seq = 3")
    stocked.store.execute("UPDATE ledger SET seq = 3 WHERE seq = -1")
    stocked.store.conn.commit()
    assert {"ledger_altered", "ledger_broken_link"} <= _kinds(stocked)


def test_evidence_row_edited_to_match_a_swapped_file(stocked: AppContext) -> None:
    """Replacing a file *and* its row's hash still disagrees with the intake entry."""
    path = _blob(stocked, 0)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    forged = b"forged bytes"
    import hashlib

    new_sha = hashlib.sha256(forged).hexdigest()
    target = BlobStore(stocked.data.evidence_dir).path_for(new_sha)
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(forged)
    old_sha = path.name
    path.unlink()
    stocked.store.execute("UPDATE evidence SET sha256 = ? WHERE sha256 = ?", [new_sha, old_sha])
    stocked.store.conn.commit()
    assert _kinds(stocked) == {"intake_mismatch"}


def test_cli_verify_exit_codes(stocked: AppContext) -> None:
    root = str(stocked.data.root)

    def cli() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "officer_app", "--data-dir", root, "verify", "--json"],
            capture_output=True,
            timeout=120,
        )

    ok = cli()
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    _blob(stocked, 3).unlink()
    bad = cli()
    assert bad.returncode == 1
    result = json.loads(bad.stdout)
    assert result["ok"] is False and result["problems"][0]["kind"] == "missing"
