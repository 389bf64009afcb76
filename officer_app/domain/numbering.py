"""Document numbers (文号) and per-laptop serial blocks.

A 文号 is 机关代字 + 〔year〕 + serial + 号, e.g. ``青城管移〔2026〕15号``: six-corner brackets, no leading
zeros, serials per agency, per document type, per year, never reused. Laptops work offline, so each one
is handed a block of serials in advance (:class:`SerialBlock`); blocks of one key never overlap, which
is what makes "never reused" hold without a network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "DocNumber",
    "SerialBlock",
    "SerialBlockExhaustedError",
    "allocate_block",
    "format_doc_number",
    "parse_doc_number",
]

_OPEN, _CLOSE = "〔", "〕"
# Brackets people type instead of 〔〕; accepted only by parse_doc_number(lenient=True).
_LENIENT_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕",
                                   "（": "〔", "）": "〕", "［": "〔", "］": "〕"})  # fmt: skip
_NUMBER_RE = re.compile(
    r"^(?P<short>[^〔〕\s]+)〔(?P<training>培训)?(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$"
)
#: Training (demo) documents: 青城管移〔培训2026〕1号, a series of their own (services/numbering).
TRAINING_TAG = "培训"


@dataclass(frozen=True)
class DocNumber:
    """A parsed 文号."""

    short_name: str
    year: int
    serial: int
    training: bool = False

    def __str__(self) -> str:
        return format_doc_number(self.short_name, self.year, self.serial, training=self.training)


def format_doc_number(short_name: str, year: int, serial: int, *, training: bool = False) -> str:
    """``format_doc_number("青城管移", 2026, 15) == "青城管移〔2026〕15号"``; a training document's
    number carries 培训 in its brackets (青城管移〔培训2026〕1号), so it never reads as a real one."""
    short = short_name.strip()
    if not short or any(c in short for c in "〔〕") or any(c.isspace() for c in short):
        raise ValueError(f"机关代字无效：{short_name!r}")
    if not 1900 <= year <= 9999:
        raise ValueError(f"年份无效：{year}")
    if serial < 1:
        raise ValueError(f"序号应从1开始：{serial}")
    tag = TRAINING_TAG if training else ""
    return f"{short}{_OPEN}{tag}{year}{_CLOSE}{serial}号"


def parse_doc_number(text: str, *, lenient: bool = False) -> DocNumber:
    """Parse a 文号 back. ``lenient`` also accepts [], 【】, () brackets, spaces and leading zeros."""
    s = text.strip()
    if lenient:
        s = re.sub(r"\s+", "", s.translate(_LENIENT_BRACKETS))
        s = re.sub(r"〕0+(?=\d)", _CLOSE, s)
    m = _NUMBER_RE.match(s)
    if not m:
        raise ValueError(
            f"文号格式不正确：{text!r}（应为 机关代字〔年份〕序号号，如 青城管移〔2026〕15号）"
        )
    return DocNumber(m["short"], int(m["year"]), int(m["serial"]), bool(m["training"]))


class SerialBlockExhaustedError(RuntimeError):
    """The block has no serial left: the laptop must get a new block before issuing more."""


@dataclass(frozen=True)
class SerialBlock:
    """Serials ``first..last`` (inclusive) of one agency / document type / year; ``next`` is unused.

    Immutable: :meth:`issue` returns the serial and the advanced block, so the store can persist the new
    state in the same transaction as the document that uses the serial.
    """

    agency: str
    doc_type: str
    year: int
    first: int
    last: int
    next: int

    def __post_init__(self) -> None:
        if self.first < 1 or self.last < self.first:
            raise ValueError(f"invalid serial range {self.first}..{self.last}")
        if not self.first <= self.next <= self.last + 1:
            raise ValueError(f"next={self.next} outside {self.first}..{self.last + 1}")

    @classmethod
    def new(cls, agency: str, doc_type: str, year: int, first: int, last: int) -> SerialBlock:
        return cls(agency, doc_type, year, first, last, first)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.agency, self.doc_type, self.year)

    @property
    def remaining(self) -> int:
        return self.last + 1 - self.next

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0

    def contains(self, serial: int) -> bool:
        return self.first <= serial <= self.last

    def overlaps(self, other: SerialBlock) -> bool:
        return self.key == other.key and self.first <= other.last and other.first <= self.last

    def issue(self) -> tuple[int, SerialBlock]:
        """Take the next serial; raises :class:`SerialBlockExhaustedError` when none is left."""
        if self.exhausted:
            raise SerialBlockExhaustedError(
                f"{self.agency} {self.doc_type} {self.year}年 的文号段 {self.first}-{self.last} 已用完"
            )
        return self.next, replace(self, next=self.next + 1)


def allocate_block(
    agency: str, doc_type: str, year: int, size: int, existing: Iterable[SerialBlock]
) -> SerialBlock:
    """A new block of ``size`` serials right after every existing block of the same key."""
    if size < 1:
        raise ValueError("size must be >= 1")
    key = (agency, doc_type, year)
    top = max((b.last for b in existing if b.key == key), default=0)
    return SerialBlock.new(agency, doc_type, year, top + 1, top + size)
