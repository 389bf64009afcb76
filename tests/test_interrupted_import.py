"""Issue 16, item 4: what an interrupted import leaves is named by ``verify``, with the fix, and is
cleaned by a rerun or by ``verify --repair`` without losing a file.

The kills are real: a subprocess runs the import with ``OFFICER_APP_FAULT`` set to one of the
points where a power cut leaves something different behind, and the kernel ends it (SIGKILL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app import runlock
from officer_app.services import evidence_import, repair, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.photos import make_photo

POINTS = {
    # where the import is killed -> what verify must call it (never "extra")
    "import_after_note": {"interrupted_unsaved"},
    "blob_before_publish": {"interrupted_part", "interrupted_unsaved"},
    "import_before_commit": {"interrupted_import"},
}


def _kinds(ctx: AppContext) -> set[str]:
    return {p["kind"] for p in verify.verify(ctx)["problems"]}


def _killed_import(data: Path, photo: Path, point: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "officer_app", "--data-dir", str(data), "evidence", "import",
         str(photo)],
        env={**os.environ, "OFFICER_APP_FAULT": point},
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode in (-9, 137), proc.stderr.decode()


def _temp_files(ctx: AppContext) -> list[str]:
    tmp = BlobStore(ctx.data.evidence_dir).tmp
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


@pytest.mark.parametrize("point", sorted(POINTS))
def test_killed_import_is_named_and_a_rerun_cleans_it(
    officer_ctx: AppContext, tmp_path: Path, point: str
) -> None:
    photo = make_photo(tmp_path / "card" / "IMG_0001.JPG", seed=71)
    _killed_import(officer_ctx.data.root, photo, point)
    result = verify.verify(officer_ctx)
    kinds = {p["kind"] for p in result["problems"]}
    assert kinds == POINTS[point]
    messages = " ".join(p["message_zh"] for p in result["problems"])
    assert "来历不明" not in messages and "导入中断" in messages
    assert "重新导入" in messages and "verify --repair" in messages
    if point != "blob_before_publish":
        assert "IMG_0001.JPG" in messages  # the import's note names the photo

    report = evidence_import.import_files(officer_ctx, [photo.parent])
    assert [f.outcome for f in report.files] == ["imported"]
    assert verify.verify(officer_ctx)["ok"]
    assert _temp_files(officer_ctx) == []  # no part, note or lock file outlives the rerun


def test_repair_registers_what_the_note_describes(officer_ctx: AppContext, tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "IMG_0002.JPG", seed=72)
    _killed_import(officer_ctx.data.root, photo, "import_before_commit")
    photo.unlink()  # the card was formatted: the store holds the only copy
    result = repair.repair(officer_ctx)
    assert result["ok"], result["problems"]
    assert [a["action"] for a in result["actions"]] == ["registered"]
    rows = officer_ctx.store.query("SELECT original_name, imported_by FROM evidence")
    assert rows == [
        {"original_name": "IMG_0002.JPG", "imported_by": officer_ctx.current_officer().id}
    ]
    assert _temp_files(officer_ctx) == []


def test_repair_quarantines_what_nobody_can_account_for(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    stray = blobs.root / "ab" / ("ab" + "1" * 62)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not what its name says")
    photo = make_photo(tmp_path / "IMG_0003.JPG", seed=73)
    data = photo.read_bytes()
    sha = evidence_import.sha256_bytes(data)
    dead = "0" * 12  # a run token whose writer is long gone (no lock file)
    (blobs.tmp).mkdir(parents=True, exist_ok=True)
    (blobs.tmp / f"{sha}.{dead}.part").write_bytes(data)  # complete, but its note was lost
    half = "c" * 64
    (blobs.tmp / f"{half}.{dead}.part").write_bytes(data[:100])  # cut short
    legacy = blobs.tmp / "3f2a.part"  # an older release's temp name
    legacy.write_bytes(b"old")
    assert _kinds(officer_ctx) == {"extra", "interrupted_part"}

    result = repair.repair(officer_ctx)
    assert result["ok"], result["problems"]
    done = {(a["action"], a.get("why", "")) for a in result["actions"]}
    assert done == {
        ("published_part", "complete copy"),
        ("removed_part", "incomplete copy"),
        ("quarantined", ""),
    }
    moved = [Path(a["to"]) for a in result["actions"] if a["action"] == "quarantined"]
    assert sorted(p.name for p in moved) == sorted([stray.name, sha, legacy.name])
    assert {p.read_bytes() for p in moved} == {b"not what its name says", data, b"old"}
    assert all(p.is_relative_to(officer_ctx.data.root / "quarantine") for p in moved)
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 0
    assert _temp_files(officer_ctx) == []


def test_a_file_whose_row_was_deleted_is_left_for_a_person(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    photo = make_photo(tmp_path / "IMG_0004.JPG", seed=74)
    report = evidence_import.import_files(officer_ctx, [photo])
    evidence_id = report.files[0].evidence_id
    officer_ctx.store.execute("PRAGMA foreign_keys = OFF")
    officer_ctx.store.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])
    assert "row_missing" in _kinds(officer_ctx)
    result = repair.repair(officer_ctx)
    assert [a["action"] for a in result["actions"]] == ["left"]
    assert BlobStore(officer_ctx.data.evidence_dir).has(report.files[0].sha256 or "")
    assert not result["ok"]


def test_a_running_import_is_not_a_problem(officer_ctx: AppContext, tmp_path: Path) -> None:
    """Another process importing right now: its note and part are its own, not leftovers."""
    photo = make_photo(tmp_path / "IMG_0005.JPG", seed=75)
    data = photo.read_bytes()
    sha = evidence_import.sha256_bytes(data)
    running = BlobStore(officer_ctx.data.evidence_dir)
    running.note_intake(sha, {"original_name": "IMG_0005.JPG"})
    (running.tmp / f"{sha}.{running.run.token}.part").write_bytes(data[:50])
    assert verify.verify(officer_ctx)["ok"]
    assert repair.repair(officer_ctx)["actions"] == []
    running.close()  # the writer is gone: now they are leftovers
    assert _kinds(officer_ctx) == {"interrupted_part", "interrupted_unsaved"}


def test_a_failed_commit_takes_back_the_stored_file(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    """A handled failure (here a trigger refusing the row) leaves nothing for verify."""
    officer_ctx.store.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON evidence BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    photo = make_photo(tmp_path / "IMG_0006.JPG", seed=76)
    with pytest.raises(Exception, match="no"):
        evidence_import.import_files(officer_ctx, [photo])
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    assert list(blobs.iter_stored()) == []
    assert _temp_files(officer_ctx) == []
    officer_ctx.store.execute("DROP TRIGGER refuse")
    assert verify.verify(officer_ctx)["ok"]


def test_run_lock_tells_a_live_writer_from_a_dead_one(tmp_path: Path) -> None:
    folder = tmp_path / "tmp"
    lock = runlock.RunLock(folder)
    assert runlock.owner_alive(folder, lock.token)  # another open file in this very process
    assert runlock.dead_locks(folder) == []
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from officer_app.runlock import RunLock\n"
        "lock = RunLock(Path(sys.argv[1]))\n"
        "print(lock.token, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=60
    )
    token = proc.stdout.strip()
    assert runlock.lock_path(folder, token).exists()  # the killed writer could not clean up
    assert not runlock.owner_alive(folder, token)
    assert runlock.dead_locks(folder) == [runlock.lock_path(folder, token)]
    lock.release()
    assert not runlock.owner_alive(folder, lock.token) and not lock.path.exists()


def test_verify_repair_on_the_command_line(officer_ctx: AppContext, tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "IMG_0007.JPG", seed=77)
    data = officer_ctx.data.root
    _killed_import(data, photo, "import_before_commit")
    base = [sys.executable, "-m", "officer_app", "--data-dir", str(data), "verify"]
    before = subprocess.run(base, capture_output=True, timeout=120)
    assert before.returncode == 1
    assert "导入中断：IMG_0007.JPG" in before.stdout.decode()
    fixed = subprocess.run([*base, "--repair", "--json"], capture_output=True, timeout=120)
    assert fixed.returncode == 0, fixed.stderr.decode()
    assert json.loads(fixed.stdout)["actions"][0]["action"] == "registered"
    again = subprocess.run(base, capture_output=True, timeout=120)
    assert again.returncode == 0 and "校验通过" in again.stdout.decode()
