"""The quarterly bulletin (专项通报) PDF: GB/T 9704 page, embedded font, tables and charts.

Form definitions (``forms/*.json``) describe letters of labelled fields; a bulletin needs tables and
pictures, so it has this dedicated path. It reuses what makes a document look official and identical
everywhere: the page geometry (:mod:`geometry`), the CJK font checked glyph by glyph and embedded as
a subset (:mod:`fonts`), the line breaking with 避头尾 (:mod:`layout`) and reportlab's invariant
mode (same content → same bytes). Body text sits on the 22-line grid; tables and charts take the
height they need and the text resumes on the next grid line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from officer_app.documents.draw import draw_item
from officer_app.documents.flow import Metrics, paragraph_lines
from officer_app.documents.fonts import (
    MissingGlyphsError,
    font_sha256,
    load_faces,
    load_font,
    missing_glyphs,
)
from officer_app.documents.geometry import DEFAULT_GEOMETRY, PageGeometry, mm
from officer_app.documents.layout import wrap_text
from officer_app.documents.letter_format import letterhead_items
from officer_app.documents.watermark import draw_watermark
from officer_app.fileio import write_output

__all__ = ["BulletinContent", "BulletinImage", "BulletinResult", "BulletinTable", "render_bulletin"]

TABLE_SIZE = 10.5  # 5号
TABLE_PAD = 2.5


@dataclass(frozen=True)
class BulletinTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | int | float, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty


@dataclass(frozen=True)
class BulletinImage:
    png: bytes
    height_mm: float
    caption: str


Block = tuple[
    str, object
]  # ("heading" | "paragraph", str) | ("table", BulletinTable) | ("image", …)


@dataclass
class BulletinContent:
    title: str
    recipient: str
    blocks: list[Block] = field(default_factory=list)
    issuer: str = ""
    date_text: str = ""


@dataclass(frozen=True)
class BulletinResult:
    sha256: str
    pages: int
    font_sha256: str


def cell_text(value: str | int | float) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


_TABLE_LEAD = 3 * (TABLE_SIZE * 1.35 + 2 * TABLE_PAD)  # header and two rows


class _Flow:
    def __init__(
        self,
        canvas: Canvas,
        font_name: str,
        geo: PageGeometry,
        metrics: Metrics,
        watermark: str | None = None,
        fonts: dict[str, str] | None = None,
        first_numbered_page: int = 1,
    ) -> None:
        self.c, self.font, self.geo, self.m = canvas, font_name, geo, metrics
        self.watermark = watermark
        self.fonts = fonts or {}  # role → registered font name (layout 2)
        self.first_numbered_page = first_numbered_page
        self.page = 1
        self.y = geo.text_top  # top of the next free space
        self._start_page()

    # paging
    def _start_page(self) -> None:
        if self.watermark:
            draw_watermark(self.c, self.font, self.geo, self.watermark)

    def new_page(self) -> None:
        self._furniture()
        self.c.showPage()
        self.page += 1
        self.y = self.geo.text_top
        self._start_page()

    def _furniture(self) -> None:
        geo, size = self.geo, self.geo.page_number_size
        label = f"— {self.page} —"
        if self.page < self.first_numbered_page:
            return  # GB/T 9704 §10.1: 首页不显示页码
        self.c.setFont(self.font, size)
        if self.page % 2:
            self.c.drawRightString(geo.text_right - size, geo.page_number_baseline(), label)
        else:
            self.c.drawString(geo.text_left + size, geo.page_number_baseline(), label)

    def finish(self) -> None:
        self._furniture()
        self.c.showPage()

    def room(self, height: float) -> None:
        """A new page unless ``height`` fits below; nothing when it could not fit on any page
        (keeping more than a page together would only leave a page short or blank)."""
        geo = self.geo
        if self.y - height < geo.text_bottom - 0.5 and height <= geo.text_top - geo.text_bottom:
            self.new_page()

    def snap(self) -> None:
        """Back onto the body grid after a table or chart."""
        geo = self.geo
        used = (geo.text_top - self.y) / geo.line_pitch
        slot = int(used) + (1 if used - int(used) > 1e-6 else 0)
        self.y = geo.text_top - slot * geo.line_pitch

    # text on the grid
    def line(self, text: str, x: float, size: float, cs: float, role: str = "body") -> None:
        geo = self.geo
        self.room(geo.line_pitch)
        baseline = self.y - (geo.line_pitch - size) / 2 - geo.ascent_ratio * size
        self.c.setFont(self.fonts.get(role, self.font), size)
        self.c.drawString(x, baseline, text, charSpace=cs)
        self.y -= geo.line_pitch

    def paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        align: str = "left",
        indent_chars: float = 2,
        right_chars: float = 0,
        role: str = "body",
    ) -> None:
        """Lines broken and aligned by the flow letters use (:func:`flow.paragraph_lines`)."""
        size = size or self.geo.body_size
        for ln, x, cs in self._wrap(text, size, indent_chars, right_chars, align, role):
            self.line(ln, x, size, cs, role)

    def _wrap(
        self,
        text: str,
        size: float,
        indent_chars: float,
        right_chars: float = 0,
        align: str = "left",
        role: str = "body",
    ) -> list[tuple[str, float, float]]:
        return paragraph_lines(
            text,
            self.geo,
            self.m,
            size=size,
            first_indent_chars=indent_chars,
            align=align,
            right_indent_chars=right_chars,
            role=role,
        )

    def text_height(self, text: str, indent_chars: float = 2) -> float:
        return len(self._wrap(text, self.geo.body_size, indent_chars)) * self.geo.line_pitch

    def lead(self, kind: str, value: object) -> float:
        """The start of a block that must share a page with the heading above it."""
        geo = self.geo
        if kind in ("heading", "paragraph") and isinstance(value, str):
            return min(self.text_height(value), 2 * geo.line_pitch)
        if kind == "table":
            return geo.line_pitch + _TABLE_LEAD
        if kind == "image" and isinstance(value, BulletinImage):
            return self._image_size(value)[1] + 2 * geo.line_pitch
        return geo.line_pitch

    # tables and pictures
    def table(self, table: BulletinTable, *, keep_after: float = 0.0) -> None:
        """``keep_after``: room the last row keeps below it (the signature must not stand alone
        on a page: GB/T 9704 puts it after body text on the same page)."""
        geo, size = self.geo, TABLE_SIZE
        # Keep the title with the header and the first rows (no orphaned heading at a page foot),
        # and a short table whole with what must follow it.
        self.room(geo.line_pitch + _TABLE_LEAD + (keep_after if len(table.rows) <= 2 else 0.0))
        self.paragraph(table.title, indent_chars=0, align="center", size=14.0)
        n = len(table.header)
        rel = table.widths or tuple(1.0 for _ in range(n))
        widths = [geo.text_width * r / sum(rel) for r in rel]
        leading = size * 1.35

        def cells(values: Sequence[str | int | float]) -> list[list[str]]:
            return [
                [
                    t
                    for _, t in wrap_text(
                        cell_text(v), lambda ch: self.m.advance(ch, size, 0.0), w - 2 * TABLE_PAD
                    )
                ]
                for v, w in zip(values, widths, strict=True)
            ]

        def draw_row(values: Sequence[str | int | float], header: bool, keep: float = 0) -> None:
            wrapped = cells(values)
            height = max(len(c) for c in wrapped) * leading + 2 * TABLE_PAD
            if self.y - height - keep < geo.text_bottom:
                self.new_page()
                if not header:
                    draw_row(table.header, True)
            top, x = self.y, geo.text_left
            if header:
                self.c.setFillGray(0.9)
                self.c.rect(geo.text_left, top - height, geo.text_width, height, stroke=0, fill=1)
                self.c.setFillGray(0)
            self.c.setFont(self.font, size)
            for lines, w, v in zip(wrapped, widths, values, strict=True):
                self.c.rect(x, top - height, w, height, stroke=1, fill=0)
                numeric = isinstance(v, int | float) and not header
                for i, t in enumerate(lines):
                    base = top - TABLE_PAD - i * leading - geo.ascent_ratio * size - 1
                    if numeric:
                        self.c.drawRightString(x + w - TABLE_PAD, base, t)
                    elif header:
                        self.c.drawCentredString(x + w / 2, base, t)
                    else:
                        self.c.drawString(x + TABLE_PAD, base, t)
                x += w
            self.y = top - height

        self.c.setLineWidth(0.5)
        draw_row(table.header, True)
        for n, row in enumerate(table.rows, 1):
            draw_row(row, False, keep_after if n == len(table.rows) else 0)
        self.y -= 4
        self.snap()

    def _image_size(self, img: BulletinImage) -> tuple[float, float]:
        pw, ph = ImageReader(io.BytesIO(img.png)).getSize()
        width = min(self.geo.text_width, img.height_mm * mm * pw / ph)
        return width, width * ph / pw

    def image(self, img: BulletinImage) -> None:
        geo = self.geo
        reader = ImageReader(io.BytesIO(img.png))
        width, height = self._image_size(img)
        self.room(height + geo.line_pitch)
        x = geo.text_left + (geo.text_width - width) / 2
        self.c.drawImage(reader, x, self.y - height, width, height, mask="auto")
        self.y -= height
        self.snap()
        if img.caption:
            self.paragraph(img.caption, indent_chars=0, align="center", size=12.0)


def _heading_role(text: str, layout: int) -> str:
    """GB/T 9704 §7.3.3: 一、 headings in 黑体, （一） headings in 楷体 (layout 2)."""
    if layout != 2:
        return "body"
    return "heading2" if text.startswith("（") else "heading1"


def _role_text(content: BulletinContent, role: str, letterhead: str | None) -> str:
    if role == "title":
        return content.title + (letterhead or "")
    return "".join(
        v
        for k, v in content.blocks
        if k == "heading" and isinstance(v, str) and _heading_role(v, 2) == role
    )


def _letter_start(
    canvas: Canvas,
    content: BulletinContent,
    number: str | None,
    geo: PageGeometry,
    faces: dict[str, TTFont],
    watermark: str | None,
    letterhead: str | None,
) -> _Flow:
    """Page 1 in the letter format: the letterhead (or, without one, a centred number) and the
    title, as letters have them (:mod:`letter_format`)."""
    metrics = Metrics(faces["body"], faces)
    names = {role: f.fontName for role, f in faces.items()}
    flow = _Flow(canvas, names["body"], geo, metrics, watermark, names, 2 if letterhead else 1)
    if letterhead:
        items, slot = letterhead_items(letterhead, number, geo, metrics)
        for item in items:
            draw_item(canvas, faces, item)
        flow.y = geo.text_top - slot * geo.line_pitch
        flow.paragraph(content.title, size=geo.title_size, align="center", indent_chars=0,
                       role="title")  # fmt: skip
    else:
        flow.paragraph(content.title, size=geo.title_size, align="center", indent_chars=0,
                       role="title")  # fmt: skip
        flow.paragraph(number or "（未编号草稿）", align="center", indent_chars=0)
    flow.line("", geo.text_left, geo.body_size, 0)
    return flow


def _all_text(content: BulletinContent) -> str:
    parts = [content.title, content.recipient, content.issuer, content.date_text]
    for _kind, value in content.blocks:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, BulletinTable):
            parts += [value.title, *value.header, *(cell_text(v) for r in value.rows for v in r)]
        elif isinstance(value, BulletinImage):
            parts.append(value.caption)
    return "".join(parts) + "— 0123456789"


def render_bulletin(
    content: BulletinContent,
    *,
    number: str | None,
    out: str | os.PathLike[str] | BinaryIO,
    font_path: str | os.PathLike[str] | None = None,
    geometry: PageGeometry = DEFAULT_GEOMETRY,
    watermark: str | None = None,
    layout: int = 1,
    letterhead: str | None = None,
) -> BulletinResult:
    """Draw the bulletin; raises :class:`MissingGlyphsError` before drawing anything.

    ``layout`` 2 is the letter format of letters (GB/T 9704 §10.1): ``letterhead`` (the issuing
    agency's full name) over red double lines, the number flush right, faces by role (title,
    一、 headings in 黑体), the signature centred over the date, no page number on page 1.
    Layout 1 is the bulletin as it was printed before (one face, centred number)."""
    font = load_font(font_path)
    faces: dict[str, TTFont] = {"body": font}
    if layout == 2:
        geometry = dataclasses.replace(geometry, exact_fill=True)
        faces = {role: face.font for role, face in load_faces().items()}
        if font_path is not None:
            faces["body"] = font
    lacking = missing_glyphs(_all_text(content) + (number or "") + (watermark or ""), font)
    for role in ("title", "heading1", "heading2"):
        if role in faces:
            lacking += missing_glyphs(_role_text(content, role, letterhead), faces[role])
    if lacking:
        raise MissingGlyphsError(lacking, font.face.name.decode("latin-1", "replace"))
    buf = io.BytesIO()
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas = Canvas(
            buf,
            pagesize=(geometry.page_width, geometry.page_height),
            invariant=1,
            pageCompression=1,
        )
        canvas.setTitle(f"{content.title} {number or ''}".strip())
        canvas.setCreator("officer_app")
        canvas.setAuthor("")
        if layout == 2:
            flow = _letter_start(canvas, content, number, geometry, faces, watermark, letterhead)
        else:
            flow = _Flow(canvas, font.fontName, geometry, Metrics(font), watermark)
            flow.paragraph(content.title, size=geometry.title_size, align="center", indent_chars=0)
            flow.paragraph(number or "（未编号草稿）", align="center", indent_chars=0)
            flow.line("", geometry.text_left, geometry.body_size, 0)
        if content.recipient:
            flow.paragraph(content.recipient + "：", indent_chars=0)
        pitch = geometry.line_pitch
        page_body = geometry.text_top - geometry.text_bottom
        signature = (1 + bool(content.issuer) + bool(content.date_text)) * pitch
        signature = signature if content.issuer or content.date_text else 0.0
        blocks = content.blocks
        for i, (kind, value) in enumerate(blocks):
            last = i == len(blocks) - 1
            if kind == "heading" and isinstance(value, str):
                after = flow.lead(*blocks[i + 1]) if not last else 0.0
                if i + 2 == len(blocks):  # a heading over the last block: that block's rule too
                    kind_n, value_n = blocks[-1]
                    if kind_n == "paragraph":
                        whole = flow.text_height(str(value_n)) + signature
                        after = whole if whole <= page_body - pitch else after
                    elif isinstance(value_n, BulletinTable) and len(value_n.rows) <= 2:
                        after += signature
                flow.room(flow.text_height(value) + after)  # no heading alone at a page foot
                flow.paragraph(value, indent_chars=2, role=_heading_role(value, layout))
            elif kind == "paragraph" and isinstance(value, str):
                if last:  # the signature follows body text on its page, never alone
                    flow.room(flow.text_height(value) + signature)
                flow.paragraph(value)
            elif kind == "table" and isinstance(value, BulletinTable):
                flow.table(value, keep_after=signature if last else 0.0)
            elif kind == "image" and isinstance(value, BulletinImage):
                flow.image(value)
        if content.issuer or content.date_text:
            flow.line("", geometry.text_left, geometry.body_size, 0)
            if content.issuer and layout == 2 and content.date_text:
                # GB/T 9704 §7.3.5.1: 署名 centred over the 成文日期 (右空四字).
                geo, m = geometry, flow.m
                date_w = m.width(content.date_text, geo.body_size, geo.body_char_space)
                text_w = m.width(content.issuer, geo.body_size, geo.body_char_space)
                right = max(0.0, (4 * geo.char_pitch + (date_w - text_w) / 2) / geo.char_pitch)
                flow.paragraph(content.issuer, align="right", indent_chars=0, right_chars=right)
            elif content.issuer:
                flow.paragraph(content.issuer, align="right", indent_chars=0, right_chars=4)
            if content.date_text:
                flow.paragraph(content.date_text, align="right", indent_chars=0, right_chars=4)
        flow.finish()
        pages = flow.page
        canvas.save()
    finally:
        rl_config.useA85 = saved
    data = buf.getvalue()
    write_output(out, data)
    return BulletinResult(hashlib.sha256(data).hexdigest(), pages, font_sha256(font))
