"""Import evidence photos and recordings: read once, hash, check, store the original, commit its row.

What a file is comes from its first bytes, never its name.  A recording (video or audio) is
streamed into the store while it is hashed (:mod:`officer_app.services.recording_import`); a
photo's bytes are read once and hashed; then both follow the same path.  For each file: identical bytes already stored are reported as a
duplicate; the metadata reader accepts or rejects the file with a Chinese reason; the original is
written durably into the content-addressed store; then one transaction adds the evidence row, its
ledger entry and its outbox entry.  One bad file never stops the others; a full disk stops the
import, and everything committed before it stays.
"""

from __future__ import annotations

import itertools
import json
import logging
import platform
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from officer_app.domain.times import to_utc_iso
from officer_app.media.errors import MediaError
from officer_app.media.exif import PhotoMetadata, read_photo_metadata
from officer_app.media.hashing import sha256_bytes
from officer_app.media.image_container import sniff_format
from officer_app.media.recording import RecordingMetadata
from officer_app.media.recording_sniff import RECORDING_SUFFIXES, sniff_recording
from officer_app.services import jurisdiction, settings
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.blobs import BlobStore, Staged
from officer_app.store.errors import DiskFullError
from officer_app.sync.outbox import enqueue

log = logging.getLogger(__name__)

IMPORTED, DUPLICATE, REJECTED = "imported", "duplicate", "rejected"
# .avif is read; .jxl is collected so the officer sees it refused by name, not silently skipped.
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png", ".heic", ".heif", ".avif", ".jxl"}
)
IMPORT_SUFFIXES = PHOTO_SUFFIXES | RECORDING_SUFFIXES
_HEAD_BYTES = 1024  # enough for every magic we sniff (MPEG-TS needs three 192-byte packets)

Progress = Callable[[int, int, Path], None]
Cancelled = Callable[[], bool]
OnOutcome = Callable[["FileOutcome"], None]


@dataclass
class FileOutcome:
    path: str
    outcome: str
    evidence_id: str | None = None
    sha256: str | None = None
    reason: str = ""
    reason_code: str = ""
    flags: list[str] = field(default_factory=list)
    kind: str = "photo"


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False
    fatal: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def exit_code(self) -> int:
        if self.fatal:
            return 1
        return 3 if self.count(REJECTED) or self.cancelled else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [asdict(f) for f in self.files],
            "imported": self.count(IMPORTED),
            "duplicate": self.count(DUPLICATE),
            "rejected": self.count(REJECTED),
            "cancelled": self.cancelled,
            "fatal": self.fatal or None,
        }


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly are all tried (the bytes decide); folders give photos and recordings."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def _utc(meta: PhotoMetadata | RecordingMetadata) -> str | None:
    taken = meta.taken_at_datetime
    return None if taken is None else to_utc_iso(taken)


def _patrol_for(ctx: AppContext, taken_utc: str | None) -> str | None:
    if taken_utc is None:
        return None
    return ctx.store.scalar(
        "SELECT id FROM patrols WHERE start_utc <= ? AND end_utc >= ?"
        " ORDER BY start_utc DESC LIMIT 1",
        [taken_utc, taken_utc],
    )


PREFETCH = 4  # files read, hashed and parsed ahead of the one being stored


@dataclass
class _Prepared:
    """A file after the work that needs no store: read, hashed, metadata parsed."""

    path: Path
    data: bytes = b""
    sha256: str | None = None
    meta: PhotoMetadata | None = None
    failure: FileOutcome | None = None
    staged: Staged | None = None  # a recording, already copied and hashed into staging
    recording: RecordingMetadata | None = None


def _prepare(
    path: Path, default_tz: str, clock: Callable[[], Any], tolerance: float, blobs: BlobStore
) -> _Prepared:
    """Runs on a worker thread: hashing and most of the decoding release the GIL, so two cores
    overlap reading the next files with storing the current one."""
    name = str(path)
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES)
        sniffed = None if sniff_format(head) else sniff_recording(head)
        if sniffed is not None:
            return _prepare_recording(path, sniffed, default_tz, clock, tolerance, blobs)
        if not head:
            return _rejected(path, "文件是空的，没有任何数据", "empty_file")
        if sniff_format(head) is None:
            return _unknown(path, head)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        log.warning("import: %s vanished: %s", path, exc)
        return _Prepared(
            path,
            failure=FileOutcome(
                name,
                REJECTED,
                reason="文件已不存在（可能在导入过程中被移走）",
                reason_code="vanished",
            ),
        )
    except OSError as exc:
        log.warning("import: cannot read %s: %s", path, exc)
        return _Prepared(
            path,
            failure=FileOutcome(
                name,
                REJECTED,
                reason="无法读取该文件（权限不足或介质故障）",
                reason_code="unreadable",
            ),
        )
    sha = sha256_bytes(data)
    try:
        meta = read_photo_metadata(
            data, default_tz=default_tz, now=clock(), gps_clock_tolerance_min=tolerance
        )
    except MediaError as exc:
        log.info("import: rejected %s: %s", path, exc.detail)
        return _Prepared(
            path,
            data,
            sha,
            failure=FileOutcome(
                name, REJECTED, sha256=sha, reason=exc.message_zh, reason_code=exc.reason_code
            ),
        )
    return _Prepared(path, data, sha, meta)


