"""Render a declarative form definition (``forms/*.json``) with values into a PDF.

Three phases, so nothing half-drawn ever reaches the printer:

1. *resolve*: check the form definition, pick every field value (by name or by its dotted ``source``
   path into case data), format it (dates as 2026年3月5日) and refuse missing required fields;
2. *lay out*: break text onto the GB/T 9704 grid (22 lines × 28 characters, flowing onto more pages;
   a heading never ends a page and the signature with its date never stands alone on one)
   and lay out evidence attachment pages (one photo per half page, with time, position, jurisdiction
   and SHA-256); then check every character against the font (:class:`MissingGlyphsError`);
3. *draw*: photos are read, verified against their recorded SHA-256 and decoded once, at reduced size
   (Pillow ``draft``), then embedded as JPEG; every page gets its number and a QR code carrying the
   document number and the content hash.

The output is deterministic: reportlab's invariant mode fixes the creation date and document ID, so the
same content and the same font file give byte-identical PDFs (and the same SHA-256).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image, ImageOps
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from officer_app.documents.fonts import MissingGlyphsError, font_sha256, load_font, missing_glyphs
from officer_app.documents.form_schema import (
    BLOCK_TYPES,
    FIELD_KINDS,
    PLACEHOLDER,
    FormDefinitionError,
    FormValueError,
    validate_form,
)
from officer_app.documents.geometry import (
    DEFAULT_GEOMETRY,
    PageGeometry,
    format_cn_date,
    format_cn_datetime,
)
from officer_app.documents.layout import wrap_text
from officer_app.documents.record_page import page_footer
from officer_app.documents.watermark import draw_watermark
from officer_app.store.atomic import write_output

__all__ = [
    "BLOCK_TYPES",
    "FIELD_KINDS",
    "EvidenceIntegrityError",
    "FormDefinitionError",
    "FormValueError",
    "RenderResult",
    "content_sha256",
    "prepare_photo",
    "render_document",
    "resolve_values",
    "validate_form",
]

PHOTO_DPI = 200  # enough for a printed half-page photo; keeps a 12-MP JPEG to ~1/4 of its pixels
PHOTO_JPEG_QUALITY = 85


class EvidenceIntegrityError(ValueError):
    """An evidence file no longer matches the SHA-256 recorded at intake."""


@dataclass(frozen=True)
class RenderResult:
    sha256: str  # of the PDF bytes
    pages: int
    content_sha256: str = ""  # of the document content, printed in the QR code
    font_sha256: str = ""
    body_pages: int = 0


# ------------------------------------------------------------------------------------ resolve


def _lookup(data: Any, dotted: str) -> Any:
    cur = data
    for part in dotted.split("."):
        if cur is None:
            return None
        if isinstance(cur, Mapping):
            cur = cur.get(part)
        elif isinstance(cur, Sequence) and not isinstance(cur, str) and part.isdigit():
            idx = int(part)
            cur = cur[idx] if idx < len(cur) else None
        else:
            cur = getattr(cur, part, None)
    return cur


def resolve_values(form: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, str]:
    """Display strings for every field: ``values[name]`` wins, else the field's dotted ``source``."""
    out: dict[str, str] = {}
    missing: list[str] = []
    problems: list[str] = []
    for f in form["fields"]:
        name, label, kind = f["name"], f.get("label", f["name"]), f.get("kind", "text")
        raw = values.get(name) if name in values else None
        if raw is None and f.get("source"):
            raw = _lookup(values, f["source"])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.get("required"):
                missing.append(label)
            out[name] = ""
            continue
        if kind == "date":
            if not isinstance(raw, date | str):
                problems.append(f"{label}：不是日期")
                continue
            try:
                out[name] = format_cn_date(raw)
            except ValueError:
                problems.append(f"{label}：日期格式不正确（{raw}）")
        elif kind == "choice":
            text = str(raw)
            if text not in f["options"]:
                problems.append(f"{label}：“{text}”不在可选项（{'、'.join(f['options'])}）中")
            out[name] = text
        else:
            out[name] = str(raw).replace("\r\n", "\n").strip()
    if missing or problems:
        parts = []
        if missing:
            parts.append("缺少必填项：" + "、".join(missing))
        parts.extend(problems)
        raise FormValueError("；".join(parts))
    return out


