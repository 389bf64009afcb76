"""Cold start to the shown main window over the demo store, next to a bare PySide6 window.

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

APP = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from officer_app.services.context import AppContext
from officer_app.ui.app import install_qt_translations
from officer_app.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
install_qt_translations(app)
ctx = AppContext.open(Path(sys.argv[1]))
w = MainWindow(ctx); w.show(); w.start()
while not (w.windowHandle() and w.windowHandle().isExposed()):
    app.processEvents()
heavy = [m for m in HEAVY if m in sys.modules]
print("shown", ",".join(heavy), flush=True)
"""


def measure(code: str, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
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
    app_code = f"HEAVY = {HEAVY!r}\n" + APP
    bare, app, heavy = [], [], ""
    for _ in range(args.runs):
        bare.append(measure(BARE)[0])
        elapsed, line = measure(app_code, str(data))
        app.append(elapsed)
        heavy = line.partition(" ")[2]
    platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
    print(f"platform: {platform}, runs: {args.runs}")
    print(
        f"bare PySide6 window : median {statistics.median(bare) * 1000:7.1f} ms, min {min(bare) * 1000:7.1f} ms"
    )
    print(
        f"officer_app (demo)  : median {statistics.median(app) * 1000:7.1f} ms, min {min(app) * 1000:7.1f} ms"
    )
    print(f"heavy modules imported before the window was shown: {heavy or 'none'}")


if __name__ == "__main__":
    main()
