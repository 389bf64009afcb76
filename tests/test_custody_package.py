"""Evidence packages carry the platform's witness: checked offline, with no store, on both ends of a
transfer; a changed byte and a recomputed journal are both caught."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.services.context import AppContext
from officer_app.store.ledger import entry_hash
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_custody import _transfer
from tests.test_evidence_package import _rewrite


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _export(data: Path, out: Path) -> Path:
    from officer_app.services.evidence_package import export_package

    with AppContext.open(data) as ctx:
        case_id = ctx.store.scalar("SELECT id FROM cases ORDER BY created_at LIMIT 1")
        export_package(ctx, case_id, out)
    return out


def _check_elsewhere(tmp_path: Path, package: Path) -> tuple[int, dict[str, Any]]:
    """``check-package`` in a fresh process on an empty data dir: no store, no pinned key."""
    empty = tmp_path / "court"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(empty),
            "evidence",
            "check-package",
            str(package),
            "--json",
        ],
        capture_output=True,
        timeout=120,
    )
    assert not (empty / "officer_app.sqlite3").exists()
    assert done.stdout.strip(), done.stderr.decode()
    return done.returncode, json.loads(done.stdout)


def _kinds(result: dict[str, Any]) -> set[str]:
    return {p["kind"] for p in result["problems"]}


def test_packages_of_both_agencies_check_offline_and_catch_changes(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp, wj, _tid = _transfer(tmp_path, platform, capsys)
    with AppContext.open(qp) as ctx:
        fingerprint = ctx.store.scalar("SELECT fingerprint FROM witness_keys")
    for name, data in (("sender", qp), ("receiver", wj)):
        package = _export(data, tmp_path / f"{name}.zip")
        code, result = _check_elsewhere(tmp_path, package)
        assert code == 0 and result["ok"], result["problems"]
        witness = result["witness"]
        assert witness["key_fingerprints"] == [fingerprint]
        assert witness["witnessed_heads"] >= 1 and witness["unwitnessed_entries"] == []
        with zipfile.ZipFile(package) as zf:
            lines = zf.read("ledger.jsonl").decode().splitlines()
        full = [e for e in map(json.loads, lines) if e["full"]]
        assert witness["witnessed_entries"] == len(full) >= 3  # every entry of the case
        if name == "receiver":
            assert witness["received_checked"] == 2

        # one byte of the package changed: caught
        raw = bytearray(package.read_bytes())
        with zipfile.ZipFile(package) as zf:
            info = zf.getinfo("custody/witness.json")
        raw[info.header_offset + 30 + len(info.filename) + 5] ^= 0x01
        flipped = tmp_path / f"{name}-flipped.zip"
        flipped.write_bytes(bytes(raw))
        code, result = _check_elsewhere(tmp_path, flipped)
        assert code == 1 and result["problems"], result


def test_a_recomputed_journal_in_a_package_is_caught_by_the_witness(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """Whoever holds the package edits an entry, recomputes the chain with the public
    ``entry_hash`` and rewrites SHA256SUMS: the hashes, links and sums all agree again, but the
    platform witnessed the original entry."""
    qp, _wj, _tid = _transfer(tmp_path, platform, capsys)
    package = _export(qp, tmp_path / "sender.zip")
    with zipfile.ZipFile(package) as zf:
        ledger = [json.loads(line) for line in zf.read("ledger.jsonl").decode().splitlines()]
        manifest = json.loads(zf.read("manifest.json"))
        members = {n: zf.read(n) for n in zf.namelist()}
    target = next(e for e in ledger if e.get("full") and e["kind"] == "evidence_intake")
    payload = json.loads(target["payload"])
    payload["lat"] = 31.0
    target["payload"] = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    prev = None
    for e in ledger:
        if prev is not None:
            e["prev_hash"] = prev
        if e["seq"] >= target["seq"] and e.get("full"):
            e["hash"] = entry_hash(
                e["seq"],
                e["kind"],
                e["entity_id"],
                e["payload"],
                e["officer_id"],
                e["at"],
                e["prev_hash"],
            )
        prev = e["hash"]
    manifest["ledger"]["last_hash"] = ledger[-1]["hash"]
    members["ledger.jsonl"] = "".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ledger
    ).encode()
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    members["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(d).hexdigest()}  {n}\n"
        for n, d in sorted(members.items())
        if n != "SHA256SUMS"
    ).encode()
    forged = tmp_path / "forged.zip"
    _rewrite(package, forged, members)
    code, result = _check_elsewhere(tmp_path, forged)
    assert code == 1
    assert _kinds(result) == {"custody_entry"}, result["problems"]
    assert {p["ref"] for p in result["problems"]} >= {str(target["seq"])}
