"""The platform bulletin prints the witness log's signed tree head: a paper anchor anyone can check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from officer_app.domain import witness as fmt
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_custody import _synced_laptop


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _pdf_text(path: Path) -> str:
    return (
        "".join(p.extract_text() for p in PdfReader(path).pages).replace(" ", "").replace("\n", "")
    )


def test_bulletin_prints_a_signed_tree_head_that_verifies(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    _synced_laptop(tmp_path, platform, capsys)
    quarter = f"{dt.date.today().year}Q{(dt.date.today().month - 1) // 3 + 1}"
    out = tmp_path / "bulletin.pdf"
    result = platform.admin(
        "bulletin", "--quarter", quarter, "--agency", "310118", "--out", str(out)
    )
    sth, key = result["witness"]["sth"], result["witness"]["public_key"]
    assert sth["tree_size"] == 1
    assert fmt.verify_sth(sth, key["public_key"]) is None
    text = _pdf_text(out)
    assert "平台见证日志" in text
    for printed in (
        sth["root_hash"],
        sth["signature"],
        sth["timestamp"],
        key["fingerprint"],
        key["public_key"],
    ):
        assert printed in text, printed
    # by hand, from what is on paper: the signature is over the printed fields
    printed_head = {
        "v": 1,
        "log_id": key["fingerprint"],
        "tree_size": sth["tree_size"],
        "root_hash": sth["root_hash"],
        "timestamp": sth["timestamp"],
    }
    assert fmt.verify_signature(key["public_key"], sth["signature"], fmt.sth_message(printed_head))
    assert (
        platform.scalar(
            f"SELECT count(*) FROM witness_heads WHERE timestamp = '{sth['timestamp']}'"
        )
        == 1
    )


def test_bulletin_of_a_platform_that_never_served_says_so(tmp_path: Path) -> None:
    from officer_app import cli
    from officer_app.platform import db

    root = tmp_path / "p"
    paths = db.PlatformPaths(root)
    db.init(paths, training=False)
    out = tmp_path / "b.pdf"
    args = cli.parse(
        [
            "--data-dir",
            str(root),
            "platform",
            "bulletin",
            "--quarter",
            "2026Q3",
            "--agency",
            "310118",
            "--out",
            str(out),
        ]
    )
    outcome = args.handler(args)
    assert outcome.data["witness"] is None
    assert "平台尚未启动见证服务" in _pdf_text(out)
