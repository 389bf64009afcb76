"""Cold start of ``officer-app`` to its shown main window over the demo store, next to a bare
PySide6 window, and their ratio (issue 17: at most 2 ×).

Each run is a fresh interpreter (cold as far as Python is concerned; the OS file cache and the
bytecode cache are warm after a first, untimed run, as on an officer's laptop after the first
start).  Prints the
wall and CPU time of each (median, min, max), their ratios, and which heavy modules the app
imported before its window was shown.  The app runs through its real entry point and reports
the moment its window is exposed with its first page built and painted
(``OFFICER_APP_STARTUP_PROBE``, ``ui/app.py``); both children stop themselves right after saying
"shown", so the CPU figure ends there too (work the app defers past its first paint, and the
parent's delay in reading the line on a busy machine, are not counted for either).

    xvfb-run -a .venv/bin/python benchmarks/startup.py --runs 7
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("reportlab", "PIL", "exifread", "gpxpy", "shapely", "numpy", "urllib3", "httpx", "keyring")

BARE = """
import os, signal, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 720); w.show()
while not (w.windowHandle() and w.windowHandle().isExposed()):
    app.processEvents()
print("shown", flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
"""


def app_command(data: Path) -> list[str]:
    """The real entry point: ``officer-app --data-dir D`` (crash handler, logging, store lock)."""
    script = Path(sys.executable).with_name("officer-app")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "officer_app"]
    return [*entry, "--data-dir", str(data), "--no-crash-dialog"]


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall time to the shown window, and the CPU time (user + system) the child spent by then.

    CPU time hardly moves when other processes share the cores, wall time does: on a busy
    machine the CPU ratio is the steadier figure.
    """
    env = {**os.environ, "OFFICER_APP_STARTUP_PROBE": "1"}
    # As installed on a laptop: bytecode cached after the first start.  (A shell with
    # PYTHONDONTWRITEBYTECODE set recompiles every module of the app on every start, while
    # PySide6's came compiled with its wheel: that would compare unlike with unlike.)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.send_signal(signal.SIGSTOP)  # stopped itself already; then read its account
    proc.kill()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    if not line.startswith("shown"):
        raise SystemExit(f"child did not show its window: {line!r}")
    return elapsed, usage.ru_utime + usage.ru_stime, line.strip()


def _line(name: str, values: list[float]) -> str:
    return (
        f"{name:<28}: median {statistics.median(values) * 1000:7.1f} ms,"
        f" min {min(values) * 1000:7.1f} ms, max {max(values) * 1000:7.1f} ms"
    )


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
    measure(app_command(data))  # warm-up: writes the app's bytecode cache, as a first start does
    bare: list[float] = []
    app: list[float] = []
    bare_cpu: list[float] = []
    app_cpu: list[float] = []
    loaded: set[str] = set()
    for _ in range(args.runs):
        wall, cpu, _line_text = measure([sys.executable, "-c", BARE])
        bare.append(wall)
        bare_cpu.append(cpu)
        wall, cpu, line = measure(app_command(data))
        app.append(wall)
        app_cpu.append(cpu)
        loaded = {name.partition(".")[0] for name in line.partition(" ")[2].split(",")}
    heavy = ", ".join(m for m in HEAVY if m in loaded)
    platform = os.environ.get("QT_QPA_PLATFORM") or "xcb"
    print(f"platform: {platform}, runs: {args.runs}, load average {os.getloadavg()[0]:.1f}")
    print(_line("bare PySide6 window, wall", bare))
    print(_line("officer-app (demo), wall", app))
    print(_line("bare PySide6 window, CPU", bare_cpu))
    print(_line("officer-app (demo), CPU", app_cpu))
    for name, a, b in (("wall", app, bare), ("CPU", app_cpu, bare_cpu)):
        pairs = sorted(x / y for x, y in zip(a, b, strict=True))
        print(
            f"ratio app / bare, {name:<4}    : median {statistics.median(a) / statistics.median(b):.2f} ×,"
            f" per-run pairs {pairs[0]:.2f}–{pairs[-1]:.2f} × (median {statistics.median(pairs):.2f} ×)"
        )
    print(f"heavy modules imported before the window was shown: {heavy or 'none'}")


if __name__ == "__main__":
    main()
