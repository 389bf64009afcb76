"""Officers' unlock PINs on a shared squad laptop: set, check, throttle.  No Qt here.

Why a PIN and not a password: the laptop is shared by a squad in the street, the lock screen comes
up many times a day, and a 4-12 digit PIN is what people will actually type with gloves on.  A PIN
has little entropy, so it is hashed with a memory-hard KDF (``hashlib.scrypt``) and a per-officer
random salt, and wrong guesses are slowed down by a growing delay that survives a restart.  Too
many wrong PINs never wipe anything: evidence on this laptop is worth more than a locked screen.

The PIN is never stored, logged or put into an exception message.  The ``officer_pins`` table is
local to this laptop and not synced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from officer_app.errors import NotFoundError, ValidationError
from officer_app.services.context import AppContext

log = logging.getLogger(__name__)

KDF = "scrypt"
#: scrypt cost for new hashes: 16 MiB of memory, about 50 ms on a squad laptop.  Each row records
#: its own parameters, so raising these later does not invalidate existing PINs.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
SALT_BYTES = 16

PIN_MIN_LEN = 4
PIN_MAX_LEN = 12
#: Wrong PINs allowed before each further attempt has to wait.
FREE_ATTEMPTS = 5
#: First delay after the free attempts; it doubles with every further wrong PIN, up to the cap.
FIRST_DELAY_S = 30
MAX_DELAY_S = 15 * 60


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one attempt.  ``retry_after_s`` > 0 means: wait before trying again."""

    ok: bool
    retry_after_s: int = 0
    failed_attempts: int = 0


def validate_pin(pin: str) -> str:
    """A PIN is 4-12 ASCII digits: easy to type on any keyboard layout or input method state."""
    if not (pin.isascii() and pin.isdigit()):
        raise ValidationError("PIN 只能由数字组成。", "PIN is not all digits")
    if not PIN_MIN_LEN <= len(pin) <= PIN_MAX_LEN:
        raise ValidationError(
            f"PIN 应为 {PIN_MIN_LEN}–{PIN_MAX_LEN} 位数字。", "PIN length out of range"
        )
    return pin


def _hash(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # maxmem: scrypt needs 128 * n * r bytes; OpenSSL's 32 MiB default is too tight for larger n.
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=256 * n * r + 2**20
    )


def _officer_exists(ctx: AppContext, officer_id: str) -> None:
    if not ctx.store.scalar("SELECT COUNT(*) FROM officers WHERE id = ?", [officer_id]):
        raise NotFoundError("未找到该执法人员档案。", f"officer {officer_id} missing")


def has_pin(ctx: AppContext, officer_id: str) -> bool:
    return bool(
        ctx.store.scalar("SELECT COUNT(*) FROM officer_pins WHERE officer_id = ?", [officer_id])
    )


def set_pin(ctx: AppContext, officer_id: str, pin: str) -> None:
    """Store a new salted hash (a fresh salt every time) and clear the failure counter.

    The caller checks who may do this: the UI asks for the current PIN before changing it.
    """
    validate_pin(pin)
    _officer_exists(ctx, officer_id)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _hash(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN)
    with ctx.store.transaction() as db:
        db.table("officer_pins").upsert(
            {
                "officer_id": officer_id,
                "kdf": KDF,
                "salt": salt,
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "dklen": SCRYPT_DKLEN,
                "hash": digest,
                "failed_attempts": 0,
                "retry_after_utc": None,
                "updated_at": ctx.now_iso(),
            },
            pk="officer_id",
        )
    log.info("PIN set for officer %s", officer_id)


def clear_pin(ctx: AppContext, officer_id: str) -> None:
    with ctx.store.transaction() as db:
        db.execute("DELETE FROM officer_pins WHERE officer_id = ?", [officer_id])
    log.info("PIN removed for officer %s", officer_id)


def _delay_for(failed_attempts: int) -> int:
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    doubled: int = FIRST_DELAY_S * 2 ** (failed_attempts - FREE_ATTEMPTS)
    return min(MAX_DELAY_S, doubled)


def seconds_to_wait(ctx: AppContext, officer_id: str) -> int:
    """How long the lock screen must wait before it may check another PIN for this officer."""
    raw = ctx.store.scalar(
        "SELECT retry_after_utc FROM officer_pins WHERE officer_id = ?", [officer_id]
    )
    if not raw:
        return 0
    remaining = (dt.datetime.fromisoformat(raw) - ctx.clock()).total_seconds()
    return max(0, int(remaining + 0.999))


def verify_pin(ctx: AppContext, officer_id: str, pin: str) -> PinCheck:
    """Check one attempt.  While a delay is running the PIN is not even looked at.

    An officer without a PIN always passes: the PIN is opt-in per officer, and the lock screen
    still hides the data from passers-by.
    """
    rows = ctx.store.query(
        "SELECT kdf, salt, n, r, p, dklen, hash, failed_attempts FROM officer_pins"
        " WHERE officer_id = ?",
        [officer_id],
    )
    if not rows:
        return PinCheck(ok=True)
    row = rows[0]
    wait = seconds_to_wait(ctx, officer_id)
    if wait:
        return PinCheck(ok=False, retry_after_s=wait, failed_attempts=row["failed_attempts"])
    if row["kdf"] != KDF:
        raise ValidationError("PIN 记录格式无法识别。", f"unknown kdf {row['kdf']!r}")
    candidate = b""
    if pin.isascii():
        candidate = _hash(pin, row["salt"], row["n"], row["r"], row["p"], row["dklen"])
    if candidate and hmac.compare_digest(candidate, row["hash"]):
        with ctx.store.transaction() as db:
            db.execute(
                "UPDATE officer_pins SET failed_attempts = 0, retry_after_utc = NULL"
                " WHERE officer_id = ?",
                [officer_id],
            )
        return PinCheck(ok=True)
    failed = row["failed_attempts"] + 1
    delay = _delay_for(failed)
    retry_after = (ctx.clock() + dt.timedelta(seconds=delay)).isoformat() if delay else None
    with ctx.store.transaction() as db:
        db.execute(
            "UPDATE officer_pins SET failed_attempts = ?, retry_after_utc = ? WHERE officer_id = ?",
            [failed, retry_after, officer_id],
        )
    log.warning("wrong PIN for officer %s (%d in a row)", officer_id, failed)
    return PinCheck(ok=False, retry_after_s=delay, failed_attempts=failed)


def officer_id_for(ctx: AppContext, badge: str, agency_code: str) -> str | None:
    """The existing profile a (badge, agency) pair names, so re-entering it can ask for its PIN."""
    value = ctx.store.scalar(
        "SELECT id FROM officers WHERE badge = ? AND agency_code = ?",
        [badge.strip(), agency_code.strip()],
    )
    return str(value) if value is not None else None
