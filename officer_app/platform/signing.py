"""The platform's witness key: made at the first ``platform serve``, kept owner-only in its data dir.

One Ed25519 key per platform for its whole life: laptops pin its public key at login, bulletins
print its fingerprint, evidence packages carry it, so replacing it orphans every receipt. It is
therefore created once (never overwritten: two servers starting together agree on one file), kept
as an unencrypted PKCS#8 PEM readable by the owner only (a server must start unattended; the data
dir's permissions are the protection, as for a TLS key), and a server refuses to start with a key
file others can read. The database remembers the fingerprint of the key that signed its log, so a
PostgreSQL database shared by a data dir with another key is refused instead of being forked.
"""

from __future__ import annotations

import base64
import contextlib
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officer_app.domain import witness
from officer_app.errors import UserFacingError
from officer_app.platform.db import Connection, PlatformPaths, transaction

KEY_FILE = "witness-ed25519.pem"
META_KEY = "witness_key_fingerprint"


class WitnessKeyError(UserFacingError):
    code = "witness_key"


@dataclass(frozen=True)
class WitnessKey:
    private: Any  # cryptography's Ed25519PrivateKey
    public_b64: str

    @property
    def fingerprint(self) -> str:
        return witness.fingerprint(self.public_b64)

    def public(self) -> dict[str, str]:
        """What laptops fetch at login and evidence packages carry."""
        return {
            "algorithm": witness.ALGORITHM,
            "public_key": self.public_b64,
            "fingerprint": self.fingerprint,
        }

    def sign_head(self, tree_size: int, root_hash: str, timestamp: str) -> dict[str, Any]:
        sth: dict[str, Any] = {
            "v": witness.VERSION,
            "log_id": self.fingerprint,
            "tree_size": tree_size,
            "root_hash": root_hash,
            "timestamp": timestamp,
        }
        signature = self.private.sign(witness.sth_message(sth))
        sth["signature"] = base64.b64encode(signature).decode("ascii")
        return sth


def key_path(paths: PlatformPaths) -> Path:
    return paths.root / KEY_FILE


def _from_pem(data: bytes, path: Path) -> WitnessKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise WitnessKeyError(
            f"平台签名密钥文件已损坏，无法读取：{path}", f"{path}: {exc}"
        ) from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise WitnessKeyError(f"平台签名密钥不是 Ed25519 密钥：{path}", f"{path}: {type(private)}")
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return WitnessKey(private, base64.b64encode(raw).decode("ascii"))


def _check_mode(path: Path) -> None:
    if os.name != "posix":  # Windows: the data dir's ACL (per-user profile) protects it
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise WitnessKeyError(
            f"平台签名密钥文件的权限过宽（{oct(mode)}），其他用户可以读取，平台拒绝启动。"
            f"请执行：chmod 600 {path}",
            f"{path} mode {oct(mode)}",
        )


def load(paths: PlatformPaths) -> WitnessKey | None:
    """The key if this platform has one (a platform never served has none yet)."""
    path = key_path(paths)
    if not path.is_file():
        return None
    _check_mode(path)
    return _from_pem(path.read_bytes(), path)


def load_or_create(paths: PlatformPaths) -> WitnessKey:
    """The key, made on first use: written owner-only under a temporary name, fsynced, and
    linked to its final name only if none is there yet (so it is never replaced)."""
    existing = load(paths)
    if existing is not None:
        return existing
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    paths.ensure()
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    final = key_path(paths)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another server made it first: use that one
            os.link(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    if os.name == "posix":
        dir_fd = os.open(paths.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    key = load(paths)
    assert key is not None
    return key


def bind(conn: Connection, key: WitnessKey) -> None:
    """Record which key signs this database's log; refuse another key on the same log."""
    with transaction(conn):
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
        if row is None:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [META_KEY, key.fingerprint])
        elif row[0] != key.fingerprint:
            raise WitnessKeyError(
                "平台数据库中的见证日志是由另一把签名密钥签署的，与本数据目录中的密钥不符，平台拒绝启动"
                "（请使用原来的数据目录，或为该数据库恢复原密钥文件）。",
                f"log key {row[0][:16]}, data dir key {key.fingerprint[:16]}",
            )
