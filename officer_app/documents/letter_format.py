"""Layout 2: the GB/T 9704-2012 §10.1 letter format (信函格式) and its attachments (§7.3.4, §8).

What a receiving bureau expects of a letter it could sign: the issuing agency's full name as
发文机关标志 in red over a red double line, the 发文字号 flush right under it, the title two lines
lower, the body in 仿宋, the 附件 notation after the body, 署名 centred over the 成文日期, the
contact as 附注 under the date, a second red double line near the page foot of page 1, which carries
no page number. The evidence list is 附件1 (a table, so the body stays within two pages however
many photos a case has) and the photos 附件2, each attachment from its own page.

Records (现场笔录, 巡查记录) are not letters: they take everything here but the letterhead.
Every measurement below names the clause it comes from; the few the standard leaves open are marked
as this project's choice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from officer_app.documents.evidence import (
    is_photo,
    kind_label,
    route_text,
    when_text,
    where_text,
)
from officer_app.documents.flow import BodyFlow, Metrics, Page, Photo, Rule, Text
from officer_app.documents.geometry import PageGeometry, mm
from officer_app.documents.layout import wrap_text
from officer_app.documents.letter_layout import BlockHook

__all__ = [
    "RED",
    "Attachment",
    "attachment_list",
    "contact_note",
    "layout_attachments",
    "letter_hook",
    "letterhead_items",
]

RED = (1.0, 0.0, 0.0)  # §10.1: 发文机关标志 and both double lines 红色 (pure red, RGB)
#: §10.1: 发文机关标志 居中排布，上边缘至上页边为30mm.
LETTERHEAD_TOP = 30 * mm
#: The standard sets no size for the 信函 mark; ours is the largest that keeps a full name within
#: the 156 mm block, at most 30 pt (this project's choice), at least the 22 pt title size (longer
#: names are compressed horizontally rather than overflow).
LETTERHEAD_MAX_SIZE = 30.0
#: §10.1: 发文机关标志下4mm处印一条红色双线（上粗下细）.
HEAD_LINE_GAP = 4 * mm
#: §10.1: 距下页边20mm处印一条红色双线（上细下粗）; the lower edge of the double line.
FOOT_LINE_FROM_BOTTOM = 20 * mm
#: §10.1: 线长均为170mm，居中排布.
DOUBLE_LINE_LENGTH = 170 * mm
#: The weights are not set by §10.1; this project's choice after common 信函 letterheads.
THICK_LINE = 1.0 * mm
THIN_LINE = 0.35 * mm
DOUBLE_LINE_GAP = 0.7 * mm
#: §10.1: 发文字号顶格居版心右边缘编排在第一条红色双线下，与该线的距离为3号汉字高度的7/8.
NUMBER_GAP_RATIO = 7 / 8
#: §10.1: 标题居中编排，与其上最后一个要素相距二行 (two empty grid lines between).
TITLE_GAP_LINES = 2
#: §8: 附件标题居中编排在版心第三行 (grid slot 2); 附件N in 3号黑体 顶格 on the first line.
ATTACHMENT_TITLE_SLOT = 2
#: Photo captions: at least 小四 (12 pt) so they read on paper (issue 13 item 3).
CAPTION_SIZE = 12.0
#: The evidence table: 五号 (10.5 pt), the usual size of a table in an official document.
TABLE_SIZE = 10.5
TABLE_PAD = 2.5
TABLE_LEADING = 1.3
#: Column widths of the evidence table, mm (sum 156: the block's width).
#: Widths measured on the bundled 仿宋 at 五号 (its digits are proportional: 0 is the widest):
#: 2000年10月30日, 东经000.000000° and （000000） fit their column on one line; the SHA-256 takes
#: three lines (four at worst), so a row is three lines high for most photos.
TABLE_COLUMNS = (
    ("序号", 10.0),
    ("文件名", 24.0),
    ("拍摄时间", 28.0),
    ("位置/坐标系", 30.0),
    ("管辖", 22.0),
    ("SHA-256", 42.0),
)
_BADGE_CONTACT = re.compile(r"^(?P<name>.+?)（执法证号(?P<badge>[^）]+)）$")


@dataclass(frozen=True)
class Attachment:
    """One attachment as the 附件 notation names it (§7.3.4) and as its pages are headed (§8)."""

    title: str  # e.g. 证据及材料清单, 现场照片
    count_note: str = ""  # e.g. （12张）: in the notation only
    kind: str = "table"  # table (the evidence list) or photos

    @property
    def notation(self) -> str:
        return self.title + self.count_note


def attachment_list(
    evidence: Sequence[Mapping[str, Any]], *, list_label: str, photos: bool
) -> list[Attachment]:
    """The attachments a document with this evidence carries: the list, then the photos."""
    if not evidence:
        return []
    # A list named after the photos (现场照片) would give two attachments one name.
    title = list_label if list_label.endswith(("清单", "证据", "取证")) else list_label + "清单"
    out = [Attachment(title)]
    n_photos = sum(1 for e in evidence if is_photo(e))
    if photos and n_photos:
        out.append(Attachment("现场照片", f"（{n_photos}张）", "photos"))
    return out


def contact_note(contact: str) -> str:
    """The 附注 line (§7.3.6: 居左空二字加圆括号编排在成文日期下一行): （联系人：张伟，联系电话：…）.
    A contact without a phone keeps name and badge: （联系人：张伟，执法证号：…）."""
    m = _BADGE_CONTACT.match(contact.strip())
    text = f"{m['name']}，执法证号：{m['badge']}" if m else contact.strip()
    return f"（联系人：{text}）"


# --------------------------------------------------------------------------- letterhead (page 1)


def _em_top(baseline: float, size: float, geo: PageGeometry) -> float:
    return baseline + geo.ascent_ratio * size


def letterhead_items(
    agency: str, number: str | None, geo: PageGeometry, m: Metrics
) -> tuple[list[Text | Rule], int]:
    """The §10.1 letterhead of page 1 and the grid slot the title goes on."""
    items: list[Text | Rule] = []
    fit = geo.text_width / max(1.0, m.width(agency, 1.0, 0.0, "title"))
    size = max(min(LETTERHEAD_MAX_SIZE, fit), geo.title_size)
    width = m.width(agency, size, 0.0, "title")
    scale = min(100.0, 100.0 * geo.text_width / width) if width else 100.0
    shown = width * scale / 100.0
    top = geo.page_height - LETTERHEAD_TOP
    baseline = top - geo.ascent_ratio * size
    x = geo.text_left + (geo.text_width - shown) / 2  # 居中: on the 版心's centre line
    items.append(Text(x, baseline, size, 0.0, agency, "title", RED, round(scale, 2)))
    mark_bottom = baseline - (1 - geo.ascent_ratio) * size
    # First double line: thick over thin, its top 4 mm under the mark.
    line_x = geo.text_left + (geo.text_width - DOUBLE_LINE_LENGTH) / 2  # centred on the 版心
    thick_top = mark_bottom - HEAD_LINE_GAP
    items.append(Rule(line_x, thick_top - THICK_LINE, DOUBLE_LINE_LENGTH, THICK_LINE, RED))
    thin_top = thick_top - THICK_LINE - DOUBLE_LINE_GAP
    items.append(Rule(line_x, thin_top - THIN_LINE, DOUBLE_LINE_LENGTH, THIN_LINE, RED))
    line_bottom = thin_top - THIN_LINE
    # Second double line: thin over thick, its lower edge 20 mm above the page foot.
    thick_bottom = FOOT_LINE_FROM_BOTTOM
    items.append(Rule(line_x, thick_bottom, DOUBLE_LINE_LENGTH, THICK_LINE, RED))
    thin_bottom = thick_bottom + THICK_LINE + DOUBLE_LINE_GAP
    items.append(Rule(line_x, thin_bottom, DOUBLE_LINE_LENGTH, THIN_LINE, RED))
    # 发文字号: flush right, its top 7/8 of a 3号 character under the line.
    text = number or "（未编号草稿）"
    size_n = geo.body_size
    n_top = line_bottom - NUMBER_GAP_RATIO * size_n
    n_base = n_top - geo.ascent_ratio * size_n
    n_width = m.width(text, size_n, 0.0)
    items.append(Text(geo.text_right - n_width, n_base, size_n, 0.0, text))
    n_bottom = n_base - (1 - geo.ascent_ratio) * size_n
    # Title: two empty grid lines between it and the number.
    depth = geo.text_top - n_bottom  # below the top of the text block
    slot = int(depth // geo.line_pitch + (1 if depth % geo.line_pitch > 1e-6 else 0))
    return items, max(0, slot) + TITLE_GAP_LINES


# --------------------------------------------------------------------------- the body's blocks


def letter_hook(
    form: Mapping[str, Any],
    resolved: Mapping[str, str],
    number: str | None,
    *,
    letter: bool,
    notes: dict[str, str],
) -> BlockHook:
    """Blocks the letter format lays out its own way: the title in the title face; the number
    (in the letterhead); the evidence list (now 附件1); the contact (now the 附注, collected in
    ``notes``)."""
    contact_fields = {
        f["name"] for f in form["fields"] if f.get("source") == "officer.contact" and letter
    }

    def hook(block: Mapping[str, Any], flow: BodyFlow) -> bool:
        btype = block["type"]
        if btype == "title":
            flow.blank(int(block.get("space_before", 0)))
            flow.paragraph(
                block.get("text", form["title"]),
                size=flow.geo.title_size,
                first_indent_chars=0,
                align="center",
                role="title",
            )
            return True
        if btype == "number" and letter:
            return True
        if btype == "evidence_list":
            return True
        if btype == "field_line" and block.get("field") in contact_fields:
            if resolved[block["field"]]:
                notes[block["field"]] = contact_note(resolved[block["field"]])
            return True
        return False

    return hook


def attachment_notation(flow: BodyFlow, attachments: Sequence[Attachment]) -> None:
    """§7.3.4: 正文下空一行左空二字编排"附件"二字，后标全角冒号和附件名称; several are numbered
    1. 2. (no space after the point), a wrapped name aligned with its first character."""
    if not attachments:
        return
    geo, m = flow.geo, flow.m
    flow.blank(1)
    lead = m.width("附件：", geo.body_size, geo.body_char_space) + geo.body_char_space
    base = 2 + lead / geo.char_pitch
    for i, att in enumerate(attachments, 1):
        numeral = f"{i}." if len(attachments) > 1 else ""
        prefix = m.width(numeral, geo.body_size, geo.body_char_space) + (
            geo.body_char_space if numeral else 0.0
        )
        text = ("附件：" if i == 1 else "") + numeral + att.notation
        flow.paragraph(
            text,
            first_indent_chars=2 if i == 1 else base,
            indent_chars=base + prefix / geo.char_pitch,
        )


def closing_notes(flow: BodyFlow, notes: Mapping[str, str]) -> None:
    """§7.3.6: 附注 居左空二字加圆括号编排在成文日期下一行."""
    for note in notes.values():
        flow.paragraph(note, first_indent_chars=2)


# --------------------------------------------------------------------------- attachments


def _heading(page: Page, geo: PageGeometry, m: Metrics, label: str, title: str) -> None:
    page.items.append(Text(geo.text_left, geo.baseline(0), geo.body_size, 0.0, label, "heading1"))
    size = geo.title_size
    w = m.width(title, size, 0.0, "title")
    x = geo.text_left + (geo.text_width - w) / 2
    y = geo.baseline(ATTACHMENT_TITLE_SLOT, size)
    page.items.append(Text(x, y, size, 0.0, title, "title"))


def _below_heading(geo: PageGeometry) -> float:
    """Where an attachment's content starts: under the title's grid line."""
    return geo.text_top - (ATTACHMENT_TITLE_SLOT + 1) * geo.line_pitch


def _duration(seconds: float) -> str:
    s = round(float(seconds))
    return f"{s // 60}分{s % 60:02d}秒" if s >= 60 else f"{s}秒"


def evidence_row(item: Mapping[str, Any], i: int) -> tuple[str, ...]:
    name = str(item["label"])
    if not is_photo(item):
        name += f"（{kind_label(item)}"
        name += f"，时长{_duration(item['duration_s'])}）" if item.get("duration_s") else "）"
    # One line per part (the cells break at these newlines first): date / time, latitude /
    # longitude / datum, district / （code）. The position's source is in the photo's caption.
    when = when_text(item).replace("日", "日\n", 1)  # the date over the time
    where = where_text(item, with_source=False)
    if item.get("lat") is not None and item.get("lon") is not None:
        where = where.replace(" ", "\n", 1).replace("（", "\n").rstrip("）")
    if item.get("route"):  # the printed position is where the recording began
        where = f"起点\n{where}\n{route_text(item)}"
    jurisdiction = str(item.get("jurisdiction") or "未确定").replace("（", "\n（")
    return (str(i), name, when, where, jurisdiction, str(item["sha256"]))


def _table_pages(
    evidence: Sequence[Mapping[str, Any]], geo: PageGeometry, m: Metrics, label: str, title: str
) -> list[Page]:
    """The evidence table, its header repeated on every page it runs over."""
    size, leading = TABLE_SIZE, TABLE_SIZE * TABLE_LEADING
    widths = [w * mm for _, w in TABLE_COLUMNS]
    header = tuple(h for h, _ in TABLE_COLUMNS)

    def cells(values: Sequence[str], role: str) -> list[list[str]]:
        def width_of(ch: str) -> float:
            return m.advance(ch, size, 0.0, role)

        return [
            [t for part in v.split("\n") for _, t in wrap_text(part, width_of, w - 2 * TABLE_PAD)]
            for v, w in zip(values, widths, strict=True)
        ]

    pages = [Page()]
    _heading(pages[0], geo, m, label, title)
    y = _below_heading(geo) - geo.line_pitch / 2

    def row(values: Sequence[str], is_header: bool) -> None:
        nonlocal y
        role = "heading1" if is_header else "body"
        wrapped = cells(values, role)
        height = max(len(c) for c in wrapped) * leading + 2 * TABLE_PAD
        if y - height < geo.text_bottom and not is_header:
            pages.append(Page())
            y = geo.text_top
            row(header, True)
        x = geo.text_left
        for lines, w in zip(wrapped, widths, strict=True):
            pages[-1].items.append(Rule(x, y - height, w, height, fill=False))
            for k, t in enumerate(lines):
                base = y - TABLE_PAD - k * leading - geo.ascent_ratio * size - (leading - size) / 2
                tw = m.width(t, size, 0.0, role)
                tx = x + (w - tw) / 2 if is_header else x + TABLE_PAD
                pages[-1].items.append(Text(tx, base, size, 0.0, t, role))
            x += w
        y -= height

    row(header, True)
    for i, item in enumerate(evidence, 1):
        row(evidence_row(item, i), False)
    return pages


def photo_caption(item: Mapping[str, Any], i: int) -> list[str]:
    return [
        f"{i}．{item['label']}",
        f"拍摄时间：{when_text(item)}",
        f"拍摄位置：{where_text(item)}",
        f"所属辖区：{item.get('jurisdiction') or '未确定'}",
        f"SHA-256：{item['sha256']}",
    ]


def _photo_pages(
    evidence: Sequence[Mapping[str, Any]], geo: PageGeometry, m: Metrics, label: str, title: str
) -> list[Page]:
    """Two photos a page, each over its caption (numbered as in the evidence table)."""
    size, leading, gap = CAPTION_SIZE, CAPTION_SIZE * 1.4, 4.0
    photos = [(i, item) for i, item in enumerate(evidence) if is_photo(item)]
    pages: list[Page] = []
    for k, (index, item) in enumerate(photos):
        if k % 2 == 0:
            pages.append(Page())
            if k == 0:
                _heading(pages[0], geo, m, label, title)
                area_top = _below_heading(geo)
            else:
                area_top = geo.text_top
            half = (area_top - geo.text_bottom) / 2
        top = area_top - (k % 2) * half
        caption: list[str] = []
        for line in photo_caption(item, index + 1):
            caption += [
                t for _, t in wrap_text(line, lambda ch: m.advance(ch, size, 0.0), geo.text_width)
            ]
        photo_h = half - len(caption) * leading - 3 * gap
        photo_y = top - gap - photo_h
        pages[-1].items.append(Photo(index, geo.text_left, photo_y, geo.text_width, photo_h))
        y = photo_y - gap - size * geo.ascent_ratio
        for line in caption:
            pages[-1].items.append(Text(geo.text_left, y, size, 0.0, line))
            y -= leading
    return pages


def layout_attachments(
    evidence: Sequence[Mapping[str, Any]],
    attachments: Sequence[Attachment],
    geo: PageGeometry,
    m: Metrics,
) -> list[Page]:
    """§8: every attachment from its own page, 附件N top left, its title on the third line."""
    pages: list[Page] = []
    for n, att in enumerate(attachments, 1):
        label = f"附件{n}" if len(attachments) > 1 else "附件"  # §8: as the notation numbers them
        if att.kind == "photos":
            pages += _photo_pages(evidence, geo, m, label, att.title)
        else:
            pages += _table_pages(evidence, geo, m, label, att.title)
    return pages
