"""Load on a real platform process: simulated officers sending what a laptop's sync sends.

Each simulated officer runs sync sessions back to back for ``--seconds`` (sessions under way then
finish; a hard cap of three times that stops anything stuck), each session being the requests
``officer_app.services.sync_run.run_sync`` makes, in its order:

    GET  /v1/hello
    POST /v1/blobs/check            every file of the batch
    PUT  /v1/blobs/<sha>            each missing file, whole (photos of --photo-kb KiB: a file
                                    that fits in one chunk is sent without a HEAD first)
    POST /v1/push                   one batch: a joint patrol, 40 photos, 4 cases, 4 documents,
                                    a case transfer to another agency, and (on one laptop per
                                    agency) a 接收 with its 回执 of each transfer pulled before
    GET  /v1/pull                   until ``more`` is false

A 5xx or a dropped connection is retried like the client does (three times, backing off). The
officers belong to ``--agencies`` agencies of the 长三角 毗邻地区, round-robin.

One platform process per backend (SQLite in a fresh data dir; PostgreSQL in a fresh database of
``--pg-url``, dropped afterwards), started with ``--workers``, serves every level and repeat in
turn, so its RSS after each run shows whether memory stays flat. After every run, each officer
drains its inbox and the database is checked: every acknowledged entry stored exactly once, each
officer received every inbox row of its agency exactly once and nothing else, every acknowledged
transfer reached its receiver's inbox exactly once.

    .venv/bin/python benchmarks/platform_load.py --levels 1,10,50,200 --seconds 20 \\
        --backends sqlite,postgresql --pg-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/platform_load.py --levels 200 --repeat 3     # RSS flat?

Client and server share the machine: the figures are for both together on loopback. To tell the
server's part from the client's, each run also prints a hello probe (one more laptop in a process
of its own, the laptop's blocking ``httpx`` client, a new connection per hello: what a laptop
waits for while the others sync), the client's own event-loop lag, and the CPU the client, the
server's processes and the whole machine used (client ms per request, server cores). In one
client process the officers queue for one loop, and that queue is in every latency they see;
``--clients N`` spreads them over N processes (the requests are the same).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import importlib.util
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.sync import free_port  # noqa: E402  (needs the path above)

if importlib.util.find_spec("sniffio") is None:
    # httpcore's async client asks for ``sniffio`` on every lock it makes (several per request);
    # where it is not installed (anyio no longer needs it) each ask repeated a failed search of
    # sys.path: 0.3 ms, a fifth of the simulated officers' CPU, which a laptop's sync client never
    # spends. ``None`` here makes the same ImportError immediate: httpcore takes the same
    # "asyncio" branch, the requests are unchanged.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

#: Districts of the 长三角生态绿色一体化发展示范区 and their neighbours (platform agency codes).
AGENCIES = [
    "310118", "320509", "330421", "310117", "310116", "320583", "320585", "330402",
    "330411", "330482", "330483", "310114", "320506", "320505", "330481", "330424",
    "310151", "320581", "330522", "330523",
]  # fmt: skip
ENDPOINTS = ("hello", "blobs/check", "blob HEAD", "blob PUT", "push", "pull")
RETRIES = 3
LAG_TICK_S = 0.02
DRAIN_PASSES, DRAIN_QUIET_S = 20, 3.0
#: The hello probe: one laptop in its own process asking ``GET /v1/hello`` on a new connection
#: this often, so the server's answer time is measured apart from the load client's own queue.
PROBE_EVERY_S = 0.1


@dataclass
class Figures:
    """What one run measured (client side) and what it must find in the database."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    acknowledged: set[tuple[str, str]] = field(default_factory=set)
    transfers: set[tuple[str, str, str]] = field(default_factory=set)  # (from, id, to)
    stored: int = 0
    uploaded: int = 0
    sessions: int = 0
    errors: list[str] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)  # the client's own event-loop delay
    client_cpu: float = 0.0  # CPU seconds the simulated officers' process used
    probe: list[float] = field(default_factory=list)  # hello as an idle laptop sees it
    #: The officers' hello in two parts: from the call until the request is on the socket
    #: (connecting, and waiting for this client's loop), then until its answer is read (the
    #: server, and this loop waking up to read it).
    hello_sent: list[float] = field(default_factory=list)
    hello_answered: list[float] = field(default_factory=list)


