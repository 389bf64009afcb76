"""Phase 2 of rendering, the shared part: page items, glyph metrics and the body flow on the grid.

Letters (:mod:`letter_layout`) and the bulletin (:mod:`bulletin`) break and align their text here:
:func:`paragraph_lines` wraps a paragraph with the real advances of the face that draws it and
places each line (left with indents, centred, or right with a right indent), so both kinds of
document agree to the hundredth of a point on where a line starts and that none runs past the block.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.pdfbase.ttfonts import TTFont

from officer_app.documents.geometry import PageGeometry
from officer_app.documents.layout import wrap_text

__all__ = ["BodyFlow", "Metrics", "Page", "Photo", "Rule", "Text", "paragraph_lines"]


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    size: float
    char_space: float
    text: str
    role: str = "body"  # the face that draws it (documents/fonts.ROLES)
    rgb: tuple[float, float, float] | None = None  # None: black
    h_scale: float = 100.0  # PDF horizontal scaling (%), < 100 only to fit a line into the block


@dataclass(frozen=True)
class Photo:
    index: int  # into the evidence list
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Rule:
    """A filled rectangle (a red double line's stroke) or a stroked one (a table cell)."""

    x: float
    y: float
    width: float
    height: float
    rgb: tuple[float, float, float] = (0.0, 0.0, 0.0)
    fill: bool = True
    line_width: float = 0.5


Item = Text | Photo | Rule


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)


class Metrics:
    """Character advances per face, cached: layout asks for the same few thousand characters
    again and again. ``font`` is the body face; ``fonts`` maps every role to its face."""

    def __init__(self, font: TTFont, fonts: dict[str, TTFont] | None = None) -> None:
        self.font = font
        self.fonts = fonts or {"body": font}
        self._cache: dict[tuple[str, float], float] = {}
        self._role_cache: dict[tuple[str, str, float], float] = {}

    def advance(self, ch: str, size: float, char_space: float, role: str = "body") -> float:
        if role != "body":
            key_r = (role, ch, size)
            w = self._role_cache.get(key_r)
            if w is None:
                w = self._role_cache[key_r] = self.fonts[role].stringWidth(ch, size)
            return w + char_space
        key = (ch, size)
        w = self._cache.get(key)
        if w is None:
            w = self._cache[key] = self.font.stringWidth(ch, size)
        return w + char_space

    def width(self, text: str, size: float, char_space: float, role: str = "body") -> float:
        if not text:
            return 0.0
        return sum(self.advance(c, size, char_space, role) for c in text) - char_space


def paragraph_lines(
    text: str,
    geo: PageGeometry,
    m: Metrics,
    *,
    size: float,
    first_indent_chars: float = 2,
    indent_chars: float = 0,
    align: str = "left",
    right_indent_chars: float = 0,
    role: str = "body",
) -> list[tuple[str, float, float]]:
    """``(line, x, char_space)`` of every line of ``text`` (newlines start new paragraphs with
    the same indents). Body-size text sits on the 28-character grid (its character spacing makes 28
    full-width glyphs fill the block); other sizes use their em as the indent unit."""
    cs = geo.body_char_space if size == geo.body_size else 0.0
    cell = geo.char_pitch if size == geo.body_size else size
    right = right_indent_chars * cell
    placed: list[tuple[str, float, float]] = []
    for para in text.split("\n"):
        lines = wrap_text(
            para,
            lambda ch: m.advance(ch, size, cs, role),
            geo.text_width - right,
            first_indent=first_indent_chars * cell,
            indent=indent_chars * cell,
            trailing=cs if geo.exact_fill else 0.0,
        )
        for indent, line in lines:
            width = m.width(line, size, cs, role)
            if align == "center":
                x = geo.text_left + (geo.text_width - width) / 2
            elif align == "right":
                x = geo.text_right - right - width
            else:
                x = geo.text_left + indent
            placed.append((line, x, cs))
    return placed


