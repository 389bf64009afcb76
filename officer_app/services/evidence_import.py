"""Import evidence photos and recordings: read once, hash, check, store the original, commit its row.

What a file is comes from its first bytes, never its name (a FIFO or a device is refused before a
byte is read).  A recording (video or audio) is streamed into the store's staging area while it
is hashed (:mod:`officer_app.services.recording_import`); a photo's bytes are read once and
hashed; then both follow the same path.  For each file: identical bytes already stored are
reported as a duplicate; the metadata reader accepts or rejects the file with a Chinese reason;
an intake note says what is being stored; the original is written durably into the
content-addressed store; then one transaction adds the evidence row, its ledger entry and its
outbox entry, and the note goes.  One bad file never stops the others; a full disk stops the
import, and everything committed before it stays.  What a kill leaves is named by ``verify`` and
finished by ``verify --repair`` (store/leftovers.py, services/repair.py), photos and recordings
alike.
"""

from __future__ import annotations

import itertools
import json
import logging
import platform
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from officer_app.domain.times import to_utc_iso
from officer_app.faults import fault_point
from officer_app.fileguard import (
    FileError,
    NotARegularFileError,
    display_path,
    file_error,
    open_regular,
)
from officer_app.media.errors import MediaError
from officer_app.media.exif import PhotoMetadata, read_photo_metadata
from officer_app.media.hashing import sha256_bytes, sha256_file
from officer_app.media.image_container import sniff_format
from officer_app.media.recording import RecordingMetadata
from officer_app.media.recording_sniff import RECORDING_SUFFIXES, sniff_recording
from officer_app.services import jurisdiction, settings
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.blobs import BlobStore, Staged
from officer_app.store.errors import DiskFullError, StoreError
from officer_app.store.leftovers import sweep
from officer_app.store.outbox import enqueue

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
    #: What an earlier, interrupted import left and this one cleaned up (store/leftovers.py).
    cleaned: list[dict[str, str]] = field(default_factory=list)

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
            "cleaned": self.cleaned,
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
    patrol_id: str | None = ctx.store.scalar(
        "SELECT id FROM patrols WHERE start_utc <= ? AND end_utc >= ?"
        " ORDER BY start_utc DESC LIMIT 1",
        [taken_utc, taken_utc],
    )
    return patrol_id


PREFETCH = 4  # files read, hashed and parsed ahead of the one being stored


@dataclass
class _Prepared:
    """A file after the work that needs no store: read, hashed, metadata parsed."""

    path: Path
    data: bytes = b""
    sha256: str | None = None
    meta: PhotoMetadata | None = None
    failure: FileOutcome | None = None
    staged: Staged | None = None  # a recording, already copied, hashed and noted in staging
    recording: RecordingMetadata | None = None
    size: int = 0  # a recording's (a photo's is len(data))
    cancelled: bool = False  # the officer cancelled while it was being copied: nothing kept


