"""The platform against hostile and broken input, over a real platform process (issue 16).

Every input that used to be answered 500 gets a 4xx with a Chinese message (or a per-entry
"rejected"); a bad entry never drops the valid ones of its batch; the sender of what lands in an
inbox is the caller, never the payload; a writer is a party to what it writes; and what another
agency did answers exactly like what nobody did.
"""

from __future__ import annotations

import hashlib
import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sync_fixtures import BACKENDS, PlatformProcess, platform_database
from tests.test_sync import QP, WJ, _auth, _blob_file, _entry

JS = "330421"  # 嘉善


@pytest.fixture(scope="module", params=BACKENDS)
def shared(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[PlatformProcess, dict[str, str], dict[str, str]]]:
    """One platform per backend for the read-mostly cases below (tokens of 青浦 and 吴江)."""
    with platform_database(request.param) as db:
        proc = PlatformProcess(tmp_path_factory.mktemp("hardening") / "platform", db=db)
        try:
            yield proc, proc.add_officer(QP, "张伟", "1"), proc.add_officer(WJ, "沈建明", "2")
        finally:
            proc.stop()


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    from tests.sync_fixtures import running_platform

    yield from running_platform(tmp_path / "platform", request.param)


def _send(tid: str, to: str = WJ, **extra: Any) -> dict[str, Any]:
    payload = {
        "id": tid,
        "kind": "case",
        "to_agency": to,
        "document_number": f"青城管移〔2026〕{uuid.uuid4().int % 1000}号",
        **extra,
    }
    return _entry("transfer", "send", payload)


NESTED = b"[" * 200_000 + b"]" * 200_000

#: (name, method, path, body bytes or JSON) of the inputs issue 16 found answered with HTTP 500.
FIVE_HUNDREDS: list[tuple[str, str, str, Any]] = [
    ("pull cursor 2^63", "GET", "/v1/pull?cursor=9223372036854775808", None),
    ("push nested", "POST", "/v1/push", NESTED),
    ("serial-blocks nested", "POST", "/v1/serial-blocks", NESTED),
    ("blobs/check nested", "POST", "/v1/blobs/check", NESTED),
    ("push NaN id", "POST", "/v1/push", b'{"entries":[{"id":NaN}]}'),
    ("patrol agencies 5", "POST", "/v1/push", None),  # built in the test: a batch
    ("transfer deadline object", "POST", "/v1/push", {"deadline": {"a": 1}}),
    ("transfer document_number object", "POST", "/v1/push", {"document_number": {"a": 1}}),
    (
        "serial year 2^70",
        "POST",
        "/v1/serial-blocks",
        {"request_id": "y", "doc_type": "移", "year": 2**70},
    ),
    (
        "serial min_first 2^63-1",
        "POST",
        "/v1/serial-blocks",
        {"request_id": "m", "doc_type": "移", "year": 2026, "min_first": 2**63 - 1},
    ),
    # more of the same family, found while fixing the above
    ("push Infinity", "POST", "/v1/push", b'{"entries":[{"id":Infinity}]}'),
    ("push 1e400", "POST", "/v1/push", b'{"entries":[{"id":1e400}]}'),
    ("push 5000-digit id", "POST", "/v1/push", b'{"entries":[{"id":' + b"9" * 5000 + b"}]}"),
    ("push invalid utf-8", "POST", "/v1/push", b'{"entries":["\xff\xfe"]}'),
    ("pull cursor -1", "GET", "/v1/pull?cursor=-1", None),
    ("pull limit huge", "GET", "/v1/pull?limit=99999999999999999999999", None),
    (
        "serial year true",
        "POST",
        "/v1/serial-blocks",
        {"request_id": "t", "doc_type": "移", "year": True},
    ),
    ("blobs/check numbers", "POST", "/v1/blobs/check", {"sha256": [1, 2]}),
    ("content-range huge", "PUT", "/v1/blobs/" + "a" * 64, b"x"),
    # found by the fuzz (tests/test_platform_fuzz.py): PostgreSQL text cannot hold NUL, and no
    # database takes a lone UTF-16 surrogate
    ("push NUL in id", "POST", "/v1/push", None),
    ("push lone surrogate", "POST", "/v1/push", b'{"entries":[{"id":"\\ud800"}]}'),
    ("get a transfer id with NUL", "GET", "/v1/transfers/a%00b", None),
    (
        "serial request_id NUL",
        "POST",
        "/v1/serial-blocks",
        {"request_id": "a\x00", "doc_type": "移", "year": 2026},
    ),
]


