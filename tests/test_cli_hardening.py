"""Issue 16, items 3 and 5, the cases the fuzz (tests/test_cli_fuzz.py) does not spell out: the
token never on the command line, logging that cannot write, messages that name the right file."""

from __future__ import annotations

import logging
import os
import pty
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from officer_app.__main__ import main
from officer_app.logs import QuietRotatingFileHandler, setup_logging
from tests.sync_fixtures import PlatformProcess, running_platform

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: a login that got this far read its token


def _cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "officer_app", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def platform(tmp_path: Path) -> Any:
    yield from running_platform(tmp_path / "platform", "sqlite")


def test_token_on_the_command_line_is_refused_with_the_way_to_give_it(data_dir: Path) -> None:
    result = _cli("--data-dir", str(data_dir), "login", "--server", CLOSED_PORT, "--token", "t.s")
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1
    assert "--token-stdin" in err and "OFFICER_APP_TOKEN" in err and "吊销" in err


def test_token_from_stdin_logs_in(
    tmp_path: Path, platform: PlatformProcess, officer_ctx: Any
) -> None:
    token = platform.add_officer("310118", "张伟", "31011800123")["token"]
    data = str(officer_ctx.data.root)
    script = (
        "import sys\n"
        "from officer_app.__main__ import main\n"
        f"code = main(['--data-dir', {data!r}, 'login', '--server', {platform.url!r},"
        " '--token-stdin'])\n"
        f"sys.exit(code or main(['--data-dir', {data!r}, 'sync']))\n"  # same keyring process
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=f"{token}\n".encode(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "已登录" in result.stdout.decode("utf-8")
    assert token.encode() not in result.stdout + result.stderr


def test_token_from_the_environment_and_none_at_all(data_dir: Path) -> None:
    env_login = _cli(
        "--data-dir", str(data_dir), "login", "--server", CLOSED_PORT,
        env={"OFFICER_APP_TOKEN": "tok.secret"},
    )  # fmt: skip
    assert env_login.returncode == 1  # got as far as the network
    assert "连接" in env_login.stderr.decode("utf-8")
    nothing = _cli("--data-dir", str(data_dir), "login", "--server", CLOSED_PORT, stdin=b"")
    assert nothing.returncode == 2 and "--token-stdin" in nothing.stderr.decode("utf-8")
    empty = _cli(
        "--data-dir", str(data_dir), "login", "--server", CLOSED_PORT, "--token-stdin",
        stdin=b"\n",
    )  # fmt: skip
    assert empty.returncode == 2 and "令牌为空" in empty.stderr.decode("utf-8")


def test_token_prompt_does_not_echo(data_dir: Path) -> None:
    """On a terminal the token is asked for, and what is typed does not appear."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a session whose controlling terminal is the pty
        os.execv(
            sys.executable,
            [sys.executable, "-m", "officer_app", "--data-dir", str(data_dir), "login",
             "--server", CLOSED_PORT],
        )  # fmt: skip
    seen = b""
    deadline = time.monotonic() + 60
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not sent and "平台令牌".encode() in seen:
            os.write(fd, b"tok.typed-secret\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert sent, seen.decode("utf-8", "replace")
    assert b"typed-secret" not in seen  # no echo
    assert os.waitstatus_to_exitcode(status) == 1  # read the token, then no platform to reach


def test_a_log_file_that_cannot_be_written_stays_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = QuietRotatingFileHandler(tmp_path / "no-such-folder" / "officer_app.log")
    logger = logging.getLogger("officer_app.test_quiet")
    logger.addHandler(handler)
    try:
        for i in range(100):
            logger.warning("record %d", i)
    finally:
        logger.removeHandler(handler)
    assert handler.broken
    assert capsys.readouterr().err == ""


def test_logging_without_a_usable_folder_never_reaches_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    setup_logging(tmp_path / "afile" / "logs")  # a path through a file: nothing to open
    logging.getLogger("officer_app.test_quiet").warning("would go to the last-resort handler")
    assert capsys.readouterr().err == ""


def test_reissuing_says_issued_once(
    data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    import json

    root = ["--data-dir", str(data_dir)]
    assert main([*root, "demo", "--json"]) == 0
    case_id = json.loads(capsysbinary.readouterr().out)["case_id"]
    assert main([*root, "document", "new", "case_transfer", "--case", case_id, "--json"]) == 0
    doc_id = json.loads(capsysbinary.readouterr().out)["id"]
    assert main([*root, "catalogue", "confirm", doc_id]) == 0  # the officer checked the basis
    assert main([*root, "document", "issue", doc_id]) == 0
    capsysbinary.readouterr()
    assert main([*root, "document", "issue", doc_id]) == 1
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert "文书已签发" in err and "已已" not in err
    assert main([*root, "document", "set", doc_id, "place=x"]) == 1
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert "文书已签发，不能修改" in err


def test_an_output_that_cannot_be_written_is_named_not_the_data_dir(
    data_dir: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    root = ["--data-dir", str(data_dir)]
    assert main([*root, "demo"]) == 0
    (tmp_path / "afile").write_bytes(b"x")
    out = tmp_path / "afile" / "backup.zip"  # the folder it should go in is a file
    capsysbinary.readouterr()
    assert main([*root, "backup", "--out", str(out)]) == 1
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert str(out) in err and "数据目录" not in err


def test_the_gui_with_a_data_dir_that_is_a_file_says_so_before_any_window(
    tmp_path: Path,
) -> None:
    afile = tmp_path / "afile"
    afile.write_bytes(b"x")
    script = (
        "import sys\n"
        "from officer_app.__main__ import main\n"
        f"code = main(['--data-dir', {str(afile)!r}, '--no-crash-dialog'])\n"
        "from PySide6.QtWidgets import QApplication\n"
        "sys.exit(code if QApplication.instance() is None else 99)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=120, env=os.environ.copy()
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and str(afile) in err and "不是文件夹" in err
    assert "Traceback" not in err


def test_a_crash_report_falls_back_to_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app import crash

    (tmp_path / "afile").write_bytes(b"x")
    unusable = tmp_path / "afile" / "logs"  # a path through a file: no folder can be made
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    try:
        raise ValueError("the original failure")
    except ValueError as exc:
        path = crash.write_crash_report(unusable, exc)
    assert path.parent == temp
    assert "the original failure" in path.read_text(encoding="utf-8")


def test_the_crash_hook_installs_where_no_log_folder_can_be_made(tmp_path: Path) -> None:
    from officer_app import crash

    (tmp_path / "afile").write_bytes(b"x")
    crash.install(tmp_path / "afile" / "logs")  # the GUI still starts; the store says why
    assert sys.excepthook is not sys.__excepthook__
    crash.uninstall()
