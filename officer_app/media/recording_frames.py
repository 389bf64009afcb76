"""Pictures of a recording for the grid and the detail pane: poster frame, frame strip, waveform.

Display copies only, like :mod:`officer_app.media.thumbnails`; the recording is never modified.
Frames are found by seeking to keyframes (a few reads of a multi-GB file, not a decode of it) and
decoded at their own size, then scaled.  A frame whose declared size exceeds Pillow's pixel limit
is not decoded (a forged header must not make the app allocate gigabytes).  A recording FFmpeg
cannot open still gets a tile (a drawn film or sound symbol), so the grid never shows a hole.
"""

from __future__ import annotations

import io
import logging
from array import array
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from officer_app.media.errors import CorruptImage, DecompressionBomb

log = logging.getLogger(__name__)

_BACKGROUND = (38, 42, 48)
_WAVE = (90, 170, 230)
_WAVE_RATE = 8000  # speech band kept; the envelope is taken at this rate, not after it
_WAVE_BLOCK = 200  # one peak per 25 ms: a 600 px image of a 15 s note still has 1 peak/px
_WAVE_MAX_S = 30 * 60  # longer audio: the first half hour is drawn, the duration says the rest


def _open(path: Path) -> Any:
    import av  # lazy: see media/recording.py

    return av.open(str(path), metadata_errors="ignore")


def _errors() -> tuple[type[BaseException], ...]:
    import av

    return (av.FFmpegError, OSError, ValueError, MemoryError)


def _jpeg(img: Image.Image, quality: int = 82) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _check_size(stream: Any, label: str) -> None:
    w, h = stream.codec_context.width or 0, stream.codec_context.height or 0
    if w <= 0 or h <= 0:
        raise CorruptImage(f"{label}: video stream without a size")
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and w * h > limit:
        raise DecompressionBomb(f"{label}: video frame {w}x{h} over the pixel limit")


def _frame_at(container: Any, stream: Any, seconds: float) -> Image.Image | None:
    """The first decodable frame at or after the keyframe before ``seconds``."""
    try:
        if seconds > 0 and stream.time_base:
            container.seek(int(seconds / stream.time_base), stream=stream, any_frame=False)
        for frame in container.decode(stream):
            image: Image.Image = frame.to_image()
            return image
    except _errors() as exc:
        log.info("no frame at %.1f s: %s", seconds, exc)
    return None


def _duration(container: Any) -> float:
    micros: int | None = container.duration  # PyAV: microseconds, None when unknown
    if micros:
        return micros / 1_000_000
    return 0.0


