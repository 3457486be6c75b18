"""Build the CJK font subset the reports embed (a maintainer tool, not run by users or CI).

Reports must show Chinese on a fresh machine that has no CJK font, so the project ships a subset of
Noto Sans CJK SC (SIL Open Font License 1.1) in `ftzlist/reports/fonts/`. The subset holds every
GB 2312 character (6,763 hanzi plus its symbols), every character used in the bundled lists,
vocabularies, report templates and labels, and Latin text, so one font renders a whole report.

Re-run after a list adds a character outside GB 2312 (a test names any such character):

    apt-get install fonts-noto-cjk
    python -m ftzlist.reports.fontsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "ftzlist Sans SC"
FILES = {"Regular": "ftzlist-sans-sc-regular.ttf", "Bold": "ftzlist-sans-sc-bold.ttf"}

# Latin, punctuation and symbols reports use next to Chinese text.
EXTRA_RANGES = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths (≤ ≥)
    (0x2460, 0x24FF),  # circled numbers
    (0x2500, 0x259F),  # box drawing and blocks (text bars in DOCX)
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x27BF),  # ✓ ✗
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312() -> set[str]:
    out: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def project_text() -> set[str]:
    """Every character in the bundled law files and in the report and Excel sources."""
    chars: set[str] = set()
    for pattern in ("lists/**/*.yaml", "reports/**/*.j2", "reports/**/*.css", "reports/*.py", "excel/*.py"):
        for p in PACKAGE.glob(pattern):
            chars.update(p.read_text(encoding="utf-8"))
    return chars


def wanted() -> set[str]:
    chars = gb2312() | project_text()
    for lo, hi in EXTRA_RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    return {c for c in chars if c.isprintable() or c == " "}


def _pick_sc(path: Path):
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(1).endswith("CJK SC"):
                return font
        raise SystemExit(f"{path}: no Simplified Chinese (SC) face")
    return TTFont(str(path))


def build(source: Path, style: str) -> Path:
    from fontTools import subset

    font = _pick_sc(source)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    # Horizontal Simplified Chinese only: no vertical metrics, no regional (locl) or alternate
    # glyph variants, which would double the glyph count.
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE"]
    options.layout_features = ["ccmp", "kern", "liga", "palt", "halt"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in wanted()])
    sub.subset(font)
    ps = FAMILY.replace(" ", "") + "-" + style
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            rec.string = FAMILY if rec.nameID != 4 else f"{FAMILY} {style}"
        elif rec.nameID == 6:
            rec.string = ps
        elif rec.nameID == 3:
            rec.string = f"{ps};subset of Noto Sans CJK SC 2.004"
        elif rec.nameID == 17:
            rec.string = style
    _to_truetype(font)
    out = FONT_DIR / FILES[style]
    font.save(str(out))
    return out


def _to_truetype(font) -> None:
    """Replace CFF outlines by TrueType (quadratic) ones.

    WeasyPrint subsets embedded fonts with fontTools when HarfBuzz-subset is missing (as on stock
    Debian); a CFF font of 8,000 glyphs then takes seconds per weight, a `glyf` font a fraction.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    maxp = font["maxp"]
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
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    for arg in argv:
        style = "Bold" if "bold" in Path(arg).name.lower() else "Regular"
        out = build(Path(arg), style)
        sys.stdout.write(f"{out} {out.stat().st_size:,} bytes\n")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