def _prepare(
    path: Path,
    default_tz: str,
    clock: Callable[[], Any],
    tolerance: float,
    blobs: BlobStore,
    note: dict[str, Any],
    stop: Cancelled | None = None,
) -> _Prepared:
    """Runs on a worker thread: hashing and most of the decoding release the GIL, so two cores
    overlap reading the next files with storing the current one.

    The file is opened once, as a regular file only (a FIFO or a device is refused, never waited
    on); a recording is streamed from that same handle, a photo read whole from it.
    """
    name = display_path(path)
    try:
        with open_regular(path) as fh:
            try:
                head = fh.read(_HEAD_BYTES)
                sniffed = None if sniff_format(head) else sniff_recording(head)
                if sniffed is not None:
                    fh.seek(0)
                    return _prepare_recording(
                        path, fh, sniffed, default_tz, clock, tolerance, blobs, note, stop
                    )
                if not head:
                    return _rejected(path, "文件是空的，没有任何数据", "empty_file")
                if sniff_format(head) is None:
                    return _unknown(path, head)
                data = head + fh.read()
            except OSError as exc:
                raise file_error(exc, path, "读取") from exc
    except NotARegularFileError as exc:
        log.warning("import: %s", exc.detail)
        return _Prepared(
            path, failure=FileOutcome(name, REJECTED, reason=exc.message_zh, reason_code=exc.code)
        )
    except FileError as exc:
        vanished = isinstance(exc.__cause__, FileNotFoundError)
        log.warning("import: cannot read %s: %s", name, exc.detail)
        return _Prepared(
            path,
            failure=FileOutcome(
                name,
                REJECTED,
                reason="文件已不存在（可能在导入过程中被移走）"
                if vanished
                else "无法读取该文件（权限不足或介质故障）",
                reason_code="vanished" if vanished else "unreadable",
            ),
        )
    sha = sha256_bytes(data)
    try:
        meta = read_photo_metadata(
            data, default_tz=default_tz, now=clock(), gps_clock_tolerance_min=tolerance
        )
    except MediaError as exc:
        log.info("import: rejected %s: %s", name, exc.detail)
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
        failure=FileOutcome(
            display_path(path), REJECTED, sha256=sha, reason=reason, reason_code=code
        ),
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
    source: BinaryIO,
    sniffed: Any,
    default_tz: str,
    clock: Callable[[], Any],
    tolerance: float,
    blobs: BlobStore,
    note: dict[str, Any],
    stop: Cancelled | None = None,
) -> _Prepared:
    """Stage a recording with its intake note (so a kill from here on leaves a leftover that
    ``verify`` explains and ``verify --repair`` registers), then read its metadata."""
    from officer_app.media.errors import UnreadableFile
    from officer_app.media.hashing import CopyCancelled
    from officer_app.services.recording_import import stage_recording

    now = clock()
    note = {
        **note,
        "original_name": display_path(path.name),
        "source": display_path(path),
        "started_at": now.isoformat(timespec="seconds"),
    }
    try:
        staged, meta = stage_recording(
            path,
            source,
            sniffed,
            blobs,
            note=note,
            default_tz=default_tz,
            now=now,
            tolerance_min=tolerance,
            stop=stop,
        )
    except CopyCancelled as exc:
        log.info("import: cancelled while copying %s (%d bytes copied)", path, exc.copied)
        return _Prepared(path, cancelled=True)
    except UnreadableFile as exc:
        log.warning("import: cannot read %s: %s", path, exc.detail)
        return _rejected(path, "无法读取该文件（权限不足或介质故障）", "unreadable")
    except MediaError as exc:
        log.info("import: rejected %s: %s", path, exc.detail)
        return _rejected(path, exc.message_zh, exc.reason_code)
    return _Prepared(path, sha256=staged.sha256, staged=staged, recording=meta, size=staged.size)


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
    report = ImportReport(cleaned=_sweep(ctx, blobs))
    default_tz = settings.get(ctx.store, settings.DEFAULT_TIMEZONE)
    tolerance = settings.get(ctx.store, settings.GPS_CLOCK_TOLERANCE_MIN)
    device = platform.node()
    # What a recording's intake note says beyond its name (written by the worker that stages it).
    note = {
        "officer_id": officer.id,
        "patrol_id": patrol_id,
        "training": training,
        "device": device,
        "kind": "recording",
    }
    queue: deque[tuple[Path, Future[_Prepared]]] = deque()
    upcoming = iter(files)
    halt = threading.Event()  # set on any way out: a worker mid-copy stops within one chunk

    def stop() -> bool:
        return halt.is_set() or (cancelled is not None and cancelled())

    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="evidence-prepare")
    try:
        for index in range(len(files)):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            for path in itertools.islice(upcoming, PREFETCH - len(queue)):
                queue.append(
                    (
                        path,
                        pool.submit(
                            _prepare, path, default_tz, ctx.clock, tolerance, blobs, note, stop
                        ),
                    )
                )
            path, future = queue.popleft()
            if progress is not None:
                progress(index, len(files), path)
            try:
                prepared = future.result()  # a full disk while staging a recording lands here
                if prepared.cancelled:  # cancelled mid-copy: the partial copy is gone, no row
                    report.cancelled = True
                    break
                outcome = _store_one(ctx, prepared, blobs, officer.id, patrol_id, training, device)
            except DiskFullError as exc:
                log.error("import stopped: %s", exc.detail)
                report.fatal = exc.message_zh
                outcome = FileOutcome(
                    display_path(path), REJECTED, reason=exc.message_zh, reason_code=exc.code
                )
            report.files.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            if report.fatal:
                break
    finally:
        halt.set()
        pool.shutdown(wait=True, cancel_futures=True)
        for _path, left in queue:  # prepared but never stored (cancelled, disk full)
            if left.done() and not left.cancelled() and left.exception() is None:
                staged = left.result().staged
                if staged is not None:
                    blobs.discard_staged(staged)
                    blobs.clear_intake(staged.sha256, mine_only=True)
        blobs.close()
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
    name = display_path(path)
    if sha is not None:
        existing = ctx.store.scalar("SELECT id FROM evidence WHERE sha256 = ?", [sha])
        if existing is not None:
            if prepared.staged is not None:
                blobs.discard_staged(prepared.staged)
                blobs.clear_intake(sha)  # a row holds these bytes: no note is news
            return FileOutcome(name, DUPLICATE, existing, sha, reason="相同文件已导入")
    if prepared.failure is not None:
        return prepared.failure
    assert sha is not None
    original_name = display_path(path.name)
    created = not blobs.has(sha)
    if prepared.recording is None:  # a recording's note was written when it was staged
        blobs.note_intake(
            sha,
            {
                "original_name": original_name,
                "source": name,
                "officer_id": officer_id,
                "patrol_id": patrol_id,
                "training": training,
                "device": device,
                "started_at": ctx.now_iso(),
            },
        )
    try:
        if prepared.recording is not None:
            return _store_recording(
                ctx, prepared, blobs, original_name, officer_id, patrol_id, training, device
            )
        meta = prepared.meta
        assert meta is not None
        return _store_new(
            ctx,
            path,
            data,
            sha,
            meta,
            blobs,
            original_name,
            officer_id,
            patrol_id,
            training,
            device,
        )
    except BaseException:
        # Stopped short of a committed row (a full disk, a read-only or locked store): take back
        # the file this call stored and the note, so nothing is left for verify to puzzle over.
        # The original is untouched; a kill -9 gets no such chance and is what verify explains.
        if prepared.staged is not None:
            blobs.discard_staged(prepared.staged)
        if created and not _registered_or_unknown(ctx, sha):
            blobs.discard(sha)
        blobs.clear_intake(sha)
        raise


