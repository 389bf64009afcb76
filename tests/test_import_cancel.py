"""Cancelling an import in the middle of one big recording (issue 19: multi-GB copies).

The cancel is real: the import runs on a real 200 MiB file (a real MP4 from PyAV's encoder with
200 MiB of incompressible bytes after it, every block written, nothing sparse) and is cancelled
when the staged copy on disk has passed 64 MiB, i.e. mid-copy.  Through the service (the dialog's
取消 sets the same callable) and through the CLI with a real SIGINT.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from officer_app.services import evidence_import, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.recordings import body_cam_mp4

BIG = 200 << 20
MID = 64 << 20


def big_recording(path: Path, size: int = BIG) -> Path:
    """A real MP4 followed by ``size`` bytes of random data (a camera's long take, as far as
    the copy is concerned): written block by block, so no file system can keep it sparse."""
    body_cam_mp4(path, seed=9)
    block = os.urandom(1 << 20)
    with path.open("ab") as fh:
        for k in range(size >> 20):
            fh.write(block[k % 256 :] + block[: k % 256])  # no two blocks alike
    return path


def _staged_sizes(blobs: BlobStore) -> list[int]:
    """Sizes of the copies being streamed now.  A copy that finished between the listing and
    the stat has been renamed to its hash (the other file of the import, staged alongside):
    it is no longer streaming, so it is skipped, not an error."""
    sizes = []
    for part in blobs.tmp.glob("stream-*.part"):
        try:
            sizes.append(part.stat().st_size)
        except FileNotFoundError:
            continue
    return sizes


def _left(ctx: AppContext) -> list[str]:
    blobs = BlobStore(ctx.data.evidence_dir)
    return sorted(p.name for p in blobs.tmp.iterdir() if p.suffix in (".part", ".json"))


def test_cancel_mid_file_stops_removes_the_partial_copy_and_keeps_earlier_files(
    officer_ctx: AppContext, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = body_cam_mp4(tmp_path / "card" / "VID_0001.MP4", seed=1)
    big = big_recording(tmp_path / "card" / "VID_0002.MP4")
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    seen: list[int] = []  # staged bytes when the cancel was given

    def cancelled() -> bool:
        if not seen:
            for size in _staged_sizes(blobs):
                if size > MID:
                    seen.append(size)
        return bool(seen)

    with caplog.at_level(logging.INFO, logger="officer_app.services.evidence_import"):
        report = evidence_import.import_files(officer_ctx, [first, big], cancelled=cancelled)
    assert seen and MID < seen[0] < big.stat().st_size  # genuinely in the middle of the file
    # The copy itself stopped there (not after copying the rest and throwing it away).
    [stopped] = [r for r in caplog.records if "cancelled while copying" in r.getMessage()]
    assert seen[0] <= stopped.args[1] < big.stat().st_size  # type: ignore[index]
    assert report.cancelled and report.exit_code == 3
    assert [(f.path, f.outcome) for f in report.files] == [(str(first), "imported")]
    names = officer_ctx.store.query("SELECT original_name FROM evidence")
    assert [r["original_name"] for r in names] == ["VID_0001.MP4"]
    assert _left(officer_ctx) == []  # no partial copy, no intake note
    ledger = officer_ctx.store.scalar("SELECT COUNT(*) FROM ledger WHERE kind = 'evidence_intake'")
    assert ledger == 1
    assert verify.verify(officer_ctx)["ok"]
    # Nothing of the cancelled file is remembered: importing it again stores it whole.
    again = evidence_import.import_files(officer_ctx, [big])
    assert [f.outcome for f in again.files] == ["imported"]


def test_ctrl_c_cancels_the_cli_import_mid_file(officer_ctx: AppContext, tmp_path: Path) -> None:
    first = body_cam_mp4(tmp_path / "card" / "VID_0001.MP4", seed=1)
    big = big_recording(tmp_path / "card" / "VID_0002.MP4")
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    cmd = [sys.executable, "-m", "officer_app", "--data-dir", str(officer_ctx.data.root)]
    proc = subprocess.Popen(
        [*cmd, "evidence", "import", "--json", str(first), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    staged = 0
    deadline = time.monotonic() + 120
    while staged <= MID and proc.poll() is None and time.monotonic() < deadline:
        staged = max(_staged_sizes(blobs), default=0)
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.fail(f"the import ended before it could be interrupted: {proc.communicate()}")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    report = json.loads(out)
    assert report["cancelled"] is True and report["imported"] == 1
    assert [f["path"] for f in report["files"]] == [str(first)]
    assert "正在取消导入" in err and "Traceback" not in err
    assert _left(officer_ctx) == []
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 1


def test_full_disk_while_staging_a_recording_stops_the_import_cleanly(
    officer_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk in the middle of a recording's copy (on the worker) is the import's fatal
    stop with its report, as for a photo: not an exception out of ``import_files``."""
    import errno

    from officer_app.services import recording_import
    from tests.photos import make_photo

    photo = make_photo(tmp_path / "card" / "IMG_0001.JPG", seed=3)
    video = body_cam_mp4(tmp_path / "card" / "VID_0002.MP4", seed=2)
    real = recording_import.copy_and_hash

    def full(src: object, dst: object, *args: object, **kwargs: object) -> tuple[str, int]:
        dst.write(b"\0" * 4096)  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recording_import, "copy_and_hash", full)
    report = evidence_import.import_files(officer_ctx, [photo, video])
    monkeypatch.setattr(recording_import, "copy_and_hash", real)
    assert [f.outcome for f in report.files] == ["imported", "rejected"]
    assert "磁盘已满" in report.fatal and report.exit_code == 1
    assert _left(officer_ctx) == []
