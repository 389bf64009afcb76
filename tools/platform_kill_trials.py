"""kill -9 the platform in the middle of a sync, restart it, sync again: does every photo end up
on the platform exactly once, with nothing stuck?

Each trial copies a prepared laptop (photos imported, nothing synced yet) and starts a fresh
platform. ``officer-app sync`` runs in a subprocess; once the platform has published a random
number of the photos (plus a few random milliseconds) the platform is killed with SIGKILL and
restarted on the same port. The first run may ride out the restart on its retries or fail; the
laptop then syncs again until a run ends cleanly (at most three more). A trial passes when the
platform holds every photo once (one file, one row, granted to the laptop's agency), every outbox
entry once, no upload part is left behind, and the laptop's outbox is empty.

Printed per trial: when it was killed, how many complete-but-unpublished and partial parts the
kill left (the first kind is what stuck uploads for good before issue 16), the exit codes of the
runs, and how many bytes the laptop sent in all against the photos' size.

    .venv/bin/python tools/platform_kill_trials.py                      # 20 trials, 50 photos
    .venv/bin/python tools/platform_kill_trials.py --trials 5 --photos 10 --seed 7
    .venv/bin/python tools/platform_kill_trials.py --db postgresql://postgres@127.0.0.1:5432/x
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

QP = "310118"
#: The laptop side of one sync run, in its own process so that it runs while the platform dies.
SYNC_SCRIPT = """
import os, sys
from pathlib import Path
from officer_app.__main__ import main
from officer_app.errors import UserFacingError
from officer_app.services.context import AppContext
from officer_app.services.sync_run import login

data = os.environ["TRIAL_DATA"]
try:
    with AppContext.open(Path(data)) as ctx:
        login(ctx, os.environ["TRIAL_URL"], os.environ["TRIAL_TOKEN"])
except UserFacingError as exc:  # the platform is down (being restarted): this run fails
    print(exc.message_zh, file=sys.stderr)
    sys.exit(1)
sys.exit(main(["--data-dir", data, "sync", "--json"]))
"""


@dataclass
class Trial:
    number: int
    kill_after: int  # photos published when the kill was due
    killed_at_s: float = 0.0  # since the first run started
    complete_parts: int = 0  # parts holding every byte, not yet published, at the kill
    partial_parts: int = 0
    exit_codes: list[int] = field(default_factory=list)
    bytes_sent: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(work: Path) -> dict[str, str]:
    """Subprocesses keep their settings, logs and keyring inside ``work``."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
        "PYTHON_KEYRING_BACKEND": "tests.keyring_memory.MemoryKeyring",
        "OFFICER_APP_SYNC_BACKOFF_S": "0.2",
        "OFFICER_APP_SYNC_TIMEOUT_S": "10",
    }


def prepare_laptop(work: Path, photos: int) -> tuple[Path, int, int]:
    """A laptop with ``photos`` imported (4-5 MB each); returns (dir, outbox entries, bytes)."""
    from benchmarks.import_photos import make_photos
    from officer_app.services import evidence_import, officers
    from officer_app.services import sync_status as status
    from officer_app.services.context import AppContext

    files = make_photos(work / "card", photos, origin=(31.10, 121.05))
    laptop = work / "laptop-template"
    with AppContext.open(laptop) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", QP)
        report = evidence_import.import_files(ctx, files)
        assert report.count("imported") == photos, report.to_json()["rejected"]
        pending = int(status.outbox_counts(ctx.store)["pending"])
    return laptop, pending, sum(p.stat().st_size for p in files)