def _rejected(path: Path, reason: str, code: str, sha: str | None = None) -> _Prepared:
    return _Prepared(
        path,
        sha256=sha,
        failure=FileOutcome(str(path), REJECTED, sha256=sha, reason=reason, reason_code=code),
    )


def _unknown(path: Path, head: bytes) -> _Prepared:
    """Neither a photo nor a recording we know: say which, by the name the officer sees."""
    log.info("import: unknown content in %s: %s", path, head[:12].hex())
    if path.suffix.lower() in RECORDING_SUFFIXES:
        reason = f"不支持的录音录像格式（{path.suffix.lstrip('.').upper()} 文件的内容无法识别）"
        return _rejected(path, reason, "unsupported_recording")
    return _rejected(path, "不是可导入的照片或录音录像文件", "not_an_image")


def _prepare_recording(
    path: Path,
    sniffed: Any,
    default_tz: str,
    clock: Callable[[], Any],
    tolerance: float,
    blobs: BlobStore,
) -> _Prepared:
    from officer_app.media.errors import UnreadableFile
    from officer_app.services.recording_import import stage_recording

    try:
        staged, meta = stage_recording(
            path, sniffed, blobs, default_tz=default_tz, now=clock(), tolerance_min=tolerance
        )
    except UnreadableFile as exc:
        log.warning("import: cannot read %s: %s", path, exc.detail)
        return _rejected(path, "无法读取该文件（权限不足或介质故障）", "unreadable")
    except MediaError as exc:
        log.info("import: rejected %s: %s", path, exc.detail)
        return _rejected(path, exc.message_zh, exc.reason_code)
    return _Prepared(path, sha256=staged.sha256, staged=staged, recording=meta)


def import_files(
    ctx: AppContext,
    paths: Iterable[Path],
    *,
    patrol_id: str | None = None,
    training: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    on_outcome: OnOutcome | None = None,
) -> ImportReport:
    officer = require_officer(ctx)
    files = collect_paths(paths)
    blobs = BlobStore(ctx.data.evidence_dir)
    default_tz = settings.get(ctx.store, settings.DEFAULT_TIMEZONE)
    tolerance = settings.get(ctx.store, settings.GPS_CLOCK_TOLERANCE_MIN)
    device = platform.node()
    report = ImportReport()
    queue: deque[tuple[Path, Future[_Prepared]]] = deque()
    upcoming = iter(files)
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="evidence-prepare")
    try:
        for index in range(len(files)):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            for path in itertools.islice(upcoming, PREFETCH - len(queue)):
                queue.append(
                    (path, pool.submit(_prepare, path, default_tz, ctx.clock, tolerance, blobs))
                )
            path, future = queue.popleft()
            if progress is not None:
                progress(index, len(files), path)
            try:
                outcome = _store_one(
                    ctx, future.result(), blobs, officer.id, patrol_id, training, device
                )
            except DiskFullError as exc:
                log.error("import stopped: %s", exc.detail)
                report.fatal = exc.message_zh
                outcome = FileOutcome(
                    str(path), REJECTED, reason=exc.message_zh, reason_code=exc.code
                )
            report.files.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            if report.fatal:
                break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for _path, left in queue:  # prepared but never stored (cancelled, disk full)
            if left.done() and not left.cancelled() and left.exception() is None:
                staged = left.result().staged
                if staged is not None:
                    blobs.discard(staged)
    if progress is not None:
        progress(len(report.files), len(files), Path())
    return report