def _evidence_meta(ev: Mapping[str, Any], index: int) -> dict[str, Any]:
    path = ev.get("path")
    digest = ev.get("sha256")
    if not digest:
        if path is None:
            raise FormValueError(f"第{index}项证据既没有文件也没有 SHA-256")
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
    taken = ev.get("taken_at")
    label = ev.get("label") or (Path(path).name if path else f"证据{index}")
    return {
        "label": str(label),
        "sha256": str(digest).lower(),
        "taken_at": taken.isoformat() if isinstance(taken, datetime | date) else taken,
        "lat": ev.get("lat"),
        "lon": ev.get("lon"),
        "datum": ev.get("datum") or "WGS-84",
        "position_source": ev.get("position_source") or "",
        "jurisdiction": ev.get("jurisdiction") or "",
        "path": str(path) if path is not None else None,
    }


def content_sha256(
    form_id: str,
    number: str | None,
    resolved: Mapping[str, str],
    evidence: Sequence[Mapping[str, Any]],
) -> str:
    """Hash of what the document says (not of the PDF bytes): stable across fonts and renderers."""
    payload = {
        "form": form_id,
        "number": number,
        "values": dict(sorted(resolved.items())),
        "evidence": [{k: v for k, v in e.items() if k != "path"} for e in evidence],
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------------ lay out


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    size: float
    char_space: float
    text: str


@dataclass(frozen=True)
class _Photo:
    index: int  # into the evidence list
    x: float
    y: float
    width: float
    height: float


@dataclass
class _Page:
    items: list[_Text | _Photo] = field(default_factory=list)


class _Metrics:
    """Character advances, cached: layout asks for the same few thousand characters again and again."""

    def __init__(self, font: TTFont) -> None:
        self.font = font
        self._cache: dict[tuple[str, float], float] = {}

    def advance(self, ch: str, size: float, char_space: float) -> float:
        key = (ch, size)
        w = self._cache.get(key)
        if w is None:
            w = self._cache[key] = self.font.stringWidth(ch, size)
        return w + char_space

    def width(self, text: str, size: float, char_space: float) -> float:
        if not text:
            return 0.0
        return sum(self.advance(c, size, char_space) for c in text) - char_space


class _BodyFlow:
    """Places lines on the 22-line grid, starting new pages when the grid is full.

    Two GB/T 9704 page-break rules need more than "next line, next page": a heading line (``标签：``
    over its block) must not be the last line at a page foot, and the signature block must share its
    page with body text. So the flow remembers each line's grid slot and whether it is kept with the
    line after it, and :meth:`keep_together` can move the last lines of a page onto the next one.
    """

    def __init__(self, geo: PageGeometry, metrics: _Metrics) -> None:
        self.geo, self.m = geo, metrics
        self.pages: list[_Page] = [_Page()]
        # Per page, per item: (grid slot, kept with the next line). Parallel to ``pages[i].items``.
        self._grid: list[list[tuple[int, bool]]] = [[]]
        self.slot = 0

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            if self.slot > 0:  # blank lines at the top of a page are dropped
                self._advance()

    def _new_page(self) -> None:
        self.pages.append(_Page())
        self._grid.append([])
        self.slot = 0

    def _advance(self) -> None:
        self.slot += 1
        if self.slot >= self.geo.lines_per_page:
            self._new_page()

    def _place(self, text: str, x: float, size: float, cs: float, keep: bool = False) -> None:
        y = self.geo.baseline(self.slot, size)
        self.pages[-1].items.append(_Text(x, y, size, cs, text))
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
            assert isinstance(item, _Text)  # the body flow places text only
            self.pages[-1].items.append(
                dataclasses.replace(item, y=self.geo.baseline(new_slot, item.size))
            )
            self._grid[-1].append((new_slot, keep))
            self.slot = new_slot + 1
        del items[-k:], grid[-k:]

    def lines_needed(self, lay_out: Callable[[_BodyFlow], None]) -> int:
        """Grid lines ``lay_out`` takes when it starts below a line of text (its leading blank
        lines count), measured on a scratch flow so nothing is placed here."""
        probe = _BodyFlow(self.geo, self.m)
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
    ) -> None:
        """Wrap and place a paragraph (newlines start new paragraphs with the same indents).

        ``keep_with_next``: the paragraph is a heading; it moves to the next page rather than end a
        page, and :meth:`keep_together` moves it along with the line that follows it.
        """
        geo = self.geo
        size = size or geo.body_size
        cs = geo.body_char_space if size == geo.body_size else 0.0
        cell = geo.char_pitch if size == geo.body_size else size
        right = right_indent_chars * cell
        placed: list[tuple[str, float]] = []
        for para in text.split("\n"):
            lines = wrap_text(
                para,
                lambda ch: self.m.advance(ch, size, cs),
                geo.text_width - right,
                first_indent=first_indent_chars * cell,
                indent=indent_chars * cell,
            )
            for indent, line in lines:
                width = self.m.width(line, size, cs)
                if align == "center":
                    x = geo.text_left + (geo.text_width - width) / 2
                elif align == "right":
                    x = geo.text_right - right - width
                else:
                    x = geo.text_left + indent
                placed.append((line, x))
        if keep_with_next and self.slot > 0 and self.slot + len(placed) >= geo.lines_per_page:
            self._new_page()  # no room for the first line it heads: the heading goes over too
        for line, x in placed:
            self._place(line, x, size, cs, keep=keep_with_next)


