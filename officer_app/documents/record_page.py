"""The signature block at the foot of every page of an on-the-spot record (笔录).

A 现场检查（勘验）笔录 is signed on every page by the party or a witness and by the officers, under
以上笔录已阅，无误 (行政处罚法 §42, §55; forms/README.md ``page_footer``), so a page cannot be
swapped after signing. The form says what the block holds::

    "page_footer": {"space_before": 1, "lines": [["以上笔录已阅，无误。"],
                                                  ["{party_role}签名：", "执法人员签名："]]}

Each line has one or two cells (the second starts at the middle of the text block); ``{field}``
placeholders take the filled values. The block takes the last grid lines of every page, body and
photo pages alike: the body flows on a shorter grid (same line pitch), the page number and QR code
stay where GB/T 9704 puts them. Letters have no ``page_footer`` and are laid out as before.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from officer_app.documents.form_schema import PLACEHOLDER, FormDefinitionError
from officer_app.documents.geometry import PageGeometry

__all__ = ["PageFooter", "page_footer"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageFooter:
    """The filled block and the geometry left for the page's content above it."""

    lines: tuple[tuple[str, ...], ...]
    space_before: int
    geometry: PageGeometry  # the full page (where the block is drawn)
    body_geometry: PageGeometry  # the grid above the block

    @property
    def grid_lines(self) -> int:
        return self.space_before + len(self.lines)

    @property
    def text(self) -> str:
        """All characters the block prints (for the font's glyph check)."""
        return "".join(cell for line in self.lines for cell in line)

    def placements(self) -> list[tuple[float, float, float, float, str]]:
        """``(x, baseline, size, char_space, text)`` of every cell, in the full page's grid."""
        geo = self.geometry
        first = geo.lines_per_page - len(self.lines)
        out = []
        for i, line in enumerate(self.lines):
            y = geo.baseline(first + i, geo.body_size)
            for col, cell in enumerate(line):
                if cell:
                    x = geo.text_left + col * (geo.text_width / 2)
                    out.append((x, y, geo.body_size, geo.body_char_space, cell))
        return out


def _units(text: str) -> float:
    """Width in grid characters, erring wide: full-width and ambiguous characters (—, …) take a
    cell, Latin, digits and ASCII punctuation a little over half of one in the bundled 仿宋."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "FWA" else 0.62 for c in text)


def _wrap(text: str, capacity: float) -> list[str]:
    out, line, used = [], "", 0.0
    for c in text:
        w = _units(c)
        if line and used + w > capacity:
            out.append(line)
            line, used = "", 0.0
        line, used = line + c, used + w
    return [*out, line]


def _wrapped(cells: list[str], geometry: PageGeometry) -> list[tuple[str, ...]]:
    """A line of the block as grid lines: each cell wrapped within its column (the whole text
    block, or half of it for two cells), so no filled value runs past the 156 mm block."""
    per_line = geometry.chars_per_line
    capacity = (per_line if len(cells) == 1 else per_line / 2) - 1
    columns = [_wrap(c, capacity) for c in cells]
    return list(itertools.zip_longest(*columns, fillvalue=""))


def page_footer(
    form: Mapping[str, Any], resolved: Mapping[str, str], geometry: PageGeometry
) -> PageFooter | None:
    """The form's per-page signature block filled with ``resolved``; ``None`` for a form without
    one. Raises :class:`FormDefinitionError` for a malformed block."""
    spec = form.get("page_footer")
    if spec is None:
        return None
    raw_lines = spec.get("lines") if isinstance(spec, Mapping) else None
    if not isinstance(raw_lines, list) or not raw_lines:
        raise FormDefinitionError("page_footer needs a non-empty list of lines")
    lines: list[tuple[str, ...]] = []
    for raw in raw_lines:
        if not isinstance(raw, list) or not 1 <= len(raw) <= 2:
            raise FormDefinitionError("page_footer: each line is a list of one or two cells")
        cells = []
        for cell in raw:
            for ref in PLACEHOLDER.findall(str(cell)):
                if ref not in resolved:
                    raise FormDefinitionError(f"page_footer refers to unknown field {ref!r}")
            cells.append(PLACEHOLDER.sub(lambda m: resolved[m.group(1)], str(cell)))
        lines.extend(_wrapped(cells, geometry))
    space = int(spec.get("space_before", 1))
    if space + len(raw_lines) > geometry.lines_per_page // 2:
        raise FormDefinitionError("page_footer takes more than half of the page")
    room = geometry.lines_per_page // 2 - space
    if len(lines) > room:  # filled values too long for the block: cut, never past the page
        log.warning("page_footer: %d lines cut to %d", len(lines), room)
        lines = lines[:room]
        lines[-1] = tuple(c[:-1] + "…" if c else c for c in lines[-1])
    taken = space + len(lines)
    left = geometry.lines_per_page - taken
    body = dataclasses.replace(
        geometry, lines_per_page=left, text_height=geometry.line_pitch * left
    )
    return PageFooter(tuple(lines), space, geometry, body)