@dataclass
class Officer:
    agency: str
    token: str
    cursor: int = 0
    received: list[int] = field(default_factory=list)
    to_accept: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)  # already on the platform
    answers: bool = False  # one laptop per agency takes in (接收) what is transferred to it


# Requests ----------------------------------------------------------------------------------------
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(entity: str, op: str, payload: dict[str, Any], blobs: list[str]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": str(payload.get("id") or payload.get("transfer_id") or uuid.uuid4()),
        "op": op,
        "payload": payload,
        "training": False,
        "blobs": blobs,
    }


def _fresh_bytes(size: int) -> bytes:
    """``size`` bytes no earlier call returned (16 random bytes, then a slice of a block drawn
    once per process), so every photo is a new file with its own SHA-256.

    Drawing the whole 64 KiB from ``os.urandom`` cost the client 0.2 ms a photo, 10 ms of its
    event loop per batch, spent while the other officers' requests (their hello above all, all
    sent in the same first seconds) waited for that loop: a laptop's photos are already on disk."""
    global _NOISE
    if len(_NOISE) < size:
        _NOISE = os.urandom(max(size, 1 << 20))
    head = os.urandom(min(16, size))
    return head + _NOISE[: size - len(head)]


_NOISE = b""


def session_batch(
    officer: Officer, photo_kb: int, new_photos: int, rng: random.Random
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """A laptop's batch: the entries and the files they need; ``new_photos`` of its 40 photos
    are new files, the others name files this officer uploaded before (already held)."""
    files: dict[str, bytes] = {}

    def file(size: int) -> str:
        data = _fresh_bytes(size)
        sha = _sha(data)
        files[sha] = data
        return sha

    other = rng.choice([a for a in AGENCIES if a != officer.agency])
    now = time.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    patrol_id = str(uuid.uuid4())
    entries = [
        _entry(
            "patrol",
            "create",
            {
                "id": patrol_id,
                "agencies": [officer.agency, other],
                "started_at": now,
                "area": "毗邻地区联合巡查 汾湖—黎里—西塘",
                "route": [[120.90 + i / 1000, 31.05 + i / 2000] for i in range(40)],
                "note": "联合巡查，发现占道经营、乱堆物料等问题。",
            },
            [],
        )
    ]
    cases = [str(uuid.uuid4()) for _ in range(4)]
    photos = []
    for i in range(40):
        old = i >= new_photos
        sha = officer.photos[i] if old else file(photo_kb * 1024)
        photos.append(sha)
        payload = {
            "id": str(uuid.uuid4()),
            "sha256": sha,
            "case_id": cases[i % 4],
            "file_name": f"IMG_{rng.randrange(10000):04d}.jpg",
            "size": photo_kb * 1024,
            "taken_at": now,
            "lat": 31.0 + rng.random() / 10,
            "lon": 120.9 + rng.random() / 10,
            "device": "Canon EOS 90D",
            "note": "现场照片",
        }
        entries.append(_entry("evidence", "create", payload, [sha]))
    for i, case_id in enumerate(cases):
        payload = {
            "id": case_id,
            "title": "占道经营",
            "status": "open",
            "agency": officer.agency,
            "address": f"嘉善县西塘镇南苑路{i + 1}号",
            "facts": "当事人在道路上摆摊经营，经劝阻后仍未改正。" * 3,
            "opened_at": now,
        }
        entries.append(_entry("case", "create", payload, []))
    for i, case_id in enumerate(cases):
        pdf = file(24 * 1024)
        evidence = photos[i * 10 : i * 10 + 3]
        payload = {
            "id": str(uuid.uuid4()),
            "case_id": case_id,
            "form": "on_site_record",
            "number": f"城管现〔2026〕{rng.randrange(1, 99999)}号",
            "pdf_sha256": pdf,
            "evidence_sha256": evidence,
            "issued_at": now,
        }
        entries.append(_entry("document", "issue", payload, sorted({pdf, *evidence})))
    letter, evidence = file(24 * 1024), photos[:5]
    tid = str(uuid.uuid4())
    send = {
        "id": tid,
        "kind": "case",
        "to_agency": other,
        "document_number": f"城管移〔2026〕{rng.randrange(1, 99999)}号",
        "deadline": "2026-12-31",
        "case": {"id": cases[0], "title": "占道经营", "address": "西塘镇南苑路1号"},
        "parties": [{"name": "待查", "kind": "unknown"}],
        "evidence": [{"sha256": s, "file_name": "IMG.jpg"} for s in evidence],
        "pdf_sha256": letter,
        "blobs": sorted({letter, *evidence}),
    }
    entries.append(_entry("transfer", "send", send, sorted({letter, *evidence})))
    for pulled in officer.to_accept:
        receipt = file(16 * 1024)
        step = {"transfer_id": pulled, "receipt_number": "回执", "blobs": [receipt]}
        entries.append(_entry("transfer", "accept", step, [receipt]))
    officer.to_accept = []
    officer.photos = photos
    return entries, files


async def _call(
    client: Any, figures: Figures, name: str, method: str, url: str, **kwargs: Any
) -> Any:
    """One request, retried like the laptop retries a transient failure."""
    import httpx

    for attempt in range(RETRIES + 1):
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            figures.errors.append(f"{name}: {type(exc).__name__}")
            await asyncio.sleep(0.5 * 2**attempt)
            continue
        figures.latencies[name].append(time.perf_counter() - started)
        figures.statuses[response.status_code] += 1
        if response.status_code < 500:
            return response
        await asyncio.sleep(0.5 * 2**attempt)
    raise RuntimeError(f"{name} failed {RETRIES + 1} times")


async def pull_all(client: Any, officer: Officer, figures: Figures) -> None:
    while True:
        answer = await _call(client, figures, "pull", "GET", f"/v1/pull?cursor={officer.cursor}")
        page = answer.json()
        for item in page["items"]:
            officer.received.append(item["cursor"])
            if item["kind"] == "transfer" and officer.answers:
                officer.to_accept.append(item["ref_id"])
        officer.cursor = page["next_cursor"]
        if not page["more"]:
            return


Batch = tuple[list[dict[str, Any]], dict[str, bytes]]


async def session(client: Any, officer: Officer, figures: Figures, batch: Batch) -> None:
    """One sync of ``batch`` (made before it starts: a laptop's outbox and photos are there
    before it syncs)."""
    entries, files = batch
    stamps: dict[str, float] = {}

    async def trace(event: str, info: dict[str, Any]) -> None:
        stamps[event] = time.perf_counter()

    stamps["call"] = time.perf_counter()
    hello = "/v1/hello?versions=1"
    await _call(client, figures, "hello", "GET", hello, extensions={"trace": trace})
    sent = stamps.get("http11.send_request_body.complete")
    answered = stamps.get("http11.receive_response_headers.complete")
    if sent is not None and answered is not None:
        figures.hello_sent.append(sent - stamps["call"])
        figures.hello_answered.append(answered - sent)
    shas = sorted({s for e in entries for s in e["blobs"]})
    check = await _call(
        client, figures, "blobs/check", "POST", "/v1/blobs/check", json={"sha256": shas}
    )
    for sha in check.json()["missing"]:
        data = files.get(sha)
        if data is None:  # a 回执 of another officer's batch: never happens, shas are fresh
            continue
        headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        put = await _call(
            client, figures, "blob PUT", "PUT", f"/v1/blobs/{sha}", content=data, headers=headers
        )
        if put.status_code not in (200, 201):
            figures.errors.append(f"PUT {put.status_code}")
        figures.uploaded += len(data)
    push = await _call(client, figures, "push", "POST", "/v1/push", json={"entries": entries})
    if push.status_code != 200:
        figures.errors.append(f"push {push.status_code}: {push.text[:200]}")
        return
    by_id = {e["id"]: e for e in entries}
    for result in push.json()["results"]:
        if result["status"] in ("stored", "duplicate"):
            figures.acknowledged.add((officer.agency, result["id"]))
            figures.stored += 1
            e = by_id[result["id"]]
            if e["entity"] == "transfer" and e["op"] == "send":
                figures.transfers.add(
                    (officer.agency, e["payload"]["id"], e["payload"]["to_agency"])
                )
        else:
            figures.errors.append(f"entry {result['status']}: {result.get('detail', '')[:100]}")
    await pull_all(client, officer, figures)
    figures.sessions += 1


async def run_level(
    url: str, officers: list[Officer], seconds: float, photo_kb: int, new_photos: int
) -> tuple[Figures, float]:
    import httpx

    figures = Figures()
    async with contextlib.AsyncExitStack() as stack:  # one connection per laptop, made first
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=url,
                    headers={"Authorization": f"Bearer {o.token}"},
                    timeout=60,
                    verify=False,  # plain HTTP on loopback: no CA bundle to load 200 times
                )
            )
            for o in officers
        ]
        # Every officer's first batch is made before the clock starts: otherwise the client
        # would make 200 of them in the first two seconds, on the loop the first hellos wait for.
        first = [session_batch(o, photo_kb, new_photos, random.Random()) for o in officers]
        deadline = time.monotonic() + seconds
        cpu = time.process_time()

        async def lag() -> None:
            """How late this process's loop wakes up: what every latency above also contains."""
            while True:
                asked = time.perf_counter()
                await asyncio.sleep(LAG_TICK_S)
                figures.lag.append(time.perf_counter() - asked - LAG_TICK_S)

        monitor = asyncio.create_task(lag())

        async def one(officer: Officer, client: Any, batch: Batch) -> None:
            await asyncio.sleep(random.random() * min(seconds / 4, 2))  # not all at one instant
            while time.monotonic() < deadline:
                await session(client, officer, figures, batch)
                if time.monotonic() < deadline:
                    batch = session_batch(officer, photo_kb, new_photos, random.Random())

        started = time.monotonic()
        tasks = [
            asyncio.create_task(one(o, c, b))
            for o, c, b in zip(officers, clients, first, strict=True)
        ]
        done, pending = await asyncio.wait(tasks, timeout=seconds * 3 + 30)
        for task in pending:
            task.cancel()
            figures.errors.append("session cut at the hard time cap")
        for task in done:
            if task.exception() is not None:
                figures.errors.append(f"officer failed: {task.exception()!r}"[:300])
        elapsed = time.monotonic() - started
        figures.client_cpu = time.process_time() - cpu
        monitor.cancel()
    return figures, elapsed


