"""Where the app finds its shipped data and where it writes the officer's data.

Shipped data (code tables, boundaries, fonts, forms) lives beside the package in a source checkout
and inside the bundle when frozen; the officer's data lives in one per-user directory so that
``--data-dir`` isolates a run completely.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "officer_app"
DATA_DIR_ENV = "OFFICER_APP_DATA_DIR"
RESOURCES_ENV = "OFFICER_APP_RESOURCES"


def _shipped(name: str) -> Path:
    """``name`` (resources, forms): in the frozen bundle, in an installed wheel (as the data-only
    package ``officer_app._<name>``, see setup.py), or beside the package in a source checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    package = Path(__file__).resolve().parent
    installed = package / f"_{name}"
    return installed if installed.is_dir() else package.parent / name


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    return Path(override) if override else _shipped("resources")


def forms_dir() -> Path:
    return _shipped("forms")


def default_data_dir() -> Path:
    """The per-user data dir; imported lazily so start-up does not pay for unused code."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--data-dir`` wins, then the environment, then the per-user default."""
    if cli_value:
        return _resolved(cli_value)
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return _resolved(env)
    return default_data_dir()


def _resolved(value: str | os.PathLike[str]) -> Path:
    """Absolute, without following into trouble: a path through a file or an unreadable folder
    resolves as far as it can (``strict=False``) and :func:`check_data_dir` says what is wrong."""
    try:
        return Path(value).expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop, or a component that cannot be read
        return Path(os.path.abspath(Path(value).expanduser()))


def check_data_dir(root: Path) -> None:
    """Refuse a data dir that can never work, naming it: a file, or a path through a file, or a
    name whose bytes are not UTF-8 (it could not be shown, logged or stored)."""
    from officer_app.errors import UsageError
    from officer_app.fileguard import display_path, is_printable_text

    if not is_printable_text(str(root)):
        raise UsageError(
            f"数据目录路径中有无法识别的字符（不是 UTF-8 编码）：{display_path(root)}。"
            "请换一个只含常用字符的文件夹。",
            f"data dir {root!r} is not valid UTF-8",
        )
    from officer_app import portable

    if portable.too_long_for_windows(root):
        raise UsageError(
            f"数据目录路径过长（{len(str(root))} 个字符）：{root}。本机未启用 Windows 长路径支持，"
            f"软件在其中保存的文件会超过 260 个字符的限制。请换一个较短的路径"
            f"（不超过 {portable.DATA_DIR_MAX_CHARS} 个字符），或请信息管理人员启用长路径支持。",
            f"data dir {root}: {len(str(root))} characters without LongPathsEnabled",
        )
    for path in (root, *root.parents):
        if os.path.lexists(path) and not os.path.isdir(path):
            raise UsageError(
                f"数据目录 {root} 不可用：{path} 是一个文件，不是文件夹。请用 --data-dir 指定一个文件夹。",
                f"data dir {root}: {path} is not a directory",
            )


class DataDir:
    """The layout of one data directory; every writer asks this object for its path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def store_path(self) -> Path:
        return self.root / "officer_app.sqlite3"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> None:
        """Create the folders the app writes to; an unusable data dir is named, in Chinese."""
        from officer_app.fileguard import FileError, reason_zh

        check_data_dir(self.root)
        for path in (self.root, self.evidence_dir, self.cache_dir, self.logs_dir):
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FileError(
                    f"无法使用数据目录 {self.root}：{reason_zh(exc)}。请检查该文件夹的读写权限，"
                    "或用 --data-dir 换一个文件夹。",
                    f"mkdir {path}: {exc}",
                ) from exc