def _evidence_caption(meta: Mapping[str, Any], i: int, n: int) -> list[str]:
    taken = meta.get("taken_at")
    try:
        when = format_cn_datetime(taken) if taken else "未知"
    except (TypeError, ValueError):
        when = str(taken)
    if meta.get("lat") is not None and meta.get("lon") is not None:
        lat, lon = float(meta["lat"]), float(meta["lon"])
        ns, ew = ("北纬" if lat >= 0 else "南纬"), ("东经" if lon >= 0 else "西经")
        source = f"，来源：{meta['position_source']}" if meta.get("position_source") else ""
        where = f"{ns}{abs(lat):.6f}° {ew}{abs(lon):.6f}°（{meta['datum']}{source}）"
    else:
        where = "无位置信息"
    return [
        f"证据{i}/{n}：{meta['label']}",
        f"拍摄时间：{when}",
        f"拍摄位置：{where}",
        f"所属辖区：{meta.get('jurisdiction') or '未确定'}",
        f"SHA-256：{meta['sha256']}",
    ]


def _evidence_list_lines(evidence: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for i, meta in enumerate(evidence, 1):
        cap = _evidence_caption(meta, i, len(evidence))
        out.append(f"{i}．{meta['label']}，" + "，".join(c for c in cap[1:]))
    return out or ["无"]


def _layout_body(
    form: Mapping[str, Any],
    resolved: Mapping[str, str],
    number: str | None,
    evidence: Sequence[Mapping[str, Any]],
    flow: _BodyFlow,
) -> None:
    geo = flow.geo
    labels = {f["name"]: f.get("label", f["name"]) for f in form["fields"]}
    date_blocks = [b for b in form["layout"] if b["type"] == "date"]

    def place(block: Mapping[str, Any], flow: _BodyFlow) -> None:
        btype = block["type"]
        flow.blank(int(block.get("space_before", 0)))
        if btype == "title":
            flow.paragraph(
                block.get("text", form["title"]),
                size=geo.title_size,
                first_indent_chars=0,
                align="center",
            )
        elif btype == "number":
            flow.paragraph(
                number or "（未编号草稿）", first_indent_chars=0, align=block.get("align", "center")
            )
        elif btype == "recipient":
            flow.paragraph(resolved[block["field"]] + "：", first_indent_chars=0)
        elif btype == "paragraph":
            text = PLACEHOLDER.sub(lambda m: resolved[m.group(1)], block["text"])
            flow.paragraph(text, first_indent_chars=float(block.get("indent", 2)))
        elif (
            btype in ("field_line", "field_block")
            and not resolved[block["field"]]
            and (block.get("skip_if_empty", True))
        ):
            return  # an empty optional field leaves no "xx：无" line unless the form asks for one
        elif btype == "field_line":
            name = block["field"]
            label = block.get("label", labels[name])
            flow.paragraph(
                f"{label}：{resolved[name] or '无'}",
                first_indent_chars=float(block.get("indent", 2)),
            )
        elif btype == "field_block":
            name = block["field"]
            label = block.get("label", labels[name])
            flow.paragraph(f"{label}：", first_indent_chars=2, keep_with_next=True)
            flow.paragraph(resolved[name] or "无", first_indent_chars=2)
        elif btype == "evidence_list":
            label = block.get("label", "证据及材料清单")
            flow.paragraph(label + "：", first_indent_chars=2, keep_with_next=True)
            for line in _evidence_list_lines(evidence):
                flow.paragraph(line, first_indent_chars=2)
        elif btype == "signature":
            # Centred over the date line when the date is known (GB/T 9704 7.3.5), else 右空四字.
            date_text = resolved.get(date_blocks[0]["field"], "") if date_blocks else ""
            for name in block.get("fields", []):
                text = resolved[name]
                if not text:
                    continue
                if date_text:
                    date_w = flow.m.width(date_text, geo.body_size, geo.body_char_space)
                    text_w = flow.m.width(text, geo.body_size, geo.body_char_space)
                    right = max(0.0, (4 * geo.char_pitch + (date_w - text_w) / 2) / geo.char_pitch)
                else:
                    right = 4
                flow.paragraph(text, first_indent_chars=0, align="right", right_indent_chars=right)
        elif btype == "date":
            flow.paragraph(
                resolved[block["field"]] or "　年　月　日",
                first_indent_chars=0,
                align="right",
                right_indent_chars=float(block.get("right_indent", 4)),
            )
        elif btype == "blank":
            flow.blank(int(block.get("lines", 1)))

    layout = list(form["layout"])
    # The closing run: from the signature (or, without one, the date) to the end of the letter.
    closing = next(
        (i for i, b in enumerate(layout) if b["type"] in ("signature", "date")), len(layout)
    )
    for block in layout[:closing]:
        place(block, flow)
    if closing < len(layout):
        tail = layout[closing:]

        def lay_out_tail(f: _BodyFlow) -> None:
            for block in tail:
                place(block, f)

        # GB/T 9704: signature and date stay together, below body text on the same page.
        flow.keep_together(flow.lines_needed(lay_out_tail))
        lay_out_tail(flow)


def _layout_evidence(
    evidence: Sequence[Mapping[str, Any]], geo: PageGeometry, m: _Metrics
) -> list[_Page]:
    """Attachment pages: each half of the text block holds one photo, caption under it."""
    pages: list[_Page] = []
    size = geo.caption_size
    leading = size * 1.5
    half = geo.text_height / 2
    for i, meta in enumerate(evidence):
        if i % 2 == 0:
            pages.append(_Page())
        top = geo.text_top - (i % 2) * half
        caption: list[str] = []
        for line in _evidence_caption(meta, i + 1, len(evidence)):
            caption += [
                t for _, t in wrap_text(line, lambda ch: m.advance(ch, size, 0.0), geo.text_width)
            ]
        caption_h = len(caption) * leading
        gap = 4.0
        photo_h = half - caption_h - 3 * gap
        photo_y = top - gap - photo_h
        pages[-1].items.append(_Photo(i, geo.text_left, photo_y, geo.text_width, photo_h))
        y = photo_y - gap - size * geo.ascent_ratio
        for line in caption:
            pages[-1].items.append(_Text(geo.text_left, y, size, 0.0, line))
            y -= leading
    return pages


# ------------------------------------------------------------------------------------ draw


class _JpegReader(ImageReader):
    """Hands reportlab an already-encoded JPEG so it embeds the bytes as they are (DCTDecode),
    without opening them again with Pillow; ``getRGBData`` is only used by ``drawImage`` to name the
    image object, so returning the JPEG bytes keeps that name deterministic."""

    def __init__(self, data: bytes, size: tuple[int, int], ident: str) -> None:
        self._ident = ident
        self.fileName = ident
        self._image = None
        self._width, self._height = size
        self._transparent = None
        self._data = data
        self._dataA = None
        self.fp = io.BytesIO(data)

    def jpeg_fh(self) -> io.BytesIO:
        self.fp.seek(0)
        return self.fp

    def getRGBData(self) -> bytes:
        return self._data

    def getSize(self) -> tuple[int, int]:
        return (self._width, self._height)


def prepare_photo(
    data: bytes, box_w: float, box_h: float, dpi: int = PHOTO_DPI, *, ident: str = ""
) -> _JpegReader:
    """Decode a photo once, at reduced size, upright per its EXIF orientation, re-encoded as JPEG."""
    target = (max(1, round(box_w / 72 * dpi)), max(1, round(box_h / 72 * dpi)))
    with Image.open(io.BytesIO(data)) as im:
        orientation = im.getexif().get(0x0112, 1)
        request = target if orientation in (1, 2, 3, 4) else (target[1], target[0])
        im.draft("RGB", request)  # JPEG: let libjpeg scale by 1/2, 1/4, 1/8 while decoding
        im.thumbnail(request, Image.Resampling.BICUBIC)  # decodes; shrink before rotating
        rgb = ImageOps.exif_transpose(im).convert("RGB")
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=PHOTO_JPEG_QUALITY)
    return _JpegReader(buf.getvalue(), rgb.size, ident or hashlib.sha256(data).hexdigest())


