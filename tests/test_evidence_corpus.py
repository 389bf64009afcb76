"""The whole real exif-samples corpus through the importer: every file imports with the manifest's
position and time, or is rejected with a reason; nothing crashes it."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from officer_app.services import evidence_import, evidence_query
from officer_app.services.context import AppContext
from tests.conftest import corpus_dir


def _exif_corpus() -> Path:
    root = corpus_dir()
    if root is None or not (root / "exif-samples" / "MANIFEST.tsv").is_file():
        message = "shared corpus not found beside the repo (set OFFICER_APP_CORPUS)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return root / "exif-samples"


def test_corpus_imports_with_manifest_positions_and_times(officer_ctx: AppContext) -> None:
    folder = _exif_corpus()
    with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        manifest = {row["sha256"]: row for row in csv.DictReader(fh, delimiter="\t")}
    paths = [folder / row["path"] for row in manifest.values()]
    report = evidence_import.import_files(officer_ctx, paths)
    assert len(report.files) == len(manifest)
    for outcome in report.files:
        assert outcome.outcome in ("imported", "duplicate", "rejected")
        if outcome.outcome == "rejected":
            assert outcome.reason, outcome.path
    items = {item["sha256"]: item for item in evidence_query.list_evidence(officer_ctx)}
    imported = [sha for sha in manifest if sha in items]
    assert len(imported) >= len(manifest) - 3  # the reader's own tests pin which ones, if any
    with_gps = 0
    for sha in imported:
        row, item = manifest[sha], items[sha]
        if row["has_gps"] == "1" and row["lat"]:
            with_gps += 1
            assert item["lat"] == pytest.approx(float(row["lat"]), abs=1e-6), row["path"]
            assert item["lon"] == pytest.approx(float(row["lon"]), abs=1e-6), row["path"]
            assert item["position_source"] == "exif"
        if row["datetime_original"]:
            expected = row["datetime_original"].replace(":", "-", 2).replace(" ", "T")
            assert item["taken_at"] is not None and item["taken_at"].startswith(expected), row[
                "path"
            ]
    assert with_gps >= 9


def test_cli_import_of_the_corpus_keeps_stderr_clean(officer_ctx: AppContext) -> None:
    """Library warnings about odd EXIF go to the log file, not the console (--json contract)."""
    import json
    import subprocess
    import sys

    folder = _exif_corpus()
    root = officer_ctx.data.root
    officer_ctx.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(root),
            "evidence",
            "import",
            str(folder),
            "--json",
        ],
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b""
    assert json.loads(result.stdout)["imported"] >= 70
    assert "exifread" in (root / "logs" / "officer_app.log").read_text(encoding="utf-8")
