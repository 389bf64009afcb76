"""The demo dataset through the CLI, the crash handler, and the screenshot tool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.__main__ import main

REPO = Path(__file__).resolve().parents[1]


def _json(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsysbinary.readouterr().out.decode("utf-8"))


def test_demo_twice_changes_nothing_and_info_shows_it(
    data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    d = ["--data-dir", str(data_dir)]
    _json(
        capsysbinary,
        *d,
        "init",
        "--officer-name",
        "张伟",
        "--badge",
        "31011800123",
        "--agency",
        "310118",
        "--json",
    )
    first = _json(capsysbinary, *d, "demo", "--json")
    assert first["loaded"] is True
    before = _json(capsysbinary, *d, "info", "--json")
    second = _json(capsysbinary, *d, "demo", "--json")
    assert second["loaded"] is False
    after = _json(capsysbinary, *d, "info", "--json")
    assert before == after
    counts = after["counts"]
    assert (counts["patrols"], counts["evidence"], counts["cases"]) == (1, 5, 1)
    cases = _json(capsysbinary, *d, "case", "list", "--json")
    assert [c["jurisdiction"]["code"] for c in cases] == ["320509"]
    patrols = _json(capsysbinary, *d, "patrol", "list", "--json")
    provinces = {a["code"][:2] for a in patrols[0]["agencies"]}
    assert len(provinces) == 3  # Shanghai, Jiangsu and Zhejiang squads
    assert patrols[0]["evidence_count"] == 5
    # Nothing but demo records: info says so (the GUI shows it above every page) ...
    assert after["training_only"] is True
    # ... until the officer records something real.
    _json(
        capsysbinary,
        *d,
        "patrol",
        "new",
        "--type",
        "陆路巡查",
        "--start",
        "2026-11-21T09:00:00+08:00",
        "--end",
        "2026-11-21T11:00:00+08:00",
        "--agency",
        "310118",
        "--agency",
        "320509",
        "--json",
    )
    assert _json(capsysbinary, *d, "info", "--json")["training_only"] is False


def test_demo_photos_carry_real_exif(data_dir: Path) -> None:
    from officer_app.media.exif import read_photo_metadata
    from officer_app.services import demo, officers
    from officer_app.services.context import AppContext
    from officer_app.store.blobs import BlobStore

    with AppContext.open(data_dir) as ctx:
        officers.add_or_select_officer(ctx, "张伟", "1", "310118")
        demo.load_demo(ctx)
        rows = ctx.store.query("SELECT sha256, original_name, training FROM evidence")
        blobs = BlobStore(ctx.data.evidence_dir)
        for row in rows:
            assert row["training"] == 1
            meta = read_photo_metadata(blobs.path_for(row["sha256"]), now=ctx.clock())
            spec = next(p for p in demo.PHOTOS if p.name == row["original_name"])
            assert meta.lat == pytest.approx(spec.lat, abs=1e-6)
            assert meta.taken_at and meta.taken_at.endswith("+08:00")
            assert "assumed_timezone" not in meta.flags


def test_crash_handler_writes_a_report_and_notifies(tmp_path: Path) -> None:
    from officer_app import crash

    seen: list[tuple[str, Path]] = []
    crash.install(tmp_path / "logs", lambda summary, path: seen.append((summary, path)))
    try:
        raise ValueError("坏数据")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(seen) == 1
    summary, report = seen[0]
    assert "ValueError" in summary and "坏数据" in summary
    assert "Traceback" in report.read_text(encoding="utf-8")


def test_screenshot_tool_saves_every_section(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    command = [
        sys.executable,
        str(REPO / "tools" / "screenshot.py"),
        "--out",
        str(out),
        "--data-dir",
        str(tmp_path / "data"),
    ]
    env = dict(os.environ)
    if shutil.which("xvfb-run"):
        command = ["xvfb-run", "-a", *command]
        env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform on a virtual screen
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    shots = sorted(p.name for p in out.glob("main-*.png"))
    assert len(shots) == 6 and all((out / s).stat().st_size > 10_000 for s in shots)
