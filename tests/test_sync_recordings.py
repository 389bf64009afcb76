"""A recording travels with a transferred case over the real platform, and in its package."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.doc_fixtures import cli
from tests.recordings import body_cam_mp4
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import _issue_transfer, _login, _officer, _run

QP, WJ = "310118", "320509"


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _padded_recording(path: Path) -> Path:
    """A real MP4 followed by a 5 MiB ``free`` box, so the upload takes several chunks."""
    body_cam_mp4(path, seconds=3.0)
    pad = 5 << 20
    with path.open("ab") as f:
        f.write((pad + 8).to_bytes(4, "big") + b"free" + os.urandom(pad))
    return path


def _case_with_recording(data: Path, tmp_path: Path) -> tuple[str, str]:
    from officer_app.services import cases, demo, evidence_import
    from officer_app.services.context import AppContext

    with AppContext.open(data) as ctx:
        photos = demo._write_photos(ctx.data.cache_dir / "photos")
        video = _padded_recording(tmp_path / "card" / "VID_0001.MP4")
        report = evidence_import.import_files(ctx, [*photos, video])
        ids = {Path(f.path).name: f.evidence_id for f in report.files}
        assert report.files[-1].kind == "video"
        case_id = cases.record_case(
            ctx,
            violation_code="JZLJ-01",
            evidence_ids=[*(ids[n] or "" for n in demo.CASE_PHOTOS), ids["VID_0001.MP4"] or ""],
            parties=[cases.Party(kind="vehicle", name="自卸货车", plate="苏E5K218")],
            place="吴江区黎里镇汾湖岸边滩地",
            description="发现建筑垃圾倾倒，执法记录仪全程录像。",
        )
        return case_id, hashlib.sha256(video.read_bytes()).hexdigest()


def test_recording_travels_with_the_case_and_its_package(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp_tok = platform.add_officer(QP, "张伟", "31011800123")
    wj_tok = platform.add_officer(WJ, "沈建明", "32050921107")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    wj = _officer(tmp_path, "沈建明", "32050921107", WJ)
    case_id, video_sha = _case_with_recording(qp, tmp_path)

    from officer_app.services import doc_context
    from officer_app.services.context import AppContext

    with AppContext.open(qp) as ctx:  # the documents get kind and duration for 视听资料
        rows = ctx.store.query("SELECT * FROM evidence WHERE sha256 = ?", [video_sha])
        item = doc_context.evidence_meta(ctx, rows[0])
        assert item["kind"] == "video" and item["duration_s"] == pytest.approx(3.0, abs=0.1)

    _issue_transfer(qp, case_id)
    _login(capsys, qp, platform.url, qp_tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    assert report["blobs_uploaded"] >= 4 and report["set_aside"] == []
    assert report["bytes_uploaded"] >= 5 << 20

    _login(capsys, wj, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["pulled"] == 1
    tin = _run(capsys, wj, "transfer", "list")[1][0]
    code, accepted = _run(capsys, wj, "transfer", "accept", tin["id"])
    assert code == 0 and accepted["status"] == "accepted"

    with AppContext.open(wj) as ctx:
        rows = ctx.store.query(
            "SELECT id, kind, duration_s, codec, evidence_type, taken_at, lat, lon FROM evidence"
            " WHERE sha256 = ?",
            [video_sha],
        )
        [video] = rows
        assert video["kind"] == "video" and video["evidence_type"] == "视听资料"
        assert video["duration_s"] == pytest.approx(3.0, abs=0.1)
        assert str(video["codec"]).startswith("h264")
        assert video["taken_at"] == "2026-11-20T09:02:03+08:00"
        stored = ctx.data.evidence_dir / video_sha[:2] / video_sha
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == video_sha

    # The sender's evidence package carries the recording (the receiver's own package of a
    # received case lacks intake ledger entries for every file, photos included: not this issue).
    package = tmp_path / "package.zip"
    code, summary = _run(capsys, qp, "evidence", "export", "--case", case_id, "--out", str(package))
    assert code == 0, summary
    code, checked = _run(capsys, wj, "evidence", "check-package", str(package))  # anyone checks
    assert code == 0 and checked["ok"], checked
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        [entry] = [e for e in manifest["evidence"] if e["sha256"] == video_sha]
        assert entry["kind"] == "video" and entry["duration_s"] == pytest.approx(3.0, abs=0.1)
        info = zf.getinfo(entry["file"])
        assert info.compress_type == zipfile.ZIP_STORED  # video is not deflated again
        assert hashlib.sha256(zf.read(entry["file"])).hexdigest() == video_sha

    # A recording changed inside the package is caught.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == entry["file"]:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info, data)
    assert cli(wj, "evidence", "check-package", str(tampered), "--json") != 0