@pytest.mark.parametrize("case", FIVE_HUNDREDS, ids=[c[0] for c in FIVE_HUNDREDS])
def test_inputs_once_answered_500_get_a_clear_refusal(
    shared: tuple[PlatformProcess, dict[str, str], dict[str, str]], case: tuple[str, str, str, Any]
) -> None:
    proc, qp, _wj = shared
    name, method, path, body = case
    kwargs: dict[str, Any] = {}
    valid = _entry("note", "create", {"text": "有效"})
    if name == "push NUL in id":
        kwargs["json"] = {"entries": [valid, {**_entry("note", "create", {}), "id": "a\x00b"}]}
    elif name == "patrol agencies 5":
        bad = _entry("patrol", "create", {"agencies": 5})
        kwargs["json"] = {"entries": [valid, bad, _entry("note", "create", {"text": "二"})]}
    elif name.startswith("transfer"):
        kwargs["json"] = {"entries": [valid, _send(str(uuid.uuid4()), **body)]}
    elif name == "content-range huge":
        kwargs["content"] = body
        kwargs["headers"] = {"Content-Range": "bytes 0-0/" + "9" * 40}
    elif isinstance(body, bytes):
        kwargs["content"] = body
        kwargs["headers"] = {"Content-Type": "application/json"}
    elif body is not None:
        kwargs["json"] = body
    with httpx.Client(base_url=proc.url, headers=_auth(qp), timeout=30) as c:
        r = c.request(method, path, **kwargs)
    assert r.status_code < 500, (r.status_code, r.text[:300])
    answer = r.json()
    if r.status_code == 200:  # a batch: the bad entry is rejected alone, the valid ones stored
        statuses = [x["status"] for x in answer["results"]]
        assert statuses.count("rejected") == 1 and set(statuses) == {"stored", "rejected"}
        bad = next(x for x in answer["results"] if x["status"] == "rejected")
        assert bad["message_zh"] and bad["message_zh"].endswith("。")
    else:
        assert r.status_code in (400, 404, 413, 416) and answer["message_zh"]
    assert proc.proc.poll() is None


def test_body_over_the_limit_is_refused_before_it_is_read(
    shared: tuple[PlatformProcess, dict[str, str], dict[str, str]],
) -> None:
    """40 MiB announced: 413 at once, nothing read. Streamed without a length: cut at the limit
    (the server stops reading; the client sees 413 or a closed connection, never a 500)."""
    proc, qp, _ = shared
    token = qp["token"]
    with socket.create_connection(("127.0.0.1", proc.port), timeout=10) as s:
        head = (
            f"POST /v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {40 * 1024 * 1024}\r\n\r\n"
        )
        s.sendall(head.encode() + b'{"entries": [')  # the rest of the 40 MiB never comes
        raw = b""
        while b"\r\n\r\n" not in raw or not raw.rstrip().endswith(b"}"):
            data = s.recv(65536)
            if not data:
                break
            raw += data
        reply = raw.decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]
    assert "请求过大" in reply

    def chunks() -> Iterator[bytes]:
        yield b'{"entries": ["'
        for _ in range(40):
            yield b"x" * (1024 * 1024)

    with httpx.Client(base_url=proc.url, headers=_auth(qp), timeout=30) as c:
        try:
            r = c.post("/v1/push", content=chunks())
            assert r.status_code == 413 and "请求过大" in r.json()["message_zh"]
        except httpx.TransportError:
            pass  # the platform closed the connection after refusing: also fine
        assert c.get("/v1/whoami").status_code == 200  # and it still serves


