"""Importing one large recording against the raw floor, with memory and the GUI thread watched.

Makes one real MP4 (H.264 + AAC, creation time, position) padded with a ``free`` box to
``--size-gb`` (default 2 GB; a body camera's half-hour file), then measures on the same file:

  floor  : read + SHA-256 + copy + fsync in 1 MiB pieces (what any importer must at least do;
           a multi-GB file cannot be read whole)
  import : ``evidence_import.import_files`` (sniff, stream into staging while hashing, fsync,
           header walk, PyAV metadata, rename, row + ledger + outbox)
  rss    : the process's resident memory sampled every 10 ms during the import (peak - before)
  gui    : the import dialog's worker importing the same file into a fresh data dir, with a 5 ms
           timer on the GUI thread recording the longest gap between its ticks.

floor and import alternate ``--repeat`` times (the page cache favours whichever runs second, so
each pair is reported and the median ratio taken).  Files live under ``--dir`` (default /tmp) and
are deleted at the end.

    .venv/bin/python benchmarks/import_recording.py --size-gb 2 --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNK = 1 << 20


def make_recording(path: Path, size: int) -> None:
    from tests.recordings import body_cam_mp4

    body_cam_mp4(path, seconds=5.0)
    pad = size - path.stat().st_size - 16
    block = os.urandom(16 << 20)
    with path.open("ab") as f:
        f.write((1).to_bytes(4, "big") + b"free" + (pad + 16).to_bytes(8, "big"))
        left = pad
        while left > 0:
            f.write(block[: min(left, len(block))])
            left -= len(block)


def floor(path: Path, dest: Path) -> float:
    dest.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    h = hashlib.sha256()
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    tmp = dest / "copy.part"
    with path.open("rb", buffering=0) as src, tmp.open("wb") as dst:
        while n := src.readinto(view):
            h.update(view[:n])
            dst.write(view[:n])
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, dest / h.hexdigest())
    elapsed = time.perf_counter() - started
    shutil.rmtree(dest)
    return elapsed


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class RssSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.before = _rss()
        self.peak = self.before
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _rss())
            time.sleep(0.01)


def service_import(path: Path, root: Path) -> tuple[float, int, int]:
    from officer_app.services import evidence_import, jurisdiction, officers
    from officer_app.services.context import AppContext

    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        jurisdiction.index()
        import av  # noqa: F401 - loaded once per process in the app too, not part of the file

        sampler = RssSampler()
        sampler.start()
        started = time.perf_counter()
        report = evidence_import.import_files(ctx, [path])
        elapsed = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    assert report.count("imported") == 1, report.to_json()
    shutil.rmtree(root)
    return elapsed, sampler.before, sampler.peak


def gui_stall(path: Path, root: Path) -> tuple[float, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from officer_app.services import officers
    from officer_app.services.context import AppContext
    from officer_app.ui.import_dialog import ImportDialog

    app = QApplication.instance() or QApplication([])
    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    dialog = ImportDialog(root, [path])
    dialog.show()
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    worst = [0]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    dialog.start()
    while not dialog.close_button.isEnabled():
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    timer.stop()
    dialog.wait()
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    shutil.rmtree(root)
    return elapsed, worst[0] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-gb", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--no-gui", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="officer-app-recording-bench-", dir=args.dir))
    try:
        source = work / "card" / "VID_0001.MP4"
        make_recording(source, int(args.size_gb * (1 << 30)))
        size = source.stat().st_size
        print(f"recording: {size / 1e9:.2f} GB ({source})")
        ratios, floors, imports, rss = [], [], [], []
        for i in range(args.repeat):
            f = floor(source, work / "floor")
            s, before, peak = service_import(source, work / f"data{i}")
            floors.append(size / f / 1e6)
            imports.append(size / s / 1e6)
            ratios.append(f / s)
            rss.append((peak - before) / 1e6)
            print(
                f"run {i + 1}: floor {size / f / 1e6:6.1f} MB/s  import {size / s / 1e6:6.1f} MB/s"
                f"  ratio {f / s:.2f}  RSS before {before / 1e6:.0f} MB, peak +{rss[-1]:.1f} MB"
            )
        print(
            f"floor  median {statistics.median(floors):6.1f} MB/s"
            f" (min {min(floors):.1f}, max {max(floors):.1f})"
        )
        print(
            f"import median {statistics.median(imports):6.1f} MB/s"
            f" (min {min(imports):.1f}, max {max(imports):.1f})"
        )
        print(
            f"import / floor median {statistics.median(ratios):.2f}"
            f" (min {min(ratios):.2f}, max {max(ratios):.2f}); RSS growth max {max(rss):.1f} MB"
        )
        if not args.no_gui:
            gui_s, stall = gui_stall(source, work / "gui-data")
            print(
                f"import dialog: {size / gui_s / 1e6:6.1f} MB/s,"
                f" longest GUI-thread stall {stall * 1000:.0f} ms"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
