"""A pulled item the laptop cannot take in is set aside with its reason; the pull goes on.

Issue 16: as 嘉善, a transfer to 吴江 naming a file nobody uploaded made every later 吴江 sync exit
1 (平台上没有该文件。) with its cursor stuck. The platform no longer accepts such a transfer, but
an item can still be unreceivable (one stored before the fix, a file lost on the platform's disk,
malformed content): it goes to ``sync_held``, the officer sees why, and ``sync retry-held`` takes
it in once it can be.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from officer_app.services.context import AppContext
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import (
    QP,
    WJ,
    _auth,
    _entry,
    _issue_transfer,
    _login,
    _real_case,
    _run,
    _two_squads,
)

JS = "330421"


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _inject(platform: PlatformProcess, agency: str, kind: str, ref: str, payload: Any) -> None:
    """An inbox item as a platform from before issue 16 stored it (or as a broken one would)."""
    from officer_app.platform.db import PlatformPaths, opened, transaction

    with opened(platform.db or PlatformPaths(platform.root).db_path) as conn, transaction(conn):
        conn.execute(
            "INSERT INTO inbox (agency, kind, ref_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            [agency, kind, ref, json.dumps(payload, ensure_ascii=False), "2026-11-20T01:00:00"],
        )


def test_unreceivable_items_are_held_and_the_pull_moves_on(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    poison = str(uuid.uuid4())
    _inject(  # the poison pill of issue 16: a file nobody ever uploaded
        platform,
        WJ,
        "transfer",
        poison,
        {
            "id": poison,
            "kind": "case",
            "from_agency": JS,
            "to_agency": WJ,
            "document_number": "善城管移〔2026〕1号",
            "blobs": [hashlib.sha256(b"nobody uploaded this").hexdigest()],
            "status": "sent",
            "case": {"id": str(uuid.uuid4())},
            "parties": [],
            "evidence": [],
        },
    )
    _inject(platform, WJ, "transfer", "bad", {"id": 5, "document_number": {"x": 1}})
    letter = _issue_transfer(qp, _real_case(qp))
    _login(capsys, qp, platform.url, qp_tok["token"])
    _login(capsys, wj, platform.url, wj_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0
    with AppContext.open(qp) as ctx:  # the letter's PDF is lost from the platform's disk
        pdf = json.loads(ctx.store.query("SELECT payload FROM transfers")[0]["payload"])[
            "pdf_sha256"
        ]
    stored = platform.root / "platform" / "blobs" / pdf[:2] / pdf
    aside = tmp_path / "pdf-aside"
    shutil.move(stored, aside)
    patrol = _entry("patrol", "create", {"agencies": [QP, WJ], "title": "汾湖联合巡查"})
    with httpx.Client(base_url=platform.url, headers=_auth(qp_tok)) as c:
        assert c.post("/v1/push", json={"entries": [patrol]}).json()["results"][0]["status"] == (
            "stored"
        )

    code, report = _run(capsys, wj, "sync")
    assert code == 3, report  # partial: three items set aside, the patrol behind them taken in
    assert report["pulled"] == 1 and len(report["held"]) == 3
    reasons = [h["reason"] for h in report["held"]]
    assert reasons[0] == reasons[2] == "移送所附文件无法下载：平台上没有该文件。"
    assert "格式不正确" in reasons[1]
    assert report["cursor"] == int(platform.scalar("SELECT max(cursor) FROM inbox"))
    code, again = _run(capsys, wj, "sync")
    assert code == 0 and again["pulled"] == 0 and again["held"] == []

    code, status = _run(capsys, wj, "sync", "status")
    assert code == 0
    held = status["held"]
    assert [h["kind_zh"] for h in held] == ["案件移送"] * 3
    assert [h["document_number"] for h in held] == ["善城管移〔2026〕1号", "", letter["number"]]
    assert all(h["reason"] and h["attempts"] == 1 for h in held)
    assert _run(capsys, wj, "transfer", "list")[1] == []

    shutil.move(aside, stored)  # the platform has the file again
    code, retried = _run(capsys, wj, "sync", "retry-held")
    assert code == 3, retried  # the poison and the malformed item are still held
    assert retried["received"] == [held[2]["cursor"]]
    assert [h["cursor"] for h in retried["still_held"]] == [held[0]["cursor"], held[1]["cursor"]]
    assert [h["attempts"] for h in retried["held"]] == [2, 2]
    incoming = _run(capsys, wj, "transfer", "list")[1]
    assert [t["document_number"] for t in incoming] == [letter["number"]]
    code, accepted = _run(capsys, wj, "transfer", "accept", incoming[0]["id"])
    assert code == 0 and accepted["status"] == "accepted"  # every file of the case is here
    with AppContext.open(wj) as ctx:
        assert ctx.store.scalar("SELECT count(*) FROM sync_held") == 2


def test_held_items_table_comes_with_an_upgrade_of_a_store_with_data(tmp_path: Path) -> None:
    from officer_app.store.db import Store
    from officer_app.store.migration_sync_held import MIGRATION_SYNC_HELD
    from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION

    before = MIGRATIONS.index(MIGRATION_SYNC_HELD)
    path = tmp_path / "store.sqlite3"
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:before]:
        for sql in statements:
            conn.execute(sql)
    conn.execute(
        "INSERT INTO inbox (cursor, kind, ref_id, payload, received_at)"
        " VALUES (7, 'patrol', 'p', '{}', 't')"
    )
    conn.execute("INSERT INTO sync_state (key, value) VALUES ('pull_cursor', '7')")
    conn.execute(f"PRAGMA user_version = {before}")
    conn.commit()
    conn.close()
    with Store.open(path, backups_dir=tmp_path / "backups") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.scalar("SELECT count(*) FROM inbox") == 1
        assert store.scalar("SELECT value FROM sync_state WHERE key = 'pull_cursor'") == "7"
        assert store.scalar("SELECT count(*) FROM sync_held") == 0


@pytest.mark.gui
def test_sync_page_lists_held_items_and_takes_them_in_again(
    tmp_path: Path, capsys: Any, qtbot: Any
) -> None:
    from officer_app.ui.sync_page import SyncPage

    for platform in running_platform(tmp_path / "platform", "sqlite"):
        qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
        poison = str(uuid.uuid4())
        _inject(
            platform,
            WJ,
            "transfer",
            poison,
            {
                "id": poison,
                "kind": "case",
                "from_agency": JS,
                "document_number": "善城管移〔2026〕1号",
                "blobs": [hashlib.sha256(b"nobody").hexdigest()],
                "case": {},
                "parties": [],
                "evidence": [],
            },
        )
        letter = _issue_transfer(qp, _real_case(qp))
        _login(capsys, qp, platform.url, qp_tok["token"])
        _login(capsys, wj, platform.url, wj_tok["token"])
        assert _run(capsys, qp, "sync")[0] == 0
        blobs = platform.root / "platform" / "blobs"
        moved = {p: tmp_path / p.name for p in blobs.glob("*/*")}
        for src, dst in moved.items():  # every file lost on the platform for a while
            shutil.move(src, dst)
        assert _run(capsys, wj, "sync")[0] == 3

        ctx = AppContext.open(wj)
        page = SyncPage(ctx, probe_minutes=0)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        panel = page.held
        qtbot.waitUntil(lambda p=panel: p.table.rowCount() == 2, timeout=10_000)
        index = page.tabs.indexOf(panel)
        assert page.tabs.tabText(index) == "未能接收（2）"
        assert panel.table.item(0, 1).text() == "善城管移〔2026〕1号"
        assert panel.table.item(1, 1).text() == letter["number"]
        assert "平台上没有该文件" in panel.table.item(1, 2).text()
        assert panel.retry_button.isEnabled()
        page.tabs.setCurrentIndex(index)
        page.grab().save(str(tmp_path / "held.png"))

        for src, dst in moved.items():
            shutil.move(dst, src)
        panel.retry_button.click()
        qtbot.waitUntil(lambda p=panel: p.table.rowCount() == 1, timeout=30_000)
        qtbot.waitUntil(lambda pg=page: pg.transfer_model.rowCount() == 1, timeout=10_000)
        assert "已接收 1 项，仍未能接收 1 项" in panel.status_label.text()
        assert page.tabs.tabText(index) == "未能接收（1）"
        qtbot.waitUntil(lambda pg=page: not pg.running, timeout=30_000)
        assert page.tasks.drain(30_000)
        ctx.close()
