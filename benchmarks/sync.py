"""Sync throughput against a plain HTTP upload of the same bytes over loopback.

Builds a laptop store with N records (photos imported through ``evidence_import`` plus joint
patrols through ``services.patrols``), starts a real platform subprocess on loopback, and times
``officer-app sync`` end to end (the CLI entry point, run in this process so the in-memory test
keyring can hold the token). In the same run it measures the floor any sync must at least pay:
every photo PUT once over one keep-alive connection to a minimal Starlette/uvicorn endpoint that
streams the body to disk and fsyncs it. Goal: sync ≥ 70 % of that floor in MB/s.

    .venv/bin/python benchmarks/sync.py                 # 1,000 records, 200 photos of ~4 MB
    .venv/bin/python benchmarks/sync.py --db postgresql://postgres@127.0.0.1:5432/bench

Each run makes a new platform data dir and so a new witness key: give ``--db`` an empty database
every time (the platform refuses to continue a witness log that another key signed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.import_photos import make_photos  # noqa: E402  (needs the path above)

CST = dt.timezone(dt.timedelta(hours=8))
QP, WJ = "310118", "320509"

#: The plain-upload floor: one PUT per file, streamed to disk and fsynced before answering.
PLAIN_SERVER = """
import os, sys
from pathlib import Path
import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

ROOT = Path(sys.argv[2])

async def put(request):
    path = ROOT / request.path_params["name"]
    with path.open("wb") as fh:
        async for chunk in request.stream():
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    return Response(status_code=201)

async def hello(request):
    return Response("ok")

