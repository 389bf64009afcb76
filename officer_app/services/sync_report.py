"""What one sync run counts, and how it retries the platform: shared by the run
(:mod:`sync_run`), the pull (:mod:`sync_inbox`) and the witness (:mod:`sync_witness`).

Apart from the run itself so the witness and the pull can retry and report without importing the
run that calls them (that was an import cycle of the engine and the witness).
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from officer_app.sync.errors import SyncCancelledError, TransientSyncError

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 4
BACKOFF_ENV = "OFFICER_APP_SYNC_BACKOFF_S"
ProgressFn = Callable[["SyncReport"], None]


@dataclass
class SyncReport:
    pushed: int = 0
    acknowledged_again: int = 0
    set_aside: list[dict[str, str]] = field(default_factory=list)
    deferred: int = 0
    skipped_other_mode: int = 0
    blobs_uploaded: int = 0
    bytes_uploaded: int = 0
    pulled: int = 0
    #: Pulled items set aside this run (``sync_held``): ``{"cursor", "reason"}``.
    held: list[dict[str, Any]] = field(default_factory=list)
    cursor: int = 0
    retries: int = 0
    training_platform: bool = False
    items_total: int = 0
    items_done: int = 0
    witness: dict[str, Any] = field(
        default_factory=dict
    )  # the ledger head witnessed (services/sync_witness)
    custody_fetched: int = 0
    #: Not part of the result: a GUI's progress callback and cancel flag (set between steps).
    on_progress: ProgressFn | None = field(default=None, repr=False, compare=False)
    cancel: Any = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("on_progress", "cancel")}

    def step(self) -> None:
        """Report progress and stop here if the officer cancelled (only between whole steps, so
        a cancel never leaves anything half-written: the next run resumes where this one ended)."""
        if self.on_progress is not None:
            self.on_progress(self)
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelledError("同步已取消，未完成的部分将在下次同步时继续。", "cancelled")


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter in the upper half (why: retrying laptops spread out)."""
    base = float(os.environ.get(BACKOFF_ENV, "0.5"))
    return min(30.0, base * 2.0**attempt) * random.uniform(0.5, 1.0)


def with_retries(fn: Callable[[], T], report: SyncReport) -> T:
    for attempt in range(RETRIES + 1):
        try:
            return fn()
        except TransientSyncError as exc:
            if attempt == RETRIES:
                raise
            report.retries += 1
            log.info("transient sync failure (%s), retry %d", exc.detail, attempt + 1)
            time.sleep(backoff(attempt))
    raise AssertionError("unreachable")
