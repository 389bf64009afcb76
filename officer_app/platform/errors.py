"""Platform-side refusals: each becomes an HTTP status with a Chinese message and a code."""

from __future__ import annotations

from officer_app.errors import UserFacingError


class PlatformError(UserFacingError):
    """A refusal the platform sends back as ``{"error", "message_zh", "detail"}``."""

    status = 400


class Unauthorized(PlatformError):
    code = "unauthorized"
    status = 401


class Forbidden(PlatformError):
    code = "forbidden"
    status = 403


class NotFound(PlatformError):
    code = "not_found"
    status = 404


class VersionMismatch(PlatformError):
    code = "protocol_version"
    status = 426


class BadRequest(PlatformError):
    code = "bad_request"
    status = 400


class RangeMismatch(PlatformError):
    code = "range"
    status = 416


class HashMismatch(PlatformError):
    code = "hash_mismatch"
    status = 422


class PlatformModeError(PlatformError):
    code = "mode"
    status = 409


class PayloadTooLarge(PlatformError):
    code = "too_large"
    status = 413


class Busy(PlatformError):
    """Someone else (another request, perhaps on another worker) is uploading the same file for
    the same agency: try again shortly (the client treats 429 as transient)."""

    code = "busy"
    status = 429
