"""Evidence packages: export a case, verify it with no store, and catch every kind of tampering."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.doc_fixtures import load_demo


def _run(data_dir: Path, *argv: str) -> int:
    """``officer-app --data-dir D evidence …`` through the real entry point."""
    from officer_app.__main__ import main

    return main(["--data-dir", str(data_dir), "evidence", *argv])


@pytest.fixture
def package(officer_ctx: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    from officer_app.services import catalogue, documents

    case_id = load_demo(officer_ctx)
    doc = documents.new_document(officer_ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(officer_ctx, doc["id"])  # the officer checked the basis
    documents.issue_document(officer_ctx, doc["id"])
    out = tmp_path / "pkg.zip"
    assert _run(officer_ctx.data.root, "export", "--case", case_id, "--out", str(out)) == 0
    return out


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def test_package_contents_and_check(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        readme = zf.read("README.txt").decode("utf-8")
    assert {"manifest.json", "ledger.jsonl", "SHA256SUMS", "README.txt"} <= names
    assert len(manifest["evidence"]) == 2 and len(manifest["documents"]) == 1
    assert all(e["file"].startswith(f"evidence/{e['sha256']}_") for e in manifest["evidence"])
    assert "sha256sum -c SHA256SUMS" in readme and "人工核验" in readme
    capsys.readouterr()
    assert _run(tmp_path, "check-package", str(package), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["checked"]["evidence"] == 2
    if shutil.which("sha256sum"):
        folder = tmp_path / "unzipped"
        zipfile.ZipFile(package).extractall(folder)
        done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True)
        assert done.returncode == 0, done.stdout


def test_tampering_is_named(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        ledger = zf.read("ledger.jsonl").decode("utf-8").splitlines()
    photo = manifest["evidence"][0]["file"]
    full = next(i for i, line in enumerate(ledger) if json.loads(line)["full"])
    entry = json.loads(ledger[full])
    entry["payload"] = entry["payload"].replace("JZLJ", "SRHJ").replace("wgs84", "gcj02")
    ledger[full] = json.dumps(entry, ensure_ascii=False)
    bad = tmp_path / "bad.zip"
    _rewrite(
        package, bad, {photo: b"not the photo", "ledger.jsonl": ("\n".join(ledger) + "\n").encode()}
    )
    capsys.readouterr()
    assert _run(tmp_path, "check-package", str(bad), "--json") == 1
    kinds = {p["kind"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert {"changed", "ledger_altered"} <= kinds
    missing = tmp_path / "missing.zip"
    _rewrite(package, missing, {manifest["documents"][0]["file"]: None})
    assert _run(tmp_path, "check-package", str(missing)) == 1
    assert "文书" in capsys.readouterr().out
