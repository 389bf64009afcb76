"""The GPS log beside a recording is evidence of its own (issue 19): stored under its SHA-256,
named in the recording's intake ledger entry, linked to the recording, carried by sync (the USB
bundle here) and by the evidence package, and checked by ``verify`` and ``check-package``.

The recording is real (PyAV's encoder); the log is a real NMEA file with known sentences.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.services import cases, evidence_import, evidence_package, verify
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.recordings import BODY_CAM_TIME, make_recording, nmea_log
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import _issue_transfer, _login, _officer, _run
from tests.test_sync_recordings import QP, WJ, _case_with_recording


def _card(tmp_path: Path) -> tuple[Path, Path]:
    card = tmp_path / "card"
    video = make_recording(card / "FILE0007.MP4", metadata={"creation_time": BODY_CAM_TIME})
    log = nmea_log(card / "FILE0007.NMEA", (1, 2, 3), 31.0135, 120.8370)
    return video, log


def _imported(ctx: AppContext, tmp_path: Path) -> tuple[str, Path, str]:
    video, log = _card(tmp_path)
    [outcome] = evidence_import.import_files(ctx, [video]).files
    assert outcome.outcome == "imported" and outcome.evidence_id is not None
    return outcome.evidence_id, log, hashlib.sha256(log.read_bytes()).hexdigest()


def test_log_stored_linked_and_in_the_ledger_and_outbox(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    evidence_id, log, sha = _imported(officer_ctx, tmp_path)
    [row] = officer_ctx.store.query("SELECT * FROM evidence_gps_logs")
    assert row == {
        "evidence_id": evidence_id,
        "sha256": sha,
        "original_name": "FILE0007.NMEA",
        "size": log.stat().st_size,
        "format": "nmea",
    }
    stored = BlobStore(officer_ctx.data.evidence_dir).path_for(sha)
    assert stored.read_bytes() == log.read_bytes()  # the device's bytes, untouched
    intake = json.loads(
        officer_ctx.store.scalar(
            "SELECT payload FROM ledger WHERE kind = 'evidence_intake' AND entity_id = ?",
            [evidence_id],
        )
    )
    assert intake["gps_log"]["sha256"] == sha
    outbox = json.loads(
        officer_ctx.store.scalar("SELECT payload FROM outbox WHERE entity_id = ?", [evidence_id])
    )
    from officer_app.sync.wire import manifest

    assert sha in manifest("evidence", "create", outbox)  # uploaded with the recording
    assert verify.verify(officer_ctx)["ok"]
    # Two files stored: the recording and its log.
    assert len(list(BlobStore(officer_ctx.data.evidence_dir).iter_stored())) == 2


def test_verify_names_a_changed_or_missing_log(officer_ctx: AppContext, tmp_path: Path) -> None:
    _evidence_id, _log, sha = _imported(officer_ctx, tmp_path)
    stored = BlobStore(officer_ctx.data.evidence_dir).path_for(sha)
    os.chmod(stored, 0o600)
    stored.write_bytes(stored.read_bytes().replace(b"GPRMC", b"GPRMX", 1))
    problems = verify.verify(officer_ctx)["problems"]
    assert [(p["kind"], "GPS日志文件已被改动" in p["message_zh"]) for p in problems] == [
        ("changed", True)
    ]
    stored.unlink()
    problems = verify.verify(officer_ctx)["problems"]
    assert [p["kind"] for p in problems] == ["missing"]
    assert "FILE0007.NMEA" in problems[0]["message_zh"]


def test_usb_bundle_carries_the_log(officer_ctx: AppContext, tmp_path: Path) -> None:
    from officer_app.services.sync_bundle import export_bundle

    _evidence_id, log, sha = _imported(officer_ctx, tmp_path)
    out = tmp_path / "usb" / "b.bundle"
    export_bundle(officer_ctx, out)
    with zipfile.ZipFile(out) as zf:
        assert zf.read(f"blobs/{sha}") == log.read_bytes()


def _case(ctx: AppContext, evidence_id: str) -> str:
    return cases.record_case(
        ctx,
        violation_code="JZLJ-01",
        evidence_ids=[evidence_id],
        parties=[cases.Party(kind="vehicle", name="自卸货车", plate="苏E5K218")],
        place="吴江区黎里镇汾湖岸边滩地",
        description="发现建筑垃圾倾倒，执法记录仪全程录像。",
    )


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def test_evidence_package_carries_and_checks_the_log(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    evidence_id, log, sha = _imported(officer_ctx, tmp_path)
    pkg = tmp_path / "pkg.zip"
    evidence_package.export_package(officer_ctx, _case(officer_ctx, evidence_id), pkg)
    with zipfile.ZipFile(pkg) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        [item] = manifest["evidence"]
        member = item["gps_log"]["file"]
        assert member == f"evidence/{sha}_FILE0007.NMEA"
        assert zf.read(member) == log.read_bytes()
        assert f"{sha}  {member}" in zf.read("SHA256SUMS").decode()
    result = evidence_package.check_package(pkg)
    assert result["ok"], result["problems"]
    assert result["checked"]["gps_logs"] == 1

    dropped = tmp_path / "dropped.zip"
    _rewrite(pkg, dropped, {member: None})
    kinds = {(p["kind"], p["ref"]) for p in evidence_package.check_package(dropped)["problems"]}
    assert ("missing", member) in kinds

    swapped = tmp_path / "swapped.zip"  # the manifest names another log than the ledger
    item["gps_log"]["sha256"] = "0" * 64
    _rewrite(pkg, swapped, {"manifest.json": json.dumps(manifest).encode()})
    messages = [p["message_zh"] for p in evidence_package.check_package(swapped)["problems"]]
    assert any("GPS日志与入库记录不符" in m for m in messages), messages


@pytest.mark.parametrize("with_log", [True, False])
def test_a_failed_commit_takes_back_the_log(
    officer_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_log: bool
) -> None:
    from officer_app.store.errors import StoreError

    video, log = _card(tmp_path)
    if not with_log:
        log.unlink()

    def fail(*_a: object, **_k: object) -> None:
        raise StoreError("存储失败", "injected")

    monkeypatch.setattr(evidence_import, "_commit_row", fail)
    with pytest.raises(StoreError):
        evidence_import.import_files(officer_ctx, [video])
    assert list(BlobStore(officer_ctx.data.evidence_dir).iter_stored()) == []


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def test_transfer_carries_the_log_to_the_receiver(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp_tok = platform.add_officer(QP, "张伟", "31011800123")
    wj_tok = platform.add_officer(WJ, "沈建明", "32050921107")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    wj = _officer(tmp_path, "沈建明", "32050921107", WJ)
    (tmp_path / "card").mkdir()
    log = nmea_log(tmp_path / "card" / "VID_0001.NMEA", (1, 2, 3), 31.0135, 120.8370)
    log_sha = hashlib.sha256(log.read_bytes()).hexdigest()
    case_id, video_sha = _case_with_recording(qp, tmp_path)  # the recording beside that log
    _issue_transfer(qp, case_id)
    _login(capsys, qp, platform.url, qp_tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0 and report["set_aside"] == [], report
    _login(capsys, wj, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["pulled"] == 1, report
    tin = _run(capsys, wj, "transfer", "list")[1][0]
    code, accepted = _run(capsys, wj, "transfer", "accept", tin["id"])
    assert code == 0 and accepted["status"] == "accepted", accepted
    with AppContext.open(wj) as ctx:
        [row] = ctx.store.query(
            "SELECT l.sha256, l.original_name, l.format FROM evidence_gps_logs l"
            " JOIN evidence e ON e.id = l.evidence_id WHERE e.sha256 = ?",
            [video_sha],
        )
        assert dict(row) == {"sha256": log_sha, "original_name": "VID_0001.NMEA", "format": "nmea"}
        stored = BlobStore(ctx.data.evidence_dir).path_for(log_sha)
        assert stored.read_bytes() == log.read_bytes()
        assert verify.verify(ctx)["ok"]
        received_path = ctx.store.scalar(
            "SELECT path_points FROM evidence WHERE sha256 = ?", [video_sha]
        )
    with AppContext.open(qp) as ctx:
        sent_path = ctx.store.scalar(
            "SELECT path_points FROM evidence WHERE sha256 = ?", [video_sha]
        )
    assert sent_path and len(json.loads(sent_path)) > 1  # a moving recording: a path to carry
    assert json.loads(received_path) == json.loads(sent_path)
