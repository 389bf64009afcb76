"""Page geometry of printed documents: GB/T 9704-2012 defaults, in PDF points.

All layout decisions (margins, grid, sizes) live here so a region with a local variant changes one
object, not the renderer. The body is a fixed grid of 22 lines × 28 characters: the character pitch is
156 mm / 28 (a 16 pt glyph plus a small negative character spacing) and the line pitch 225 mm / 22,
which is what makes a printed page look like the ones typed in office suites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# reportlab's own unit arithmetic, repeated so that date formatting and page geometry do not load
# the PDF stack (the float values are identical, so PDFs stay byte-for-byte the same).
_INCH = 72.0
_CM = _INCH / 2.54
mm = _CM * 0.1
A4 = (210 * mm, 297 * mm)
_CST = timezone(timedelta(hours=8))

__all__ = ["DEFAULT_GEOMETRY", "PageGeometry", "format_cn_date", "format_cn_datetime"]


@dataclass(frozen=True)
class PageGeometry:
    page_width: float = A4[0]
    page_height: float = A4[1]
    top_margin: float = 37 * mm
    left_margin: float = 28 * mm
    text_width: float = 156 * mm
    text_height: float = 225 * mm
    body_size: float = 16.0  # 3号
    chars_per_line: int = 28
    lines_per_page: int = 22
    title_size: float = 22.0  # 2号
    page_number_size: float = 14.0  # 4号
    page_number_gap: float = 7 * mm  # 一字线 top is 7 mm below the text block
    caption_size: float = 10.5  # 5号, for evidence captions
    qr_size: float = 16 * mm
    # Fraction of the em box above the baseline; places glyphs vertically centred in a line slot.
    ascent_ratio: float = 0.88
    #: Layout 2: 28 glyphs and the 27 spaces between them fill the block exactly, so the last
    #: glyph of a full line ends on the block's edge. Layout 1 spaced 28 pitches of 156/28 mm, which
    #: put every full line's last glyph 0.07 mm past the block (kept for old documents).
    exact_fill: bool = False

    @property
    def char_pitch(self) -> float:
        if self.exact_fill:
            return self.body_size + self.body_char_space
        return self.text_width / self.chars_per_line

    @property
    def body_char_space(self) -> float:
        """PDF Tc for body text: makes 28 full-width 16 pt glyphs fill the text width."""
        if self.exact_fill:
            n = self.chars_per_line
            return (self.text_width - n * self.body_size) / (n - 1)
        return self.char_pitch - self.body_size

    @property
    def line_pitch(self) -> float:
        return self.text_height / self.lines_per_page

    @property
    def text_left(self) -> float:
        return self.left_margin

    @property
    def text_right(self) -> float:
        return self.left_margin + self.text_width

    @property
    def text_top(self) -> float:
        return self.page_height - self.top_margin

    @property
    def text_bottom(self) -> float:
        return self.text_top - self.text_height

    def baseline(self, slot: int, size: float | None = None) -> float:
        """Baseline of line slot ``slot`` (0 = first line), glyph box centred in the slot."""
        size = size or self.body_size
        slot_top = self.text_top - slot * self.line_pitch
        return slot_top - (self.line_pitch - size) / 2 - self.ascent_ratio * size

    def page_number_baseline(self) -> float:
        return self.text_bottom - self.page_number_gap - self.ascent_ratio * self.page_number_size


DEFAULT_GEOMETRY = PageGeometry()


def format_cn_date(value: date | datetime | str) -> str:
    """``2026年3月5日``: Arabic numerals, no leading zeros (GB/T 9704 成文日期). Accepts ISO strings."""
    if isinstance(value, str):
        value = date.fromisoformat(value.strip()[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def format_cn_datetime(value: datetime | str) -> str:
    """``2026年3月5日10时21分33秒`` for evidence times (seconds matter for photos), in China
    Standard Time when the value carries an offset; documents write 10时21分, never 10:21."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(_CST)
    return f"{format_cn_date(value)}{value.hour}时{value.minute}分{value.second}秒"