async def drain(url: str, officers: list[Officer]) -> None:
    """Each officer pulls what is left in its inbox once every session ended (not measured).

    A session cut at the time cap may have left a push on its way: the platform still stores it
    (and routes what it sends) after its laptop gave up, so the inboxes are drained again until
    a pass a few seconds later finds nothing new."""
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=60, verify=False) as client:
        for attempt in range(DRAIN_PASSES):
            before = sum(len(o.received) for o in officers)
            for officer in officers:
                client.headers["Authorization"] = f"Bearer {officer.token}"
                await pull_all(client, officer, Figures())
            if attempt and sum(len(o.received) for o in officers) == before:
                return
            await asyncio.sleep(DRAIN_QUIET_S)


def _run(main: Coroutine[Any, Any, T]) -> T:
    """``main`` on uvloop where it is installed (uvicorn brings it, and the server runs on it):
    a cheaper loop leaves more of the client's CPU share to the requests it times."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def _run_slice(
    url: str, officers: list[Officer], seconds: float, photo_kb: int, new_photos: int
) -> tuple[Figures, float, list[Officer]]:
    """One client process's share of the officers (their state goes back to the parent)."""
    figures, elapsed = _run(run_level(url, officers, seconds, photo_kb, new_photos))
    return figures, elapsed, officers


