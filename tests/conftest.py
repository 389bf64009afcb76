"""Shared fixtures: every data, config and log dir lives in tmp_path; Qt runs offscreen."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # so keyring can import tests.keyring_memory
    sys.path.insert(0, str(REPO_ROOT))


def corpus_dir() -> Path | None:
    override = os.environ.get("OFFICER_APP_CORPUS")
    path = Path(override) if override else REPO_ROOT.parent / "shared" / "corpus"
    return path if path.is_dir() else None


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for var, sub in (
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_STATE_HOME", "xdg-state"),
        ("APPDATA", "appdata"),
        ("LOCALAPPDATA", "localappdata"),
    ):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.setenv("OFFICER_APP_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyring_memory.MemoryKeyring")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
    )
    yield
    from officer_app import crash
    from officer_app.logs import shutdown_logging

    shutdown_logging()
    crash.uninstall()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[object]:
    from officer_app.services.context import AppContext

    with AppContext.open(data_dir) as context:
        yield context


@pytest.fixture
def officer_ctx(ctx):
    from officer_app.services.officers import add_or_select_officer

    add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    return ctx


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """The GUI tests run with the store's write guard on: a write that does not go through the
    write executor (a widget writing on the GUI thread, a read task writing) fails the test.
    Fixtures seed data before the guard is on; a test body that seeds more says so with
    ``officer_app.ui.tasks.as_writer()`` (or ``tests.doc_fixtures.outside_the_gui()``)."""
    if "qtbot" not in getattr(item, "fixturenames", ()):
        return (yield)
    from officer_app.ui.tasks import install_write_guard, refused_writes, uninstall_write_guard

    install_write_guard(strict=True)
    try:
        result = yield
    finally:
        uninstall_write_guard()
    # A refusal inside a worker task ends in that task's on_error, which may show it quietly.
    refused = refused_writes()
    if refused:
        raise AssertionError("writes outside the write executor:\n" + "\n".join(refused))
    return result
