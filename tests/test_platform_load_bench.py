"""The short level of the load benchmark that belongs in CI (issue 20): a real platform process,
simulated officers over two client processes, the hello probe, and the database check after the
run (every acknowledged entry stored once, every inbox row received once).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sync_fixtures import PG_ENV

REPO = Path(__file__).resolve().parents[1]


def test_a_short_load_run_checks_what_it_stored() -> None:
    backends = "sqlite,postgresql" if os.environ.get(PG_ENV) else "sqlite"
    args = ["--levels", "4", "--seconds", "2", "--backends", backends, "--clients", "2"]
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "platform_load.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    runs = re.findall(r"^(\w+) +4 officers +(\d+) entries/s .* 5xx (\d+) ", out.stdout, re.M)
    assert [r[0] for r in runs] == backends.split(",")
    assert all(int(rate) > 0 and fives == "0" for _, rate, fives in runs)
    checks = re.findall(r"check: (\d+) acknowledged entries each stored once", out.stdout)
    assert len(checks) == len(runs) and all(int(n) > 0 for n in checks)
    probes = re.findall(r"hello probe +n +(\d+) ", out.stdout)
    assert len(probes) == len(runs) and all(int(n) > 0 for n in probes)
    assert "cpu: client" in out.stdout
    assert not re.search(r"^ +! ", out.stdout, re.M), out.stdout  # no error listed