# Who writes what ----------------------------------------------------------------------------------
def test_sender_is_the_caller_and_a_writer_must_be_a_party(platform: PlatformProcess) -> None:
    js = platform.add_officer(JS, "王芳", "3")
    qp = platform.add_officer(QP, "张伟", "1")
    forged_patrol = _entry("patrol", "create", {"agencies": [QP], "from_agency": WJ})
    outsider = _entry("patrol", "create", {"agencies": [QP, WJ]})
    spoofed_sender = _entry("patrol", "create", {"agencies": [JS, QP], "from_agency": WJ})
    fair = _entry("patrol", "create", {"agencies": [f"{JS}-yz", QP], "title": "联合巡查"})
    forged_send = _send(str(uuid.uuid4()), to=QP, from_agency=WJ, status="accepted")
    with httpx.Client(base_url=platform.url, headers=_auth(js)) as c:
        results = c.post(
            "/v1/push",
            json={"entries": [forged_patrol, outsider, spoofed_sender, fair, forged_send]},
        ).json()["results"]
        fair_send = _send(str(uuid.uuid4()), to=QP, status="accepted")
        sent = c.post("/v1/push", json={"entries": [fair_send]}).json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3 + ["stored", "rejected"]
    assert "没有本机关" in results[1]["message_zh"]
    assert all("发送机关" in results[i]["message_zh"] for i in (0, 2, 4))
    assert sent[0]["status"] == "stored"
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        items = c.get("/v1/pull").json()["items"]
    assert [(i["kind"], i["payload"]["from_agency"]) for i in items] == [
        ("patrol", JS),
        ("transfer", JS),
    ]
    assert items[1]["payload"]["status"] == "sent"  # server-set, whatever the payload said


