"""The one way to run work off the GUI thread (after Picard's ``run_task`` and Anki's operations).

A task is a plain function run on a worker thread; its result or error comes back to the GUI
thread through a queued signal, and so do its progress reports.  Every task gets a :class:`Job`:
the worker reports progress through it and asks it whether the officer cancelled.

**One writer.**  Every store write of the window goes through the single-thread write pool, so
two user actions never race for the store and the GUI never waits on SQLite's busy timeout (a
save queued behind an import is queued, not blocked).  The store calls a write guard when a
write transaction opens; :func:`install_write_guard` makes it refuse (or, in the field, log) a
write that does not run on the write pool.  Each task opens its own store connection
(:meth:`TaskRunner.write` does it for you).  The pools are drained on exit so nothing half-done
is lost.

Errors that are not :class:`Exception` (``SystemExit``, ``KeyboardInterrupt``,
``GeneratorExit``) are never handed to ``on_error``: they stop the worker as Python means them
to.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from officer_app.errors import UserFacingError
from officer_app.store import db as store_db

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from officer_app.services.context import AppContext

log = logging.getLogger(__name__)

T = TypeVar("T")

_thread_role = threading.local()


class WriteOutsideExecutorError(RuntimeError):
    """A store write ran on the GUI thread or another thread than the write pool: a bug."""


def on_write_thread() -> bool:
    """True while the current thread runs a task of a write pool."""
    return bool(getattr(_thread_role, "writer", False))


@contextlib.contextmanager
def as_writer() -> Iterator[None]:
    """Mark the current thread as the writer for the block (the write pool's own runnables use
    it; tests use it to set up data as the executor would, while the guard watches the GUI)."""
    before = on_write_thread()
    _thread_role.writer = True
    try:
        yield
    finally:
        _thread_role.writer = before


_refused: list[str] = []  # what the strict guard refused since it was installed


def refused_writes() -> list[str]:
    """The writes the strict guard refused, also those a task's on_error may have swallowed."""
    return list(_refused)


def _refuse_write(path: Path) -> None:
    if not on_write_thread():
        problem = (
            f"store write to {path} on thread {threading.current_thread().name!r}, "
            "not on the write executor"
        )
        _refused.append(problem)
        raise WriteOutsideExecutorError(problem)


def _log_write(path: Path) -> None:
    if not on_write_thread():
        log.error(
            "store write to %s outside the write executor (thread %r):\n%s",
            path,
            threading.current_thread().name,
            "".join(traceback.format_stack(limit=12)),
        )


def install_write_guard(*, strict: bool = True) -> None:
    """Have the store check every write transaction: ``strict`` raises
    :class:`WriteOutsideExecutorError` (tests), otherwise the stack goes to the log (the field,
    where a missed path should not cost the officer the action)."""
    _refused.clear()
    store_db.set_write_guard(_refuse_write if strict else _log_write)


def uninstall_write_guard() -> None:
    store_db.set_write_guard(None)


class Job(QObject):
    """One task's handle: progress to the GUI thread, cancel from it, the outcome once.

    ``progressed`` carries whatever the worker passed to :meth:`report` (as a tuple), queued to
    the GUI thread.  :meth:`cancel` only asks: the worker stops at its next
    :meth:`cancelled` check, and its result (partial or not) still comes back.
    """

    progressed = Signal(object)  # tuple of the worker's report(...) arguments
    finished = Signal(object, object)  # result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.running = True

    def report(self, *args: Any) -> None:
        """Called on the worker thread; delivered on the GUI thread to ``on_progress``."""
        self.progressed.emit(args)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """For services that take a ``threading.Event``-like cancel flag (``is_set()``)."""
        return self._cancel


_ABORTED = object()  # the task was stopped by a BaseException: neither a result nor an error


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Job], Any], job: Job, *, write: bool) -> None:
        super().__init__()
        self.fn = fn
        self.job = job
        self.write = write

    def run(self) -> None:
        scope = as_writer() if self.write else contextlib.nullcontext()
        try:
            with scope:
                result = self.fn(self.job)
        except Exception as exc:  # handed to the GUI thread, which shows the officer's message
            log.debug("task raised %r", exc)
            self.job.finished.emit(None, exc)
        except BaseException:
            # SystemExit, KeyboardInterrupt, GeneratorExit: not an error to show; the GUI is
            # told the task ended (so nothing waits forever) and the exception goes on.
            self.job.finished.emit(_ABORTED, None)
            raise
        else:
            self.job.finished.emit(result, None)