@contextmanager
def database(server_url: str | None) -> Iterator[str | None]:
    """``None`` (SQLite in the data dir) or a fresh PostgreSQL database, dropped afterwards."""
    if not server_url:
        yield None
        return
    import psycopg

    name = f"oa_kill_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Platform:
    def __init__(self, root: Path, port: int, db: str | None, env: dict[str, str]) -> None:
        self.root, self.port, self.db, self.env = root, port, db, env
        self.url = f"http://127.0.0.1:{port}"
        self.base = [sys.executable, "-m", "officer_app", "--data-dir", str(root), "platform"]
        self.db_args = ["--db", db] if db else []
        self.proc: subprocess.Popen[bytes] | None = None

    def add_officer(self) -> str:
        args = ["add-officer", "--agency", QP, "--officer-name", "张伟", "--badge", "31011800123"]
        out = subprocess.run(
            [*self.base, *args, *self.db_args, "--json"],
            capture_output=True,
            check=True,
            env=self.env,
        )
        return str(json.loads(out.stdout)["token"])

    def start(self) -> None:
        import httpx

        log = (self.root.parent / "platform.log").open("ab")
        self.proc = subprocess.Popen(
            [*self.base, "serve", "--port", str(self.port), *self.db_args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with httpx.Client(timeout=1) as c:
                    if c.get(f"{self.url}/v1/hello").status_code == 200:
                        return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"platform did not start: see {self.root.parent / 'platform.log'}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def scalar(self, sql: str) -> int:
        from officer_app.platform.db import PlatformPaths, opened

        with opened(self.db or PlatformPaths(self.root).db_path) as conn:
            return int(conn.execute(sql).fetchone()[0])

    @property
    def published(self) -> list[Path]:
        return [p for p in (self.root / "platform" / "blobs").glob("*/*") if "." not in p.name]

    @property
    def uploads(self) -> list[Path]:
        return sorted((self.root / "platform" / "uploads").glob("*/*"))


def _parts(uploads: list[Path]) -> tuple[int, int]:
    """(complete, partial) parts: a complete one holds the whole photo (hashes to its name)."""
    import hashlib

    complete = partial = 0
    for part in (p for p in uploads if p.suffix == ".part"):
        if hashlib.sha256(part.read_bytes()).hexdigest() == part.stem:
            complete += 1
        else:
            partial += 1
    return complete, partial


def _sync(laptop: Path, url: str, token: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", SYNC_SCRIPT],
        env={**env, "TRIAL_DATA": str(laptop), "TRIAL_URL": url, "TRIAL_TOKEN": token},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _finish(run: subprocess.Popen[bytes], trial: Trial) -> None:
    out, err = run.communicate(timeout=300)
    trial.exit_codes.append(run.returncode)
    if run.returncode in (0, 3):  # a failed run prints no report (its bytes are not counted)
        trial.bytes_sent += int(json.loads(out)["bytes_uploaded"])
    if run.returncode not in (0, 1, 3) or (run.returncode == 1 and b"Traceback" in err):
        trial.problems.append(f"sync exit {run.returncode}: {err.decode()[-300:]}")


def run_trial(
    work: Path,
    template: Path,
    photos: int,
    records: int,
    number: int,
    rng: random.Random,
    db_server: str | None = None,
) -> Trial:
    """One kill -9 trial (see the module docstring); ``work`` is left for the caller to remove."""
    from officer_app.services import sync_status as status
    from officer_app.services.context import AppContext

    trial = Trial(number, kill_after=rng.randrange(photos))
    env = environment(work)
    laptop = work / f"laptop-{number}"
    shutil.copytree(template, laptop)
    with database(db_server) as db:
        platform = Platform(work / f"platform-{number}", free_port(), db, env)
        platform.start()
        try:
            token = platform.add_officer()
            started = time.monotonic()
            run = _sync(laptop, platform.url, token, env)
            while run.poll() is None and (
                len(platform.published) < trial.kill_after or not platform.uploads
            ):  # mid-sync: the upload of photo kill_after + 1 has begun
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            trial.killed_at_s = time.monotonic() - started
            platform.kill()
            trial.complete_parts, trial.partial_parts = _parts(platform.uploads)
            platform.start()
            _finish(run, trial)
            while trial.exit_codes[-1] != 0 and len(trial.exit_codes) < 4:
                _finish(_sync(laptop, platform.url, token, env), trial)
            _check(platform, laptop, photos, records, trial)
        finally:
            platform.stop()
    with AppContext.open(laptop) as ctx:
        left = status.outbox_counts(ctx.store)
    if left["pending"] or left["set_aside"]:
        trial.problems.append(f"laptop outbox not empty: {left}")
    return trial


def _check(platform: Platform, laptop: Path, photos: int, records: int, trial: Trial) -> None:
    if trial.exit_codes[-1] != 0:
        trial.problems.append(f"no clean run: exit codes {trial.exit_codes}")
    counts = {
        "blob rows": platform.scalar("SELECT count(*) FROM blobs"),
        "blob grants": platform.scalar(f"SELECT count(*) FROM blob_access WHERE agency = '{QP}'"),
        "blob files": len(platform.published),
    }
    for what, n in counts.items():
        if n != photos:
            trial.problems.append(f"{what}: {n} != {photos} photos")
    entries = platform.scalar("SELECT count(*) FROM entries")
    if entries != records:
        trial.problems.append(f"entries: {entries} != {records}")
    if platform.uploads:
        trial.problems.append(f"left in uploads/: {[p.name for p in platform.uploads][:3]}")


def describe(t: Trial, size: int) -> str:
    overhead = f"{t.bytes_sent / size:5.2f}x" if t.bytes_sent else "  n/a"
    verdict = "OK" if t.ok else "FAIL " + "; ".join(t.problems)
    return (
        f"trial {t.number:2d}: killed at {t.killed_at_s:5.2f} s after {t.kill_after:2d} photos,"
        f" parts left complete {t.complete_parts} partial {t.partial_parts},"
        f" runs {t.exit_codes}, sent {overhead} of the photos  {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--db", default=None, help="PostgreSQL server URL (a database per trial)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="officer-app-kill-trials-"))
    os.environ.update(environment(work))  # this process imports photos into the laptop too
    try:
        template, records, size = prepare_laptop(work, args.photos)
        print(
            f"{args.trials} trials, {args.photos} photos ({size / 1e6:.0f} MB), {records} outbox"
            f" entries, {'PostgreSQL' if args.db else 'SQLite'}, seed {seed}"
        )
        results = []
        for number in range(1, args.trials + 1):
            trial = run_trial(work, template, args.photos, records, number, rng, args.db)
            results.append(trial)
            print(describe(trial, size), flush=True)
            for leftover in (work / f"laptop-{number}", work / f"platform-{number}"):
                shutil.rmtree(leftover, ignore_errors=True)
        hit = sum(1 for t in results if t.complete_parts)
        passed = sum(t.ok for t in results)
        print(
            f"{passed}/{len(results)} trials ended with every photo uploaded once and nothing"
            f" stuck; {hit} left a complete unpublished part at the kill (published on restart)"
        )
        return 0 if passed == len(results) else 1
    finally:
        if args.keep:
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
