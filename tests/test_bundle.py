"""Sync by USB stick: export, damaged bundles refused whole, import exactly once, then sync."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.platform.bundle_import import BundleError, import_bundle
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import QP, _issue_transfer, _login, _officer, _real_case, _run


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _entries(platform: PlatformProcess) -> int:
    return int(platform.scalar("SELECT count(*) FROM entries"))


def _rewrite(src: Path, dst: Path, change: Any) -> None:
    """Copy a bundle member by member, letting ``change`` alter (or drop) one."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def test_bundle_export_import_exactly_once_then_sync(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    tok = platform.add_officer(QP, "张伟", "31011800123")
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _issue_transfer(qp, _real_case(qp))
    bundle = tmp_path / "usb" / "qp.bundle"
    code, out = _run(capsys, qp, "bundle", "export", "--out", str(bundle))
    assert code == 0, out
    assert out["entries"] >= 4 and out["blobs"] >= 3 and bundle.is_file()
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
    assert {"manifest.json", "manifest.sha256", "entries.jsonl", "ledger.jsonl"} <= set(names)
    blob = next(n for n in names if n.startswith("blobs/"))

    # damaged bundles: refused naming the problem, nothing applied
    damaged = {
        "truncated": lambda: bundle.with_name("t").write_bytes(bundle.read_bytes()[:-5000]),
        "flipped": lambda: _rewrite(
            bundle, bundle.with_name("flipped"), lambda n, d: d[:-1] + b"\0" if n == blob else d
        ),
        "dropped": lambda: _rewrite(
            bundle, bundle.with_name("dropped"), lambda n, d: None if n == blob else d
        ),
        "manifest": lambda: _rewrite(
            bundle,
            bundle.with_name("manifest"),
            lambda n, d: d.replace(b'"entries"', b'"entries" ') if n == "manifest.json" else d,
        ),
    }
    expected = {"truncated": "同步包", "flipped": blob, "dropped": blob, "manifest": "清单"}
    for name, make in damaged.items():
        make()
        path = bundle.with_name("t" if name == "truncated" else name)
        with pytest.raises(BundleError) as err:
            import_bundle(platform.root, path, platform.db)
        assert expected[name] in err.value.message_zh and "拒收" in err.value.message_zh, name
    assert _entries(platform) == 0

    first = import_bundle(platform.root, bundle, platform.db)
    assert first["stored"] == out["entries"] and first["duplicate"] == 0 and not first["refused"]
    second = import_bundle(platform.root, bundle, platform.db)
    assert second["stored"] == 0 and second["duplicate"] == out["entries"]
    assert second["new_files"] == 0
    assert _entries(platform) == out["entries"]

    # the laptop's next sync: every entry acknowledged as known, nothing uploaded twice
    _login(capsys, qp, platform.url, tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    assert report["pushed"] == out["entries"] == report["acknowledged_again"]
    assert report["blobs_uploaded"] == 0 and report["bytes_uploaded"] == 0
    assert _entries(platform) == out["entries"]
    code, _ = _run(capsys, qp, "bundle", "export", "--out", str(tmp_path / "empty.bundle"))
    assert code != 0  # nothing left to export


def test_bundle_from_unknown_officer_and_cli_handler(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    _issue_transfer(qp, _real_case(qp))
    bundle = tmp_path / "qp.bundle"
    assert _run(capsys, qp, "bundle", "export", "--out", str(bundle))[0] == 0
    with pytest.raises(BundleError) as err:
        import_bundle(platform.root, bundle, platform.db)
    assert "未在平台登记" in err.value.message_zh and _entries(platform) == 0

    platform.add_officer(QP, "张伟", "31011800123")
    from officer_app.__main__ import main

    code = main(
        [
            "--data-dir",
            str(platform.root),
            "platform",
            "import-bundle",
            str(bundle),
            *platform.db_args,
        ]
    )
    assert code == 0 and "新增" in capsys.readouterr().out and _entries(platform) >= 4
