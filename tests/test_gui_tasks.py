"""The one background-work API: results, progress and cancel on the GUI thread, errors to the
officer, BaseExceptions re-raised, and the store's write guard that keeps one writer."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from officer_app.services import settings
from officer_app.services.context import AppContext
from officer_app.store import db as store_db
from officer_app.ui import tasks
from officer_app.ui.tasks import Job, TaskRunner, WriteOutsideExecutorError


def test_result_and_progress_arrive_on_the_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, ...]] = []
    results: list[str] = []
    threads: set[str] = set()

    def work(job: Job) -> str:
        for i in range(3):
            job.report(i, 3)
        return threading.current_thread().name

    def progress(done: int, total: int) -> None:
        threads.add(threading.current_thread().name)
        seen.append((done, total))

    runner.start(work, results.append, pytest.fail, write=False, on_progress=progress)
    qtbot.waitUntil(lambda: bool(results))
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert threads == {threading.main_thread().name}
    assert results[0] != threading.main_thread().name  # the work itself ran on a worker


def test_cancel_is_seen_by_the_worker_and_its_result_still_comes(qtbot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    results: list[int] = []

    def work(job: Job) -> int:
        started.set()
        steps = 0
        while not job.cancelled() and steps < 10_000:
            steps += 1
            threading.Event().wait(0.001)
        return steps

    job = runner.start(work, results.append, pytest.fail, write=False)
    assert started.wait(10)
    job.cancel()
    qtbot.waitUntil(lambda: bool(results))
    assert results[0] < 10_000 and not job.running


def test_an_exception_goes_to_on_error(qtbot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad input")

    runner.run(work, pytest.fail, errors.append, write=False)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


@pytest.mark.parametrize("exc_type", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_base_exceptions_are_reraised_not_handed_to_on_error(qtbot, exc_type) -> None:
    """SystemExit and friends are not errors to show the officer: the worker re-raises them."""
    handed: list[object] = []
    job = Job()
    job.finished.connect(lambda result, error: handed.append((result, error)))

    def work(_job: Job) -> None:
        raise exc_type()

    runnable = tasks._Runnable(work, job, write=False)
    with pytest.raises(exc_type):
        runnable.run()
    # The GUI side hears the task ended (nothing waits for ever), without an error to show.
    assert handed == [(tasks._ABORTED, None)]


def test_base_exception_on_a_pool_is_reraised_never_given_to_on_error(qtbot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []
    done: list[object] = []

    def work(_job: Job) -> None:
        raise GeneratorExit()

    with qtbot.capture_exceptions() as raised:
        job = runner.start(work, done.append, errors.append, write=False)
        qtbot.waitUntil(lambda: not job.running)
        runner.wait()
    assert [type(exc) for _type, exc, _tb in raised] == [GeneratorExit]  # it went on up
    assert errors == [] and done == []  # neither an error to show nor a result


def test_writes_share_one_executor_thread(qtbot) -> None:
    first, second = TaskRunner(), TaskRunner()
    assert first.write_pool is second.write_pool
    assert first.write_pool.maxThreadCount() == 1
    assert first.read_pool is not second.read_pool


def test_the_write_guard_refuses_a_write_off_the_executor(qtbot, officer_ctx: AppContext) -> None:
    tasks.install_write_guard(strict=True)
    try:
        with pytest.raises(WriteOutsideExecutorError):  # the GUI thread
            settings.put(officer_ctx.store, settings.LARGE_TEXT, True)
        assert settings.get(officer_ctx.store, settings.LARGE_TEXT) is False  # nothing written

        runner = TaskRunner()
        errors: list[BaseException] = []
        root = officer_ctx.data.root

        def write_from(store_path: Path) -> None:
            with AppContext.open(root) as worker_ctx:
                settings.put(worker_ctx.store, settings.LARGE_TEXT, True)

        runner.run(lambda: write_from(root), pytest.fail, errors.append, write=False)
        qtbot.waitUntil(lambda: bool(errors))  # a read task may not write either
        assert isinstance(errors[0], WriteOutsideExecutorError)

        done: list[object] = []
        runner.write(
            officer_ctx,
            lambda worker_ctx: settings.put(worker_ctx.store, settings.LARGE_TEXT, True),
            done.append,
            pytest.fail,
        )
        qtbot.waitUntil(lambda: bool(done))
        assert settings.get(officer_ctx.store, settings.LARGE_TEXT) is True
        assert len(tasks.refused_writes()) == 2  # the GUI thread's and the read task's
    finally:
        tasks.install_write_guard(strict=True)  # the suite's guard, with these refusals forgiven


def test_the_field_guard_logs_instead_of_refusing(
    qtbot, officer_ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    tasks.install_write_guard(strict=False)
    try:
        settings.put(officer_ctx.store, settings.LARGE_TEXT, True)
    finally:
        tasks.install_write_guard(strict=True)
    assert settings.get(officer_ctx.store, settings.LARGE_TEXT) is True
    assert "outside the write executor" in caplog.text


def test_the_guard_leaves_the_store_when_uninstalled(qtbot, officer_ctx: AppContext) -> None:
    previous = store_db.set_write_guard(None)  # the suite's guard, put back below
    try:
        settings.put(officer_ctx.store, settings.LARGE_TEXT, True)  # the CLI's case: no guard
    finally:
        store_db.set_write_guard(previous)
    assert settings.get(officer_ctx.store, settings.LARGE_TEXT) is True


def test_a_refusal_swallowed_by_a_read_task_still_fails_the_suite(
    qtbot, officer_ctx: AppContext
) -> None:
    """The suite's hook asserts on refused_writes(): a read task that writes and only shows the
    error quietly is caught too."""
    runner = TaskRunner()
    errors: list[BaseException] = []
    root = officer_ctx.data.root

    def sneaky_write() -> None:
        with AppContext.open(root) as worker_ctx:
            settings.put(worker_ctx.store, settings.LARGE_TEXT, True)

    runner.run(sneaky_write, pytest.fail, errors.append, write=False)
    qtbot.waitUntil(lambda: bool(errors))
    refused = tasks.refused_writes()
    assert len(refused) == 1 and "not on the write executor" in refused[0]
    tasks.install_write_guard(strict=True)  # forgiven: this test wanted the refusal