def _store_new(
    ctx: AppContext,
    path: Path,
    data: bytes,
    sha: str,
    meta: PhotoMetadata,
    blobs: BlobStore,
    original_name: str,
    officer_id: str,
    patrol_id: str | None,
    training: bool,
    device: str,
) -> FileOutcome:
    name = display_path(path)
    fault_point("import_after_note")
    blobs.put(data, sha)
    fault_point("import_before_commit")
    evidence_id = str(uuid.uuid4())
    taken_utc = _utc(meta)
    patrol = patrol_id or _patrol_for(ctx, taken_utc)
    code = jurisdiction.code_for(meta.lat, meta.lon)
    now = ctx.now_iso()
    row = {
        "id": evidence_id,
        "sha256": sha,
        "original_name": original_name,
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
        "original_name": original_name,
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
    blobs.clear_intake(sha)
    return FileOutcome(name, IMPORTED, evidence_id, sha, flags=list(meta.flags))


def _commit_row(
    ctx: AppContext,
    row: dict[str, Any],
    intake: dict[str, Any],
    officer_id: str,
    training: bool,
    gps_log: dict[str, Any] | None = None,
) -> None:
    """One transaction: the evidence row (with a recording's GPS log), its ledger entry and its
    outbox entry."""
    with ctx.store.transaction() as db:
        db.table("evidence").insert(row)
        if gps_log is not None:
            db.table("evidence_gps_logs").insert({"evidence_id": row["id"], **gps_log})
        ledger.append(ctx.store, "evidence_intake", row["id"], intake, officer_id=officer_id)
        enqueue(ctx.store, "evidence", row["id"], "create", intake, training=training)


def _store_recording(
    ctx: AppContext,
    prepared: _Prepared,
    blobs: BlobStore,
    original_name: str,
    officer_id: str,
    patrol_id: str | None,
    training: bool,
    device: str,
) -> FileOutcome:
    """Commit the staged file to its address (unless ``verify --repair`` registers one already
    stored), then the row (same shape as a photo's), then drop the note."""
    from officer_app.services.recording_import import gps_log_stored, recording_columns
    from officer_app.services.recording_path import from_patrol_tracks, ledger_fields

    meta, sha, size = prepared.recording, prepared.sha256, prepared.size
    assert meta is not None and sha is not None
    if prepared.staged is not None:
        blobs.commit(prepared.staged)
    fault_point("import_before_commit")
    evidence_id = str(uuid.uuid4())
    taken_utc = _utc(meta)
    row = {
        "id": evidence_id,
        "sha256": sha,
        "original_name": original_name,
        "size": size,
        **recording_columns(meta, taken_utc),
        "flags": json.dumps(list(meta.flags)),
        "raw_tags": json.dumps(meta.raw_tags, ensure_ascii=False),
        "patrol_id": patrol_id or _patrol_for(ctx, taken_utc),
        "imported_by": officer_id,
        "imported_at": ctx.now_iso(),
        "device": device,
        "training": int(training),
    }
    row.update(from_patrol_tracks(ctx.store, row))  # no GPS log beside it: the patrol's track
    code = row["jurisdiction_code"] = jurisdiction.code_for(row["lat"], row["lon"])
    intake = {
        "sha256": sha,
        "original_name": original_name,
        "size": size,
        "officer_id": officer_id,
        "device": device,
        "kind": meta.kind,
        "duration_s": meta.duration_s,
        "taken_at": meta.taken_at,
        "lat": row["lat"],
        "lon": row["lon"],
        "datum": row["datum"],
        "jurisdiction_code": code,
        **ledger_fields(row["path_points"]),
    }
    with gps_log_stored(ctx.store, blobs, meta, intake) as gps_log:  # evidence of its own
        _commit_row(ctx, row, intake, officer_id, training, gps_log)
    blobs.clear_intake(sha)
    return FileOutcome(
        display_path(prepared.path),
        IMPORTED,
        evidence_id,
        sha,
        reason=meta.problem_zh,
        flags=list(meta.flags),
        kind=meta.kind,
    )


def _registered_or_unknown(ctx: AppContext, sha: str) -> bool:
    """Whether a row (another import's, meanwhile) points at ``sha``; True when the store cannot
    say, since a file is only ever taken back when nothing can need it."""
    try:
        return ctx.store.scalar("SELECT 1 FROM evidence WHERE sha256 = ?", [sha]) is not None
    except Exception:  # any doubt keeps the file
        return True


def _sweep(ctx: AppContext, blobs: BlobStore) -> list[dict[str, str]]:
    """Before importing: finish or remove what an interrupted import left (never a whole copy).

    A store that cannot be written is the import's problem to report, not the sweep's.
    """

    def registered(sha: str) -> bool:
        return ctx.store.scalar("SELECT 1 FROM evidence WHERE sha256 = ?", [sha]) is not None

    try:
        return sweep(blobs, registered)
    except (OSError, StoreError) as exc:
        log.warning("import: leftovers of an earlier import not cleaned: %s", exc)
        return []


def register_stored(
    ctx: AppContext, blobs: BlobStore, sha: str, note: dict[str, Any]
) -> FileOutcome:
    """Finish an interrupted import from the file it had already stored, as the note says.

    The same steps as importing the original again (metadata, row, ledger, outbox), so the result
    cannot be told from a rerun; the officer and patrol of the note are kept when they still
    exist.  A photo or a recording: the stored bytes decide, as at import.  A recording's GPS log
    is looked up beside the original the note names, if it is still there (the store keeps
    only the recording).
    """
    path = blobs.path_for(sha)
    with open_regular(path) as fh:
        head = fh.read(_HEAD_BYTES)
    sniffed = None if sniff_format(head) else sniff_recording(head)
    if sniffed is None:
        data = path.read_bytes()
        actual = sha256_bytes(data)
    else:
        data, actual = b"", sha256_file(path)  # streamed: a recording may be several GB
    if actual != sha:
        raise StoreError("该文件内容与其名称不符，未登记。", f"{path}: content is not {sha}")
    officer = require_officer(ctx)
    officer_id = note.get("officer_id")
    if not ctx.store.scalar("SELECT 1 FROM officers WHERE id = ?", [officer_id]):
        officer_id = officer.id
    patrol_id = note.get("patrol_id")
    if patrol_id and not ctx.store.scalar("SELECT 1 FROM patrols WHERE id = ?", [patrol_id]):
        patrol_id = None
    default_tz = settings.get(ctx.store, settings.DEFAULT_TIMEZONE)
    tolerance = settings.get(ctx.store, settings.GPS_CLOCK_TOLERANCE_MIN)
    if sniffed is None:
        meta = read_photo_metadata(
            data, default_tz=default_tz, now=ctx.clock(), gps_clock_tolerance_min=tolerance
        )
        name = str(note.get("original_name") or f"{sha[:12]}.jpg")
        prepared = _Prepared(Path(name), data, sha, meta)
    else:
        from officer_app.services.recording_import import read_stored_recording

        recording = read_stored_recording(
            path,
            sniffed,
            note,
            default_tz=default_tz,
            now=ctx.clock(),
            tolerance_min=tolerance,
        )
        name = str(note.get("original_name") or f"{sha[:12]}.{sniffed.format.lower()}")
        prepared = _Prepared(Path(name), sha256=sha, recording=recording, size=path.stat().st_size)
    device = str(note.get("device") or platform.node())
    return _store_one(
        ctx, prepared, blobs, str(officer_id), patrol_id, bool(note.get("training")), device
    )
