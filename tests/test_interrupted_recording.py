"""Recordings get the crash-safety photos have (issue 16 item 4 for issue 19's streamed import).

A recording is streamed into ``tmp/stream-<id>.<run>.part`` while it is hashed, its intake note is
written, and it is renamed to ``tmp/<sha256>.<run>.part`` before it is published and its row
commits.  Killed (SIGKILL, for real, in a subprocess) at each of those points, ``verify`` names
what is left and how to fix it, a rerun of the import finishes the job, and ``verify --repair``
registers a recording whose original is gone, from the note, exactly as a rerun would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.media.hashing import sha256_file
from officer_app.services import evidence_import, repair, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.recordings import body_cam_mp4

POINTS = {
    # where the import is killed -> what verify must call it (never "extra")
    "stream_before_name": {"interrupted_part"},  # an unfinished copy, no note yet
    "blob_before_publish": {"interrupted_part", "interrupted_unsaved"},  # whole copy + note
    "import_before_commit": {"interrupted_import"},  # stored, with its note
}


def _killed_import(data: Path, original: Path, point: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "officer_app", "--data-dir", str(data), "evidence", "import",
         str(original)],
        env={**os.environ, "OFFICER_APP_FAULT": point},
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    assert proc.returncode in (-9, 137), proc.stderr.decode()


def _temp_files(ctx: AppContext) -> list[str]:
    tmp = BlobStore(ctx.data.evidence_dir).tmp
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


def _kinds(ctx: AppContext) -> set[str]:
    return {p["kind"] for p in verify.verify(ctx)["problems"]}


@pytest.mark.parametrize("point", sorted(POINTS))
def test_killed_recording_import_is_named_and_a_rerun_cleans_it(
    officer_ctx: AppContext, tmp_path: Path, point: str
) -> None:
    mp4 = body_cam_mp4(tmp_path / "card" / "VID_0001.MP4", seed=3)
    _killed_import(officer_ctx.data.root, mp4, point)
    left = _temp_files(officer_ctx)
    if point == "stream_before_name":
        assert any(name.startswith("stream-") for name in left), left
    result = verify.verify(officer_ctx)
    assert {p["kind"] for p in result["problems"]} == POINTS[point]
    messages = " ".join(p["message_zh"] for p in result["problems"])
    assert "来历不明" not in messages and "导入中断" in messages
    assert "重新导入" in messages and "verify --repair" in messages
    if point != "stream_before_name":
        assert "VID_0001.MP4" in messages  # the note written while staged names the recording

    report = evidence_import.import_files(officer_ctx, [mp4.parent])
    assert [(f.outcome, f.kind) for f in report.files] == [("imported", "video")]
    if point != "import_before_commit":  # otherwise the stored file is simply registered
        assert report.cleaned, "the rerun should say what it cleaned up"
    assert verify.verify(officer_ctx)["ok"]
    assert _temp_files(officer_ctx) == []
    stored = BlobStore(officer_ctx.data.evidence_dir).path_for(str(report.files[0].sha256))
    assert sha256_file(stored) == sha256_file(mp4)


@pytest.mark.parametrize("point", ["blob_before_publish", "import_before_commit"])
def test_repair_registers_a_recording_whose_original_is_gone(
    officer_ctx: AppContext, tmp_path: Path, point: str
) -> None:
    reference = body_cam_mp4(tmp_path / "ref" / "VID_0002.MP4", seed=4)
    imported = evidence_import.import_files(officer_ctx, [reference]).files[0]
    expected = officer_ctx.store.query(
        "SELECT kind, format, duration_s, codec, taken_at, lat, lon, width, height, evidence_type"
        " FROM evidence WHERE id = ?",
        [imported.evidence_id],
    )[0]
    mp4 = body_cam_mp4(tmp_path / "card" / "VID_0003.MP4", seed=5)
    sha = sha256_file(mp4)
    _killed_import(officer_ctx.data.root, mp4, point)
    mp4.unlink()  # the card was formatted: the store (or its staging area) holds the only copy

    result = repair.repair(officer_ctx)
    assert result["ok"], result["problems"]
    actions = [a["action"] for a in result["actions"]]
    if point == "blob_before_publish":
        assert actions == ["published_part", "registered"]
    else:
        assert actions == ["registered"]
    [row] = officer_ctx.store.query(
        "SELECT original_name, imported_by, size, kind, format, duration_s, codec, taken_at, lat,"
        " lon, width, height, evidence_type FROM evidence WHERE sha256 = ?",
        [sha],
    )
    assert row.pop("original_name") == "VID_0003.MP4"
    assert row.pop("imported_by") == officer_ctx.current_officer().id
    assert row.pop("size") == BlobStore(officer_ctx.data.evidence_dir).path_for(sha).stat().st_size
    assert row == expected  # read exactly as an import reads it (same encoder, same metadata)
    intake = officer_ctx.store.scalar(
        "SELECT COUNT(*) FROM ledger WHERE kind = 'evidence_intake' AND payload LIKE ?",
        [f"%{sha}%"],
    )
    assert intake == 1
    assert _temp_files(officer_ctx) == []


def test_a_failed_commit_takes_back_the_staged_recording(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    """A handled failure (a trigger refusing the row) leaves no stored file, copy or note."""
    officer_ctx.store.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON evidence BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    mp4 = body_cam_mp4(tmp_path / "VID_0004.MP4", seed=6)
    with pytest.raises(Exception, match="no"):
        evidence_import.import_files(officer_ctx, [mp4])
    assert list(BlobStore(officer_ctx.data.evidence_dir).iter_stored()) == []
    assert _temp_files(officer_ctx) == []
    officer_ctx.store.execute("DROP TRIGGER refuse")
    assert verify.verify(officer_ctx)["ok"]


def test_cancelled_import_leaves_no_staged_recording(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    """Recordings staged ahead of a cancel are taken back with their notes."""
    card = tmp_path / "card"
    for i in range(4):
        body_cam_mp4(card / f"VID_{i:04d}.MP4", seed=10 + i)
    done: list[object] = []  # cancelled once the first file is stored (workers ask it too)
    report = evidence_import.import_files(
        officer_ctx, [card], cancelled=lambda: bool(done), on_outcome=done.append
    )
    assert report.cancelled and [f.outcome for f in report.files] == ["imported"]
    assert _temp_files(officer_ctx) == []
    assert verify.verify(officer_ctx)["ok"]


def test_a_fifo_named_like_a_recording_is_refused_not_read(tmp_path: Path) -> None:
    """Opened without blocking and refused before its first byte is sniffed (no hang)."""
    fifo = tmp_path / "card" / "VID_0005.MP4"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    data = tmp_path / "data"
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from officer_app.services import evidence_import\n"
        "from officer_app.services.context import AppContext\n"
        "with AppContext.open(Path(sys.argv[1])) as ctx:\n"
        "    report = evidence_import.import_files(ctx, [Path(sys.argv[2])])\n"
        "print(json.dumps([(f.outcome, f.reason_code, f.reason) for f in report.files]))\n"
    )
    init = [sys.executable, "-m", "officer_app", "--data-dir", str(data), "init",
            "--officer-name", "张伟", "--badge", "31011800123", "--agency", "310118"]  # fmt: skip
    subprocess.run(init, check=True, capture_output=True, timeout=120)
    proc = subprocess.run(
        [sys.executable, "-c", script, str(data), str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO that is read waits for a writer forever
    )
    assert proc.returncode == 0, proc.stderr
    [(outcome, code, reason)] = json.loads(proc.stdout)
    assert (outcome, code) == ("rejected", "not_a_file")
    assert "管道" in reason and "VID_0005.MP4" in reason