def run_clients(
    url: str, group: list[Officer], seconds: float, photo_kb: int, new_photos: int, processes: int
) -> tuple[Figures, float]:
    """The officers in ``processes`` client processes (round-robin), their figures merged.

    Real laptops each bring their own CPU; here every simulated officer shares the client's. In
    one process 200 officers queue for one event loop, and that queue is in every latency the
    officers see; spread over a few processes they get their share of the cores like the other
    processes on the machine. The requests are the same either way."""
    if processes <= 1:
        figures, elapsed = _run(run_level(url, group, seconds, photo_kb, new_photos))
        _run(drain(url, group))
        return figures, elapsed
    import concurrent.futures
    import multiprocessing

    slices = [group[i::processes] for i in range(processes)]
    with concurrent.futures.ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        jobs = [pool.submit(_run_slice, url, s, seconds, photo_kb, new_photos) for s in slices]
        done = [job.result() for job in jobs]
    merged, elapsed = Figures(), 0.0
    for mine, (figures, took, back) in zip(slices, done, strict=True):
        for officer, state in zip(mine, back, strict=True):
            officer.__dict__.update(state.__dict__)  # cursor, what it received and holds
        for name, values in figures.latencies.items():
            merged.latencies[name] += values
        merged.statuses.update(figures.statuses)
        merged.acknowledged |= figures.acknowledged
        merged.transfers |= figures.transfers
        merged.stored += figures.stored
        merged.uploaded += figures.uploaded
        merged.sessions += figures.sessions
        merged.errors += figures.errors
        merged.lag += figures.lag
        merged.hello_sent += figures.hello_sent
        merged.hello_answered += figures.hello_answered
        merged.client_cpu += figures.client_cpu
        elapsed = max(elapsed, took)
    _run(drain(url, group))
    return merged, elapsed


