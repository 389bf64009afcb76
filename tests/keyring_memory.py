"""An in-memory keyring backend so tests never touch (or prompt for) the real OS keyring.

Selected through keyring's own configuration: ``PYTHON_KEYRING_BACKEND=tests.keyring_memory.MemoryKeyring``.
"""

from __future__ import annotations

from typing import ClassVar

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]
    # Shared by every instance: keyring may build a new backend object per call.
    _store: ClassVar[dict[tuple[str, str], str]] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)
