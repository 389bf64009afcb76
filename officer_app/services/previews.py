"""Thumbnails and previews of stored evidence, made lazily and cached under the data dir.

The original is never touched: cached images are derived files, written atomically and safe to
delete at any time.
"""

from __future__ import annotations

from pathlib import Path

from officer_app.fileio import write_bytes_atomic
from officer_app.paths import DataDir
from officer_app.store.blobs import BlobStore

THUMB_SIDE = 256
PREVIEW_SIDE = 1600


def _recording_kind(source: Path) -> str | None:
    """``video``/``audio`` when the stored bytes are a recording (decided by magic, cheaply)."""
    from officer_app.media.recording_sniff import sniff_recording

    with source.open("rb") as f:
        sniffed = sniff_recording(f.read(1024))
    return None if sniffed is None else sniffed.kind


def _cached(data: DataDir, sha256: str, kind: str, side: int, min_side: int = 0) -> Path:
    from officer_app.media.thumbnails import make_preview, make_thumbnail

    target = data.cache_dir / kind / sha256[:2] / f"{sha256}.jpg"
    if target.is_file():
        return target
    source = BlobStore(data.evidence_dir).path_for(sha256)
    recording = _recording_kind(source)
    if recording is not None:
        from officer_app.media.recording_frames import poster

        image = poster(source, side, recording)
    elif kind.startswith("thumbs"):
        image = make_thumbnail(source, side, min_side=min_side)
    else:
        image = make_preview(source, side)
    write_bytes_atomic(target, image, durable=False)  # a cache: safe to lose, never half-written
    return target


def thumbnail(data: DataDir, sha256: str, *, scale: int = 1) -> Path:
    """The grid's thumbnail; ``scale`` 2 (a high-DPI screen) makes one twice as large, decoded
    from the photo when the camera's embedded thumbnail is too small to stay sharp."""
    if scale <= 1:
        return _cached(data, sha256, "thumbs", THUMB_SIDE)
    return _cached(data, sha256, "thumbs@2x", THUMB_SIDE * 2, min_side=THUMB_SIDE + 64)


def preview(data: DataDir, sha256: str) -> Path:
    return _cached(data, sha256, "previews", PREVIEW_SIDE)


def frame_strip(data: DataDir, sha256: str) -> Path | None:
    """A strip of frames across a video for the detail pane (cached); ``None`` for audio or a
    recording without readable pictures."""
    from officer_app.media.recording_frames import frame_strip as make_strip

    target = data.cache_dir / "strips" / sha256[:2] / f"{sha256}.jpg"
    if target.is_file():
        return target
    source = BlobStore(data.evidence_dir).path_for(sha256)
    if _recording_kind(source) != "video":
        return None
    image = make_strip(source)
    if image is None:
        return None
    write_bytes_atomic(target, image, durable=False)
    return target


def playable(data: DataDir, sha256: str, original_name: str) -> Path:
    """A path the system's player can open: the stored file under its original extension.

    The store names files by hash alone, and players choose a demuxer by extension.  A hard link
    in the cache gives the same read-only bytes a name without copying gigabytes; where links are
    impossible (another volume) it is copied once.  Either way the evidence itself is untouched.
    """
    import os
    import shutil

    from officer_app import portable

    suffix = Path(original_name).suffix.lower()[:8]
    target = data.cache_dir / "play" / f"{sha256}{suffix}"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    source = BlobStore(data.evidence_dir).path_for(sha256)
    try:
        os.link(source, target)
    except OSError:
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(source, tmp)
        portable.replace(tmp, target)  # Windows: a player may hold a previous copy open
    return target
