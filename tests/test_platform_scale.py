"""The platform run as a city would run it: several worker processes on one database, TLS, a health
endpoint, the upload lock in the database, backup and restore (issue 20).

Every test drives real ``officer-app platform serve`` processes over loopback.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import os
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sync_fixtures import BACKENDS, PlatformProcess, platform_database
from tests.test_sync import QP, WJ, _auth, _entry

REPO = Path(__file__).resolve().parents[1]
AGENCIES = ["310118", "320509", "330421", "310117", "320583", "330402"]


@pytest.fixture(params=BACKENDS)
def workers4(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    with platform_database(request.param) as db:
        proc = PlatformProcess(tmp_path / "platform", db=db, extra=["--workers", "4"])
        try:
            yield proc
        finally:
            proc.stop()


def _send(to: str) -> dict[str, Any]:
    tid = str(uuid.uuid4())
    payload = {
        "id": tid,
        "kind": "case",
        "to_agency": to,
        "document_number": f"移〔2026〕{tid[:6]}号",
    }
    return _entry("transfer", "send", payload)


def _pull_all(c: httpx.Client, cursor: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    while True:
        page = c.get("/v1/pull", params={"cursor": cursor, "limit": 500}).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return items, cursor


def test_exactly_once_with_four_workers(workers4: PlatformProcess) -> None:
    """Six agencies push at once, every batch twice (a laptop retrying a push whose answer it
    never got), each batch sending transfers to 吴江 and joint patrols with it, while a 吴江
    laptop pulls all along: every entry is stored once, and the reader, whose cursor only moves
    forward, receives every row addressed to 吴江 once — none committed late behind its cursor."""
    tokens = {a: workers4.add_officer(a, f"队员{a}", a) for a in AGENCIES}
    batches = []
    for agency in AGENCIES:
        if agency == WJ:
            continue
        for _ in range(6):
            batch = [_entry("case", "create", {"title": "占道经营"}) for _ in range(20)]
            batch += [_send(WJ) for _ in range(3)]
            batch += [_entry("patrol", "create", {"agencies": [agency, WJ]})]
            batches.append((agency, batch))
    done = threading.Event()
    received: list[dict[str, Any]] = []

    def reader() -> None:
        cursor = 0
        with httpx.Client(base_url=workers4.url, headers=_auth(tokens[WJ]), timeout=60) as c:
            while True:
                last = done.is_set()
                items, cursor = _pull_all(c, cursor)
                received.extend(items)
                if last:
                    return
                time.sleep(0.05)

    def push(agency: str, batch: list[dict[str, Any]]) -> list[str]:
        with httpx.Client(base_url=workers4.url, headers=_auth(tokens[agency]), timeout=60) as c:
            r = c.post("/v1/push", json={"entries": batch})
            assert r.status_code == 200, r.text
            return [x["status"] for x in r.json()["results"]]

    pulling = threading.Thread(target=reader)
    pulling.start()
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        jobs = [pool.submit(push, a, b) for a, b in batches + batches]  # each batch twice
        statuses = Counter(s for job in jobs for s in job.result())
    done.set()
    pulling.join(120)
    n = sum(len(b) for _, b in batches)
    assert statuses == {"stored": n, "duplicate": n}
    assert int(workers4.scalar("SELECT count(*) FROM entries")) == n
    cursors = [item["cursor"] for item in received]
    assert (
        len(cursors)
        == len(set(cursors))
        == int(workers4.scalar(f"SELECT count(*) FROM inbox WHERE agency = '{WJ}'"))
    )
    sent = {e["payload"]["id"] for _, b in batches for e in b if e["entity"] == "transfer"}
    assert Counter(i["ref_id"] for i in received if i["kind"] == "transfer") == dict.fromkeys(
        sent, 1
    )
    assert sum(i["kind"] == "patrol" for i in received) == len(batches)


def test_two_workers_racing_on_one_upload_end_with_one_verified_file(
    workers4: PlatformProcess,
) -> None:
    """Two laptops of one agency (or one laptop retrying) upload the same photo at once, through
    different workers: the lock in the database lets one write at a time, the other finds the file
    complete or finishes it; one file, its content right, and the lock table empty afterwards."""
    tok = workers4.add_officer(QP, "张伟", "1")
    data = os.urandom(3 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    headers = {**_auth(tok), "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}

    def put(_: int) -> int:
        with httpx.Client(base_url=workers4.url, timeout=60) as c:  # a connection each
            return c.put(f"/v1/blobs/{sha}", content=data, headers=headers).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(put, range(6)))
    assert set(codes) <= {200, 201, 416, 429} and 201 in codes, codes
    with httpx.Client(base_url=workers4.url, headers=_auth(tok)) as c:
        state = c.get(f"/v1/blobs/{sha}").json()
        body = c.get(f"/v1/blobs/{sha}/content").content
    assert state["complete"] and hashlib.sha256(body).hexdigest() == sha
    assert int(workers4.scalar("SELECT count(*) FROM blobs")) == 1
    assert int(workers4.scalar("SELECT count(*) FROM upload_locks")) == 0
    files = list((workers4.root / "platform" / "blobs").rglob("*"))
    assert [f.name for f in files if f.is_file()] == [sha]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_lock_table_stays_bounded_and_a_dead_workers_lease_expires(
    tmp_path: Path, backend: str
) -> None:
    """A lease left by a killed worker blocks that file only until it expires, and is swept
    by the next upload; uploads leave no row behind."""
    with platform_database(backend) as db:
        proc = PlatformProcess(tmp_path / "platform", db=db)
        try:
            tok = proc.add_officer(QP, "张伟", "1")
            from officer_app.platform import db as platform_db

            with platform_db.opened(db or platform_db.PlatformPaths(proc.root).db_path) as conn:
                conn.execute(
                    "INSERT INTO upload_locks (agency, sha256, holder, expires_ms)"
                    " VALUES (?, ?, 'killed-worker', 0)",
                    [QP, "f" * 64],
                )
            with httpx.Client(base_url=proc.url, headers=_auth(tok), timeout=30) as c:
                for i in range(20):
                    data = f"photo {i}".encode()
                    sha = hashlib.sha256(data).hexdigest()
                    r = c.put(
                        f"/v1/blobs/{sha}",
                        content=data,
                        headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
                    )
                    assert r.status_code == 201
            assert int(proc.scalar("SELECT count(*) FROM upload_locks")) == 0
            assert int(proc.scalar("SELECT count(*) FROM blobs")) == 20
        finally:
            proc.stop()


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def test_workers_and_tls_as_the_deploy_guide_starts_them(tmp_path: Path) -> None:
    """``platform serve --workers 2 --certfile … --keyfile …`` (docs/deploy.md): HTTPS verified
    against the certificate, plain HTTP refused, the health endpoint says ok, and says 503 when
    the blob store is gone."""
    certfile, keyfile = _self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(certfile))
    proc = PlatformProcess(
        tmp_path / "platform",
        extra=["--workers", "2", "--certfile", str(certfile), "--keyfile", str(keyfile)],
        verify=trust,
    )
    try:
        assert proc.url.startswith("https://")
        with httpx.Client(base_url=proc.url, verify=trust) as c:
            health = c.get("/v1/health")
            assert health.status_code == 200
            assert health.json() == {"status": "ok", "database": "ok", "blobs": "ok"}
            (proc.root / "platform" / "uploads").rmdir()
            broken = c.get("/v1/health")
        assert broken.status_code == 503 and broken.json()["blobs"] == "not writable"
        with pytest.raises(httpx.TransportError):
            httpx.get(proc.url.replace("https", "http") + "/v1/hello", timeout=5)
    finally:
        proc.stop()


def test_tls_needs_both_files(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(tmp_path),
            "platform",
            "serve",
            "--port",
            "8443",
            "--certfile",
            str(tmp_path / "cert.pem"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "--certfile 和 --keyfile" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_and_restore_drill(tmp_path: Path, backend: str) -> None:
    """The drill of docs/deploy.md: back up a running platform (database, then blobs), restore
    into a fresh data dir and database, check it, serve it: the same entries, the same file."""
    with platform_database(backend) as db, platform_database(backend) as db2:
        proc = PlatformProcess(tmp_path / "live", db=db)
        try:
            tok = proc.add_officer(QP, "张伟", "1")
            data = os.urandom(200_000)
            sha = hashlib.sha256(data).hexdigest()
            with httpx.Client(base_url=proc.url, headers=_auth(tok), timeout=30) as c:
                put = c.put(
                    f"/v1/blobs/{sha}",
                    content=data,
                    headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
                )
                assert put.status_code == 201
                photo = _entry("evidence", "create", {"sha256": sha}, blobs=[sha])
                pushed = c.post("/v1/push", json={"entries": [photo, _send(WJ)]}).json()
                assert [r["status"] for r in pushed["results"]] == ["stored", "stored"]
            backup = subprocess.run(
                [
                    "bash",
                    str(REPO / "tools" / "platform-backup.sh"),
                    str(proc.root),
                    str(tmp_path / "backup"),
                    *([db] if db else []),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert backup.returncode == 0, backup.stderr
        finally:
            proc.stop()
        target = tmp_path / "restored"
        env = {**os.environ, "PYTHON": sys.executable}
        restore = subprocess.run(
            [
                "bash",
                str(REPO / "tools" / "platform-restore.sh"),
                str(tmp_path / "backup"),
                str(target),
                *([db2] if db2 else []),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert restore.returncode == 0, restore.stderr + restore.stdout
        assert "缺失 0 个，内容不符 0 个" in restore.stdout
        again = PlatformProcess(target, db=db2)
        try:
            with httpx.Client(base_url=again.url, headers=_auth(tok), timeout=30) as c:
                assert hashlib.sha256(c.get(f"/v1/blobs/{sha}/content").content).hexdigest() == sha
                replay = c.post("/v1/push", json={"entries": [photo]}).json()
            assert replay["results"][0]["status"] == "duplicate"
            assert int(again.scalar("SELECT count(*) FROM entries")) == 2
        finally:
            again.stop()


def test_platform_check_names_a_missing_file(tmp_path: Path) -> None:
    """A restore that lost a file is told so (exit 1, in Chinese), not served as if whole."""
    proc = PlatformProcess(tmp_path / "p")
    try:
        tok = proc.add_officer(QP, "张伟", "1")
        data = b"evidence bytes"
        sha = hashlib.sha256(data).hexdigest()
        with httpx.Client(base_url=proc.url, headers=_auth(tok)) as c:
            c.put(
                f"/v1/blobs/{sha}",
                content=data,
                headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
            )
    finally:
        proc.stop()
    (proc.root / "platform" / "blobs" / sha[:2] / sha).unlink()
    run = subprocess.run(
        [sys.executable, "-m", "officer_app", "--data-dir", str(proc.root), "platform", "check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "缺失 1 个" in run.stderr + run.stdout
