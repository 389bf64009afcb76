"""Identifier validators: published examples, hand-made failures and property tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from officer_app.domain.identifiers import (
    USCC_ALPHABET,
    validate_plate,
    validate_resident_id,
    validate_uscc,
)

TODAY = date(2026, 3, 5)

# Independent re-statement of the standards (not imported from the code under test).
_ID_W = [2 ** (17 - i) % 11 for i in range(17)]  # ISO 7064 MOD 11-2 weights: 2^(n-1) mod 11
_USCC_W = [3**i % 31 for i in range(17)]  # GB 32100 weights: 3^(i) mod 31


def _id_check(body: str) -> str:
    s = sum(int(c) * w for c, w in zip(body, _ID_W, strict=True))
    # ISO 7064 MOD 11-2: the check value c satisfies (s*2 + c) ≡ 1 (mod 11); 10 is written X.
    c = (12 - (s % 11)) % 11
    return "X" if c == 10 else str(c)


def _uscc_check(body: str) -> str:
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_W, strict=True))
    return USCC_ALPHABET[-s % 31]


def test_weights_match_the_standard_text() -> None:
    assert _ID_W == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert _USCC_W == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# ---------------------------------------------------------------------------------- resident ID


@pytest.mark.parametrize(
    ("number", "birth", "sex", "region"),
    [
        ("11010519491231002X", "1949-12-31", "女", "110105"),
        ("11010519491231002x", "1949-12-31", "女", "110105"),
        ("321083197812162119", "1978-12-16", "男", "321083"),
        (" 321083197812162119 ", "1978-12-16", "男", "321083"),
    ],
)
def test_resident_id_valid(number: str, birth: str, sex: str, region: str) -> None:
    r = validate_resident_id(number, today=TODAY)
    assert r.valid and r.reason == "" and bool(r)
    assert r.derived["birth_date"] == birth
    assert r.derived["sex"] == sex
    assert r.derived["region_code"] == region


@pytest.mark.parametrize(
    ("number", "reason_part"),
    [
        ("110105194912310021", "校验位错误，应为 X"),
        ("32108319781216211", "长度应为18位"),
        ("3210831978121621190", "长度应为18位"),
        ("32108319781216211A", "最后一位"),
        ("321083781216211", "15位旧号码"),
        ("", "为空"),
    ],
)
def test_resident_id_invalid(number: str, reason_part: str) -> None:
    r = validate_resident_id(number, today=TODAY)
    assert not r.valid
    assert reason_part in r.reason


def _with_check(body: str) -> str:
    return body + _id_check(body)


def test_resident_id_bad_dates() -> None:
    feb30 = validate_resident_id(_with_check("32108319780230211"), today=TODAY)
    assert not feb30.valid and "不是有效日期" in feb30.reason
    future = validate_resident_id(_with_check("32108320260306211"), today=TODAY)
    assert not future.valid and "晚于今天" in future.reason
    born_today = validate_resident_id(_with_check("32108320260305211"), today=TODAY)
    assert born_today.valid
    leap = validate_resident_id(_with_check("32108320000229211"), today=TODAY)
    assert leap.valid and leap.derived["birth_date"] == "2000-02-29"


def test_result_is_frozen() -> None:
    r = validate_resident_id("321083197812162119", today=TODAY)
    with pytest.raises(AttributeError):
        r.valid = False  # type: ignore[misc]


_birth = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
_region = st.from_regex(r"\A[1-6][0-9]{5}\Z", fullmatch=True)
_seq = st.from_regex(r"\A[0-9]{3}\Z", fullmatch=True)


@given(_region, _birth, _seq)
def test_resident_id_property_valid(region: str, born: date, seq: str) -> None:
    number = _with_check(region + born.strftime("%Y%m%d") + seq)
    r = validate_resident_id(number, today=TODAY)
    assert r.valid, (number, r.reason)
    assert r.derived["birth_date"] == born.isoformat()
    assert r.derived["sex"] == ("男" if int(seq[2]) % 2 else "女")


@given(_region, _birth, _seq, st.integers(0, 17), st.integers(1, 10))
def test_resident_id_any_single_change_invalidates(
    region: str, born: date, seq: str, pos: int, delta: int
) -> None:
    number = _with_check(region + born.strftime("%Y%m%d") + seq)
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = number[pos]
    new = alphabet[(alphabet.index(old) + delta) % len(alphabet)]
    if new == old:
        return
    changed = number[:pos] + new + number[pos + 1 :]
    assert not validate_resident_id(changed, today=TODAY).valid


@given(_region, _birth, _seq, st.integers(0, 15))
def test_resident_id_adjacent_swap_invalidates(region: str, born: date, seq: str, pos: int) -> None:
    number = _with_check(region + born.strftime("%Y%m%d") + seq)
    a, b = number[pos], number[pos + 1]
    if a == b:
        return
    swapped = number[:pos] + b + a + number[pos + 2 :]
    assert not validate_resident_id(swapped, today=TODAY).valid


# ---------------------------------------------------------------------------------- USCC


@pytest.mark.parametrize("code", ["91310110666007217T", "91310115591693856A", "91310115591693856a"])
def test_uscc_valid(code: str) -> None:
    r = validate_uscc(code)
    assert r.valid and not r.derived["warn_only"]
    assert r.derived["region_code"] == code[2:8]
    assert r.derived["registration_authority_code"] == "9"
    assert r.derived["registration_authority_name"] == "工商"
    assert r.derived["org_type_name"] == "企业"
    assert r.derived["organization_code"] == code[8:17].upper()


def test_uscc_bad_check_is_warn_only() -> None:
    r = validate_uscc("91310110666007217A")
    assert not r.valid
    assert r.derived["warn_only"] is True
    assert "校验位错误，应为 T" in r.reason


@pytest.mark.parametrize(
    ("code", "reason_part"),
    [
        ("91310110666007217", "长度应为18位"),
        ("9131011066600721OT", "不允许的字符：O"),
        ("91310110666007217Z", "不允许的字符：Z"),
        ("91A10110666007217T", "行政区划码"),
    ],
)
def test_uscc_format_errors_block(code: str, reason_part: str) -> None:
    r = validate_uscc(code)
    assert not r.valid and r.derived["warn_only"] is False
    assert reason_part in r.reason


_uscc_body = st.builds(
    lambda a, b, region, rest: a + b + region + rest,
    st.sampled_from("159Y"),
    st.sampled_from("123"),
    st.from_regex(r"\A[1-6][0-9]{5}\Z", fullmatch=True),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)


@given(_uscc_body)
def test_uscc_property_valid(body: str) -> None:
    r = validate_uscc(body + _uscc_check(body))
    assert r.valid, r.reason


@given(_uscc_body, st.integers(0, 17), st.integers(1, 30))
def test_uscc_any_single_change_fails_check(body: str, pos: int, delta: int) -> None:
    code = body + _uscc_check(body)
    new = USCC_ALPHABET[(USCC_ALPHABET.index(code[pos]) + delta) % 31]
    changed = code[:pos] + new + code[pos + 1 :]
    assert not validate_uscc(changed).valid


# ---------------------------------------------------------------------------------- plates


@pytest.mark.parametrize(
    ("plate", "kind", "province"),
    [
        ("沪A12345", "ordinary", "上海"),
        ("沪A·12345", "ordinary", "上海"),
        ("苏eab123", "ordinary", "江苏"),
        ("沪AD12345", "new_energy_small", "上海"),
        ("浙BFA1234", "new_energy_small", "浙江"),
        ("苏E12345D", "new_energy_large", "江苏"),
        ("皖A12345F", "new_energy_large", "安徽"),
        ("沪A1234警", "police", "上海"),
        ("苏E1234学", "coach", "江苏"),
        ("浙F1234挂", "trailer", "浙江"),
        ("沪A1234领", "consulate", "上海"),
        ("粤Z1234港", "hong_kong", "广东"),
        ("粤Z1234澳", "macau", "广东"),
    ],
)
def test_plate_valid(plate: str, kind: str, province: str) -> None:
    r = validate_plate(plate)
    assert r.valid, r.reason
    assert r.derived["kind"] == kind
    assert r.derived["province"] == province


def test_plate_energy() -> None:
    assert validate_plate("沪AD12345").derived["energy"] == "纯电动"
    assert validate_plate("苏E12345F").derived["energy"] == "非纯电动"


@pytest.mark.parametrize(
    ("plate", "reason_part"),
    [
        ("", "为空"),
        ("AA12345", "不是省"),
        ("沪I12345", "第2位"),
        ("沪A1234O", "I 和 O"),
        ("沪A1234", "长度"),
        ("沪AX12345", "新能源"),
        ("沪A1234港", "粤Z"),
        ("沪A12O4警", "4位"),
    ],
)
def test_plate_invalid(plate: str, reason_part: str) -> None:
    r = validate_plate(plate)
    assert not r.valid
    assert reason_part in r.reason


@given(
    st.sampled_from("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"),
    st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=5, max_size=5),
)
def test_plate_property_ordinary(prov: str, letter: str, serial: str) -> None:
    r = validate_plate(prov + letter + serial)
    assert r.valid and r.derived["kind"] == "ordinary"


def test_today_default_is_used() -> None:
    tomorrow = date.today() + timedelta(days=1)
    number = _with_check("321083" + tomorrow.strftime("%Y%m%d") + "211")
    assert not validate_resident_id(number).valid
