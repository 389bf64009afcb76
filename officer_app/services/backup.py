"""Backup to one file and restore onto another laptop, verified before use.

The backup is a zip: a consistent snapshot of the store taken with SQLite's backup API (safe
while the app is running and writing), every evidence file the snapshot refers to (they are
immutable and content-addressed, so copying them after the snapshot is consistent too), the issued
documents, and a manifest with the SHA-256 of every member.  Restore unpacks into a fresh folder
beside the target, runs the full ``verify`` on it, and only then moves it into place: a damaged
backup never replaces a working store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from officer_app import __version__, portable
from officer_app.errors import UserFacingError
from officer_app.fileguard import check_input
from officer_app.fileio import staged_file
from officer_app.logs import release_log_files
from officer_app.media.hashing import sha256_file
from officer_app.paths import DataDir
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from officer_app.store.db import translate_errors

FORMAT = "officer-app-backup/1"
STORE_MEMBER = "store/officer_app.sqlite3"
Progress = Callable[[int, int], None]


class BackupError(UserFacingError):
    code = "backup"


def _snapshot(ctx: AppContext, target: Path) -> None:
    with translate_errors():
        dst = sqlite3.connect(target)
        try:
            ctx.store.conn.backup(dst)
        finally:
            dst.close()


def _evidence_in(snapshot: Path) -> list[str]:
    conn = sqlite3.connect(snapshot.as_uri() + "?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT sha256 FROM evidence ORDER BY sha256")]
    finally:
        conn.close()


def backup(ctx: AppContext, out: Path, *, progress: Progress | None = None) -> dict[str, Any]:
    """Write the store and its evidence into ``out`` (a zip), atomically."""
    out = out.resolve()
    blobs = BlobStore(ctx.data.evidence_dir)
    members: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="officer-app-backup-") as work:
        snapshot = Path(work) / "store.sqlite3"
        _snapshot(ctx, snapshot)
        shas = _evidence_in(snapshot)
        documents_dir = ctx.data.root / "documents"
        extra = sorted(documents_dir.rglob("*.pdf")) if documents_dir.is_dir() else []
        total = len(shas) + len(extra) + 1
        with (
            staged_file(out) as fh,
            zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
        ):
            zf.write(snapshot, STORE_MEMBER)
            members[STORE_MEMBER] = sha256_file(snapshot)
            for done, sha in enumerate(shas, start=1):
                source = blobs.path_for(sha)
                name = f"evidence/{sha[:2]}/{sha}"
                # Originals are stored compressed-as-is: JPEG does not deflate.
                zf.write(source, name, compress_type=zipfile.ZIP_STORED)
                members[name] = sha
                if progress is not None:
                    progress(done, total)
            for path in extra:
                name = "documents/" + path.relative_to(documents_dir).as_posix()
                zf.write(path, name, compress_type=zipfile.ZIP_STORED)
                members[name] = sha256_file(path)
            manifest = {
                "format": FORMAT,
                "app_version": __version__,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "evidence": len(shas),
                "members": members,
            }
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    if progress is not None:
        progress(total, total)
    return {
        "out": str(out),
        "evidence": len(shas),
        "documents": len(extra),
        "bytes": out.stat().st_size,
    }


def _check_members(zf: zipfile.ZipFile, manifest: dict[str, Any], into: Path) -> list[str]:
    problems = []
    for name, expected in manifest["members"].items():
        target = into / name
        if not target.resolve().is_relative_to(into.resolve()):
            problems.append(f"不安全的路径：{name}")
            continue
        try:
            zf.extract(name, into)
        except KeyError:
            problems.append(f"备份中缺少文件：{name}")
            continue
        if sha256_file(target) != expected:
            problems.append(f"备份中的文件已损坏：{name}")
    return problems


def restore(backup_file: Path, target_root: Path, *, force: bool = False) -> dict[str, Any]:
    """Unpack, verify completely, then move into ``target_root``; nothing changes on failure."""
    from officer_app.services import verify

    target = DataDir(target_root)
    if target.store_path.exists() and not force:
        raise BackupError(
            "目标数据目录中已有数据库。为防止覆盖现有数据，请换一个目录，或确认后加 --force。",
            f"{target.store_path} exists",
        )
    try:
        zf = zipfile.ZipFile(check_input(backup_file))  # a FIFO or device is refused
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(
            "无法读取备份文件（文件不存在或已损坏）。", f"{backup_file}: {exc}"
        ) from exc
    target_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=target_root.parent))
    try:
        with zf:
            try:
                manifest = json.loads(zf.read("manifest.json"))
            except (KeyError, ValueError) as exc:
                raise BackupError("备份文件缺少清单，不是本软件的备份。", str(exc)) from exc
            if manifest.get("format") != FORMAT:
                raise BackupError("备份格式不受支持。", f"format {manifest.get('format')!r}")
            problems = _check_members(zf, manifest, staging)
        if problems:
            raise BackupError("备份校验失败：" + "；".join(problems[:5]), "; ".join(problems))
        restored = DataDir(staging)
        (staging / "store").rename(staging / "_store")
        (staging / "_store" / "officer_app.sqlite3").rename(restored.store_path)
        (staging / "_store").rmdir()
        with AppContext.open(staging) as ctx:
            report = verify.verify(ctx)
        if not report["ok"]:
            raise BackupError(
                "备份中的证据或日志校验未通过，未恢复："
                + "；".join(p["message_zh"] for p in report["problems"][:5]),
                json.dumps(report["problems"], ensure_ascii=False),
            )
        for stale in ("logs", "cache"):
            _remove_quietly(staging / stale)
        if target.store_path.exists():  # only with --force: keep the old data dir aside, whole
            aside = target_root.with_name(target_root.name + ".before-restore")
            portable.remove_tree(aside)  # evidence in it is read-only: Windows needs the help
            # Windows cannot rename a folder while a file in it is open: our own log is.
            release_log_files(target_root)
            target_root.rename(aside)
        target_root.mkdir(parents=True, exist_ok=True)
        clash = [c.name for c in staging.iterdir() if (target_root / c.name).exists()]
        if clash:
            raise BackupError(
                "目标数据目录不是空的，未恢复。请换一个目录。", f"{target_root}: {clash} exist"
            )
        for child in staging.iterdir():
            child.rename(target_root / child.name)
        return {"data_dir": str(target_root), "verified": report}
    finally:
        _remove_quietly(staging)


def _remove_quietly(path: Path) -> None:
    """Staging left-overs: removed if possible, never the error the officer is told about."""
    with contextlib.suppress(OSError):
        portable.remove_tree(path)
