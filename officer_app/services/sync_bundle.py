"""Sync by USB stick: everything not yet synced, in one integrity-checked file.

For squads without network for days. The bundle is a ZIP holding exactly what a push would send
(``entries.jsonl``: the outbox entries in wire form, with their idempotency keys), the files they
need (``blobs/<sha256>``), the ledger segment since the oldest unsynced entry (``ledger.jsonl``, for
the platform's audit), and ``manifest.json`` naming every member with its SHA-256 and size;
``manifest.sha256`` guards the manifest itself. The platform verifies all of it before applying
anything (:mod:`officer_app.platform.bundle_import`) and applies entries through the same
idempotent push, so importing twice, or syncing afterwards, never duplicates anything: the next
sync is told "duplicate" and marks the entries sent.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

from officer_app.errors import ValidationError
from officer_app.fileio import staged_file
from officer_app.media.hashing import CHUNK_SIZE
from officer_app.services import sync_witness
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.services.sync_run import blob_source
from officer_app.store import sync_state
from officer_app.sync import wire
from officer_app.sync.errors import SyncError

FORMAT, VERSION = "officer-app-sync-bundle", 1
MANIFEST, MANIFEST_SUM = "manifest.json", "manifest.sha256"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add_file(zf: zipfile.ZipFile, name: str, path: Path, sha: str) -> int:
    """Stream one stored file into the bundle in 1 MiB pieces, hashing what is written (memory
    stays flat for a multi-GB recording); a file whose bytes no longer match its name stops the
    export, and the half-written bundle never gets its final name."""
    info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED  # photos and video are compressed already
    info.file_size = path.stat().st_size  # lets zipfile choose ZIP64 for a file over 2 GB
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as src, zf.open(info, "w") as dst:
        while chunk := src.read(CHUNK_SIZE):
            h.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    if h.hexdigest() != sha:
        raise SyncError("本机证据文件已损坏，无法导出。", f"blob {sha} corrupt on disk")
    return size


def export_bundle(ctx: AppContext, out: Path) -> dict[str, Any]:
    """Write the bundle to ``out`` (atomically: a half-written file never has the final name)."""
    officer = require_officer(ctx)
    rows = ctx.store.query("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq")
    if not rows:
        raise ValidationError("没有尚未同步的记录，无需导出同步包。", "outbox empty")
    entries = [wire.entry(r) for r in rows]
    shas = sorted({sha for e in entries for sha in e["blobs"]})
    oldest = rows[0]["created_at"]
    ledger = ctx.store.query("SELECT * FROM ledger WHERE at >= ? ORDER BY seq", [oldest])
    members: dict[str, dict[str, Any]] = {}
    total = 0
    with staged_file(out) as fh, zipfile.ZipFile(fh, "w") as zf:

        def add(name: str, data: bytes, compress: bool) -> None:
            nonlocal total
            method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=method)
            members[name] = {"sha256": _sha(data), "size": len(data)}
            total += len(data)

        lines = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
        add("entries.jsonl", lines.encode("utf-8"), True)
        for sha in shas:
            path = blob_source(ctx, sha)
            if path is None:
                raise SyncError("本机缺少该记录的证据文件，无法导出。", f"blob {sha} not stored")
            size = _add_file(zf, f"blobs/{sha}", path, sha)
            members[f"blobs/{sha}"] = {"sha256": sha, "size": size}
            total += size
        ledger_lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ledger)
        add("ledger.jsonl", ledger_lines.encode("utf-8"), True)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "bundle_id": str(uuid.uuid4()),
            "created_at": ctx.now_iso(),
            "client_id": sync_state.client_id(ctx.store),
            "agency": officer.agency_code,
            "officer_name": officer.name,
            "badge": officer.badge,
            "entries": len(entries),
            "blobs": shas,
            "ledger_seq": [ledger[0]["seq"], ledger[-1]["seq"]] if ledger else None,
            "witness": sync_witness.bundle_request(
                ctx
            ),  # the head the platform witnesses at import
            "members": members,
        }
        raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        zf.writestr(MANIFEST, raw)
        zf.writestr(MANIFEST_SUM, _sha(raw) + "\n")
    return {
        "path": str(out),
        "bundle_id": manifest["bundle_id"],
        "entries": len(entries),
        "blobs": len(shas),
        "bytes": out.stat().st_size,
        "payload_bytes": total,
    }
