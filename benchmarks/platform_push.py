"""What one pushed entry costs the platform, without the network: parse, check, store.

Builds a laptop's outbox (photos through ``evidence_import`` and joint patrols through
``services.patrols``, as ``benchmarks/sync.py`` does), turns it into the wire entries the sync
engine sends, and feeds them to the platform in batches of 50 (the engine's batch), in-process on
a fresh SQLite platform database per repeat: the body parse (``jsonbody.parse``: size, nesting
and strict JSON) and ``records.push`` (each entry checked by ``validate``, then stored in one
transaction per batch). Prints the median and spread over the repeats, in microseconds per entry.

    .venv/bin/python benchmarks/platform_push.py              # 50 photos + 950 patrols, 7 repeats
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.import_photos import make_photos  # noqa: E402  (needs the path above)
from benchmarks.sync import make_laptop  # noqa: E402

BATCH = 50


def wire_entries(laptop: Path) -> list[dict[str, object]]:
    from officer_app.services.context import AppContext
    from officer_app.sync.wire import entry as _wire

    with AppContext.open(laptop) as ctx:
        rows = ctx.store.query("SELECT * FROM outbox ORDER BY seq")
        return [_wire(row) for row in rows]


def parse(body: bytes) -> object:
    try:
        from officer_app.platform.jsonbody import parse as strict
    except ImportError:  # a platform from before the body limits: plain json.loads
        return json.loads(body)
    return strict(body)


def one_repeat(work: Path, n: int, entries: list[dict[str, object]]) -> tuple[float, float]:
    """(parse seconds, push seconds) for every batch of ``entries`` on a fresh platform."""
    from officer_app.platform import auth, db, records

    paths = db.PlatformPaths(work / f"platform-{n}")
    db.init(paths, training=False)
    bodies = [
        json.dumps({"entries": entries[i : i + BATCH]}, ensure_ascii=False).encode("utf-8")
        for i in range(0, len(entries), BATCH)
    ]
    with db.opened(paths.db_path) as conn:
        token = auth.add_officer(conn, "310118", "张伟", "1")["token"]
        caller = auth.authenticate(conn, f"Bearer {token}")
        with db.transaction(conn):
            for sha in {s for e in entries for s in e["blobs"]}:  # type: ignore[attr-defined]
                conn.execute("INSERT INTO blob_access (sha256, agency) VALUES (?, '310118')", [sha])
        parse_s = push_s = 0.0
        for body in bodies:
            started = time.perf_counter()
            batch = parse(body)["entries"]  # type: ignore[index]
            parsed = time.perf_counter()
            results = records.push(conn, caller, batch, training_platform=False)
            push_s += time.perf_counter() - parsed
            parse_s += parsed - started
            assert {r["status"] for r in results} == {"stored"}, results[:2]
    return parse_s, push_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--records", type=int, default=1000, help="photos + patrols")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="officer-app-push-bench-") as tmp:
        work = Path(tmp)
        photos = make_photos(work / "card", args.photos, origin=(31.10, 121.05))
        make_laptop(work / "laptop", photos, max(args.records - args.photos, 0))
        entries = wire_entries(work / "laptop")
        n = len(entries)
        runs = [one_repeat(work, i, entries) for i in range(args.repeats)]
    for name, values in (("parse", [r[0] for r in runs]), ("check + store", [r[1] for r in runs])):
        per = [v / n * 1e6 for v in values]
        print(
            f"{name:14s}: median {statistics.median(per):6.1f} µs/entry"
            f"  (min {min(per):6.1f}, max {max(per):6.1f}; {n} entries, {args.repeats} repeats)"
        )


if __name__ == "__main__":
    main()
