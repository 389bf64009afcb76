"""Where every glyph of a PDF page really is: a small content-stream interpreter for the tests.

pypdf's ``visitor_text`` gives where a run starts but not its character spacing (``Tc``) or
horizontal scaling (``Tz``), so it cannot say where a run *ends*. This follows the text and graphics
state operators reportlab writes (q/Q, cm, BT/ET, Tf, Tc, Tz, TL, Tm, Td, T*, Tj, TJ, rg, re) and
measures each glyph with the widths the PDF itself declares (``/Widths`` per subset font, decoded
through its ``/ToUnicode`` map): the advance a viewer or printer uses, not the renderer's own idea.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pypdf
from pypdf.generic import ContentStream

MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    text: str
    x0: float  # start of the first glyph, points from the page's left edge
    x1: float  # end of the last glyph's advance
    y: float  # baseline, points from the page's bottom edge
    size: float
    font: str  # BaseFont without the subset prefix, e.g. ZhuqueFangsong-Regular
    rgb: tuple[float, float, float]
    h_scale: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    rgb: tuple[float, float, float]
    filled: bool


@dataclass
class _Font:
    name: str
    to_unicode: dict[int, str]
    widths: dict[int, float]


def _fonts(page: pypdf.PageObject) -> dict[str, _Font]:
    out: dict[str, _Font] = {}
    resources = page.get("/Resources", {})
    for key, ref in (resources.get("/Font") or {}).items():
        f = ref.get_object()
        base = str(f.get("/BaseFont", ""))
        name = base.split("+", 1)[1] if "+" in base else base.lstrip("/")
        cmap: dict[int, str] = {}
        if "/ToUnicode" in f:
            data = f["/ToUnicode"].get_object().get_data().decode("latin-1")
            for section in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
                for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
                    cmap[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
        first = int(f.get("/FirstChar", 0))
        widths = {first + i: float(w) for i, w in enumerate(f.get("/Widths", []))}
        out[str(key)] = _Font(name, cmap, widths)
    return out


def _mul(a: list[float], b: list[float]) -> list[float]:
    """PDF matrix product a × b (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def page_content(page: pypdf.PageObject) -> tuple[list[Run], list[Box]]:
    """Every text run and every rectangle of ``page``, in page coordinates."""
    fonts = _fonts(page)
    contents = page.get_contents()
    if contents is None:
        return [], []
    ops = ContentStream(contents, page.pdf).operations
    runs: list[Run] = []
    boxes: list[Box] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[tuple[Any, ...]] = []
    rgb = (0.0, 0.0, 0.0)
    tm = lm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    tc, tz, tl, size = 0.0, 100.0, 0.0, 0.0
    font: _Font | None = None
    pending_rect: list[float] | None = None
    block_start = 0

    def show(obj: Any) -> None:
        nonlocal tm
        raw = obj.get_original_bytes() if hasattr(obj, "get_original_bytes") else bytes(obj)
        assert font is not None
        text, adv = [], 0.0
        for b in raw:
            text.append(font.to_unicode.get(b, chr(b)))
            adv += (font.widths.get(b, 0.0) / 1000 * size + tc) * tz / 100
        m = _mul(tm, ctm)
        end = adv - tc * tz / 100  # the last glyph's spacing is not part of the line
        runs.append(Run("".join(text), m[4], m[4] + end * m[0], m[5], size, font.name, rgb, tz))
        tm = _mul([1, 0, 0, 1, adv, 0], tm)

    for operands, op in ops:
        o = op.decode() if isinstance(op, bytes) else op
        if o == "q":  # the text state is part of the graphics state
            stack.append((list(ctm), rgb, tc, tz, tl, font, size))
        elif o == "Q":
            ctm, rgb, tc, tz, tl, font, size = stack.pop()
        elif o == "cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif o == "rg":
            rgb = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif o == "g":
            rgb = (float(operands[0]),) * 3  # type: ignore[assignment]
        elif o == "re":
            pending_rect = [float(v) for v in operands]
        elif o in ("f", "f*", "F", "S", "s", "B", "B*") and pending_rect is not None:
            x, y, w, h = pending_rect
            p = _mul([1, 0, 0, 1, x, y], ctm)
            boxes.append(Box(p[4], p[5], w * ctm[0], h * ctm[3], rgb, o.startswith(("f", "F"))))
            pending_rect = None
        elif o == "BT":
            tm = lm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            block_start = len(runs)
        elif o == "ET":
            _merge(runs, block_start)
        elif o == "Tf":
            font, size = fonts.get(str(operands[0])), float(operands[1])
        elif o == "Tc":
            tc = float(operands[0])
        elif o == "Tz":
            tz = float(operands[0])
        elif o == "TL":
            tl = float(operands[0])
        elif o == "Tm":
            tm = lm = [float(v) for v in operands]
        elif o in ("Td", "TD"):
            lm = _mul([1, 0, 0, 1, float(operands[0]), float(operands[1])], lm)
            tm = lm
            if o == "TD":
                tl = -float(operands[1])
        elif o == "T*":
            lm = _mul([1, 0, 0, 1, 0, -tl], lm)
            tm = lm
        elif o == "Tj":
            show(operands[0])
        elif o == "TJ":
            for part in operands[0]:
                if isinstance(part, int | float) or hasattr(part, "as_numeric"):
                    tm = _mul([1, 0, 0, 1, -float(part) / 1000 * size * tz / 100, 0], tm)
                else:
                    show(part)
    return runs, boxes


def _merge(runs: list[Run], start: int) -> None:
    """One run per line: reportlab splits a line's string where its characters fall into
    different 256-glyph subsets of the same face; pieces on one baseline, each starting where the
    previous one's advance ends, are one line."""
    merged: list[Run] = []
    for run in runs[start:]:
        prev = merged[-1] if merged else None
        if prev is not None and abs(prev.y - run.y) < 1e-6 and prev.font == run.font:
            merged[-1] = Run(
                prev.text + run.text, prev.x0, run.x1, prev.y, prev.size, prev.font, prev.rgb,
                prev.h_scale,
            )  # fmt: skip
        else:
            merged.append(run)
    runs[start:] = merged


def document_runs(data: Any) -> list[list[Run]]:
    """Runs per page of a PDF (bytes or reader)."""
    import io

    reader = data if isinstance(data, pypdf.PdfReader) else pypdf.PdfReader(io.BytesIO(data))
    return [page_content(p)[0] for p in reader.pages]
