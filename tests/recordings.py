"""Real recordings made by a real encoder (PyAV's bundled FFmpeg), with metadata we control."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import av
from PIL import Image

BODY_CAM_TIME = "2026-11-20T01:02:03.000000Z"  # 09:02:03 in Shanghai
XYZ = "+31.0135+120.8370/"  # 青浦 area, ISO 6709 as QuickTime ©xyz and 3GPP loci carry it


def _video_frames(n: int, size: tuple[int, int], seed: int) -> list[av.VideoFrame]:
    frames = []
    for i in range(n):
        img = Image.new("RGB", size, ((seed * 40 + i * 8) % 256, (i * 5) % 256, 90))
        frames.append(av.VideoFrame.from_image(img))
    return frames


def _envelope(t: float) -> float:
    """Loud and soft in turn, like speech, so a waveform has a shape to draw."""
    return 8000 * (0.15 + 0.85 * abs(math.sin(math.pi * 0.7 * t)))


def _tone(rate: int, samples: int, start: int, pitch: float = 440.0) -> av.AudioFrame:
    frame = av.AudioFrame(format="s16", layout="mono", samples=samples)
    pcm = struct.pack(
        f"<{samples}h",
        *(
            int(_envelope((start + k) / rate) * math.sin(2 * math.pi * pitch * (start + k) / rate))
            for k in range(samples)
        ),
    )
    frame.planes[0].update(pcm)
    frame.sample_rate = rate
    frame.pts = start
    return frame


def make_recording(
    path: Path,
    *,
    fmt: str | None = None,
    video: str | None = "libx264",
    audio: str | None = None,
    metadata: dict[str, str] | None = None,
    seconds: float = 2.0,
    fps: int = 10,
    size: tuple[int, int] = (160, 120),
    rate: int = 8000,
    seed: int = 0,
) -> Path:
    """Encode ``seconds`` of video and/or a tone into ``path`` with container ``metadata``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        vstream = astream = None
        if video:
            vstream = out.add_stream(video, rate=fps)
            vstream.width, vstream.height = size
            vstream.pix_fmt = "yuv420p"
        if audio:
            astream = out.add_stream(audio, rate=rate)
            astream.layout = "mono"
        if vstream is not None:
            for frame in _video_frames(int(seconds * fps), size, seed):
                out.mux(vstream.encode(frame.reformat(format="yuv420p")))
            out.mux(vstream.encode())
        if astream is not None:
            per = astream.codec_context.frame_size or 1024
            for start in range(0, int(seconds * rate), per):
                out.mux(astream.encode(_tone(rate, per, start, 440 + seed)))
            out.mux(astream.encode())
    return path


def body_cam_mp4(path: Path, *, seed: int = 0, seconds: float = 2.0) -> Path:
    """An MP4 like a phone's: H.264 + AAC, creation time, 3GPP ``loci`` position."""
    return make_recording(
        path,
        audio="aac",
        rate=16000,
        metadata={"creation_time": BODY_CAM_TIME, "location": XYZ},
        seed=seed,
        seconds=seconds,
    )


def nmea_log(
    path: Path,
    start_utc: tuple[int, int, int],
    lat: float,
    lon: float,
    *,
    n: int = 5,
    step: float = 1e-4,
) -> Path:
    """A camera's GPS log: RMC + GGA once a second for ``n`` s (northward by ``step`` degrees a
    second), checksums right, one garbled line."""

    def coord(value: float, width: int) -> str:
        deg = int(abs(value))
        return f"{deg:0{width}d}{(abs(value) - deg) * 60:07.4f}"

    def sentence(body: str) -> str:
        check = 0
        for ch in body:
            check ^= ord(ch)
        return f"${body}*{check:02X}"

    h, m, s = start_utc
    lines = []
    for k in range(n):
        t = f"{h:02d}{m:02d}{s + k:02d}.00"
        la, lo = coord(lat + k * step, 2), coord(lon, 3)
        lines.append(sentence(f"GPRMC,{t},A,{la},N,{lo},E,0.5,90.0,201126,,,A"))
        lines.append(sentence(f"GPGGA,{t},{la},N,{lo},E,1,08,0.9,12.5,M,0.0,M,,"))
    lines.insert(3, "$GPRMC,garbled*00")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    return path