# The platform --------------------------------------------------------------------------------------
@contextlib.contextmanager
def pg_database(base: str) -> Iterator[str]:
    import psycopg

    name = f"oa_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(base)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def platform(root: Path, db_url: str | None, workers: int) -> Iterator[tuple[str, int]]:
    """A real ``officer-app platform serve`` on loopback; stopped (SIGTERM) on the way out."""
    import httpx

    port = free_port()
    cmd = [sys.executable, "-m", "officer_app", "--data-dir", str(root), "platform", "serve"]
    cmd += ["--port", str(port)] + (["--db", db_url] if db_url else [])
    cmd += ["--workers", str(workers)] if workers > 1 else []
    log = (root.parent / "server.log").open("ab")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/v1/hello", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((root.parent / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the server's supervisor and its worker processes)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes (MiB)."""
    total = 0
    for p in _tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the server's processes have used so far."""
    total = 0
    for p in _tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far (every process, other work too)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


@dataclass
class Usage:
    """Who used the 2 cores during one run, in cores (CPU seconds per second)."""

    client: float
    server: float
    machine: float
    load: float


def probe(url: str) -> None:
    """``--probe URL``: one more laptop, in a process of its own (so what it waits for is the
    server, not the load client's queue), asking hello with the laptop's own client (a blocking
    ``httpx.Client``) on a new connection, as a sync starts, every :data:`PROBE_EVERY_S` until
    SIGTERM; prints each answer time in seconds, or ``error …``, one a line."""
    import httpx

    stopped = False

    def stop(*_: Any) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    lines = []
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=url, timeout=60, limits=no_reuse) as client:
        while not stopped:
            started = time.perf_counter()
            try:
                answer = client.get("/v1/hello", params={"versions": "1"})
                took = time.perf_counter() - started
                ok = answer.status_code == 200
                lines.append(f"{took:.6f}" if ok else f"error {answer.status_code}")
            except httpx.TransportError as exc:
                lines.append(f"error {type(exc).__name__}")
                took = time.perf_counter() - started
            time.sleep(max(0.0, PROBE_EVERY_S - took))
    print("\n".join(lines), flush=True)