def test_a_transfer_names_only_files_it_lists_and_holds(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    js = platform.add_officer(JS, "王芳", "3")
    path, sha = _blob_file(tmp_path, 700)
    ghost = hashlib.sha256(b"never uploaded").hexdigest()
    unlisted = _send(str(uuid.uuid4()), blobs=[ghost])  # the poison pill of issue 16
    in_evidence = _send(str(uuid.uuid4()), evidence=[{"sha256": ghost}], blobs=[ghost])
    in_evidence["blobs"] = []
    not_held = _send(str(uuid.uuid4()), blobs=[sha])
    not_held["blobs"] = [sha]
    with httpx.Client(base_url=platform.url, headers=_auth(js)) as c:
        first = c.post("/v1/push", json={"entries": [unlisted, in_evidence, not_held]}).json()
        put = c.put(
            f"/v1/blobs/{sha}",
            content=path.read_bytes(),
            headers={"Content-Range": "bytes 0-699/700"},
        )
        again = c.post("/v1/push", json={"entries": [not_held]}).json()
    statuses = [r["status"] for r in first["results"]]
    assert statuses == ["rejected", "rejected", "missing_blobs"]
    assert "未列入文件清单" in first["results"][0]["message_zh"]
    assert first["results"][2]["missing"] == [sha]
    assert put.status_code == 201 and again["results"][0]["status"] == "stored"
    assert int(platform.scalar("SELECT count(*) FROM transfers")) == 1


def test_a_step_letter_names_only_files_it_lists(platform: PlatformProcess) -> None:
    """A step's letter (回执, 退回函 …) travels to the sender like a transfer's files: a file the
    payload names but the entry does not list would stop the sender's pull, so it is refused."""
    qp, wj = platform.add_officer(QP, "张伟", "1"), platform.add_officer(WJ, "沈建明", "2")
    tid, ghost = str(uuid.uuid4()), hashlib.sha256(b"letter never uploaded").hexdigest()
    accept = _entry("transfer", "accept", {"transfer_id": tid, "blobs": [ghost]})
    accept["blobs"] = []
    with httpx.Client(base_url=platform.url) as c:
        sent = c.post("/v1/push", json={"entries": [_send(tid)]}, headers=_auth(qp)).json()
        step = c.post("/v1/push", json={"entries": [accept]}, headers=_auth(wj)).json()
    assert sent["results"][0]["status"] == "stored"
    assert step["results"][0]["status"] == "rejected"
    assert "未列入文件清单" in step["results"][0]["message_zh"]
    assert platform.scalar("SELECT status FROM transfers") == "sent"


# Oracles ------------------------------------------------------------------------------------------
def _same(a: httpx.Response, b: httpx.Response) -> None:
    assert a.status_code == b.status_code
    assert a.content == b.content


def test_what_another_agency_did_answers_like_what_nobody_did(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    qp, wj, js = (
        platform.add_officer(QP, "张伟", "1"),
        platform.add_officer(WJ, "沈建明", "2"),
        platform.add_officer(JS, "王芳", "3"),
    )
    path, sha = _blob_file(tmp_path, 900)
    tid = str(uuid.uuid4())
    note = _entry("note", "create", {"secret": "机密"})
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        c.put(
            f"/v1/blobs/{sha}",
            content=path.read_bytes(),
            headers={"Content-Range": "bytes 0-899/900"},
        )
        send = _send(tid, blobs=[sha])
        send["blobs"] = [sha]
        assert [
            r["status"]
            for r in c.post("/v1/push", json={"entries": [note, send]}).json()["results"]
        ] == ["stored", "stored"]
        c.post("/v1/serial-blocks", json={"request_id": "r-qp", "doc_type": "移", "year": 2026})
    unknown_tid, unknown_sha = str(uuid.uuid4()), hashlib.sha256(b"nobody").hexdigest()
    with httpx.Client(base_url=platform.url, headers=_auth(js)) as c:
        # reads: another agency's transfer / file vs ones that do not exist
        _same(c.get(f"/v1/transfers/{tid}"), c.get(f"/v1/transfers/{unknown_tid}"))
        _same(c.get(f"/v1/blobs/{sha}/content"), c.get(f"/v1/blobs/{unknown_sha}/content"))
        assert c.post("/v1/blobs/check", json={"sha256": [sha, unknown_sha]}).json() == {
            "missing": [sha, unknown_sha]
        }
        for s in (sha, unknown_sha):
            r = c.get(f"/v1/blobs/{s}")
            assert r.json() == {"sha256": s, "complete": False, "held": 0, "size": None}
        # a step on another agency's transfer vs one on no transfer: the same refusal
        steps = [
            _entry("transfer", "accept", {"transfer_id": t, "at": "2026-11-20T08:00:00+00:00"})
            for t in (tid, unknown_tid)
        ]
        stepped = c.post("/v1/push", json={"entries": steps}).json()["results"]
        assert stepped[0]["status"] == "rejected"
        assert {k: v for k, v in stepped[0].items() if k != "id"} == {
            k: v for k, v in stepped[1].items() if k != "id"
        }
        # writes reusing another agency's ids: the id is simply the caller's own
        mine = {**note, "payload": {"text": "嘉善的记录"}}
        fresh = {**note, "id": str(uuid.uuid4()), "payload": {"text": "嘉善的记录"}}
        reuse = c.post("/v1/push", json={"entries": [mine, fresh]}).json()["results"]
        assert [r["status"] for r in reuse] == ["stored", "stored"]
        elsewhere = "320583"  # neither 青浦 nor 吴江
        reused_tid, fresh_tid = _send(tid, to=elsewhere), _send(unknown_tid, to=elsewhere)
        answers = c.post("/v1/push", json={"entries": [reused_tid, fresh_tid]}).json()["results"]
        assert [r["status"] for r in answers] == ["stored", "stored"]
        a = c.post("/v1/serial-blocks", json={"request_id": "r-qp", "doc_type": "移", "year": 2026})
        b = c.post(
            "/v1/serial-blocks", json={"request_id": "r-new", "doc_type": "移", "year": 2026}
        )
        assert a.status_code == b.status_code == 200
        assert a.json()["agency"] == b.json()["agency"] == JS
        assert (a.json()["first"], b.json()["first"]) == (1, 101)
    with httpx.Client(base_url=platform.url, headers=_auth(wj)) as c:  # 吴江 still gets 青浦's
        items = c.get("/v1/pull").json()["items"]
        assert [(i["kind"], i["payload"]["from_agency"]) for i in items] == [("transfer", QP)]
        step = _entry("transfer", "accept", {"transfer_id": tid})
        assert c.post("/v1/push", json={"entries": [step]}).json()["results"][0]["status"] == (
            "stored"
        )
        assert c.get(f"/v1/transfers/{tid}").json()["from_agency"] == QP
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        assert c.get(f"/v1/transfers/{tid}").json()["status"] == "accepted"
        pulled = c.get("/v1/pull").json()["items"]
        assert [(i["kind"], i["payload"]["by_agency"]) for i in pulled] == [("transfer_status", WJ)]
    assert int(platform.scalar("SELECT count(*) FROM entries WHERE id = '" + note["id"] + "'")) == 2


def test_the_bulletin_takes_no_change_from_another_agency_and_survives_odd_fields(
    platform: PlatformProcess,
) -> None:
    import datetime as dt

    from officer_app.platform.db import opened
    from officer_app.platform.stats_rows import load_platform_rows
    from officer_app.services.stats import Period

    qp, wj = platform.add_officer(QP, "张伟", "1"), platform.add_officer(WJ, "沈建明", "2")
    patrol = _entry("patrol", "create", {"agencies": [QP, WJ], "status": "planned", "type": "陆路"})
    odd = _entry(  # fields the platform does not check, of the wrong kind
        "patrol",
        "create",
        {"agencies": [QP], "officers": 5, "actual_start": "不是时间", "title": 7, "status": None},
    )
    with httpx.Client(base_url=platform.url, headers=_auth(qp)) as c:
        results = c.post("/v1/push", json={"entries": [patrol, odd]}).json()["results"]
        assert [r["status"] for r in results] == ["stored", "stored"]
    with httpx.Client(base_url=platform.url, headers=_auth(wj)) as c:
        pid = c.get("/v1/pull").json()["items"][0]["ref_id"]
        change = _entry("patrol", "update", {"status": "closed", "title": "改写"})
        change["entity_id"] = pid
        assert c.post("/v1/push", json={"entries": [change]}).json()["results"][0]["status"] == (
            "stored"
        )
    day = dt.date(2026, 11, 20)
    with opened(platform.db or platform.root / "platform" / "platform.sqlite3") as conn:
        rows = load_platform_rows(conn, Period(day, day))
    assert sorted(
        (p.id, p.status, p.title, p.officers, p.actual_start) for p in rows.patrols
    ) == sorted([(pid, "planned", "", 0, None), (odd["entity_id"], "", "", 0, None)])


def test_serial_block_request_ids_are_per_agency_and_idempotent(
    shared: tuple[PlatformProcess, dict[str, str], dict[str, str]],
) -> None:
    proc, qp, wj = shared
    rid = str(uuid.uuid4())
    body = {"request_id": rid, "doc_type": "通", "year": 2027, "size": 10, "min_first": 5}
    answers = []
    for tok in (qp, wj, qp):
        with httpx.Client(base_url=proc.url, headers=_auth(tok)) as c:
            answers.append(c.post("/v1/serial-blocks", json=body))
    assert [a.status_code for a in answers] == [200, 200, 200]
    first, other, again = (a.json() for a in answers)
    assert first == again and (first["first"], first["last"]) == (5, 14)
    assert other["agency"] == WJ and (other["first"], other["last"]) == (5, 14)


def test_openapi_file_names_every_route_and_status() -> None:
    """The contract the fuzz runs against says what the platform answers (per route)."""
    import yaml

    from officer_app.platform.app import build_app

    spec = yaml.safe_load((Path(__file__).parents[1] / "docs" / "sync-openapi.yaml").read_text())
    app = build_app(Path("/nonexistent"), training=False)
    routes = {r.path.replace("{sha}", "{sha256}").replace("{tid}", "{id}") for r in app.routes}
    assert routes == set(spec["paths"])
    push = spec["paths"]["/v1/push"]["post"]["responses"]
    assert {"200", "400", "401", "413"} <= set(push)
    assert json.dumps(spec).count("413") >= 3
