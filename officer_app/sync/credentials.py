"""The platform token lives only in the OS keyring (through ``keyring``).

Never in the store, settings, files or logs: if no usable keyring backend exists, login fails with
a clear message instead of falling back to plaintext. The entry is named by this data dir's client
id and the server URL, so two data dirs on one laptop keep separate tokens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from officer_app.store import sync_state
from officer_app.store.db import Store
from officer_app.sync.errors import CredentialStoreError, NotLoggedInError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
SERVICE = "officer_app.sync"
_NO_KEYRING = (
    "本机没有可用的系统密钥库（钥匙串/凭据管理器），无法安全保存登录令牌。"
    "请启用系统密钥库后重试；软件不会以明文保存令牌。"
)


def _username(store: Store, server: str) -> str:
    return f"{sync_state.client_id(store)}@{server}"


def _backend() -> KeyringBackend:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise CredentialStoreError(
            _NO_KEYRING, f"unusable keyring backend {type(backend).__name__}"
        )
    return backend


def save_token(store: Store, server: str, token: str) -> None:
    from keyring.errors import KeyringError

    backend = _backend()
    user = _username(store, server)
    try:
        backend.set_password(SERVICE, user, token)
        stored = backend.get_password(SERVICE, user)
    except KeyringError as exc:
        raise CredentialStoreError(_NO_KEYRING, f"keyring failed: {type(exc).__name__}") from exc
    if stored != token:
        raise CredentialStoreError(_NO_KEYRING, "keyring did not keep the token")


def load_token(store: Store, server: str) -> str:
    from keyring.errors import KeyringError

    backend = _backend()
    try:
        token = backend.get_password(SERVICE, _username(store, server))
    except KeyringError as exc:
        raise CredentialStoreError(_NO_KEYRING, f"keyring failed: {type(exc).__name__}") from exc
    if not token:
        raise NotLoggedInError("尚未登录同步平台，请先执行登录。", f"no token for {server}")
    return token