def _qr_form(canvas: Canvas, payload: str, size: float) -> str:
    name = "pageQR"
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(payload, barWidth=size, barHeight=size, barBorder=1, barLevel="M"))
    canvas.beginForm(name, 0, 0, size, size)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.endForm()
    return name


def _draw_page_furniture(
    canvas: Canvas, font: TTFont, geo: PageGeometry, page_no: int, qr_name: str
) -> None:
    label = f"— {page_no} —"
    size = geo.page_number_size
    y = geo.page_number_baseline()
    canvas.setFont(font.fontName, size)
    if page_no % 2:  # odd pages right, even pages left, one character in (GB/T 9704 7.5)
        canvas.drawRightString(geo.text_right - size, y, label)
    else:
        canvas.drawString(geo.text_left + size, y, label)
    canvas.saveState()
    canvas.translate((geo.page_width - geo.qr_size) / 2, y - geo.qr_size / 2)
    canvas.doForm(qr_name)
    canvas.restoreState()


_render_lock = threading.Lock()


def render_document(
    form: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    number: str | None,
    evidence: Iterable[Mapping[str, Any]] = (),
    out: str | os.PathLike[str] | BinaryIO,
    font_path: str | os.PathLike[str] | None = None,
    qr_payload: str | None = None,
    geometry: PageGeometry = DEFAULT_GEOMETRY,
    progress: Callable[[int, int], None] | None = None,
    attach_photos: bool = True,
    watermark: str | None = None,
) -> RenderResult:
    """Render ``form`` filled with ``values`` to ``out`` (a path, written atomically, or a binary file).

    ``evidence`` items: ``path`` (photo file), ``sha256`` (recorded at intake; verified here; computed
    if absent), ``taken_at`` (datetime or ISO string), ``lat``/``lon`` (degrees), ``datum``
    (default WGS-84), ``position_source`` (EXIF/GPX/手工), ``jurisdiction``, ``label``.
    ``progress(done, total)`` is called per drawn page; an exception raised by it cancels the render
    (nothing is written). ``attach_photos=False`` keeps the evidence list but adds no attachment
    pages; ``watermark`` (e.g. 草稿) is drawn large and light across every page. Raises :class:`FormDefinitionError`,
    :class:`FormValueError`, :class:`MissingGlyphsError`, :class:`EvidenceIntegrityError`.
    """
    validate_form(form)
    resolved = resolve_values(form, values)
    ev_meta = [_evidence_meta(ev, i) for i, ev in enumerate(evidence, 1)]
    content_hash = content_sha256(str(form["id"]), number, resolved, ev_meta)
    payload = qr_payload or f"{number or '未编号'}|{form['id']}|sha256:{content_hash}"

    with _render_lock:
        font = load_font(font_path)
        metrics = _Metrics(font)
        footer = page_footer(form, resolved, geometry)  # a 笔录: signatures on every page
        flow = _BodyFlow(footer.body_geometry if footer else geometry, metrics)
        _layout_body(form, resolved, number, ev_meta, flow)
        body_pages = [p for p in flow.pages if p.items] or [_Page()]
        attachments = _layout_evidence(ev_meta, flow.geo, metrics) if attach_photos else []
        pages = body_pages + attachments
        for page in pages:  # documents/record_page.py lays out the block
            page.items.extend(_Text(*c) for c in (footer.placements() if footer else ()))
        total = len(pages)

        all_text = "".join(it.text for p in pages for it in p.items if isinstance(it, _Text))
        all_text += "— 0123456789" + (watermark or "")
        lacking = missing_glyphs(all_text, font)
        if lacking:
            raise MissingGlyphsError(lacking, font.face.name.decode("latin-1", "replace"))

        buf = io.BytesIO()
        saved_a85 = rl_config.useA85
        rl_config.useA85 = 0  # binary streams: ASCII85 costs +25 % size and is slow in pure Python
        try:
            data = _draw(
                pages,
                ev_meta,
                font,
                geometry,
                form,
                number,
                content_hash,
                payload,
                buf,
                progress,
                watermark,
            )
        finally:
            rl_config.useA85 = saved_a85
        font_digest = font_sha256(font)

    write_output(out, data)
    return RenderResult(
        hashlib.sha256(data).hexdigest(), total, content_hash, font_digest, len(body_pages)
    )


