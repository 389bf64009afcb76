"""The PIN service: salted scrypt hashes, no plain text anywhere, a delay after wrong PINs."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from officer_app.errors import ValidationError
from officer_app.services import pins
from officer_app.services.context import AppContext
from officer_app.services.officers import add_or_select_officer


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pctx(data_dir, clock):
    with AppContext.open(data_dir, clock=clock) as context:
        yield context


def _officer(ctx: AppContext, badge: str = "31011800123") -> str:
    return add_or_select_officer(ctx, "张伟", badge, "310118").id


def test_pin_round_trip_and_no_plain_text_stored(pctx, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    officer = _officer(pctx)
    assert not pins.has_pin(pctx, officer)
    assert pins.verify_pin(pctx, officer, "0000").ok  # no PIN set: the lock only hides data
    pins.set_pin(pctx, officer, "482913")
    assert pins.has_pin(pctx, officer)
    assert pins.verify_pin(pctx, officer, "482913").ok
    assert not pins.verify_pin(pctx, officer, "482914").ok
    row = pctx.store.query("SELECT * FROM officer_pins")[0]
    assert row["kdf"] == "scrypt" and (row["n"], row["r"], row["p"]) == (2**14, 8, 1)
    assert len(row["salt"]) == 16 and len(row["hash"]) == 32
    raw = pctx.data.store_path.read_bytes()
    assert b"482913" not in raw
    assert "482913" not in caplog.text


def test_salt_is_per_officer_and_new_on_every_change(pctx) -> None:
    first, second = _officer(pctx, "1"), _officer(pctx, "2")
    pins.set_pin(pctx, first, "1234")
    pins.set_pin(pctx, second, "1234")
    rows = pctx.store.query("SELECT salt, hash FROM officer_pins")
    assert rows[0]["salt"] != rows[1]["salt"] and rows[0]["hash"] != rows[1]["hash"]
    old = rows[0]["salt"]
    pins.set_pin(pctx, first, "1234")
    assert pctx.store.scalar("SELECT salt FROM officer_pins WHERE officer_id = ?", [first]) != old


def test_recorded_parameters_are_used_for_verification(pctx, monkeypatch) -> None:
    officer = _officer(pctx)
    monkeypatch.setattr(pins, "SCRYPT_N", 2**10)
    pins.set_pin(pctx, officer, "2468")
    monkeypatch.setattr(pins, "SCRYPT_N", 2**15)  # a later release raises the cost
    assert pins.verify_pin(pctx, officer, "2468").ok


@pytest.mark.parametrize("bad", ["", "123", "1234567890123", "12a4", "１２３４", "12 34"])
def test_bad_pins_are_refused(pctx, bad: str) -> None:
    with pytest.raises(ValidationError):
        pins.set_pin(pctx, _officer(pctx), bad)


def test_wrong_pins_bring_a_growing_delay_not_a_wipe(pctx, clock: FakeClock) -> None:
    officer = _officer(pctx)
    pins.set_pin(pctx, officer, "1357")
    for attempt in range(1, pins.FREE_ATTEMPTS):
        result = pins.verify_pin(pctx, officer, "0000")
        assert (result.ok, result.retry_after_s, result.failed_attempts) == (False, 0, attempt)
    fifth = pins.verify_pin(pctx, officer, "0000")
    assert fifth.retry_after_s == pins.FIRST_DELAY_S
    # During the delay even the right PIN is not checked.
    waiting = pins.verify_pin(pctx, officer, "1357")
    assert not waiting.ok and 0 < waiting.retry_after_s <= pins.FIRST_DELAY_S
    clock.advance(pins.FIRST_DELAY_S)
    assert pins.verify_pin(pctx, officer, "0000").retry_after_s == 2 * pins.FIRST_DELAY_S
    clock.advance(10_000)
    assert pins.verify_pin(pctx, officer, "1357").ok
    assert pins.seconds_to_wait(pctx, officer) == 0
    assert pctx.store.scalar("SELECT failed_attempts FROM officer_pins") == 0
    assert pctx.store.scalar("SELECT COUNT(*) FROM officers") == 1  # nothing wiped


def test_delay_is_capped_and_survives_a_restart(data_dir, clock: FakeClock) -> None:
    with AppContext.open(data_dir, clock=clock) as ctx:
        officer = _officer(ctx)
        pins.set_pin(ctx, officer, "1357")
        for _ in range(20):
            clock.advance(pins.MAX_DELAY_S)
            last = pins.verify_pin(ctx, officer, "9999")
        assert last.retry_after_s == pins.MAX_DELAY_S
    with AppContext.open(data_dir, clock=clock) as ctx:
        assert pins.seconds_to_wait(ctx, officer) == pins.MAX_DELAY_S


def test_clear_pin_and_lookup_by_badge(pctx) -> None:
    officer = _officer(pctx)
    assert pins.officer_id_for(pctx, " 31011800123 ", "310118") == officer
    assert pins.officer_id_for(pctx, "nope", "310118") is None
    pins.set_pin(pctx, officer, "1234")
    pins.clear_pin(pctx, officer)
    assert not pins.has_pin(pctx, officer)


def test_it_staff_clear_a_forgotten_pin_through_the_cli(data_dir: Path) -> None:
    from officer_app.__main__ import main
    from officer_app.services import officers, pins
    from officer_app.services.context import AppContext

    with AppContext.open(data_dir) as ctx:
        officer = officers.add_or_select_officer(ctx, "张伟", "A-1", "310118")
        pins.set_pin(ctx, officer.id, "482915")
    root = ["--data-dir", str(data_dir)]
    assert main([*root, "pin", "clear", "--badge", "A-1", "--agency", "310118"]) == 0
    with AppContext.open(data_dir) as ctx:
        assert not pins.has_pin(ctx, officer.id)
        kinds = [r["kind"] for r in ctx.store.query("SELECT kind FROM ledger")]
        assert "pin_cleared" in kinds
    assert main([*root, "pin", "clear", "--badge", "nobody", "--agency", "310118"]) == 1
