"""Build the bundled document faces: subset open CJK fonts to GB 2312 and what the forms print.

Reproducible: the inputs are Debian packages fetched by name (``apt-get download``) and the open
FangSong in ``../shared/fonts/``; every output's source package and version, source SHA-256, output
SHA-256 and licence go into ``resources/fonts/faces.json`` (which the app reads) and the table in
``resources/fonts/README.md``. Run it again with the same inputs and the outputs are byte-identical
(no timestamps are touched: ``head.modified`` is kept from the source).

Why subsetting: the sources are 9-27 MB each (Noto CJK covers five CJK locales); the documents need
GB 2312 (the character set every Chinese office font covers) plus the punctuation, digits and Latin
the forms use. Why CFF -> TrueType: reportlab embeds TrueType (``glyf``) outlines only; Noto CJK ships
CFF, converted here with cu2qu as fontTools' ``otf2ttf`` snippet does.

Characters a face lacks from the required set (e.g. Zhuque Fangsong has no ①, no full-width digits,
no box drawing) are copied from a donor face of the same upstream family style (Noto CJK), so every
bundled face draws every GB 2312 character: a document never fails on a face that the officer cannot
change.

Usage: .venv/bin/python tools/build_fonts.py [--debs DIR] [--out resources/fonts]
Needs fontTools (the ``test`` extra) and, for the Debian packages, ``apt-get`` and ``dpkg-deb``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_FONTS = ROOT.parent / "shared" / "fonts"
DEB_PACKAGES = ("fonts-noto-cjk", "fonts-noto-cjk-extra", "fonts-arphic-ukai")
# cu2qu tolerance in font units (1/1000 em, fontTools' default): at 22 pt 0.008 mm, far below print.
MAX_ERR = 1.0
NOTE = "Subset to GB 2312 and the characters of officer_app's forms by tools/build_fonts.py"


@dataclass(frozen=True)
class Source:
    """One output face: where it comes from and why."""

    role: str
    out: str
    family: str
    package: str  # Debian package, or "shared" for ../shared/fonts
    member: str  # path inside the package (or file name in shared/)
    index: int  # face index inside a .ttc
    donor_member: str  # Noto CJK file whose SC face fills characters the face lacks
    licence: str
    licence_file: str


SOURCES = (
    Source(
        "body",
        "ZhuqueFangsong-GB.ttf",
        "Zhuque Fangsong",
        "shared",
        "ZhuqueFangsong-Regular.ttf",
        0,
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "OFL-1.1",
        "ZhuqueFangsong-OFL.txt",
    ),
    Source(
        "title",
        "NotoSerifCJKsc-Black-GB.ttf",
        "Noto Serif CJK SC Black",
        "fonts-noto-cjk-extra",
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Black.ttc",
        2,
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Black.ttc",
        "OFL-1.1",
        "NotoCJK-OFL.txt",
    ),
    Source(
        "heading1",
        "NotoSansCJKsc-Medium-GB.ttf",
        "Noto Sans CJK SC Medium",
        "fonts-noto-cjk-extra",
        "usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
        2,
        "usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
        "OFL-1.1",
        "NotoCJK-OFL.txt",
    ),
    Source(
        "heading2",
        "UKaiCN-GB.ttf",
        "AR PL UKai CN",
        "fonts-arphic-ukai",
        "usr/share/fonts/truetype/arphic/ukai.ttc",
        0,
        "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "Arphic Public License",
        "ARPHICPL.TXT",
    ),
)
DONOR_PACKAGE = {"NotoSerifCJK-Regular.ttc": "fonts-noto-cjk"}
# The single face of documents issued before faces by role: kept byte for byte (not subset: a
# subset would have another SHA-256) so that those documents still re-render byte-identically.
RETIRED = (
    {
        "file": "gbsn00lp.ttf",
        "family": "AR PL SungtiL GB",
        "licence": "Arphic Public License",
        "licence_file": "ARPHICPL.TXT",
        "source_package": "fonts-arphic-gbsn00lp",
        "source_version": "2.11-16",
        "note": "the only face before faces by role; kept for re-rendering documents issued with it",
    },
)


def gb2312() -> set[str]:
    codes = (
        bytes([hi, lo]).decode("gb2312", "replace")
        for hi in range(0xA1, 0xF8)
        for lo in range(0xA1, 0xFF)
    )
    return {c for c in codes if len(c) == 1 and c != "\ufffd"}


def _ranges(*spans: tuple[int, int]) -> set[str]:
    return {chr(c) for a, b in spans for c in range(a, b + 1)}


def shipped_text() -> set[str]:
    """Every character of the shipped forms, code tables and demo data (what documents print)."""
    files = [*ROOT.glob("forms/*.json"), *ROOT.glob("resources/codes/*.json")]
    files.append(ROOT / "officer_app" / "services" / "demo.py")
    return {c for f in files for c in f.read_text(encoding="utf-8") if not c.isspace()}


def required_chars() -> set[str]:
    """What every bundled face must draw (the test checks this set)."""
    return gb2312() | _ranges((0x21, 0x7E)) | shipped_text() | {"\u00b7", "\u2014"}


def wanted_chars() -> set[str]:
    """Required plus what the old AR PL SungtiL GB drew and the forms may print: Latin-1 and pinyin,
    typographic punctuation, circled numbers, Roman numerals, units, CJK and full-width punctuation.
    """
    old = TTFont(ROOT / "resources" / "fonts" / "gbsn00lp.ttf").getBestCmap()
    extra = _ranges(
        (0xA0, 0xFF),  # Latin-1 (° ± × ÷ ·)
        (0x2010, 0x2027),  # dashes, quotes, ellipsis
        (0x2030, 0x2033),  # ‰ ′ ″
        (0x203B, 0x203B),  # ※
        (0x2103, 0x2103),  # ℃
        (0x2116, 0x2116),  # №
        (0x2160, 0x216B),  # Ⅰ-Ⅻ
        (0x2170, 0x2179),  # ⅰ-ⅹ
        (0x2460, 0x249B),  # ①-⑳ ⑴-⒇ ⒈-⒛
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x338E, 0x338F),  # ㎎ ㎏
        (0x339C, 0x339E),  # ㎜ ㎝ ㎞
        (0x33A1, 0x33A1),  # ㎡
        (0xFF01, 0xFF5E),  # full-width ASCII
        (0xFFE0, 0xFFE5),  # ￠ ￡ ￢ ￣ ￤ ￥
    )
    pinyin = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňɑɡ")
    return (required_chars() | {chr(c) for c in old if c >= 0x20} | extra | pinyin) - _ranges(
        (0x7F, 0x9F)
    )


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_debs(deb_dir: pathlib.Path) -> dict[str, tuple[pathlib.Path, str]]:
    """Each package's .deb (downloaded by name if absent) and its version."""
    deb_dir.mkdir(parents=True, exist_ok=True)
    found: dict[str, tuple[pathlib.Path, str]] = {}
    for pkg in DEB_PACKAGES:
        debs = sorted(deb_dir.glob(f"{pkg}_*.deb"))
        if not debs:
            subprocess.run(["apt-get", "download", pkg], cwd=deb_dir, check=True)
            debs = sorted(deb_dir.glob(f"{pkg}_*.deb"))
        deb = debs[-1]
        version = subprocess.run(
            ["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        found[pkg] = (deb, version)
    return found


def to_truetype(font: TTFont) -> None:
    """CFF outlines -> quadratic TrueType, in place (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(glyph_order)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"


def subset(font: TTFont, chars: set[str]) -> None:
    options = Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "DSIG", "gasp"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 13, 14]
    options.notdef_outline = True
    options.recalc_timestamp = False
    sub = Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)


def fill_from_donor(font: TTFont, donor: TTFont, chars: set[str]) -> list[str]:
    """Copy the glyphs of ``chars`` the font lacks from ``donor`` (scaled to the font's em)."""
    cmap = font.getBestCmap()
    donor_cmap = donor.getBestCmap()
    lacking = sorted(c for c in chars if ord(c) not in cmap and ord(c) in donor_cmap)
    if not lacking:
        return []
    scale = font["head"].unitsPerEm / donor["head"].unitsPerEm
    donor_glyphs = donor.getGlyphSet()
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    for ch in lacking:
        name = f"uni{ord(ch):04X}"
        while name in glyf.glyphs:
            name += ".fill"
        source = donor_glyphs[donor_cmap[ord(ch)]]
        pen = TTGlyphPen(None)
        source.draw(
            TransformPen(Cu2QuPen(pen, MAX_ERR, reverse_direction=True), (scale, 0, 0, scale, 0, 0))
        )
        glyph = pen.glyph()
        glyf[name] = glyph
        glyph.recalcBounds(glyf)
        hmtx[name] = (round(source.width * scale), getattr(glyph, "xMin", 0))
        order.append(name)
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[ord(ch)] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    return lacking


def note_modification(font: TTFont, when: str) -> None:
    """The notice the Arphic PL (§2a) asks of a modified file; harmless and honest for the others."""
    name = font["name"]
    text = f"{NOTE} ({when})."
    name.setName(text, 10, 3, 1, 0x409)
    name.setName(text, 10, 1, 0, 0)


def noto_licence(copyright_file: pathlib.Path, font: TTFont) -> str:
    """The OFL text from Debian's copyright file, headed by the font's own copyright notice."""
    text = copyright_file.read_text(encoding="utf-8")
    block = text.split("License: SIL-1.1\n", 2)[2].split("\nLicense: ", 1)[0]
    body = "\n".join("" if line == " ." else line[1:] for line in block.splitlines())
    return f"{font['name'].getDebugName(0)}\n\n{body.strip()}\n"


def build(deb_dir: pathlib.Path, out_dir: pathlib.Path, when: str) -> list[dict[str, object]]:
    debs = fetch_debs(deb_dir)
    tree = pathlib.Path(tempfile.mkdtemp(prefix="officer-fonts-"))
    try:
        for deb, _version in debs.values():
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
        required, wanted = required_chars(), wanted_chars()
        manifest: list[dict[str, object]] = []
        for src in SOURCES:
            if src.package == "shared":
                path, version, package = SHARED_FONTS / src.member, "", "shared/fonts"
                version = "github.com/TrionesType/zhuque 227319a (see shared/fonts/README.md)"
            else:
                path = tree / src.member
                package, version = src.package, debs[src.package][1]
            font = TTCollection(path).fonts[src.index] if path.suffix == ".ttc" else TTFont(path)
            font.recalcTimestamp = False
            before = path.stat().st_size
            subset(font, wanted)
            if "CFF " in font:
                to_truetype(font)
            donor_path = tree / src.donor_member
            donor = TTCollection(donor_path).fonts[2]  # the SC face
            filled = fill_from_donor(font, donor, wanted)
            note_modification(font, when)
            out = out_dir / src.out
            font.save(out)
            check = TTFont(out).getBestCmap()
            missing = sorted(c for c in required if ord(c) not in check)
            if missing:
                raise SystemExit(f"{src.out} lacks {''.join(missing)}")
            if src.licence_file == "NotoCJK-OFL.txt":
                copyright_file = tree / "usr/share/doc" / src.package / "copyright"
                (out_dir / src.licence_file).write_text(noto_licence(copyright_file, font))
            elif src.licence_file == "ZhuqueFangsong-OFL.txt":
                shutil.copyfile(SHARED_FONTS / src.licence_file, out_dir / src.licence_file)
            donor_name = pathlib.Path(src.donor_member).name
            manifest.append(
                {
                    "role": src.role,
                    "file": src.out,
                    "family": src.family,
                    "licence": src.licence,
                    "licence_file": src.licence_file,
                    "source_package": package,
                    "source_version": version,
                    "source_file": src.member,
                    "source_face_index": src.index,
                    "source_sha256": sha256(path),
                    "source_bytes": before,
                    "sha256": sha256(out),
                    "bytes": out.stat().st_size,
                    "glyphs": len(TTFont(out).getGlyphOrder()),
                    "filled_from": (
                        f"{DONOR_PACKAGE.get(donor_name, src.package)}:{donor_name}"
                        if filled
                        else ""
                    ),
                    "filled_chars": "".join(filled),
                }
            )
            print(f"{src.out}: {before:,} -> {out.stat().st_size:,} bytes, {len(filled)} filled")
        return manifest
    finally:
        shutil.rmtree(tree, ignore_errors=True)


README_TABLE_START = "<!-- build_fonts: start -->"
README_TABLE_END = "<!-- build_fonts: end -->"


def update_readme(readme: pathlib.Path, manifest: list[dict[str, object]]) -> None:
    rows = [
        "| role | file | family | source (package, version) | source SHA-256 | output SHA-256 | size | licence |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in manifest:
        rows.append(
            f"| {m['role']} | `{m['file']}` | {m['family']} | {m['source_package']} "
            f"{m['source_version']} `{m['source_file']}`#{m['source_face_index']} "
            f"| `{m['source_sha256']}` | `{m['sha256']}` | {m['source_bytes']:,} → {m['bytes']:,} B "
            f"| {m['licence']} (`{m['licence_file']}`) |"
        )
    table = "\n".join([README_TABLE_START, *rows, README_TABLE_END])
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_TABLE_START) + ".*?" + re.escape(README_TABLE_END), re.S)
    readme.write_text(pattern.sub(lambda _m: table, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--debs", type=pathlib.Path, default=ROOT / "build" / "font-debs")
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "resources" / "fonts")
    ap.add_argument("--date", default="2026-12", help="recorded in each file's modification notice")
    args = ap.parse_args(argv)
    manifest = build(args.debs, args.out, args.date)
    retired = [{**r, "sha256": sha256(args.out / r["file"])} for r in RETIRED]
    (args.out / "faces.json").write_text(
        json.dumps({"faces": manifest, "retired": retired}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    readme = args.out / "README.md"
    if README_TABLE_START in readme.read_text(encoding="utf-8"):
        update_readme(readme, manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
