"""Phase 2 of rendering a form: its layout blocks onto the body flow, its evidence onto pages.

This module lays out *layout 1*, the grid letter every document was issued in before the GB/T 9704
letter format (:mod:`letter_format`) came: title, centred number, body, evidence list in the body,
photo pages with 10.5 pt captions. It stays as it is, so an issued document whose snapshot records
no layout version re-renders to the very bytes it was issued as.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from officer_app.documents.evidence import when_text_v1, where_text
from officer_app.documents.flow import BodyFlow, Metrics, Page, Photo, Text
from officer_app.documents.form_schema import PLACEHOLDER
from officer_app.documents.geometry import PageGeometry
from officer_app.documents.layout import wrap_text

__all__ = ["evidence_caption", "layout_body", "layout_evidence_pages"]

BlockHook = Callable[[Mapping[str, Any], BodyFlow], bool]


def evidence_caption(meta: Mapping[str, Any], i: int, n: int) -> list[str]:
    return [
        f"证据{i}/{n}：{meta['label']}",
        f"拍摄时间：{when_text_v1(meta)}",
        f"拍摄位置：{where_text(meta)}",
        f"所属辖区：{meta.get('jurisdiction') or '未确定'}",
        f"SHA-256：{meta['sha256']}",
    ]


def evidence_list_lines(evidence: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for i, meta in enumerate(evidence, 1):
        cap = evidence_caption(meta, i, len(evidence))
        out.append(f"{i}．{meta['label']}，" + "，".join(c for c in cap[1:]))
    return out or ["无"]


def signature_right_chars(flow: BodyFlow, text: str, date_text: str, date_right: float) -> float:
    """Right indent (in grid characters) that centres ``text`` over the date line, whose right
    indent is ``date_right`` characters (GB/T 9704 §7.3.5.1: 署名 centred over the 成文日期)."""
    geo = flow.geo
    date_w = flow.m.width(date_text, geo.body_size, geo.body_char_space)
    text_w = flow.m.width(text, geo.body_size, geo.body_char_space)
    return max(0.0, (date_right * geo.char_pitch + (date_w - text_w) / 2) / geo.char_pitch)


def layout_body(
    form: Mapping[str, Any],
    resolved: Mapping[str, str],
    number: str | None,
    evidence: Sequence[Mapping[str, Any]],
    flow: BodyFlow,
    *,
    hook: BlockHook | None = None,
    before_closing: Callable[[BodyFlow], None] | None = None,
    after_closing: Callable[[BodyFlow], None] | None = None,
) -> None:
    """Every layout block in order; the closing run (signature, date and what follows) is kept
    together with the last body line. ``hook(block, flow)`` may lay a block out its own way
    (returns True when it did): the letter format replaces the number, the evidence list and the
    signature through it. ``before_closing`` lays out what stands between the body and the
    signature (the 附件 notation), ``after_closing`` what follows the date (the 附注), kept on the
    signature's page."""
    geo = flow.geo
    labels = {f["name"]: f.get("label", f["name"]) for f in form["fields"]}
    date_blocks = [b for b in form["layout"] if b["type"] == "date"]

    def place(block: Mapping[str, Any], flow: BodyFlow) -> None:
        btype = block["type"]
        if hook is not None and hook(block, flow):
            return
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
            for line in evidence_list_lines(evidence):
                flow.paragraph(line, first_indent_chars=2)
        elif btype == "signature":
            # Centred over the date line when the date is known (GB/T 9704 7.3.5), else 右空四字.
            date_text = resolved.get(date_blocks[0]["field"], "") if date_blocks else ""
            for name in block.get("fields", []):
                text = resolved[name]
                if not text:
                    continue
                right = signature_right_chars(flow, text, date_text, 4) if date_text else 4
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
    if closing < len(layout) or after_closing is not None or before_closing is not None:
        tail = layout[closing:]

        def lay_out_tail(f: BodyFlow) -> None:
            if before_closing is not None:  # the 附件 notation stays whole, with the signature
                before_closing(f)
            for block in tail:
                place(block, f)
            if after_closing is not None:
                after_closing(f)

        # GB/T 9704: signature and date stay together, below body text on the same page.
        flow.keep_together(flow.lines_needed(lay_out_tail))
        lay_out_tail(flow)


def layout_evidence_pages(
    evidence: Sequence[Mapping[str, Any]], geo: PageGeometry, m: Metrics
) -> list[Page]:
    """Attachment pages: each half of the text block holds one photo, caption under it."""
    pages: list[Page] = []
    size = geo.caption_size
    leading = size * 1.5
    half = geo.text_height / 2
    for i, meta in enumerate(evidence):
        if i % 2 == 0:
            pages.append(Page())
        top = geo.text_top - (i % 2) * half
        caption: list[str] = []
        for line in evidence_caption(meta, i + 1, len(evidence)):
            caption += [
                t for _, t in wrap_text(line, lambda ch: m.advance(ch, size, 0.0), geo.text_width)
            ]
        caption_h = len(caption) * leading
        gap = 4.0
        photo_h = half - caption_h - 3 * gap
        photo_y = top - gap - photo_h
        pages[-1].items.append(Photo(i, geo.text_left, photo_y, geo.text_width, photo_h))
        y = photo_y - gap - size * geo.ascent_ratio
        for line in caption:
            pages[-1].items.append(Text(geo.text_left, y, size, 0.0, line))
            y -= leading
    return pages
