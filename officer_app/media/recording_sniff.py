"""Which recording a file is, and whether its container is whole, from its bytes alone.

Body cameras, phones and voice recorders write a handful of containers.  The importer must decide
"photo or recording?" from the first bytes (extensions lie, and a multi-GB file must not be read
whole to find out), and must say when a recording is damaged even if FFmpeg would open it: a
camera whose battery died leaves an MP4 without its ``moov`` index, or an AVI whose RIFF size
promises more than the card holds.  Everything here is plain Python over at most a few KB of
header reads, so it runs without PyAV.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

KIND_VIDEO = "video"
KIND_AUDIO = "audio"

#: Suffixes a folder import collects as recordings (the bytes still decide what a file is).
# Not ".ts": in a folder that is more often TypeScript than a transport stream; a .ts file picked
# by name is still read, since the bytes decide.
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".3gp", ".3g2", ".avi", ".mkv", ".mts", ".m2ts"})
AUDIO_SUFFIXES = frozenset({".m4a", ".aac", ".amr", ".wav", ".mp3", ".awb"})
RECORDING_SUFFIXES = VIDEO_SUFFIXES | AUDIO_SUFFIXES

_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})
_QT_BRANDS = frozenset({b"qt  "})
_3GP_PREFIXES = (b"3gp", b"3g2", b"3ge", b"3gg")
# Top-level ISO BMFF boxes an old QuickTime file may start with (no ftyp).
_QT_FIRST_BOXES = frozenset({b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"})
_MAX_BOXES = 10_000  # a file with more top-level boxes than this is junk, not a recording


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the header says: ``kind`` is a first guess (an MP4 may hold only audio)."""

    kind: str
    format: str  # shown to the officer: MP4, QuickTime, 3GP, M4A, AVI, Matroska, MPEG-TS, ...
    family: str  # "isobmff" | "riff" | "other": which damage check applies


def sniff_recording(head: bytes) -> Sniffed | None:
    """Recording type from the first bytes (at least 16; 400 for MPEG-TS), or ``None``."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AUDIO_BRANDS:
            return Sniffed(KIND_AUDIO, "M4A", "isobmff")
        if brand in _QT_BRANDS:
            return Sniffed(KIND_VIDEO, "QuickTime", "isobmff")
        if brand.startswith(_3GP_PREFIXES):
            return Sniffed(KIND_VIDEO, "3GP", "isobmff")
        if brand in (b"avif", b"avis", b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim"):
            return None  # still images in the same box format
        return Sniffed(KIND_VIDEO, "MP4", "isobmff")
    if len(head) >= 8 and head[4:8] in _QT_FIRST_BOXES:
        return Sniffed(KIND_VIDEO, "QuickTime", "isobmff")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed(KIND_VIDEO, "AVI", "riff")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed(KIND_AUDIO, "WAV", "riff")
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return Sniffed(KIND_VIDEO, "Matroska", "other")
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return Sniffed(KIND_AUDIO, "AMR", "other")
    if head[:3] == b"ID3":
        return Sniffed(KIND_AUDIO, "MP3", "other")
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return Sniffed(KIND_AUDIO, "AAC", "other")  # ADTS: sync 0xFFF, layer 00
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return Sniffed(KIND_AUDIO, "MP3", "other")  # MPEG audio frame sync, layer I-III
    if _is_transport_stream(head):
        return Sniffed(KIND_VIDEO, "MPEG-TS", "other")
    return None


def _is_transport_stream(head: bytes) -> bool:
    """188-byte TS packets (or 192-byte M2TS/MTS packets with a 4-byte timestamp), twice."""
    for size, first in ((188, 0), (192, 4)):
        if len(head) >= first + 2 * size + 1 and all(
            head[first + i * size] == 0x47 for i in range(3)
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Damage:
    """What a header walk found: the index missing, or the file shorter than it says."""

    no_index: bool = False  # ISO BMFF without moov: nothing says where frames are
    truncated: bool = False  # a box or the RIFF chunk runs past the end of the file
    detail: str = ""


def _walk_isobmff(f: BinaryIO, size: int) -> Damage:
    pos = 0
    seen_moov = False
    for _ in range(_MAX_BOXES):
        if pos >= size:
            break
        f.seek(pos)
        header = f.read(16)
        if len(header) < 8:
            return Damage(not seen_moov, True, f"box header cut at offset {pos}")
        box_size, box_type = struct.unpack(">I4s", header[:8])
        if box_size == 1:
            if len(header) < 16:
                return Damage(not seen_moov, True, f"largesize cut at offset {pos}")
            box_size = struct.unpack(">Q", header[8:16])[0]
        elif box_size == 0:
            box_size = size - pos  # "to the end of the file"
        if box_size < 8:
            return Damage(not seen_moov, True, f"box {box_type!r} of size {box_size} at {pos}")
        if box_type == b"moov":
            seen_moov = True
        if pos + box_size > size:
            return Damage(
                not seen_moov,
                True,
                f"box {box_type!r} at {pos} declares {box_size} bytes, file has {size - pos}",
            )
        pos += box_size
    return Damage(not seen_moov, False, "" if seen_moov else "no moov box")


def check_container(path: str | os.PathLike[str], sniffed: Sniffed) -> Damage:
    """Walk the container's top level (a few reads, no payload) and report damage."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if sniffed.family == "isobmff":
            return _walk_isobmff(f, size)
        if sniffed.family == "riff":
            head = f.read(8)
            declared = struct.unpack("<I", head[4:8])[0] + 8 if len(head) == 8 else 0
            if declared > size:
                return Damage(False, True, f"RIFF declares {declared} bytes, file has {size}")
    return Damage()


__all__ = [
    "AUDIO_SUFFIXES",
    "KIND_AUDIO",
    "KIND_VIDEO",
    "RECORDING_SUFFIXES",
    "VIDEO_SUFFIXES",
    "Damage",
    "Sniffed",
    "check_container",
    "sniff_recording",
]
