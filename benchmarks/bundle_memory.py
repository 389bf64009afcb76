"""Peak memory of a USB sync bundle carrying one large recording: export and platform import.

Makes one real MP4 padded to ``--size-gb`` (default 1 GB), imports it into a fresh data dir,
then runs, each as its own process so its peak resident memory (``VmHWM``, Linux) is its own:

  baseline : ``officer-app info`` (the interpreter and the app's imports, for reference)
  export   : ``officer-app bundle export`` (the recording written into the ZIP)
  import   : ``officer-app platform import-bundle`` (checked, then published; SQLite platform)

``--src`` runs another checkout of the code (e.g. ``git archive <rev> | tar -x -C /tmp/old``) to
compare before and after.  Figures are the median of ``--repeat`` runs, with min and max.

    .venv/bin/python benchmarks/bundle_memory.py --size-gb 1 --repeat 3 [--src /tmp/old]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.import_recording import make_recording  # noqa: E402

SETUP = """
import sys
from pathlib import Path
from officer_app.services import evidence_import, officers
from officer_app.services.context import AppContext
with AppContext.open(Path(sys.argv[1])) as ctx:
    officers.add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    report = evidence_import.import_files(ctx, [Path(sys.argv[2])])
    assert report.count("imported") == 1, report.to_json()
"""


def _hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _run(src: Path, *args: str) -> int:
    """Run one process from ``src``; its peak RSS in MiB.

    Read from the child's own ``VmHWM`` (Linux), polled every 5 ms until it exits: unlike
    ``ru_maxrss``, it starts afresh at ``exec`` instead of inheriting this process's size.
    """
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.Popen(
        [sys.executable, *args], cwd=src, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _hwm_kib(proc.pid) or 0)
        time.sleep(0.005)
    if proc.returncode != 0:
        assert proc.stderr is not None
        raise SystemExit(f"{args} failed: {proc.stderr.read().decode(errors='replace')}")
    return peak // 1024


def once(src: Path, recording: Path, work: Path) -> dict[str, int]:
    data, platform, bundle = work / "data", work / "platform", work / "usb" / "qp.bundle"
    app = ["-m", "officer_app"]
    _run(src, "-c", SETUP, str(data), str(recording))
    _run(
        src,
        *app,
        "--data-dir",
        str(platform),
        "platform",
        "add-officer",
        "--agency",
        "310118",
        "--officer-name",
        "张伟",
        "--badge",
        "31011800123",
        "--json",
    )
    out = {
        "baseline": _run(src, *app, "--data-dir", str(data), "info", "--json"),
        "export": _run(
            src, *app, "--data-dir", str(data), "bundle", "export", "--out", str(bundle)
        ),
        "import": _run(
            src,
            *app,
            "--data-dir",
            str(platform),
            "platform",
            "import-bundle",
            str(bundle),
            "--json",
        ),
    }
    shutil.rmtree(work)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-gb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=REPO, help="the code tree to measure")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bundle-bench-", dir=args.dir))
    try:
        recording = work / "VID_0001.MP4"
        make_recording(recording, int(args.size_gb * (1 << 30)))
        runs = [once(args.src.resolve(), recording, work / f"run{i}") for i in range(args.repeat)]
        print(f"source {args.src}; recording {recording.stat().st_size / (1 << 30):.2f} GB")
        for phase in ("baseline", "export", "import"):
            mib = sorted(r[phase] for r in runs)
            print(
                f"{phase:8s} peak RSS: median {statistics.median(mib)} MiB"
                f" (min {mib[0]}, max {mib[-1]}, {len(mib)} runs)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
