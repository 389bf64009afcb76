"""Errors the officer is meant to see, as opposed to bugs.

Every layer below the UI raises a subclass of :class:`UserFacingError` for conditions that are
expected in the field (bad input, a full disk, a locked store).  Each carries a stable ``code`` (for
scripts, the CLI's exit status and the UI's translation table), a plain Simplified-Chinese message
for the officer and an English detail for the log.  Anything else that escapes is a bug and goes to
the crash handler.
"""

from __future__ import annotations

from collections.abc import Mapping


class UserFacingError(Exception):
    """An expected failure with a message an officer can act on.

    ``code`` may be narrowed per raise (``code="invalid_resident_id"``) where one class covers
    refusals the UI should tell apart; ``params`` are the details (file name, number, count) the
    UI's translation of that code formats in (``ui/error_text.py``, which has an entry for every
    code).
    """

    code: str = "error"
    exit_code: int = 1

    def __init__(
        self,
        message_zh: str,
        detail: str = "",
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail or message_zh)
        self.message_zh = message_zh
        self.detail = detail or message_zh
        if code is not None:
            self.code = code
        self.params: dict[str, object] = dict(params or {})

    def __str__(self) -> str:
        return self.message_zh


class UsageError(UserFacingError):
    """The caller asked for something that cannot be done as asked (CLI exit code 2)."""

    code = "usage"
    exit_code = 2


class NotFoundError(UserFacingError):
    code = "not_found"


class ValidationError(UserFacingError):
    code = "invalid"


class StateError(UserFacingError):
    """The record's state does not allow the step (an illegal status change, a read-only record)."""

    code = "state"


class ConflictError(UserFacingError):
    """Someone else changed the record since it was read (optimistic version check failed)."""

    code = "conflict"


# The known ways writing a file fails, raised by the store and by the one atomic file write
# (:mod:`officer_app.fileio`) alike; the rest of the family is in :mod:`officer_app.store.errors`.
class StoreError(UserFacingError):
    code = "store"


class DiskFullError(StoreError):
    code = "disk_full"


class ReadOnlyStoreError(StoreError):
    code = "read_only"