def _draw(
    pages: list[_Page],
    ev_meta: list[dict[str, Any]],
    font: TTFont,
    geometry: PageGeometry,
    form: Mapping[str, Any],
    number: str | None,
    content_hash: str,
    payload: str,
    buf: io.BytesIO,
    progress: Callable[[int, int], None] | None,
    watermark: str | None = None,
) -> bytes:
    total = len(pages)
    canvas = Canvas(
        buf, pagesize=(geometry.page_width, geometry.page_height), invariant=1, pageCompression=1
    )
    canvas.setTitle(f"{form['title']} {number or ''}".strip())
    canvas.setSubject(f"content-sha256:{content_hash}")
    canvas.setCreator("officer_app")
    canvas.setAuthor("")
    qr_name = _qr_form(canvas, payload, geometry.qr_size)
    for page_no, page in enumerate(pages, 1):
        if watermark:
            draw_watermark(canvas, font.fontName, geometry, watermark)
        for item in page.items:
            if isinstance(item, _Text):
                canvas.setFont(font.fontName, item.size)
                canvas.drawString(item.x, item.y, item.text, charSpace=item.char_space)
            else:
                _draw_photo(canvas, ev_meta[item.index], item)
        _draw_page_furniture(canvas, font, geometry, page_no, qr_name)
        canvas.showPage()
        if progress:
            progress(page_no, total)
    canvas.save()
    return buf.getvalue()


def _draw_photo(canvas: Canvas, meta: Mapping[str, Any], box: _Photo) -> None:
    if meta.get("path") is None:
        canvas.rect(box.x, box.y, box.width, box.height)
        return
    data = Path(meta["path"]).read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != meta["sha256"]:
        raise EvidenceIntegrityError(
            f"证据文件“{meta['label']}”与登记时的 SHA-256 不一致（登记 {meta['sha256']}，"
            f"现为 {actual}），文件可能已被改动，不能打印。"
        )
    reader = prepare_photo(data, box.width, box.height, ident=actual)
    canvas.drawImage(
        reader, box.x, box.y, box.width, box.height, preserveAspectRatio=True, anchor="n"
    )
