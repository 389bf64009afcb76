"""How long a cancel takes to land in the middle of one big recording.

Makes one real MP4 padded to ``--size-gb`` (default 1 GB), imports it on a worker thread and,
when the staged copy on disk has passed half the file, sets the cancel (what the dialog's 取消
and the CLI's first Ctrl-C do).  Reports the time from the cancel to ``import_files`` returning
(partial copy removed, nothing committed), over ``--repeat`` runs: median and spread.

    .venv/bin/python benchmarks/import_cancel.py --size-gb 1 --repeat 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.import_recording import make_recording


def cancel_once(path: Path, root: Path) -> tuple[float, int]:
    """Seconds from the cancel to the import's return, and the bytes staged at the cancel."""
    from officer_app.services import evidence_import, officers
    from officer_app.services.context import AppContext
    from officer_app.store.blobs import BlobStore

    half = path.stat().st_size // 2
    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        blobs = BlobStore(ctx.data.evidence_dir)
        cancel = threading.Event()
        result: list[evidence_import.ImportReport] = []
        worker = threading.Thread(
            target=lambda: result.append(
                evidence_import.import_files(ctx, [path], cancelled=cancel.is_set)
            )
        )
        worker.start()
        staged = 0
        while staged < half and worker.is_alive():
            staged = max((p.stat().st_size for p in blobs.tmp.glob("stream-*.part")), default=0)
            time.sleep(0.002)
        cancel.set()
        asked = time.perf_counter()
        worker.join()
        latency = time.perf_counter() - asked
        [report] = result
        assert report.cancelled and not report.files, report.to_json()
        assert not list(blobs.tmp.glob("*.part"))
    shutil.rmtree(root)
    return latency, staged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-gb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cancel-bench-", dir=args.dir))
    try:
        source = work / "BIG.MP4"
        make_recording(source, int(args.size_gb * (1 << 30)))
        runs = [cancel_once(source, work / f"data{i}") for i in range(args.repeat)]
        ms = sorted(1000 * latency for latency, _ in runs)
        print(f"file {source.stat().st_size / (1 << 30):.2f} GB; cancelled at ~50% staged")
        print(
            f"cancel -> return: median {statistics.median(ms):.1f} ms,"
            f" min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms over {len(ms)} runs"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
