"""The CLI contract: global options, --json, exit codes, one-line errors, any console code page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app import __version__
from officer_app.__main__ import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "officer_app", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_init_then_info_json(data_dir: Path) -> None:
    result = run_cli(
        "--data-dir",
        str(data_dir),
        "init",
        "--officer-name",
        "张伟",
        "--badge",
        "31011800123",
        "--agency",
        "310118",
        "--json",
    )
    assert result.returncode == 0, result.stderr.decode()
    info = run_cli("--data-dir", str(data_dir), "info", "--json")
    assert info.returncode == 0
    assert info.stderr == b""
    data = json.loads(info.stdout.decode("utf-8"))
    assert data["officer"] == {
        "name": "张伟",
        "badge": "31011800123",
        "agency": "310118",
        "phone": "",
    }
    assert data["data_dir"] == str(data_dir.resolve())
    assert Path(data["store"]).is_file() and Path(data["store"]).parent == data_dir.resolve()
    assert data["schema_version"] >= 1
    for key in ("patrols", "evidence", "cases", "documents", "outbox"):
        assert data["counts"][key] == 0


def test_info_on_an_empty_data_dir_has_no_officer(data_dir: Path) -> None:
    assert main(["--data-dir", str(data_dir), "info", "--json"]) == 0


def test_json_is_utf8_even_on_a_non_utf8_console(data_dir: Path) -> None:
    for encoding in ("cp1252", "gbk", "ascii"):
        run_cli(
            "--data-dir",
            str(data_dir),
            "init",
            "--officer-name",
            "李娜",
            "--badge",
            "B-1",
            "--agency",
            "320509",
        )
        result = run_cli(
            "--data-dir", str(data_dir), "info", "--json", env={"PYTHONIOENCODING": encoding}
        )
        assert result.returncode == 0, (encoding, result.stderr)
        assert json.loads(result.stdout.decode("utf-8"))["officer"]["name"] == "李娜"


def test_data_dir_from_environment(tmp_path: Path) -> None:
    target = tmp_path / "from-env"
    result = run_cli("info", "--json", env={"OFFICER_APP_DATA_DIR": str(target)})
    assert result.returncode == 0
    assert json.loads(result.stdout)["data_dir"] == str(target.resolve())
    assert (target / "officer_app.sqlite3").is_file()


def test_data_dir_isolates_everything_written(tmp_path: Path) -> None:
    target = tmp_path / "isolated"
    run_cli(
        "--data-dir",
        str(target),
        "init",
        "--officer-name",
        "王",
        "--badge",
        "1",
        "--agency",
        "310118",
    )
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"isolated"}
    assert (target / "logs").is_dir()


def test_unknown_agency_fails_with_one_line_and_exit_1(data_dir: Path) -> None:
    result = run_cli(
        "--data-dir",
        str(data_dir),
        "init",
        "--officer-name",
        "张伟",
        "--badge",
        "1",
        "--agency",
        "999999",
    )
    assert result.returncode == 1
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1 and "999999" in err
    assert result.stdout == b""


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["init", "--badge", "1", "--agency", "310118"],
        ["info", "--no-such-flag"],
        ["init", "--officer-name", "x", "--badge", "1", "--agency", "31"],
    ],
)
def test_usage_errors_exit_2(data_dir: Path, args: list[str]) -> None:
    result = run_cli("--data-dir", str(data_dir), *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode("utf-8").strip().count("\n") == 0


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout.decode()


def test_init_twice_selects_the_same_officer_and_a_second_one_switches(data_dir: Path) -> None:
    base = ["--data-dir", str(data_dir), "init"]
    assert main([*base, "--officer-name", "张伟", "--badge", "A1", "--agency", "310118"]) == 0
    assert main([*base, "--officer-name", "张伟", "--badge", "A1", "--agency", "310118"]) == 0
    assert main([*base, "--officer-name", "沈强", "--badge", "W7", "--agency", "320509"]) == 0
    from officer_app.services.context import AppContext
    from officer_app.services.officers import list_officers

    with AppContext.open(data_dir) as ctx:
        assert sorted(o.badge for o in list_officers(ctx)) == ["A1", "W7"]
        assert ctx.current_officer().badge == "W7"


def test_newer_store_refused_by_cli_and_untouched(data_dir: Path) -> None:
    import hashlib
    import sqlite3

    main(["--data-dir", str(data_dir), "info"])
    store = data_dir / "officer_app.sqlite3"
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    result = run_cli("--data-dir", str(data_dir), "info", "--json")
    assert result.returncode == 1
    assert "更新版本" in result.stderr.decode("utf-8")
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_gui_start_skips_the_command_parsers_but_commands_still_parse(data_dir: Path) -> None:
    from officer_app import cli

    assert cli._only_gui_options(["--data-dir", str(data_dir), "--no-crash-dialog"])
    assert cli._only_gui_options([f"--data-dir={data_dir}"])
    assert not cli._only_gui_options(["--data-dir", str(data_dir), "info"])
    assert not cli._only_gui_options(["--help"])
    assert cli.parse(["--data-dir", str(data_dir)]).command is None
    assert cli.parse(["--data-dir", str(data_dir), "case", "list"]).command == "case"
