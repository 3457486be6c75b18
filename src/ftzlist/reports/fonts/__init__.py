"""The bundled CJK font: a subset of Noto Sans CJK SC (SIL OFL 1.1, see OFL.txt), built by
`ftzlist.reports.fontsubset`. Reports embed it, so Chinese renders on a machine with no CJK font."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).parent
FAMILY = "ftzlist Sans SC"
REGULAR = FONT_DIR / "ftzlist-sans-sc-regular.ttf"
BOLD = FONT_DIR / "ftzlist-sans-sc-bold.ttf"


def font_path(bold: bool = False) -> Path:
    return BOLD if bold else REGULAR


def font_face_css() -> str:
    """`@font-face` rules that point WeasyPrint at the bundled files."""
    return "\n".join(
        f"@font-face {{ font-family: '{FAMILY}'; src: url('{p.as_uri()}'); font-weight: {w}; }}"
        for p, w in ((REGULAR, "normal"), (BOLD, "bold"))
    )


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` the bundled font cannot draw (they would print as empty boxes)."""
    return sorted({c for c in text if c.isprintable() and ord(c) not in _cmap()})


_CMAP: set[int] = set()


def _cmap() -> set[int]:
    if not _CMAP:
        from fontTools.ttLib import TTFont

        _CMAP.update(TTFont(str(REGULAR), lazy=True).getBestCmap())
    return _CMAP
