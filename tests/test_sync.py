"""Sync over real HTTP: a platform subprocess on loopback, two officers' data dirs, a faulty proxy."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from officer_app.commands.token_input import TOKEN_ENV
from tests.doc_fixtures import cli, outside_the_gui
from tests.sync_fixtures import BACKENDS, FaultProxy, PlatformProcess, running_platform

QP, WJ = "310118", "320509"


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, Any]:
    capsys.readouterr()
    code = cli(data, *args, "--json")
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else None)


def _officer(tmp_path: Path, name: str, badge: str, agency: str) -> Path:
    from officer_app.services.context import AppContext
    from officer_app.services.officers import add_or_select_officer

    data = tmp_path / f"officer-{agency}"
    with outside_the_gui(), AppContext.open(data) as ctx:
        add_or_select_officer(ctx, name, badge, agency)
    return data


def _real_case(data: Path) -> str:
    """A (non-training) case found by 青浦 whose place lies in 吴江区."""
    from officer_app.services import cases, demo, evidence_import
    from officer_app.services.context import AppContext

    with outside_the_gui(), AppContext.open(data) as ctx:
        photos = demo._write_photos(ctx.data.cache_dir / "photos")
        report = evidence_import.import_files(ctx, photos)
        ids = {Path(f.path).name: f.evidence_id for f in report.files}
        return cases.record_case(
            ctx,
            violation_code="JZLJ-01",
            evidence_ids=[ids[n] or "" for n in demo.CASE_PHOTOS],
            parties=[cases.Party(kind="vehicle", name="自卸货车", plate="苏E5K218")],
            place="吴江区黎里镇汾湖岸边滩地",
            description="发现建筑垃圾倾倒。",
        )


def _issue_transfer(data: Path, case_id: str) -> dict[str, Any]:
    from officer_app.services import catalogue, documents
    from officer_app.services.context import AppContext

    with outside_the_gui(), AppContext.open(data) as ctx:
        doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
        catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
        return documents.issue_document(ctx, doc["id"])


@contextlib.contextmanager
def token_env(token: str) -> Iterator[None]:
    """The token as scripts give it (never on the command line: issue 16)."""
    saved = os.environ.get(TOKEN_ENV)
    os.environ[TOKEN_ENV] = token
    try:
        yield
    finally:
        if saved is None:
            del os.environ[TOKEN_ENV]
        else:
            os.environ[TOKEN_ENV] = saved


def _login(capsys: Any, data: Path, url: str, token: str) -> None:
    with token_env(token):
        code, out = _run(capsys, data, "login", "--server", url)
    assert code == 0, out


def _all_bytes(root: Path) -> Iterator[tuple[Path, bytes]]:
    for path in root.rglob("*"):
        if path.is_file():
            yield path, path.read_bytes()


def _two_squads(
    tmp_path: Path, platform: PlatformProcess
) -> tuple[dict[str, str], dict[str, str], Path, Path]:
    """青浦 and 吴江 officers with platform tokens: (qp token, wj token, qp data, wj data)."""
    qp_tok = platform.add_officer(QP, "张伟", "31011800123")
    wj_tok = platform.add_officer(WJ, "沈建明", "32050921107")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    wj = _officer(tmp_path, "沈建明", "32050921107", WJ)
    return qp_tok, wj_tok, qp, wj


def test_transfer_end_to_end(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> None:
    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    case_id = _real_case(qp)
    letter = _issue_transfer(qp, case_id)
    code, out = _run(capsys, qp, "transfer", "list")
    assert code == 0 and len(out) == 1
    sent = out[0]
    assert sent["direction"] == "out" and sent["status"] == "sent" and sent["kind"] == "case"
    assert sent["document_number"] == letter["number"]
    assert sent["other_agency"]["code"] == WJ and "吴江" in sent["other_agency"]["name"]
    assert sent["deadline"] > letter["issued_at"][:10]

    _login(capsys, qp, platform.url, qp_tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    assert report["pushed"] >= 4 and report["set_aside"] == [] and report["blobs_uploaded"] >= 3

    _login(capsys, wj, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["pulled"] == 1
    code, incoming = _run(capsys, wj, "transfer", "list")
    assert [t["direction"] for t in incoming] == ["in"]
    tin = incoming[0]
    assert tin["id"] == sent["id"] and tin["status"] == "sent"
    assert tin["other_agency"]["code"] == QP and tin["deadline"] == sent["deadline"]

    # an illegal step is refused locally with a reason
    assert cli(wj, "transfer", "feedback", tin["id"], "--result", "处罚决定") != 0
    assert "不能" in capsys.readouterr().err

    code, accepted = _run(capsys, wj, "transfer", "accept", tin["id"])
    assert code == 0 and accepted["status"] == "accepted" and "回" in accepted["number"]
    from officer_app.services.context import AppContext

    with AppContext.open(wj) as ctx:  # the evidence travelled with the case, byte for byte
        shas = [r["sha256"] for r in ctx.store.query("SELECT sha256 FROM evidence")]
        assert len(shas) == 2
        for sha in shas:
            path = ctx.data.evidence_dir / sha[:2] / sha
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert _run(capsys, wj, "sync")[0] == 0
    assert _run(capsys, qp, "sync")[0] == 0
    out = _run(capsys, qp, "transfer", "list")[1][0]
    assert out["status"] == "accepted" and out["receipt_number"] == accepted["number"]

    code, fb = _run(
        capsys,
        wj,
        "transfer",
        "feedback",
        tin["id"],
        "--result",
        "处罚决定",
        "--decision-number",
        "吴综执罚决字〔2026〕88号",
        "--decision-date",
        "2026-12-01",
        "--fine",
        "20000",
        "--executed",
        "yes",
        "--note",
        "已立案处罚",
    )
    assert code == 0 and fb["status"] == "feedback_sent" and "馈" in fb["document"]["number"]
    assert _run(capsys, wj, "sync")[0] == 0
    assert _run(capsys, qp, "sync")[0] == 0
    out = _run(capsys, qp, "transfer", "list")[1][0]
    assert out["status"] == "feedback_sent"
    assert out["feedback"] == {
        "result": "处罚决定",
        "fine": 20000.0,
        "note": "已立案处罚",
        "decision_number": "吴综执罚决字〔2026〕88号",
        "decision_date": "2026-12-01",
        "executed": "yes",
    }
    _check_transfer_times(qp, wj, sent["id"])

    # the sender cannot answer its own transfer, on the platform either
    with httpx.Client(base_url=platform.url, headers=_auth(qp_tok)) as c:
        r = c.post(
            "/v1/push",
            json={"entries": [_entry("transfer", "accept", {"transfer_id": sent["id"]})]},
        )
        assert r.json()["results"][0]["status"] == "rejected"

    # the token is nowhere on disk: not in either store, settings, logs or the platform
    for root in (qp, wj, platform.root):
        for tok in (qp_tok, wj_tok):
            secret = tok["token"].split(".", 1)[1].encode()
            for path, data in _all_bytes(root):
                assert secret not in data, path


def _check_transfer_times(sender: Path, receiver: Path, tid: str) -> None:
    """Both ends know when the transfer was sent, receipted and answered (kept by the triggers of
    migration 10 from the pulled status items and the receiver's ledger), and count it."""
    import datetime as dt

    from officer_app.services import stats
    from officer_app.services.context import AppContext

    cols = "sent_at, receipt_at, feedback_at, created_at"
    with AppContext.open(receiver) as ctx:
        r_sent, r_receipt, r_fb, _ = ctx.store.query(
            f"SELECT {cols} FROM transfers WHERE id = ?", [tid]
        )[0].values()
        steps = dict(
            ctx.store.conn.execute(
                "SELECT kind, json_extract(payload, '$.at') FROM ledger WHERE entity_id = ?", [tid]
            ).fetchall()
        )
    assert (r_receipt, r_fb) == (steps["transfer_accept"], steps["transfer_feedback"])
    with AppContext.open(sender) as ctx:
        s_sent, s_receipt, s_fb, s_created = ctx.store.query(
            f"SELECT {cols} FROM transfers WHERE id = ?", [tid]
        )[0].values()
        assert s_sent == s_created == r_sent  # the receiver keeps the sender's time
        assert (s_receipt, s_fb) == (r_receipt, r_fb)  # the status items carry the same times
        sent_day = stats.cst_date(stats.parse_time(s_sent))
        period = stats.Period(sent_day, sent_day)
        later = stats.parse_time(s_fb) + dt.timedelta(seconds=1)
        board = stats.dashboard(ctx, period, as_of=later)
        f = board.figures
        assert f["transfers_sent"].ids == (tid,)
        assert (f["receipt_on_time"].numerator, f["receipt_on_time"].denominator) == (1, 1)
        assert (f["feedback_on_time"].numerator, f["feedback_on_time"].denominator) == (1, 1)
        assert f["open"].value == 0


def _auth(tok: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok['token']}"}


def _entry(entity: str, op: str, payload: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": str(uuid.uuid4()),
        "op": op,
        "payload": payload,
        "training": False,
        **kw,
    }


def _platform_count(platform: PlatformProcess, sql: str) -> int:
    return int(platform.scalar(sql))


def test_push_is_idempotent_and_conflicts_are_kept(platform: PlatformProcess) -> None:
    tok = platform.add_officer(QP, "张伟", "1")
    entry = _entry("note", "create", {"text": "一"})
    with httpx.Client(base_url=platform.url, headers=_auth(tok)) as c:
        first = c.post("/v1/push", json={"entries": [entry]}).json()["results"][0]
        again = c.post("/v1/push", json={"entries": [entry]}).json()["results"][0]
        other = {**entry, "payload": {"text": "二"}}
        clash = c.post("/v1/push", json={"entries": [other]}).json()["results"][0]
    assert (first["status"], again["status"], clash["status"]) == (
        "stored",
        "duplicate",
        "conflict",
    )
    assert "保留原记录" in clash["message_zh"]
    assert _platform_count(platform, "SELECT count(*) FROM entries") == 1
    assert _platform_count(platform, "SELECT count(*) FROM entries WHERE payload LIKE '%一%'") == 1
    assert _platform_count(platform, "SELECT count(*) FROM conflicts") == 1


def test_protocol_version_mismatch_is_explained(platform: PlatformProcess) -> None:
    with httpx.Client(base_url=platform.url) as c:
        r = c.get("/v1/hello", params={"versions": "7"})
    assert r.status_code == 426 and "不兼容" in r.json()["message_zh"]


def _blob_file(tmp_path: Path, size: int) -> tuple[Path, str]:
    data = bytes((i * 7 + i // 251) % 256 for i in range(size))
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_resumed_upload_resends_at_most_one_chunk(
    tmp_path: Path, platform: PlatformProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.services.sync_report import SyncReport
    from officer_app.services.sync_run import upload_blob
    from officer_app.sync.http import PlatformClient

    chunk, size = 16384, 100_000
    monkeypatch.setenv("OFFICER_APP_SYNC_CHUNK", str(chunk))
    monkeypatch.setenv("OFFICER_APP_SYNC_BACKOFF_S", "0.01")
    tok = platform.add_officer(QP, "张伟", "1")
    path, sha = _blob_file(tmp_path, size)
    proxy = FaultProxy(platform.port, cut_after=45_000)
    report = SyncReport()
    try:
        with PlatformClient(proxy.url, tok["token"]) as client:
            upload_blob(client, path, sha, report)
    finally:
        proxy.close()
    assert proxy.cut_done and report.retries >= 1
    assert size <= report.bytes_uploaded <= size + chunk
    stored = platform.root / "platform" / "blobs" / sha[:2] / sha
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha


def test_a_photo_is_sent_whole_without_asking_and_replaces_a_part_left_by_an_earlier_run(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    """A file that fits in one chunk is PUT at once (no HEAD: one request per photo, not two),
    and the platform takes it in place of a part of it held from a run cut earlier; a file of
    several chunks still asks where to resume."""
    from officer_app.services.sync_report import SyncReport
    from officer_app.services.sync_run import upload_blob
    from officer_app.sync.http import PlatformClient

    tok = platform.add_officer(QP, "张伟", "1")
    size, held = 100_000, 30_000
    path, sha = _blob_file(tmp_path, size)
    with httpx.Client(base_url=platform.url, headers=_auth(tok)) as c:  # the earlier run
        r = c.put(
            f"/v1/blobs/{sha}",
            content=path.read_bytes()[:held],
            headers={"Content-Range": f"bytes 0-{held - 1}/{size}"},
        )
        assert r.status_code == 202 and r.json()["held"] == held
    asked: list[str] = []

    def hook(request: httpx.Request) -> None:
        asked.append(request.method)

    report = SyncReport()
    with PlatformClient(platform.url, tok["token"]) as client:
        client._http.event_hooks["request"] = [hook]
        upload_blob(client, path, sha, report)
        assert asked == ["PUT"] and report.bytes_uploaded == size
        stored = platform.root / "platform" / "blobs" / sha[:2] / sha
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
        assert not list((platform.root / "platform" / "uploads").glob("*/*.part"))
        (tmp_path / "big").mkdir()
        big, big_sha = _blob_file(tmp_path / "big", client.upload_chunk + 1)
        asked.clear()
        upload_blob(client, big, big_sha, SyncReport())
        assert asked == ["HEAD", "PUT", "PUT"]


def test_blob_with_wrong_hash_is_refused(tmp_path: Path, platform: PlatformProcess) -> None:
    tok = platform.add_officer(QP, "张伟", "1")
    path, sha = _blob_file(tmp_path, 1000)
    wrong = hashlib.sha256(b"other").hexdigest()
    with httpx.Client(base_url=platform.url, headers=_auth(tok)) as c:
        r = c.put(
            f"/v1/blobs/{wrong}",
            content=path.read_bytes(),
            headers={"Content-Range": "bytes 0-999/1000"},
        )
        assert r.status_code == 422 and "不符" in r.json()["message_zh"]
        assert c.post("/v1/blobs/check", json={"sha256": [wrong]}).json()["missing"] == [wrong]
        assert c.head(f"/v1/blobs/{wrong}").headers["Upload-Offset"] == "0"
        r = c.put(
            f"/v1/blobs/{sha}",
            content=path.read_bytes()[:10],
            headers={"Content-Range": "bytes 5-14/1000"},
        )
        assert r.status_code == 416


@pytest.mark.parametrize("stall", [False, True], ids=["503", "timeout"])
def test_5xx_and_timeouts_are_retried(
    tmp_path: Path,
    platform: PlatformProcess,
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
    stall: bool,
) -> None:
    monkeypatch.setenv("OFFICER_APP_SYNC_BACKOFF_S", "0.01")
    monkeypatch.setenv("OFFICER_APP_SYNC_TIMEOUT_S", "1")
    tok = platform.add_officer(QP, "张伟", "1")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _login(capsys, qp, platform.url, tok["token"])
    _real_case(qp)
    proxy = FaultProxy(platform.port)
    try:
        from officer_app.services.context import AppContext
        from officer_app.store import sync_state

        with AppContext.open(qp) as ctx:  # same server identity, reached through the proxy
            sync_state.put(ctx.store, sync_state.SERVER_URL, platform.url)
        monkeypatch.setattr("officer_app.sync.http.normalise_server", lambda url, _p=proxy: _p.url)
        proxy.fail_left, proxy.stall = 2, stall
        code, report = _run(capsys, qp, "sync")
    finally:
        proxy.close()
    assert code == 0, report
    assert report["retries"] >= 2 and report["pushed"] == 6  # 5 photos + the case
    assert _platform_count(platform, "SELECT count(*) FROM entries") == 6


def test_training_data_is_refused_by_a_normal_platform(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    from officer_app.services.context import AppContext
    from tests.doc_fixtures import load_demo

    tok = platform.add_officer(QP, "张伟", "1")
    with httpx.Client(base_url=platform.url, headers=_auth(tok)) as c:
        r = c.post("/v1/push", json={"entries": [_entry("note", "create", {}, training=True)]})
    result = r.json()["results"][0]
    assert result["status"] == "rejected" and "培训" in result["message_zh"]

    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    with AppContext.open(qp) as ctx:
        load_demo(ctx)
    _login(capsys, qp, platform.url, tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0 and report["pushed"] == 0 and report["skipped_other_mode"] > 0
    assert _platform_count(platform, "SELECT count(*) FROM entries") == 0
    assert _platform_count(platform, "SELECT count(*) FROM blobs") == 0


def test_authorization_matrix(tmp_path: Path, platform: PlatformProcess) -> None:
    qp = platform.add_officer(QP, "张伟", "1")
    wj = platform.add_officer(WJ, "沈建明", "2")
    gone = platform.add_officer(QP, "离职", "3")
    platform.admin("revoke", gone["token_id"])
    path, sha = _blob_file(tmp_path, 500)
    tid = str(uuid.uuid4())
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        assert (
            c.put(
                f"/v1/blobs/{sha}",
                content=path.read_bytes(),
                headers={"Content-Range": "bytes 0-499/500"},
            ).status_code
            == 201
        )
        note = _entry("note", "create", {"secret": "机密内容"})
        assert (
            c.post("/v1/push", json={"entries": [note]}).json()["results"][0]["status"] == "stored"
        )
        send = _entry(
            "transfer",
            "send",
            {
                "id": tid,
                "kind": "case",
                "to_agency": "320583",
                "document_number": "青城管移〔2026〕9号",
            },
        )
        assert (
            c.post("/v1/push", json={"entries": [send]}).json()["results"][0]["status"] == "stored"
        )
    requests = [
        ("GET", "/v1/whoami", None),
        ("POST", "/v1/push", {"entries": []}),
        ("POST", "/v1/blobs/check", {"sha256": [sha]}),
        ("HEAD", f"/v1/blobs/{sha}", None),
        ("GET", f"/v1/blobs/{sha}", None),
        ("GET", f"/v1/blobs/{sha}/content", None),
        ("GET", "/v1/pull?cursor=0", None),
        ("GET", f"/v1/transfers/{tid}", None),
        ("POST", "/v1/serial-blocks", {"request_id": "x", "doc_type": "移", "year": 2026}),
        ("GET", "/v1/code-tables", None),
    ]
    for headers in ({}, _auth(gone), {"Authorization": "Bearer nonsense.token"}):
        with httpx.Client(base_url=platform.url, headers=headers) as c:
            for method, url, body in requests:
                r = c.request(method, url, json=body)
                assert r.status_code == 401, (method, url, headers, r.status_code)
                assert "机密" not in r.text and sha not in r.text
    with httpx.Client(base_url=platform.url, headers=_auth(wj)) as c:  # another agency
        assert c.get(f"/v1/blobs/{sha}/content").status_code == 404
        assert c.get(f"/v1/transfers/{tid}").status_code == 404
        assert c.post("/v1/blobs/check", json={"sha256": [sha]}).json()["missing"] == [sha]
        assert c.head(f"/v1/blobs/{sha}").headers["Blob-Complete"] == "false"
        pulled = c.get("/v1/pull", params={"cursor": 0}).json()
        assert pulled["items"] == [] and "机密" not in json.dumps(pulled)
        r = c.post(
            "/v1/push", json={"entries": [_entry("transfer", "accept", {"transfer_id": tid})]}
        )
        assert r.json()["results"][0]["status"] == "rejected"
        assert c.get("/v1/code-tables").status_code == 200
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        assert c.get(f"/v1/transfers/{tid}").json()["status"] == "sent"
        assert c.get(f"/v1/blobs/{sha}/content").content == path.read_bytes()
        block = c.post(
            "/v1/serial-blocks",
            json={"request_id": "r1", "doc_type": "移", "year": 2026, "size": 50},
        ).json()
        again = c.post(
            "/v1/serial-blocks",
            json={"request_id": "r1", "doc_type": "移", "year": 2026, "size": 50},
        ).json()
        assert block == again and block["last"] - block["first"] == 49


def test_login_refuses_plain_http_and_unusable_keyring(
    tmp_path: Path, platform: PlatformProcess, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tok = platform.add_officer(QP, "张伟", "1")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    with token_env(tok["token"]):
        assert cli(qp, "login", "--server", "http://example.com") == 2
    assert "https" in capsys.readouterr().err
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    keyring.core.set_keyring(keyring.core.load_keyring("keyring.backends.fail.Keyring"))
    try:
        with token_env(tok["token"]):
            assert cli(qp, "login", "--server", platform.url) == 1
        assert "密钥库" in capsys.readouterr().err
    finally:
        keyring.core.set_keyring(keyring.core.load_keyring("tests.keyring_memory.MemoryKeyring"))
    secret = tok["token"].split(".", 1)[1].encode()
    assert all(secret not in data for _, data in _all_bytes(qp))


def test_cluster_bulletin_matches_the_squads_dashboards(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """A real transfer 青浦 → 吴江 through the platform: the 青嘉吴 bulletin the platform issues
    counts the same records as the two squads' own 统计 pages (their union, each once)."""
    import datetime as dt

    from pypdf import PdfReader

    from officer_app.services import bulletin, stats
    from officer_app.services.context import AppContext

    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    case_id = _real_case(qp)
    letter = _issue_transfer(qp, case_id)
    _login(capsys, qp, platform.url, qp_tok["token"])
    _login(capsys, wj, platform.url, wj_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0
    assert _run(capsys, wj, "sync")[0] == 0
    tid = _run(capsys, wj, "transfer", "list")[1][0]["id"]
    assert _run(capsys, wj, "transfer", "accept", tid)[0] == 0
    assert _run(capsys, wj, "sync")[0] == 0
    assert _run(capsys, qp, "sync")[0] == 0

    as_of = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    with AppContext.open(qp) as ctx:  # from the day the photos were taken to today
        taken = ctx.store.scalar("SELECT taken_at FROM cases WHERE id = ?", [case_id])
    period = stats.Period(stats.cst_date(stats.parse_time(taken)), stats.cst_date(as_of))
    boards = {}
    for code, data in ((QP, qp), (WJ, wj)):
        with AppContext.open(data) as ctx:
            boards[code] = stats.dashboard(ctx, period, as_of=as_of)
    out = tmp_path / "cluster.pdf"
    cluster, result = bulletin.platform_bulletin(
        platform.root, period, "青嘉吴", out, as_of=as_of, db_url=platform.db
    )
    for key in ("patrols", "cases", "transfers_sent", "transfers_received", "open"):
        squads = set(boards[QP].figures[key].ids) | set(boards[WJ].figures[key].ids)
        assert set(cluster.figures[key].ids) == squads, key
    assert cluster.figures["cases"].ids == (case_id,)  # the case registered on accepting is 青浦's
    assert boards[WJ].figures["cases"].value == 0
    assert cluster.figures["transfers_sent"].ids == cluster.figures["transfers_received"].ids
    for key in ("receipt_on_time", "mean_receipt_days"):
        assert cluster.figures[key].value == boards[QP].figures[key].value, key
        assert cluster.figures[key].value == boards[WJ].figures[key].value, key
    assert cluster.major == [tid] and result["number"].startswith("青城管通〔")
    text = "".join(p.extract_text() for p in PdfReader(out).pages).replace(" ", "")
    assert letter["number"] in text.replace("\n", "")  # the case list names the transfer letter