def _store_one(
    ctx: AppContext,
    prepared: _Prepared,
    blobs: BlobStore,
    officer_id: str,
    patrol_id: str | None,
    training: bool,
    device: str,
) -> FileOutcome:
    path, data, sha = prepared.path, prepared.data, prepared.sha256
    name = str(path)
    if sha is not None:
        existing = ctx.store.scalar("SELECT id FROM evidence WHERE sha256 = ?", [sha])
        if existing is not None:
            if prepared.staged is not None:
                blobs.discard(prepared.staged)
            return FileOutcome(name, DUPLICATE, existing, sha, reason="相同文件已导入")
    if prepared.failure is not None:
        return prepared.failure
    if prepared.recording is not None:
        return _store_recording(ctx, prepared, blobs, officer_id, patrol_id, training, device)
    meta = prepared.meta
    assert meta is not None and sha is not None
    blobs.put(data, sha)
    evidence_id = str(uuid.uuid4())
    taken_utc = _utc(meta)
    patrol = patrol_id or _patrol_for(ctx, taken_utc)
    code = jurisdiction.code_for(meta.lat, meta.lon)
    now = ctx.now_iso()
    row = {
        "id": evidence_id,
        "sha256": sha,
        "original_name": path.name,
        "size": len(data),
        "format": meta.format,
        "taken_at": meta.taken_at,
        "taken_at_utc": taken_utc,
        "taken_at_source": meta.taken_at_source,
        "subsec": meta.subsec,
        "gps_datetime": meta.gps_datetime,
        "lat": meta.lat,
        "lon": meta.lon,
        "alt": meta.alt,
        "direction": meta.direction,
        "datum": "wgs84" if meta.has_position else None,
        "position_source": "exif" if meta.has_position else None,
        "make": meta.make,
        "model": meta.model,
        "orientation": meta.orientation,
        "width": meta.width,
        "height": meta.height,
        "flags": json.dumps(list(meta.flags)),
        "raw_tags": json.dumps(meta.raw_tags, ensure_ascii=False),
        "jurisdiction_code": code,
        "patrol_id": patrol,
        "imported_by": officer_id,
        "imported_at": now,
        "device": device,
        "training": int(training),
    }
    intake = {
        "sha256": sha,
        "original_name": path.name,
        "size": len(data),
        "officer_id": officer_id,
        "device": device,
        "taken_at": meta.taken_at,
        "lat": meta.lat,
        "lon": meta.lon,
        "datum": row["datum"],
        "jurisdiction_code": code,
    }
    _commit_row(ctx, row, intake, officer_id, training)
    return FileOutcome(name, IMPORTED, evidence_id, sha, flags=list(meta.flags))


def _commit_row(
    ctx: AppContext, row: dict[str, Any], intake: dict[str, Any], officer_id: str, training: bool
) -> None:
    """One transaction: the evidence row, its ledger entry and its outbox entry."""
    with ctx.store.transaction() as db:
        db["evidence"].insert(row)
        ledger.append(ctx.store, "evidence_intake", row["id"], intake, officer_id=officer_id)
        enqueue(ctx.store, "evidence", row["id"], "create", intake, training=training)


def _store_recording(
    ctx: AppContext,
    prepared: _Prepared,
    blobs: BlobStore,
    officer_id: str,
    patrol_id: str | None,
    training: bool,
    device: str,
) -> FileOutcome:
    """Commit the staged file to its address, then the row (same shape as a photo's)."""
    from officer_app.services.recording_import import recording_columns

    meta, staged, path = prepared.recording, prepared.staged, prepared.path
    assert meta is not None and staged is not None
    blobs.commit(staged)
    evidence_id = str(uuid.uuid4())
    taken_utc = _utc(meta)
    code = jurisdiction.code_for(meta.lat, meta.lon)
    row = {
        "id": evidence_id,
        "sha256": staged.sha256,
        "original_name": path.name,
        "size": staged.size,
        **recording_columns(meta, taken_utc),
        "flags": json.dumps(list(meta.flags)),
        "raw_tags": json.dumps(meta.raw_tags, ensure_ascii=False),
        "jurisdiction_code": code,
        "patrol_id": patrol_id or _patrol_for(ctx, taken_utc),
        "imported_by": officer_id,
        "imported_at": ctx.now_iso(),
        "device": device,
        "training": int(training),
    }
    intake = {
        "sha256": staged.sha256,
        "original_name": path.name,
        "size": staged.size,
        "officer_id": officer_id,
        "device": device,
        "kind": meta.kind,
        "duration_s": meta.duration_s,
        "taken_at": meta.taken_at,
        "lat": meta.lat,
        "lon": meta.lon,
        "datum": row["datum"],
        "jurisdiction_code": code,
    }
    _commit_row(ctx, row, intake, officer_id, training)
    return FileOutcome(
        str(path),
        IMPORTED,
        evidence_id,
        staged.sha256,
        reason=meta.problem_zh,
        flags=list(meta.flags),
        kind=meta.kind,
    )