class BodyFlow:
    """Places lines on the 22-line grid, starting new pages when the grid is full.

    Two GB/T 9704 page-break rules need more than "next line, next page": a heading line (``标签：``
    over its block) must not be the last line at a page foot, and the signature block must share its
    page with body text. So the flow remembers each line's grid slot and whether it is kept with the
    line after it, and :meth:`keep_together` can move the last lines of a page onto the next one.
    """

    def __init__(self, geo: PageGeometry, metrics: Metrics) -> None:
        self.geo, self.m = geo, metrics
        self.pages: list[Page] = [Page()]
        # Per page, per item: (grid slot, kept with the next line). Parallel to ``pages[i].items``.
        self._grid: list[list[tuple[int, bool]]] = [[]]
        self.slot = 0

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            if self.slot > 0:  # blank lines at the top of a page are dropped
                self._advance()

    def _new_page(self) -> None:
        self.pages.append(Page())
        self._grid.append([])
        self.slot = 0

    def _advance(self) -> None:
        self.slot += 1
        if self.slot >= self.geo.lines_per_page:
            self._new_page()

    def new_page(self) -> None:
        """Start the next page (an attachment starts on its own page, GB/T 9704 §8)."""
        if self.slot > 0 or self.pages[-1].items:
            self._new_page()

    def _place(
        self, text: str, x: float, size: float, cs: float, keep: bool = False, role: str = "body"
    ) -> None:
        y = self.geo.baseline(self.slot, size)
        self.pages[-1].items.append(Text(x, y, size, cs, text, role))
        self._grid[-1].append((self.slot, keep))
        self._advance()

    def keep_together(self, lines: int, *, with_previous: int = 1) -> None:
        """Make room for a block of ``lines`` grid lines (blank lines included) that must neither
        be split over two pages nor open a page: when it does not fit below the current line, the
        page is broken earlier, so the last ``with_previous`` lines placed (and any heading lines
        kept with them) move to the new page and stand above the block.

        GB/T 9704 wants the signature and date on a page with body text; a page holding only the
        signature (or a signature with its date on the next page) is what this prevents.
        """
        lpp = self.geo.lines_per_page
        if lines >= lpp or (self.slot > 0 and self.slot + lines <= lpp):
            return  # fits here (or could not fit on any page with text above it)
        if self.slot > 0:
            self._new_page()
        if len(self.pages) < 2:
            return
        items, grid = self.pages[-2].items, self._grid[-2]
        k = min(with_previous, len(items) - 1)  # the page it comes from keeps at least one line
        while 0 < k < len(items) - 1 and grid[-k - 1][1]:
            k += 1  # a heading goes with the line it heads
        if k <= 0:
            return
        first = grid[-k][0]
        for item, (slot, keep) in zip(items[-k:], grid[-k:], strict=True):
            new_slot = slot - first  # blank lines between the moved lines are kept
            assert isinstance(item, Text)  # the body flow places text only
            self.pages[-1].items.append(
                dataclasses.replace(item, y=self.geo.baseline(new_slot, item.size))
            )
            self._grid[-1].append((new_slot, keep))
            self.slot = new_slot + 1
        del items[-k:], grid[-k:]

    def lines_needed(self, lay_out: Callable[[BodyFlow], None]) -> int:
        """Grid lines ``lay_out`` takes when it starts below a line of text (its leading blank
        lines count), measured on a scratch flow so nothing is placed here."""
        probe = BodyFlow(self.geo, self.m)
        probe.slot = 1
        lay_out(probe)
        return (len(probe.pages) - 1) * self.geo.lines_per_page + probe.slot - 1

    def paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        first_indent_chars: float = 2,
        indent_chars: float = 0,
        align: str = "left",
        right_indent_chars: float = 0,
        keep_with_next: bool = False,
        role: str = "body",
    ) -> None:
        """Wrap and place a paragraph (newlines start new paragraphs with the same indents).

        ``keep_with_next``: the paragraph is a heading; it moves to the next page rather than end a
        page, and :meth:`keep_together` moves it along with the line that follows it.
        """
        geo = self.geo
        size = size or geo.body_size
        placed = paragraph_lines(
            text,
            geo,
            self.m,
            size=size,
            first_indent_chars=first_indent_chars,
            indent_chars=indent_chars,
            align=align,
            right_indent_chars=right_indent_chars,
            role=role,
        )
        if keep_with_next and self.slot > 0 and self.slot + len(placed) >= geo.lines_per_page:
            self._new_page()  # no room for the first line it heads: the heading goes over too
        for line, x, cs in placed:
            self._place(line, x, size, cs, keep=keep_with_next, role=role)
