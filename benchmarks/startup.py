"""Cold start of ``officer-app`` to its shown main window over the demo store, next to a bare
PySide6 window, and their ratio (issue 17: at most 2 ×).

Each run is a fresh interpreter (cold as far as Python is concerned; the OS file cache is warm
after the first run, as on an officer's laptop after the first start of the day).  Prints the
median and min of each, and which heavy modules the app imported before its window was shown.

    xvfb-run -a .venv/bin/python benchmarks/startup.py --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("reportlab", "PIL", "exifread", "gpxpy", "shapely", "numpy", "urllib3", "httpx", "keyring")

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 720); w.show()
while not (w.windowHandle() and w.windowHandle().isExposed()):
    app.processEvents()
print("shown", flush=True)
"""


def app_command(data: Path) -> list[str]:
    """The real entry point: ``officer-app --data-dir D`` (crash handler, logging, store lock)."""
    script = Path(sys.executable).with_name("officer-app")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "officer_app"]
    return [*entry, "--data-dir", str(data), "--no-crash-dialog"]


def measure(command: list[str]) -> tuple[float, str]:
    env = {**os.environ, "OFFICER_APP_STARTUP_PROBE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    if not line.startswith("shown"):
        raise SystemExit(f"child did not show its window: {line!r}")
    return elapsed, line.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data = Path(tempfile.mkdtemp(prefix="officer-app-startup-"))
    from officer_app.services import demo, officers
    from officer_app.services.context import AppContext

    with AppContext.open(data) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        demo.load_demo(ctx)
    bare: list[float] = []
    app: list[float] = []
    loaded: set[str] = set()
    for _ in range(args.runs):
        bare.append(measure([sys.executable, "-c", BARE])[0])
        elapsed, line = measure(app_command(data))
        app.append(elapsed)
        loaded = set(line.partition(" ")[2].split(","))
    heavy = ", ".join(m for m in HEAVY if m in loaded)
    platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
    print(f"platform: {platform}, runs: {args.runs}")
    print(
        f"bare PySide6 window : median {statistics.median(bare) * 1000:7.1f} ms, min {min(bare) * 1000:7.1f} ms"
    )
    print(
        f"officer_app (demo)  : median {statistics.median(app) * 1000:7.1f} ms, min {min(app) * 1000:7.1f} ms"
    )
    ratios = sorted(a / b for a, b in zip(app, bare, strict=True))
    print(
        f"ratio (app / bare)  : median {statistics.median(app) / statistics.median(bare):.2f} ×, "
        f"per-run pairs {ratios[0]:.2f}–{ratios[-1]:.2f} ×"
    )
    print(f"heavy modules imported before the window was shown: {heavy or 'none'}")


if __name__ == "__main__":
    main()
