"""Photo import throughput against the raw floor, and the GUI thread's longest stall.

Makes N 12-megapixel JPEGs with EXIF, GPS and an embedded thumbnail, then measures in the same
run on the same files:
  floor  : read + SHA-256 + copy + fsync of each file (what any importer must at least do)
  import : ``evidence_import.import_files`` (all checks, store, ledger, outbox)
  gui    : the import dialog over the same files in a fresh data dir, with a 5 ms timer on the
           GUI thread recording the longest gap between its ticks (the longest stall).

    .venv/bin/python benchmarks/import_photos.py --count 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

CST = dt.timezone(dt.timedelta(hours=8))


def make_photos(
    folder: Path, count: int, *, origin: tuple[float, float] = (30.98, 120.82)
) -> list[Path]:
    """Camera-sized JPEGs whose EXIF time and GPS (a track from ``origin``, lat/lon) differ."""
    from PIL import Image

    from officer_app.media.exif_write import write_jpeg_with_exif

    folder.mkdir(parents=True, exist_ok=True)
    width, height = 4000, 3000
    # Noise-like content so the JPEG is camera-sized (~4-5 MB), encoded once and reused.
    base = Image.effect_noise((width // 4, height // 4), 60).convert("RGB").resize((width, height))
    buf = io.BytesIO()
    base.save(buf, "JPEG", quality=92)
    pixels = buf.getvalue()
    thumb = io.BytesIO()
    base.resize((160, 120)).save(thumb, "JPEG", quality=80)
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
    paths = []
    for i in range(count):
        path = folder / f"DSC_{i:04d}.JPG"
        write_jpeg_with_exif(
            path,
            taken_at=start + dt.timedelta(seconds=20 * i),
            lat=origin[0] + i * 1e-5,
            lon=origin[1] + i * 1e-5,
            image=pixels,
            thumbnail=thumb.getvalue(),
            make="NIKON",
            model="D7500",
        )
        paths.append(path)
    return paths


def floor(paths: list[Path], dest: Path) -> float:
    dest.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        with (dest / digest).open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return time.perf_counter() - started


def service_import(paths: list[Path], root: Path) -> float:
    from officer_app.services import evidence_import, officers
    from officer_app.services.context import AppContext

    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        from officer_app.services import jurisdiction

        jurisdiction.index()  # loaded once per process in the app too
        started = time.perf_counter()
        report = evidence_import.import_files(ctx, paths)
        elapsed = time.perf_counter() - started
    assert report.count("imported") == len(paths), report.to_json()["rejected"]
    return elapsed


def gui_stall(paths: list[Path], root: Path) -> tuple[float, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from officer_app.services import officers
    from officer_app.services.context import AppContext
    from officer_app.ui.import_dialog import ImportDialog

    app = QApplication.instance() or QApplication([])
    with AppContext.open(root) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    dialog = ImportDialog(root, paths)
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
    return elapsed, worst[0] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--no-gui", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="officer-app-import-bench-"))
    try:
        paths = make_photos(work / "card", args.count)
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} photos, 4000x3000, {size / len(paths) / 1e6:.2f} MB each on average")
        floor_s = floor(paths, work / "floor")
        import_s = service_import(paths, work / "data")
        print(
            f"floor  (read+sha256+copy+fsync): {len(paths) / floor_s:7.1f} photos/s  {size / floor_s / 1e6:7.1f} MB/s"
        )
        print(
            f"import (service, all checks)   : {len(paths) / import_s:7.1f} photos/s  {size / import_s / 1e6:7.1f} MB/s"
        )
        print(f"import / floor: {floor_s / import_s * 100:.0f}%")
        if not args.no_gui:
            gui_s, stall = gui_stall(paths, work / "gui-data")
            print(
                f"import dialog: {len(paths) / gui_s:7.1f} photos/s, longest GUI-thread stall {stall * 1000:.0f} ms"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
