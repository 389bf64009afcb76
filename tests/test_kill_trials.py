"""Issue 16: kill -9 trials of import (photos and, since issue 19, recordings), issue and sync, a
few of each (tools/kill_trials.py runs many and prints the counts).  After every kill, ``verify`` either finds nothing or names the
leftover with its fix (never 来历不明); after every rerun it finds nothing, and the work is done
exactly once, with no ``.part`` file left anywhere."""

from __future__ import annotations

import pytest

from tools import kill_trials


@pytest.mark.parametrize("kind", ["import", "recording", "issue", "sync"])
def test_kill_then_rerun(kind: str) -> None:
    results = kill_trials.run_trials([kind], trials=3, seed=16, photos=12, recordings=3)
    for trial in results:
        assert trial.outcome in ("clean", "named"), (trial.delay, trial.before)
        assert trial.rerun_ok, (trial.delay, trial.detail)
