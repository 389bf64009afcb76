"""More faults, each ending in "exactly once": a killed client, a restarted platform, duplicated
requests, lost push receipts (5xx after commit), and an entry that keeps failing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.services import sync_status as status
from officer_app.services.context import AppContext
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import QP, _issue_transfer, _login, _officer, _real_case, _run


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _platform_rows(platform: PlatformProcess, sql: str) -> int:
    return int(platform.scalar(sql))


def _laptop(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> tuple[Path, str, int]:
    tok = platform.add_officer(QP, "张伟", "31011800123")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _issue_transfer(qp, _real_case(qp))
    with AppContext.open(qp) as ctx:
        pending = status.outbox_counts(ctx.store)["pending"]
    assert pending >= 4
    return qp, tok["token"], pending


def _exactly_once(platform: PlatformProcess, qp: Path, pending: int) -> None:
    assert _platform_rows(platform, "SELECT count(*) FROM entries") == pending
    assert _platform_rows(platform, "SELECT count(*) FROM conflicts") == 0
    assert _platform_rows(platform, "SELECT count(*) FROM transfers") == 1
    with AppContext.open(qp) as ctx:
        counts = status.outbox_counts(ctx.store)
    assert counts == {"pending": 0, "sent": pending, "set_aside": 0}


def test_client_killed_between_blob_upload_and_commit(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp, token, pending = _laptop(tmp_path, platform, capsys)
    script = (
        "import os, sys\n"
        "from officer_app.__main__ import main\n"
        "d = os.environ['QP_DATA']\n"
        "os.environ['OFFICER_APP_TOKEN'] = os.environ['QP_TOKEN']\n"
        "main(['--data-dir', d, 'login', '--server', os.environ['QP_URL']])\n"
        "sys.exit(main(['--data-dir', d, 'sync']))\n"
    )
    env = {
        **os.environ,
        "QP_DATA": str(qp),
        "QP_URL": platform.url,
        "QP_TOKEN": token,
        "OFFICER_APP_SYNC_FAULT": "exit_before_push",
    }
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert proc.returncode == 70, proc.stderr.decode()
    assert _platform_rows(platform, "SELECT count(*) FROM blobs") >= 3  # files made it
    assert _platform_rows(platform, "SELECT count(*) FROM entries") == 0  # records did not

    _login(capsys, qp, platform.url, token)
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    assert report["pushed"] == pending and report["blobs_uploaded"] == 0
    _exactly_once(platform, qp, pending)


def test_platform_restarted_mid_sync(
    tmp_path: Path, platform: PlatformProcess, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.services.sync_run import run_sync
    from officer_app.sync.errors import TransientSyncError

    monkeypatch.setenv("OFFICER_APP_SYNC_CHUNK", "8192")
    monkeypatch.setenv("OFFICER_APP_SYNC_BACKOFF_S", "0.3")
    monkeypatch.setenv("OFFICER_APP_SYNC_TIMEOUT_S", "5")
    qp, token, pending = _laptop(tmp_path, platform, capsys)
    _login(capsys, qp, platform.url, token)
    midway = threading.Event()

    def moved(report: Any) -> None:
        if report.bytes_uploaded > 30_000:
            midway.set()

    outcome: dict[str, Any] = {}

    def work() -> None:
        with AppContext.open(qp) as ctx:
            try:
                outcome["report"] = run_sync(ctx, on_progress=moved)
            except TransientSyncError as exc:  # retries may run out during the restart
                outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    assert midway.wait(60)
    platform.restart()
    thread.join(120)
    assert not thread.is_alive()
    with AppContext.open(qp) as ctx:
        run_sync(ctx)  # a second run finishes whatever the first left (or finds nothing to do)
    _exactly_once(platform, qp, pending)


def test_duplicated_push_requests(
    tmp_path: Path, platform: PlatformProcess, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.sync.http import PlatformClient

    qp, token, pending = _laptop(tmp_path, platform, capsys)
    _login(capsys, qp, platform.url, token)
    real = PlatformClient.push
    seen: list[list[str]] = []

    def twice(self: PlatformClient, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        first = real(self, entries)
        second = real(self, entries)  # the same request arrives again (a proxy replay)
        seen.append([r["status"] for r in first + second])
        return second

    monkeypatch.setattr(PlatformClient, "push", twice)
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    assert report["pushed"] == pending == report["acknowledged_again"]
    assert sorted({s for batch in seen for s in batch}) == ["duplicate", "stored"]
    _exactly_once(platform, qp, pending)


@pytest.mark.parametrize("backend", BACKENDS)
def test_5xx_on_push_after_commit_is_retried_without_duplicates(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("OFFICER_APP_PLATFORM_FAULT", "push_5xx:2")
    monkeypatch.setenv("OFFICER_APP_SYNC_BACKOFF_S", "0.01")
    for platform in running_platform(tmp_path / "platform", backend):
        qp, token, pending = _laptop(tmp_path, platform, capsys)
        _login(capsys, qp, platform.url, token)
        code, report = _run(capsys, qp, "sync")
        assert code == 0, report
        assert report["retries"] >= 2 and report["pushed"] == pending
        assert report["acknowledged_again"] == pending  # committed before the 503: told duplicate
        _exactly_once(platform, qp, pending)


def test_entry_that_keeps_failing_is_set_aside_and_the_rest_go_through(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    from officer_app.services.sync_run import MAX_ATTEMPTS

    qp, token, pending = _laptop(tmp_path, platform, capsys)
    _login(capsys, qp, platform.url, token)
    with AppContext.open(qp) as ctx:  # one photo lost from the disk: its entries cannot go
        sha = ctx.store.query("SELECT sha256 FROM evidence ORDER BY rowid LIMIT 1")[0]["sha256"]
        (ctx.data.evidence_dir / sha[:2] / sha).unlink()
        stuck = {
            r["id"]
            for r in ctx.store.query("SELECT id, payload FROM outbox")
            if sha in r["payload"]
        }
    assert 1 <= len(stuck) < pending
    for run in range(MAX_ATTEMPTS):
        code, report = _run(capsys, qp, "sync")
        assert code == 3, report  # partial
        if run == 0:
            assert report["pushed"] == pending - len(stuck)
    with AppContext.open(qp) as ctx:
        rows = status.outbox_rows(ctx.store, status.outbox_ids(ctx.store))
    aside = {i for i, r in rows.items() if r["state"] == "set_aside"}
    assert aside == stuck
    assert all("证据文件" in rows[i]["last_error"] for i in aside)
    assert _platform_rows(platform, "SELECT count(*) FROM entries") == pending - len(stuck)
    code, report = _run(capsys, qp, "sync")  # set aside: no longer tried, the run is clean
    assert code == 0 and report["deferred"] == 0
