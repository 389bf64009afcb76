"""Files the officer names, and the OS errors they give, as one Chinese sentence naming the file.

The one place that turns an ``OSError`` into words an officer can act on (from its errno, or its
Windows error number, never from message text), that refuses FIFOs, devices and folders where a
file is expected, and that prints any path safely (names that are not valid UTF-8 reach Python as
lone surrogates, which neither SQLite, JSON nor the console accept).

Input files are opened without blocking and checked with ``fstat`` on the open handle: a FIFO
answers at once instead of hanging the app, and a file swapped for something else between a check
and the open cannot slip through.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from officer_app.errors import UsageError, UserFacingError

#: Windows error numbers whose errno mapping loses what happened (winerror wins over errno).
_WINDOWS_REASONS = {
    5: "没有访问权限（文件可能为只读，或被安全软件锁定）",
    32: "文件正被其他程序占用，请关闭后重试",
    33: "文件的一部分被其他程序锁定，请关闭后重试",
    206: "路径过长（超过 Windows 的 260 个字符限制）",
    1920: "没有访问权限",
}

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EROFS: "所在磁盘为只读",
    errno.ENOSPC: "磁盘已满",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "路径或文件名过长",
    errno.EIO: "磁盘读写出错（介质可能已损坏或已拔出）",
    errno.EEXIST: "已有同名的文件",
    errno.ELOOP: "路径中的符号链接过多",
    errno.EBUSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EINVAL: "路径或文件名无效",
    errno.ENXIO: "设备不可用",
    errno.ENODEV: "设备不可用",
    errno.EFBIG: "文件过大",
    errno.EXDEV: "不能跨磁盘移动",
    errno.ENOTEMPTY: "文件夹不是空的",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "磁盘配额已用完"

DISK_FULL = frozenset(e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if e is not None)
NO_PERMISSION = frozenset((errno.EACCES, errno.EPERM, errno.EROFS))


class FileError(UserFacingError):
    """A file or folder the officer named could not be read or written."""

    code = "file"


class NotARegularFileError(UsageError):
    """A folder, FIFO or device given where a file is expected (refused, never read)."""

    code = "not_a_file"


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as printable text: bytes that are not UTF-8 shown as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_printable_text(text: str) -> bool:
    """False for strings carrying undecodable bytes (lone surrogates) from argv or the disk."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def reason_zh(exc: OSError) -> str:
    """What went wrong, in a few Chinese words."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def file_error(exc: OSError, path: str | os.PathLike[str], action: str = "访问") -> FileError:
    """``无法<action> <path>：<reason>。`` with the OS detail kept for the log."""
    return FileError(
        f"无法{action} {display_path(path)}：{reason_zh(exc)}。",
        f"{action} {path!r}: {exc}",
        params={"path": display_path(path)},
    )


def kind_zh(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def not_a_file(
    path: str | os.PathLike[str], mode: int, action: str = "读取"
) -> NotARegularFileError:
    return NotARegularFileError(
        f"{display_path(path)} 是{kind_zh(mode)}，不是普通文件，不能{action}。",
        f"{path!r}: mode {stat.filemode(mode)}",
        params={"path": display_path(path)},
    )


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading if, and only if, it is a regular file.

    ``O_NONBLOCK`` makes opening a FIFO return at once (a plain open would wait for a writer
    forever); ``fstat`` on the handle then refuses it, or a device, before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        # Windows cannot open a folder at all and says "access denied": say what it is instead.
        if isinstance(exc, IsADirectoryError | PermissionError) and os.path.isdir(path):
            raise not_a_file(path, stat.S_IFDIR) from exc
        raise file_error(exc, path, "读取") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_a_file(path, mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The whole of a regular file, with :func:`open_regular`'s refusals and errors."""
    with open_regular(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise file_error(exc, path, "读取") from exc


def check_input(path: str | os.PathLike[str], *, folders: bool = False) -> Path:
    """An input named by the officer exists and is a regular file (or, if allowed, a folder).

    A ``stat`` only (it never blocks): the reader still opens with :func:`open_regular`.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise file_error(exc, path, "读取") from exc
    if stat.S_ISREG(mode) or (folders and stat.S_ISDIR(mode)):
        return Path(path)
    raise not_a_file(path, mode)


def check_output(path: str | os.PathLike[str]) -> Path:
    """An output path names a file that may be (re)placed: not a folder, FIFO or device."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Path(path)
    except OSError:
        return Path(path)  # the write itself reports why, naming the file
    if stat.S_ISREG(mode):
        return Path(path)
    if stat.S_ISDIR(mode):
        raise NotARegularFileError(
            f"{display_path(path)} 是一个文件夹，请写上要保存的文件名。",
            f"{path!r} is a folder",
            code="output_is_folder",
            params={"path": display_path(path)},
        )
    raise not_a_file(path, mode, "写入")
