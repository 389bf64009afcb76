"""The recording half of evidence import: stream, hash, read, and shape the row.

Photos are small and read into memory once; a body camera's recording can be several GB, so it is
copied into the store's staging area in 1 MiB pieces while the one SHA-256 routine hashes the same
buffer (one read of the original, flat memory), fsynced, noted for ``verify`` (store/blobs.py),
and read back for its metadata from the staged copy, i.e. from exactly the bytes whose hash is
recorded.  The row, ledger entry and outbox
entry then follow the same path as a photo's in :mod:`officer_app.services.evidence_import`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from officer_app.fileguard import display_path
from officer_app.media.hashing import copy_and_hash, sha256_bytes
from officer_app.media.recording import RecordingMetadata, find_sidecar, read_recording_metadata
from officer_app.media.recording_sniff import Sniffed
from officer_app.services.recording_path import encode
from officer_app.store.blobs import BlobStore, Staged
from officer_app.store.db import Store

log = logging.getLogger(__name__)

EVIDENCE_TYPE_AUDIOVISUAL = "视听资料"  # 行政处罚法 §46: recordings are audio-visual material


def stage_recording(
    path: Path,
    source: BinaryIO,
    sniffed: Sniffed,
    blobs: BlobStore,
    *,
    note: dict[str, Any],
    default_tz: str,
    now: datetime,
    tolerance_min: float,
    stop: Callable[[], bool] | None = None,
) -> tuple[Staged, RecordingMetadata]:
    """Copy+hash ``source`` (the original, opened as a regular file) into staging with its intake
    note, then read the metadata from the staged copy.

    The GPS log beside the original (``X.NMEA`` next to ``X.MP4``) is looked up by the original's
    name; the staged copy has none.  ``stop`` cancels mid-copy (:class:`CopyCancelled`): the
    partial copy is removed by the store and no note is left.
    """
    staged = blobs.stage_stream(
        lambda dst: copy_and_hash(source, dst, stop=stop), display_path(path), note=note
    )

    def read(copy: Path) -> RecordingMetadata:
        return read_recording_metadata(
            copy,
            sniffed,
            default_tz=default_tz,
            now=now,
            sidecar=find_sidecar(path),
            gps_clock_tolerance_min=tolerance_min,
        )

    try:
        try:
            meta = read(staged.path)
        except FileNotFoundError:
            # The same bytes twice in one import (a copy of the file under another name): both
            # workers staged to the one name ``<sha256>.<run>.part`` and the first file's commit
            # has moved it meanwhile.  The stored original is those very bytes.
            if not blobs.has(staged.sha256):
                raise
            meta = read(blobs.path_for(staged.sha256))
    except BaseException:
        blobs.discard_staged(staged)
        blobs.clear_intake(staged.sha256, mine_only=True)
        raise
    return staged, meta


def read_stored_recording(
    stored: Path,
    sniffed: Sniffed,
    note: dict[str, Any],
    *,
    default_tz: str,
    now: datetime,
    tolerance_min: float,
) -> RecordingMetadata:
    """The metadata of a recording an interrupted import had stored (``verify --repair``): read
    as at import, with the GPS log beside the original if the note names one still there."""
    source = note.get("source")
    sidecar = find_sidecar(Path(source)) if isinstance(source, str) and source else None
    return read_recording_metadata(
        stored,
        sniffed,
        default_tz=default_tz,
        now=now,
        sidecar=sidecar,
        gps_clock_tolerance_min=tolerance_min,
    )


def recording_columns(meta: RecordingMetadata, taken_utc: str | None) -> dict[str, Any]:
    """The evidence columns a recording fills (the shared ones are set by the importer)."""
    return {
        "kind": meta.kind,
        "evidence_type": EVIDENCE_TYPE_AUDIOVISUAL,
        "format": meta.format,
        "duration_s": meta.duration_s,
        "codec": meta.codec,
        "taken_at": meta.taken_at,
        "taken_at_utc": taken_utc,
        "taken_at_source": meta.taken_at_source,
        "subsec": None,
        "gps_datetime": None,
        "lat": meta.lat,
        "lon": meta.lon,
        "alt": meta.alt,
        "direction": None,
        "datum": "wgs84" if meta.has_position else None,
        "position_source": meta.position_source,
        "path_points": encode(meta.path),
        "path_source": meta.path_source,
        "make": meta.make,
        "model": meta.model,
        "orientation": None,
        "width": meta.width,
        "height": meta.height,
    }


@contextmanager
def gps_log_stored(
    store: Store, blobs: BlobStore, meta: RecordingMetadata, intake: dict[str, Any]
) -> Iterator[dict[str, Any] | None]:
    """Store the GPS log read beside the recording (content-addressed, fsynced) before the rows
    that point at it commit, and name it in the intake entry; yields its ``evidence_gps_logs``
    record.  When the block fails (the row did not commit) the log is taken back unless
    another row links the same bytes."""
    gps = meta.gps_log
    if gps is None:
        yield None
        return
    sha = sha256_bytes(gps.data)
    blobs.put(gps.data, sha)
    record = {
        "sha256": sha,
        "original_name": display_path(gps.name),
        "size": len(gps.data),
        "format": gps.format,
    }
    intake["gps_log"] = record
    try:
        yield record
    except BaseException:
        try:
            linked = store.scalar("SELECT 1 FROM evidence_gps_logs WHERE sha256 = ?", [sha])
        except Exception:  # any doubt keeps the file
            linked = True
        if linked is None:
            blobs.discard(sha)
        raise


__all__ = [
    "EVIDENCE_TYPE_AUDIOVISUAL",
    "gps_log_stored",
    "read_stored_recording",
    "recording_columns",
    "stage_recording",
]
