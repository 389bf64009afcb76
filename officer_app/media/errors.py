"""Typed failures of the media layer.

The importer must tell an officer *why* a file was refused (so they can re-shoot or pick the
right file) and must tell the log *what* went wrong (so a developer can reproduce it).  Each
error therefore carries a stable ``reason_code`` (also exposed as ``code`` for the CLI and UI
translation table), a plain Simplified-Chinese ``message_zh`` and an English ``detail``.
They subclass the project's :class:`~officer_app.errors.UserFacingError`, so every front end
already knows how to show them.
"""

from __future__ import annotations

from officer_app.errors import UserFacingError


class MediaError(UserFacingError):
    """A photo or track file that cannot be accepted as it is."""

    code = "media"
    default_message_zh = "文件无法处理"

    def __init__(self, reason_code: str, message_zh: str | None = None, detail: str = "") -> None:
        msg = message_zh or self.default_message_zh
        super().__init__(msg, detail)
        self.reason_code = reason_code
        self.code = reason_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason_code!r}, {self.detail!r})"


class _FixedReason(MediaError):
    """Base for errors whose reason code is fixed by the class."""

    reason: str = "media"

    def __init__(self, detail: str = "", message_zh: str | None = None) -> None:
        super().__init__(self.reason, message_zh or self.default_message_zh, detail)


class NotAnImage(_FixedReason):
    """The bytes are not a supported image type (decided by magic bytes, not the extension)."""

    reason = "not_an_image"
    default_message_zh = "不是图片文件"


class CorruptImage(_FixedReason):
    """An image type was recognised but its data is damaged or cut short."""

    reason = "corrupt_image"
    default_message_zh = "图片数据损坏或不完整"


class DecompressionBomb(_FixedReason):
    """The image declares more pixels than we are willing to decode."""

    reason = "decompression_bomb"
    default_message_zh = "图片像素过多，疑似解压炸弹"


class UnreadableFile(_FixedReason):
    """The file could not be read at all (missing, permissions, I/O error)."""

    reason = "unreadable_file"
    default_message_zh = "无法读取文件"


class GpxError(MediaError):
    """A GPX track file that cannot be used (broken XML, impossible coordinates, no points)."""

    code = "bad_gpx"
    default_message_zh = "轨迹文件无法使用"

    def __init__(self, message_zh: str | None = None, detail: str = "") -> None:
        super().__init__("bad_gpx", message_zh or self.default_message_zh, detail)


class UnsupportedFormat(MediaError):
    """A known file type the app cannot read on this installation, named so the officer knows
    it is not a broken file (e.g. JPEG XL, or AVIF where Pillow lacks libavif)."""

    code = "unsupported_format"
    default_message_zh = "不支持的文件格式"

    def __init__(self, format_name: str, detail: str = "") -> None:
        super().__init__("unsupported_format", f"不支持的格式（{format_name}）", detail)
        self.format_name = format_name
        self.params["format"] = format_name


__all__ = [
    "CorruptImage",
    "DecompressionBomb",
    "GpxError",
    "MediaError",
    "NotAnImage",
    "UnreadableFile",
    "UnsupportedFormat",
]
