"""Line breaking for CJK text on a fixed character grid.

CJK text has no word breaks: lines break between any two characters, except that closing punctuation
must not start a line and opening punctuation must not end one (避头尾), and short Latin/number runs
(a plate, a USCC, a time) are kept whole when they fit on one line. Widths come from the font, so
half-width digits take half a cell and a line never runs past the text block.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["NO_LINE_END", "NO_LINE_START", "wrap_text"]

NO_LINE_START = frozenset("，。、；：？！）》」』〕】〉’”…—·%‰,.;:?!)]}")
NO_LINE_END = frozenset("（《「『〔【〈‘“([{")
_KEEP_RUN_MAX = 20  # longer ASCII runs (hashes) are broken anywhere


def _is_run_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_:/.")


def wrap_text(
    text: str,
    width_of: Callable[[str], float],
    max_width: float,
    *,
    first_indent: float = 0.0,
    indent: float = 0.0,
    trailing: float = 0.0,
) -> list[tuple[float, str]]:
    """Break one paragraph (no newlines) into ``(indent, line)`` pairs that fit ``max_width``.

    ``width_of(ch)`` is the advance of one character including character spacing; ``trailing``
    is that spacing, which follows the last glyph of a line but is no part of it: a line fits when
    its glyphs do (layout 1 passed 0 and let a full line's spacing count against its last glyph).
    """
    lines: list[tuple[float, str]] = []
    chars = list(text)
    start = 0
    n = len(chars)
    if n == 0:
        return [(first_indent, "")]
    while start < n:
        cur_indent = first_indent if not lines else indent
        room = max_width - cur_indent
        width = 0.0
        end = start
        while end < n and width + width_of(chars[end]) - trailing <= room + 1e-6:
            width += width_of(chars[end])
            end += 1
        if end == start:  # a single character wider than the line: place it anyway
            end = start + 1
        if end < n:
            end = _adjust_break(chars, start, end)
        lines.append((cur_indent, "".join(chars[start:end])))
        start = end
    return lines


def _adjust_break(chars: list[str], start: int, end: int) -> int:
    """Move a break earlier for 避头尾 and to keep short ASCII runs whole; never to an empty line."""
    best = end
    # Keep a short ASCII run together if it started on this line.
    if _is_run_char(chars[end]) and _is_run_char(chars[end - 1]):
        run_start = end - 1
        while run_start > start and _is_run_char(chars[run_start - 1]):
            run_start -= 1
        run_end = end
        while run_end < len(chars) and _is_run_char(chars[run_end]):
            run_end += 1
        if run_start > start and run_end - run_start <= _KEEP_RUN_MAX:
            best = run_start
    # 避头尾: pull characters down (at most a few) so no line starts/ends with forbidden punctuation.
    for _ in range(3):
        if best - 1 <= start:
            break
        if chars[best] in NO_LINE_START or chars[best - 1] in NO_LINE_END:
            best -= 1
        else:
            break
    # The kinsoku pull may have moved the break into a short ASCII run (代码32050|9）): keep it whole.
    if best > start and _is_run_char(chars[best]) and _is_run_char(chars[best - 1]):
        run_start = best - 1
        while run_start > start and _is_run_char(chars[run_start - 1]):
            run_start -= 1
        if run_start > start:
            best = run_start
    return best if best > start else end