@contextlib.contextmanager
def probing(url: str, figures_out: list[float], errors: list[str]) -> Iterator[None]:
    """The hello probe for the duration of the block; its answer times land in ``figures_out``."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--probe", url], stdout=subprocess.PIPE, text=True
    )
    try:
        yield
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=120)
        for line in out.splitlines():
            if line.startswith("error"):
                errors.append(f"probe {line}")
            elif line:
                figures_out.append(float(line))


def make_officers(
    root: Path, db_url: str | None, n: int, have: list[Officer], photo_kb: int
) -> list[Officer]:
    """Tokens for ``n`` officers, each already holding 40 photos on the platform from an earlier
    shift (written straight into the blob store: setting up, not measured), so every run measures
    steady sessions rather than a first upload of everything."""
    from officer_app.platform import auth, db

    paths = db.PlatformPaths(root)
    with db.opened(db_url or paths.db_path) as conn:
        for i in range(len(have), n):
            agency = AGENCIES[i % len(AGENCIES)]
            officer = Officer(agency, auth.add_officer(conn, agency, f"队员{i}", str(i))["token"])
            officer.answers = i < len(AGENCIES)
            with db.transaction(conn):
                for _ in range(40):
                    data = os.urandom(photo_kb * 1024)
                    sha = _sha(data)
                    target = paths.blobs_dir / sha[:2] / sha
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    conn.execute(
                        "INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)",
                        [sha, len(data), db.now_iso()],
                    )
                    conn.execute(
                        "INSERT INTO blob_access (sha256, agency) VALUES (?, ?)", [sha, agency]
                    )
                    officer.photos.append(sha)
            have.append(officer)
    return have[:n]


def check_database(
    root: Path,
    db_url: str | None,
    officers: list[Officer],
    acknowledged: set[tuple[str, str]],
    transfers: set[tuple[str, str, str]],
) -> str:
    """What the database holds against what was acknowledged and pulled; a line, or raises."""
    from officer_app.platform import db

    paths = db.PlatformPaths(root)
    with db.opened(db_url or paths.db_path) as conn:
        stored = Counter((r[0], r[1]) for r in conn.execute("SELECT agency, id FROM entries"))
        inbox: dict[str, set[int]] = defaultdict(set)
        for agency, cursor in conn.execute("SELECT agency, cursor FROM inbox"):
            inbox[agency].add(int(cursor))
        routed = Counter(
            (r[0], r[1])
            for r in conn.execute("SELECT agency, ref_id FROM inbox WHERE kind = 'transfer'")
        )
    problems = []
    twice = [k for k, n in stored.items() if n != 1]
    lost = [k for k in acknowledged if stored[k] != 1]
    if twice or lost:
        problems.append(f"{len(lost)} acknowledged entries not stored once, {len(twice)} doubled")
    for o in officers:
        got = Counter(o.received)
        if any(n > 1 for n in got.values()) or set(got) != inbox[o.agency]:
            problems.append(
                f"officer of {o.agency}: {len(got)} received, {len(inbox[o.agency])} in its inbox,"
                f" {sum(n > 1 for n in got.values())} twice"
            )
            break
    bad = [t for t in transfers if routed[(t[2], t[1])] != 1]
    if bad:
        problems.append(f"{len(bad)} transfers not in their receiver's inbox exactly once")
    if problems:
        raise SystemExit("CHECK FAILED: " + "; ".join(problems))
    rows = sum(len(v) for v in inbox.values())
    return (
        f"check: {len(acknowledged)} acknowledged entries each stored once; {rows} inbox rows"
        f" each reached every officer of its agency once; {len(transfers)} transfers routed once"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(
    backend: str, level: int, figures: Figures, elapsed: float, rss: float, usage: Usage
) -> float:
    rate = figures.stored / elapsed
    fives = sum(n for code, n in figures.statuses.items() if code >= 500)
    print(
        f"{backend:10} {level:4} officers  {rate:7.0f} entries/s  {figures.uploaded / elapsed / 2**20:6.1f}"
        f" MB/s up  {figures.sessions} syncs in {elapsed:.1f} s  5xx {fives}  rss {rss:.0f} MB",
        flush=True,
    )
    series = [(name, figures.latencies.get(name)) for name in ENDPOINTS[:1]]
    series += [(" until sent", figures.hello_sent), (" then answer", figures.hello_answered)]
    series += [(name, figures.latencies.get(name)) for name in ENDPOINTS[1:]]
    series += [("hello probe", figures.probe), ("client lag", figures.lag)]
    for name, values in series:
        if values:
            print(
                f"    {name:12} n {len(values):6}  p50 {pct(values, 0.5):7.1f} ms"
                f"  p95 {pct(values, 0.95):7.1f} ms  p99 {pct(values, 0.99):7.1f} ms"
            )
    requests = sum(len(v) for v in figures.latencies.values())
    print(
        f"    cpu: client {usage.client:.2f} cores ({figures.client_cpu / max(requests, 1) * 1000:.2f}"
        f" ms per request), server {usage.server:.2f} cores, whole machine {usage.machine:.2f}"
        f" of {os.cpu_count()} busy, load average {usage.load:.1f}"
    )
    for error in sorted(set(figures.errors))[:5]:
        print(f"    ! {error} (× {figures.errors.count(error)})")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probe", metavar="URL", help=argparse.SUPPRESS)  # the probe process
    parser.add_argument("--levels", default="1,10,50,200")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("OFFICER_APP_TEST_PG_URL", ""))
    parser.add_argument("--seconds", type=float, default=20, help="sessions start for this long")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--photo-kb", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--clients", type=int, default=1, help="client processes the officers are spread over"
    )
    parser.add_argument(
        "--new-photos", type=int, default=40, help="of the 40 photos per push, new files (0..40)"
    )
    args = parser.parse_args()
    if args.probe:
        probe(args.probe)
        return
    levels = [int(x) for x in args.levels.split(",")]
    print(
        f"platform load: {args.seconds:.0f} s per run, {args.new_photos} new photos of"
        f" {args.photo_kb} KiB per push of 50, workers {args.workers}, client processes"
        f" {args.clients}, {os.cpu_count()} cores shared by client and server (and other work)"
    )
    rates: dict[tuple[str, int], list[float]] = defaultdict(list)
    for backend in args.backends.split(","):
        if backend == "postgresql" and not args.pg_url:
            print("postgresql: skipped (give --pg-url or OFFICER_APP_TEST_PG_URL)")
            continue
        with tempfile.TemporaryDirectory(prefix="oa-load-") as tmp, contextlib.ExitStack() as st:
            db_url = st.enter_context(pg_database(args.pg_url)) if backend == "postgresql" else None
            root = Path(tmp) / "data"
            from officer_app.platform import db

            db.init(
                db.PlatformPaths(root),
                training=False,
                database=db.Database.for_platform(db.PlatformPaths(root), db_url),
            )
            officers: list[Officer] = []
            acknowledged: set[tuple[str, str]] = set()
            transfers: set[tuple[str, str, str]] = set()
            url, pid = st.enter_context(platform(root, db_url, args.workers))
            for level in levels:
                for _ in range(args.repeat):
                    group = make_officers(root, db_url, level, officers, args.photo_kb)
                    server0, (busy0, all0) = cpu_seconds(pid), machine_busy()
                    probed: list[float] = []
                    probe_errors: list[str] = []
                    with probing(url, probed, probe_errors):
                        figures, elapsed = run_clients(
                            url, group, args.seconds, args.photo_kb, args.new_photos, args.clients
                        )
                    busy1, all1 = machine_busy()
                    usage = Usage(
                        client=figures.client_cpu / elapsed,
                        server=(cpu_seconds(pid) - server0) / elapsed,
                        machine=(busy1 - busy0) / (all1 - all0) * (os.cpu_count() or 1),
                        load=os.getloadavg()[0],
                    )
                    figures.probe, figures.errors = probed, figures.errors + probe_errors
                    acknowledged |= figures.acknowledged
                    transfers |= figures.transfers
                    rates[(backend, level)].append(
                        report(backend, level, figures, elapsed, rss_mb(pid), usage)
                    )
                    print("    " + check_database(root, db_url, group, acknowledged, transfers))
    print("summary (entries/s: median, min–max over repeats)")
    for (backend, level), values in rates.items():
        print(
            f"  {backend:10} {level:4} officers  median {statistics.median(values):6.0f}"
            f"  {min(values):6.0f}–{max(values):.0f}  ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