_write_pool: QThreadPool | None = None
_writes_in_flight = 0  # write tasks started whose outcome the GUI thread has not yet handled


def writes_in_flight() -> int:
    """How many write tasks are queued, running or awaiting delivery (0: the store is settled,
    and every callback of those writes has run)."""
    return _writes_in_flight


def write_pool() -> QThreadPool:
    """The process's one write executor: a single thread that every store write queues on."""
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


class TaskRunner(QObject):
    """A widget's way in: its own read pool, and the process's single write pool."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.write_pool = write_pool()
        self.read_pool = QThreadPool(self)
        self._jobs: set[Job] = set()
        self._closed = False
        # Results that arrive after the owner (a dialog, a page) was destroyed are dropped:
        # the runner dies with it, and this flag outlives the wrapper.
        gone = self._gone = threading.Event()
        self.destroyed.connect(lambda *_args: gone.set())

    def start(
        self,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        write: bool,
        on_progress: Callable[..., None] | None = None,
        error_title: str = "",
        error_parent: QWidget | None = None,
    ) -> Job:
        """Run ``fn(job)`` on the write pool (``write=True``) or the read pool.

        ``on_error`` gets an :class:`Exception` the task raised; without one, the officer gets
        its message (:func:`officer_app.ui.messages.show_error`) under ``error_title``.
        """
        global _writes_in_flight
        gone = self._gone
        job = Job()
        self._jobs.add(job)
        if write:
            _writes_in_flight += 1
        if on_progress is not None:
            job.progressed.connect(lambda args: self._closed or gone.is_set() or on_progress(*args))

        def deliver(result: Any, error: BaseException | None) -> None:
            global _writes_in_flight
            job.running = False
            self._jobs.discard(job)
            try:
                handle(result, error)
            finally:
                if write:
                    _writes_in_flight -= 1

        def handle(result: Any, error: BaseException | None) -> None:
            if self._closed or gone.is_set():  # the window is gone: nothing to show it on
                log.debug("dropping a task result delivered after shutdown")
                return
            if result is _ABORTED:
                return
            if error is None:
                on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                from officer_app.ui.messages import show_error

                title = error_title or QCoreApplication.translate("tasks", "保存失败")
                show_error(error_parent, title, error)

        job.finished.connect(deliver)
        (self.write_pool if write else self.read_pool).start(_Runnable(fn, job, write=write))
        return job

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        *,
        write: bool = True,
    ) -> Job:
        """:meth:`start` for a task that neither reports progress nor can be cancelled."""
        return self.start(lambda _job: fn(), on_done, on_error, write=write)

    def write(
        self,
        ctx: AppContext,
        fn: Callable[[AppContext], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> Job:
        """Run ``fn(worker_ctx)`` on the write pool with its own connection to ``ctx``'s store
        (and the same clock), the result delivered on the GUI thread."""
        root, clock = ctx.data.root, ctx.clock

        def work(_job: Job) -> T:
            from officer_app.services.context import AppContext

            with AppContext.open(root, clock=clock) as worker_ctx:
                return fn(worker_ctx)

        return self.start(work, on_done, on_error, write=True, **kwargs)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for the tasks in flight without closing the runner (its results still come)."""
        return self.write_pool.waitForDone(msecs) and self.read_pool.waitForDone(msecs)

    def drain(self, msecs: int = 30_000) -> bool:
        """Wait for running tasks (on exit) so a write is never cut off half-way; results that
        arrive afterwards are dropped, since the widgets and store they were for are closing."""
        self._closed = True
        for job in list(self._jobs):
            job.cancel()
        return self.write_pool.waitForDone(msecs) and self.read_pool.waitForDone(msecs)


def tasks_of(owner: QObject) -> TaskRunner:
    """The TaskRunner of ``owner`` (a dialog, a page), made on first use: its writes still go to
    the one write pool; its results stop coming once ``owner`` is destroyed."""
    runner = owner.findChild(TaskRunner, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if runner is None:
        runner = TaskRunner(owner)
    return runner


def refusal_or_bug(
    on_refused: Callable[[UserFacingError], None], parent: QWidget | None
) -> Callable[[BaseException], None]:
    """An ``on_error`` for a user action: a refusal the officer can act on goes to
    ``on_refused`` (the dialog shows it in place); anything else is a bug, shown as one."""

    def on_error(error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            on_refused(error)
        else:
            from officer_app.ui.messages import show_error

            show_error(parent, QCoreApplication.translate("tasks", "保存失败"), error)

    return on_error
