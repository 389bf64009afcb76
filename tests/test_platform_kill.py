"""Uploads survive a crash of the platform (issue 16): nothing is left stuck.

Before, a platform killed between an upload's last byte and its publication kept a full-size
``.part`` for good: HEAD said held = size, complete = false, and every later sync deferred the
entry (证据文件上传未完成。, exit 3). Now the platform publishes a complete part when it starts,
a client that finds one asks for it to be verified and published, and a part whose content does
not match (torn by the crash) is discarded and sent again.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.services import sync_status as status
from officer_app.services.context import AppContext
from tests.sync_fixtures import BACKENDS, PlatformProcess, platform_database
from tests.test_sync import QP, _login, _officer, _real_case, _run


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    with platform_database(request.param) as db:
        yield db


def _laptop(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> tuple[Path, int]:
    tok = platform.add_officer(QP, "张伟", "31011800123")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _real_case(qp)
    _login(capsys, qp, platform.url, tok["token"])
    with AppContext.open(qp) as ctx:
        return qp, int(status.outbox_counts(ctx.store)["pending"])


def _uploads(platform: PlatformProcess) -> list[Path]:
    return sorted((platform.root / "platform" / "uploads").glob("*/*"))


def _exactly_once(platform: PlatformProcess, qp: Path, pending: int) -> None:
    with AppContext.open(qp) as ctx:
        photos = int(ctx.store.scalar("SELECT count(*) FROM evidence"))
        assert status.outbox_counts(ctx.store) == {"pending": 0, "sent": pending, "set_aside": 0}
    assert int(platform.scalar("SELECT count(*) FROM blobs")) == photos
    assert int(platform.scalar("SELECT count(*) FROM entries")) == pending
    assert len(list((platform.root / "platform" / "blobs").glob("*/*"))) == photos
    assert _uploads(platform) == []


def test_platform_killed_before_publishing_a_complete_upload(
    tmp_path: Path, backend: str | None, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OFFICER_APP_SYNC_BACKOFF_S", "0.01")
    monkeypatch.setenv("OFFICER_APP_PLATFORM_FAULT", "exit_before_publish")
    platform = PlatformProcess(tmp_path / "platform", db=backend)
    try:
        qp, pending = _laptop(tmp_path, platform, capsys)
        code, _ = _run(capsys, qp, "sync")
        assert code != 0 and platform.proc.poll() == 70  # died with the whole file on disk
        parts = [p for p in _uploads(platform) if p.suffix == ".part"]
        assert len(parts) == 1
        assert hashlib.sha256(parts[0].read_bytes()).hexdigest() == parts[0].stem
        monkeypatch.delenv("OFFICER_APP_PLATFORM_FAULT")
        platform.restart()  # publishes the complete part before the first request
        assert _uploads(platform) == []
        code, report = _run(capsys, qp, "sync")
        assert code == 0, report
        assert report["pushed"] == pending and report["deferred"] == 0
        _exactly_once(platform, qp, pending)
    finally:
        platform.stop()


@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "chunked"])
@pytest.mark.parametrize("torn", [False, True], ids=["complete", "torn"])
def test_a_full_size_part_the_platform_did_not_publish_is_finished_by_the_client(
    tmp_path: Path,
    backend: str | None,
    capsys: Any,
    torn: bool,
    chunked: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A part left by a platform from before issue 16 has no announced size, so start-up cannot
    know it is complete. A photo that fits in one chunk is sent whole and replaces it; a file
    of several chunks (``chunked``: chunks smaller than the photo) asks first, sees held = size
    and asks the platform to finish it. A torn one (right size, wrong bytes) is then refused,
    discarded, and the photo is sent again."""
    if chunked:
        monkeypatch.setenv("OFFICER_APP_SYNC_CHUNK", "4096")
    platform = PlatformProcess(tmp_path / "platform", db=backend)
    try:
        qp, pending = _laptop(tmp_path, platform, capsys)
        with AppContext.open(qp) as ctx:
            sha = ctx.store.query("SELECT sha256 FROM evidence ORDER BY rowid LIMIT 1")[0]["sha256"]
            data = (ctx.data.evidence_dir / sha[:2] / sha).read_bytes()
        part = platform.root / "platform" / "uploads" / QP / f"{sha}.part"
        part.parent.mkdir(parents=True)
        part.write_bytes(bytes(len(data)) if torn else data)
        platform.restart()
        assert part.is_file()  # nothing at start-up: the size it was meant to have is unknown
        code, report = _run(capsys, qp, "sync")
        assert code == 0, report
        with AppContext.open(qp) as ctx:
            total = int(ctx.store.scalar("SELECT sum(size) FROM evidence"))
        assert len(data) > 4096
        sent = total - len(data) if chunked and not torn else total
        assert report["bytes_uploaded"] == sent  # finished without sending it, or sent once
        _exactly_once(platform, qp, pending)
    finally:
        platform.stop()


@pytest.mark.slow
def test_kill_9_trials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few of ``tools/platform_kill_trials.py``'s trials (it runs 20 with 50 photos)."""
    from tools.platform_kill_trials import describe, environment, prepare_laptop, run_trial

    for key, value in environment(tmp_path).items():
        monkeypatch.setenv(key, value)
    photos = 8
    template, records, size = prepare_laptop(tmp_path, photos)
    rng = random.Random(16)
    for number in (1, 2, 3):
        trial = run_trial(tmp_path, template, photos, records, number, rng)
        assert trial.ok, describe(trial, size)
