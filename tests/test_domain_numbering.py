"""文号 formatting/parsing and serial blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from officer_app.domain.numbering import (
    DocNumber,
    SerialBlock,
    SerialBlockExhaustedError,
    allocate_block,
    format_doc_number,
    parse_doc_number,
)


def test_format() -> None:
    assert format_doc_number("青城管移", 2026, 15) == "青城管移〔2026〕15号"
    assert format_doc_number("嘉综执协", 2025, 1) == "嘉综执协〔2025〕1号"


@pytest.mark.parametrize(
    ("short", "year", "serial"),
    [("", 2026, 1), ("青城管移", 2026, 0), ("青〔移", 2026, 1), ("青城管移", 26, 1)],
)
def test_format_rejects(short: str, year: int, serial: int) -> None:
    with pytest.raises(ValueError):
        format_doc_number(short, year, serial)


def test_parse() -> None:
    assert parse_doc_number("青城管移〔2026〕15号") == DocNumber("青城管移", 2026, 15)
    assert str(parse_doc_number("青城管移〔2026〕15号")) == "青城管移〔2026〕15号"


@pytest.mark.parametrize(
    "text", ["青城管移[2026]15号", "青城管移【2026】015号", "青城管移（2026）15 号"]
)
def test_parse_lenient(text: str) -> None:
    with pytest.raises(ValueError, match="文号格式不正确"):
        parse_doc_number(text)
    assert parse_doc_number(text, lenient=True) == DocNumber("青城管移", 2026, 15)


@pytest.mark.parametrize(
    "text", ["青城管移〔2026〕015号", "青城管移〔2026〕15", "〔2026〕15号", "青城管移〔26〕15号"]
)
def test_parse_strict_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_doc_number(text)


@given(
    st.text(alphabet="青嘉吴昆太宝金平崇启海城管综执法移协函", min_size=1, max_size=8),
    st.integers(1900, 9999),
    st.integers(1, 10**7),
)
def test_roundtrip(short: str, year: int, serial: int) -> None:
    assert parse_doc_number(format_doc_number(short, year, serial)) == DocNumber(
        short, year, serial
    )


def test_serial_block_issue_until_exhausted() -> None:
    block = SerialBlock.new("青浦区城管执法局", "transfer", 2026, 101, 103)
    issued = []
    while not block.exhausted:
        serial, block = block.issue()
        issued.append(serial)
    assert issued == [101, 102, 103]
    assert block.remaining == 0
    with pytest.raises(SerialBlockExhaustedError, match="已用完"):
        block.issue()


def test_serial_block_validation() -> None:
    with pytest.raises(ValueError):
        SerialBlock("a", "t", 2026, 10, 9, 10)
    with pytest.raises(ValueError):
        SerialBlock("a", "t", 2026, 1, 9, 11)
    with pytest.raises(ValueError):
        SerialBlock("a", "t", 2026, 0, 9, 1)


def test_allocate_blocks_never_overlap() -> None:
    blocks: list[SerialBlock] = []
    for size in (50, 1, 20):
        blocks.append(allocate_block("a", "transfer", 2026, size, blocks))
    blocks.append(allocate_block("a", "receipt", 2026, 5, blocks))
    assert [(b.first, b.last) for b in blocks] == [(1, 50), (51, 51), (52, 71), (1, 5)]
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            assert not a.overlaps(b)
    assert blocks[0].contains(50) and not blocks[0].contains(51)
