"""One way to run work off the GUI thread (after Picard's ``run_task`` and Anki's operations).

A task is a plain function run on a worker thread; its result or error comes back to the GUI
thread through a queued signal.  Writes go through a single-thread pool so two user actions never
race for the store; each task opens its own store connection.  The pools are drained on exit so
nothing half-done is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object, object)  # result, error


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            log.debug("task raised %r", exc)
            self.relay.finished.emit(None, exc)
        else:
            self.relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Holds the read pool and the single-writer pool of one window."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self.read_pool = QThreadPool(self)
        self._relays: set[_Relay] = set()
        self._closed = False

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        write: bool = True,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def deliver(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            if self._closed:  # the window is gone and its store closed: nothing to show
                log.debug("dropping a task result delivered after shutdown")
                return
            if error is not None:
                on_error(error)
            else:
                on_done(result)

        relay.finished.connect(deliver)
        (self.write_pool if write else self.read_pool).start(_Runnable(fn, relay))

    def drain(self, msecs: int = 30_000) -> bool:
        """Wait for running tasks (on exit) so a write is never cut off half-way; results that
        arrive afterwards are dropped, since the widgets and store they were for are closing."""
        self._closed = True
        return self.write_pool.waitForDone(msecs) and self.read_pool.waitForDone(msecs)
