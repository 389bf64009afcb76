"""Sync failures the officer can act on, each with a plain Chinese message."""

from __future__ import annotations

from officer_app.errors import UserFacingError


class SyncError(UserFacingError):
    code = "sync"


class TransientSyncError(SyncError):
    """Worth retrying: a timeout, a dropped connection, a 5xx."""

    code = "sync_transient"


class RefusedError(SyncError):
    """The platform said no (4xx); ``status`` and the platform's ``error`` code are kept."""

    code = "sync_refused"

    def __init__(self, message_zh: str, detail: str, *, status: int, error: str) -> None:
        super().__init__(message_zh, detail)
        self.status = status
        self.error = error


class NotLoggedInError(SyncError):
    code = "not_logged_in"


class CredentialStoreError(SyncError):
    """No usable OS keyring: the token is never written anywhere else instead."""

    code = "keyring"


class InsecureServerError(SyncError):
    code = "insecure_server"
    exit_code = 2


class SyncCancelledError(SyncError):
    """The officer pressed 取消: the run stopped between two steps, nothing is half-written."""

    code = "sync_cancelled"