app = Starlette(routes=[Route("/u/{name}", put, methods=["PUT"]), Route("/", hello)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with httpx.Client(timeout=1) as c:
                c.get(url)
                return
        except httpx.TransportError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def stop(proc: subprocess.Popen[bytes], *, interrupt: bool = False) -> None:
    """``interrupt``: SIGINT, which a profiler wrapping the server needs to write its output."""
    if interrupt:
        proc.send_signal(signal.SIGINT)
    else:
        proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def make_laptop(root: Path, photos: list[Path], patrols: int) -> None:
    from officer_app.services import evidence_import, officers
    from officer_app.services import patrols as patrol_service
    from officer_app.services.context import AppContext

    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", QP)
        report = evidence_import.import_files(ctx, photos)
        assert report.count("imported") == len(photos), report.to_json()["rejected"]
        day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
        for i in range(patrols):
            start = day + dt.timedelta(hours=4 * i)
            patrol_service.create_patrol(
                ctx,
                patrol_service.PatrolDraft(
                    patrol_type="陆路巡查",
                    planned_start=start,
                    planned_end=start + dt.timedelta(hours=3),
                    agencies=[QP, WJ],
                    officers=[
                        patrol_service.PatrolOfficer(QP, "陈立群", "31011820318"),
                        patrol_service.PatrolOfficer(WJ, "沈建明", "32050921107"),
                    ],
                    cluster="青嘉吴",
                    title=f"汾湖联合巡查 {i}",
                    area="汾湖周边",
                ),
            )


def cli_json(*args: str) -> tuple[int, object]:
    from officer_app.__main__ import main

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")  # the CLI writes JSON to stdout.buffer
    with redirect_stdout(out):
        code = main([*args, "--json"])
    out.flush()
    text = raw.getvalue().decode("utf-8").strip()
    return code, (json.loads(text) if text else None)


def pending_records(root: Path) -> int:
    from officer_app.services import sync_status as status
    from officer_app.services.context import AppContext

    with AppContext.open(root) as ctx:
        return int(status.outbox_counts(ctx.store)["pending"])


def plain_upload(photos: list[Path], work: Path, label: str) -> float:
    import httpx

    dest = work / f"plain-{label}"
    dest.mkdir()
    port = free_port()
    script = work / "plain_server.py"
    script.write_text(PLAIN_SERVER)
    proc = subprocess.Popen([sys.executable, str(script), str(port), str(dest)])
    try:
        wait_up(f"http://127.0.0.1:{port}/", proc)
        os.sync()  # no dirty pages of an earlier phase written back during this one
        started = time.perf_counter()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for path in photos:
                r = client.put(f"/u/{path.name}", content=path.read_bytes())
                r.raise_for_status()
        return time.perf_counter() - started
    finally:
        stop(proc)
        shutil.rmtree(dest, ignore_errors=True)


def platform_sync(
    laptop: Path, work: Path, db: str | None, prefix: list[str]
) -> tuple[float, dict[str, object]]:
    port = free_port()
    root = work / "platform"
    db_args = ["--db", db] if db else []
    base = [sys.executable, "-m", "officer_app", "--data-dir", str(root), "platform"]
    add = ["add-officer", "--agency", QP, "--officer-name", "张伟", "--badge", "1"]
    out = subprocess.run([*base, *add, *db_args, "--json"], capture_output=True, check=True)
    token = json.loads(out.stdout)["token"]
    log = (work / "platform.log").open("ab")
    proc = subprocess.Popen(
        [*prefix, *base, "serve", "--port", str(port), *db_args],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_up(f"{url}/v1/hello", proc)
        except RuntimeError as exc:  # e.g. a reused --db whose witness log another key signed
            tail = (work / "platform.log").read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{exc}:\n" + "\n".join(tail)) from exc
        os.environ["OFFICER_APP_TOKEN"] = token  # never on the command line (issue 16)
        try:
            code, who = cli_json("--data-dir", str(laptop), "login", "--server", url)
        finally:
            del os.environ["OFFICER_APP_TOKEN"]
        assert code == 0, who
        os.sync()
        started = time.perf_counter()
        code, report = cli_json("--data-dir", str(laptop), "sync")
        elapsed = time.perf_counter() - started
        assert code == 0 and isinstance(report, dict), report
        return elapsed, report
    finally:
        stop(proc, interrupt=bool(prefix))
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--records", type=int, default=1000, help="photos + patrols")
    parser.add_argument("--db", default=None, help="platform database URL (default SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    parser.add_argument(
        "--server-prefix",
        default="",
        help="run the platform under e.g. 'py-spy record -f raw -o server.txt --'",
    )
    args = parser.parse_args()
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.keyring_memory.MemoryKeyring")
    work = Path(tempfile.mkdtemp(prefix="officer-app-sync-bench-"))
    try:
        t0 = time.perf_counter()
        photos = make_photos(work / "card", args.photos, origin=(31.10, 121.05))  # 青浦
        laptop = work / "laptop"
        make_laptop(laptop, photos, max(args.records - args.photos, 0))
        records = pending_records(laptop)
        size = sum(p.stat().st_size for p in photos)
        print(
            f"setup {time.perf_counter() - t0:.1f} s: {records} outbox records, {len(photos)}"
            f" photos, {size / 1e6:.0f} MB ({size / len(photos) / 1e6:.2f} MB each)"
        )
        # The floor is measured before and after the sync (loopback + disk timings wander by
        # tens of percent here); the ratio uses the mean of the two.
        before = plain_upload(photos, work, "before")
        elapsed, report = platform_sync(laptop, work, args.db, args.server_prefix.split())
        after = plain_upload(photos, work, "after")
        plain = (before + after) / 2
        assert report["pushed"] == records, report
        assert report["blobs_uploaded"] == len(photos), report
        plain_mbs, sync_mbs = size / plain / 1e6, size / elapsed / 1e6
        print(
            f"plain HTTP PUT + fsync : {plain:6.2f} s  {plain_mbs:7.1f} MB/s"
            f"  (before {before:.2f} s, after {after:.2f} s)"
        )
        print(
            f"officer-app sync       : {elapsed:6.2f} s  {sync_mbs:7.1f} MB/s"
            f"  {records / elapsed:7.0f} records/s  ({'PostgreSQL' if args.db else 'SQLite'})"
        )
        witness = report.get("witness") or {}
        if witness.get("witnessed"):
            print(
                f"  of which witnessing   : {witness['ms'] / 1000:6.3f} s  ({witness['ms'] / 10 / elapsed:.1f} %"
                f" of the sync; head {witness['seq']}, first witness of the whole ledger)"
            )
        ratio = sync_mbs / plain_mbs
        print(
            f"sync / plain           : {ratio:.0%}  (goal ≥ 70%) {'OK' if ratio >= 0.7 else 'MISS'}"
        )
    finally:
        if args.keep:
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