def _placeholder(side: int, kind: str) -> Image.Image:
    """A tile for a recording whose pictures cannot be read: a play or a speaker symbol."""
    w, h = side, side * 3 // 4
    img = Image.new("RGB", (w, h), _BACKGROUND)
    draw = ImageDraw.Draw(img)
    cx, cy, r = w // 2, h // 2, h // 5
    if kind == "audio":
        for i, bar in enumerate((0.3, 0.7, 1.0, 0.6, 0.9, 0.4, 0.8, 0.5, 0.2)):
            x = cx - r * 2 + i * r // 2
            draw.line([(x, cy - bar * r), (x, cy + bar * r)], fill=_WAVE, width=max(2, r // 6))
    else:
        draw.polygon([(cx - r // 2, cy - r), (cx - r // 2, cy + r), (cx + r, cy)], fill=_WAVE)
    return img


def _play_badge(img: Image.Image) -> Image.Image:
    """A small play triangle in the corner, so a video never passes for a photo in the grid."""
    draw = ImageDraw.Draw(img)
    s = max(12, img.height // 6)
    x0, y0 = 6, img.height - s - 6
    draw.ellipse([x0, y0, x0 + s, y0 + s], fill=(0, 0, 0))
    draw.polygon(
        [
            (x0 + s * 0.38, y0 + s * 0.28),
            (x0 + s * 0.38, y0 + s * 0.72),
            (x0 + s * 0.75, y0 + s / 2),
        ],
        fill=(255, 255, 255),
    )
    return img


def poster(path: Path, side: int, kind: str = "video") -> bytes:
    """A JPEG at most ``side`` wide: a frame from 10 % in (the first is often black), a
    waveform for audio, or a drawn tile when the recording cannot be read."""
    if kind == "audio":
        return waveform(path, side, side * 3 // 4)
    try:
        container = _open(path)
    except _errors() as exc:
        log.info("poster of %s: %s", path, exc)
        return _jpeg(_placeholder(side, "video"))
    with container:
        stream = next(iter(container.streams.video), None)
        if stream is None:
            return _jpeg(_placeholder(side, "audio"))
        _check_size(stream, str(path))
        img = _frame_at(container, stream, _duration(container) * 0.1)
    if img is None:
        return _jpeg(_placeholder(side, "video"))
    img.thumbnail((side, side))
    return _jpeg(_play_badge(img))


def frame_strip(path: Path, count: int = 6, height: int = 72) -> bytes | None:
    """``count`` frames evenly spread over the recording, side by side; ``None`` without video."""
    try:
        container = _open(path)
    except _errors() as exc:
        log.info("frame strip of %s: %s", path, exc)
        return None
    with container:
        stream = next(iter(container.streams.video), None)
        if stream is None:
            return None
        _check_size(stream, str(path))
        duration = _duration(container)
        frames = []
        for k in range(count):
            img = _frame_at(container, stream, duration * (k + 0.5) / count)
            if img is not None:
                img.thumbnail((height * 4, height))
                frames.append(img)
    if not frames:
        return None
    gap = 4
    strip = Image.new(
        "RGB", (sum(f.width for f in frames) + gap * (len(frames) - 1), height), _BACKGROUND
    )
    x = 0
    for f in frames:
        strip.paste(f, (x, (height - f.height) // 2))
        x += f.width + gap
    return _jpeg(strip)


def waveform(path: Path, width: int = 600, height: int = 120) -> bytes:
    """Peak envelope of the first audio stream (first half hour), drawn as a JPEG."""
    img = Image.new("RGB", (width, height), _BACKGROUND)
    try:
        container = _open(path)
    except _errors() as exc:
        log.info("waveform of %s: %s", path, exc)
        return _jpeg(_placeholder(width, "audio").resize((width, height)))
    import av

    peaks = array("h")
    with container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            return _jpeg(_placeholder(width, "video").resize((width, height)))
        resampler = av.AudioResampler(format="s16", layout="mono", rate=_WAVE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pcm = array("h", bytes(out.planes[0])[: out.samples * 2])
                    for i in range(0, len(pcm), _WAVE_BLOCK):
                        block = pcm[i : i + _WAVE_BLOCK]
                        peaks.append(min(32767, max(max(block), -min(block), 0)) if block else 0)
                if len(peaks) * _WAVE_BLOCK >= _WAVE_RATE * _WAVE_MAX_S:
                    break
        except _errors() as exc:
            log.info("waveform of %s stopped early: %s", path, exc)
    draw = ImageDraw.Draw(img)
    mid = height // 2
    draw.line([(0, mid), (width, mid)], fill=(70, 76, 84))
    if peaks:
        columns = min(width, len(peaks))
        loudest = max(1, max(peaks))
        for c in range(columns):
            chunk = peaks[c * len(peaks) // columns : (c + 1) * len(peaks) // columns] or [0]
            amp = max(chunk) / loudest
            x0, x1 = c * width // columns, max(c * width // columns, (c + 1) * width // columns - 1)
            draw.rectangle([(x0, mid - amp * (mid - 2)), (x1, mid + amp * (mid - 2))], fill=_WAVE)
    return _jpeg(img)


__all__ = ["frame_strip", "poster", "waveform"]
