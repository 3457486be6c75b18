"""HTML and PDF renderings of the report: one Jinja2 template, WeasyPrint for PDF.

The environment uses `StrictUndefined`, so a field the template names but the context lacks is an
error at render time (tested with a full fixture), never a silently empty cell. The PDF embeds the
bundled CJK font through `@font-face`; WeasyPrint subsets it to the glyphs used.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


def _datauri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@cache
def environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    from ftzlist.xmltext import xml_safe

    def finalize(value: Any) -> Any:
        """Every printed value: control characters become visible stand-ins (ftzlist.xmltext);
        markup marked safe (the CSS) stays markup."""
        if isinstance(value, Markup):
            return Markup(xml_safe(value))
        return xml_safe(value) if isinstance(value, str) else value

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=False,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["datauri"] = _datauri
    return env


def render_html(
    context: dict[str, Any], *, embed_font: bool = False, template: str = "report.html.j2"
) -> str:
    """A report template as one self-contained HTML page (charts inline).

    `embed_font` points `@font-face` at the bundled font files (for WeasyPrint); a browser viewing
    the HTML uses its own CJK fonts, listed after the bundled one in the CSS font stack.
    """
    from ftzlist.reports.fonts import font_face_css

    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return (
        environment()
        .get_template(template)
        .render(**context, css=css, font_css=font_face_css() if embed_font else "")
    )


def render_pdf(context: dict[str, Any], path: Path, *, template: str = "report.html.j2") -> Path:
    """Write a report template as PDF with the bundled CJK font embedded."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(context, embed_font=True, template=template)
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(path), font_config=FontConfiguration())
    return Path(path)
