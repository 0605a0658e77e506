"""Badges: a flat SVG per backend, family and spec version, plus a shields.io endpoint JSON.

The endpoint format is shields' ``{"schemaVersion": 1, "label", "message", "color"}``
so a project can serve the JSON and let shields render it in its own style.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

COLOURS = {"brightgreen": "#2e9b3e", "green": "#5b9a22", "yellow": "#b58a00", "red": "#c43a31",
           "lightgrey": "#8a8f98"}
# approximate advance widths of 11px Verdana, enough to size the two halves of a badge
_NARROW = set("iIl.,:;!|'`() ")
_WIDE = set("MWmw%@")


def text_width(text: str) -> int:
    return round(sum(3.5 if c in _NARROW else 9.5 if c in _WIDE else 6.8 for c in text))


def svg(label: str, message: str, colour: str) -> str:
    """A flat two-part badge; text is XML-escaped."""
    lw, mw = text_width(label) + 12, text_width(message) + 12
    fill = COLOURS.get(colour, COLOURS["lightgrey"])
    title = escape(f"{label}: {message}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + mw}" height="20" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        f'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{lw + mw}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#4a4f58"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{fill}"/>'
        f'<rect width="{lw + mw}" height="20" fill="url(#s)"/></g>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2}" y="15" fill="#010101" fill-opacity=".3">{escape(label)}</text>'
        f'<text x="{lw / 2}" y="14">{escape(label)}</text>'
        f'<text x="{lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">{escape(message)}</text>'
        f'<text x="{lw + mw / 2}" y="14">{escape(message)}</text></g></svg>\n'
    )


def endpoint(label: str, message: str, colour: str) -> dict[str, Any]:
    return {"schemaVersion": 1, "label": label, "message": message, "color": colour}


def write_badges(matrix: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write every badge of the model (paths come from the model, already file-name safe)."""
    written = []
    (out_dir / "badges").mkdir(parents=True, exist_ok=True)
    for badge in matrix["badges"]:
        svg_path, json_path = out_dir / badge["svg"], out_dir / badge["endpoint"]
        svg_path.write_text(svg(badge["label"], badge["message"], badge["color"]), encoding="utf-8")
        json_path.write_text(json.dumps(endpoint(badge["label"], badge["message"], badge["color"]),
                                        ensure_ascii=False) + "\n", encoding="utf-8")
        written += [svg_path, json_path]
    return written


SNIPPET_KINDS = (("markdown", "Markdown"), ("rst", "reStructuredText"), ("html", "HTML"))
SHIELDS = "https://img.shields.io/endpoint?url="
# what a URL written into a snippet may keep literally: no space, quote, bracket or parenthesis
_URL_SAFE = ":/?#&=%~+@!$,;*'"


def embed_snippets(badge: dict[str, Any], base_url: str | None) -> dict[str, str]:
    """The Markdown, reStructuredText and HTML that embed a badge, for the static SVG and the shields endpoint.

    Keys are ``<kind>`` (static SVG) and ``<kind>-shields`` for each kind in ``SNIPPET_KINDS``. With
    ``base_url`` (where the published folder is served) every URL is absolute; without it they are
    relative to the matrix page, and the page says so (shields.io needs an absolute endpoint URL).
    """
    base = quote(base_url.rstrip("/") + "/", safe=_URL_SAFE) if base_url else ""
    link = base + "index.html"
    alt = " ".join(f"{badge['adapter']} — {badge['label']}: {badge['message']}".split())
    sources = {"": base + badge["svg"], "-shields": SHIELDS + quote(base + badge["endpoint"], safe="")}
    snippets = {}
    for suffix, src in sources.items():
        snippets["markdown" + suffix] = f"[![{_md_alt(alt)}]({src})]({link})"
        snippets["rst" + suffix] = f".. image:: {src}\n   :alt: {alt}\n   :target: {link}"
        snippets["html" + suffix] = f'<a href="{_attr(link)}"><img alt="{_attr(alt)}" src="{_attr(src)}"></a>'
    return snippets


def _md_alt(text: str) -> str:
    """Markdown image alt text: backslash-escape what could end the brackets or start markup."""
    return "".join("\\" + c if c in "\\`*_[]<>&!" else c for c in text)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})
