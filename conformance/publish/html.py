"""``index.html``: one self-contained page (CSS, JS and data inline; no network at view time).

The matrix model is embedded as JSON (with ``<``, ``>`` and ``&`` escaped so no report
string can close the script element) and drawn by the inline script with
``textContent`` only. A Content-Security-Policy allows exactly that one script (by
hash), no network, and images from ``data:`` URIs only — a second line of defence
should a report string ever reach the markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

from .accuracy import html_section as accuracy_html
from .badges import SNIPPET_KINDS, embed_snippets, svg
from .combine import LEVELS, cell_state, score, verdict
from .history import older_releases
from .history_html import html_section as history_html
from .performance import html_section as performance_html
from .strength import html_section as strength_html

ASSETS = Path(__file__).with_name("assets")


def level_sets() -> list[tuple[str, ...]]:
    """Every non-empty combination of levels the page's level filter can select."""
    return [c for n in (1, 2, 3) for c in itertools.combinations(LEVELS, n)]


def _filtered_views(matrix: dict[str, Any]) -> tuple[dict, dict]:
    """Group cells and overall scores for each level selection, computed here so the page has no rules of its own."""
    cells: dict[str, dict] = {}
    scores: dict[str, dict] = {}
    for fam in matrix["families"]:
        reqs = {r["id"]: r for r in fam["requirements"]}
        cells[fam["family"]], scores[fam["family"]] = {}, {}
        for col in fam["columns"]:
            cells[fam["family"]][col["id"]], scores[fam["family"]][col["id"]] = {}, {}
            for levels in level_sets():
                key = "+".join(levels)
                picked = {rid: res for rid, res in col["results"].items() if res["level"] in levels}
                groups = {}
                for cap in fam["capabilities"]:
                    statuses = [verdict(res) for rid, res in picked.items() if reqs[rid]["capability"] == cap["id"]]
                    groups[cap["id"]] = ({"state": "broken", "passed": 0, "total": 0, "not_run": 0}
                                         if col["broken"] and statuses else cell_state(statuses))
                cells[fam["family"]][col["id"]][key] = groups
                scores[fam["family"]][col["id"]][key] = score(list(picked.values()))
    return cells, scores


def _spec_docs(matrix: dict[str, Any], spec_docs: str, out_dir: Path) -> dict[str, str]:
    """'family/version' → URL of its rendered spec page; local pages only when they exist."""
    remote = spec_docs.startswith(("http://", "https://"))
    base = spec_docs.rstrip("/") + "/"
    links = {}
    for fam in matrix["families"]:
        for spec in fam["specs"]:
            rel = f"{quote(fam['family'], safe='')}/{quote(spec['version'], safe='')}/index.html"
            if remote or (out_dir / base / fam["family"] / spec["version"] / "index.html").is_file():
                links[f"{fam['family']}/{spec['version']}"] = base + rel
    return links


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' appear literally."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def show_value(value: Any) -> str:
    """Counterexamples and values as text, rendered here so -0.0, big ints and key order survive the browser."""
    if isinstance(value, str):
        return value
    compact = json.dumps(value, ensure_ascii=False)
    return compact if len(compact) <= 100 else json.dumps(value, ensure_ascii=False, indent=2)


def _page_matrix(matrix: dict[str, Any]) -> dict[str, Any]:
    """The model as the page shows it: result values pre-rendered as text."""
    fams = []
    for fam in matrix["families"]:
        cols = []
        for col in fam["columns"]:
            results = {rid: {k: (show_value(v) if k in ("counterexample", "expected", "actual") else v)
                             for k, v in res.items()} for rid, res in col["results"].items()}
            findings = [{k: (show_value(v) if k in ("counterexample", "expected", "actual") else v)
                         for k, v in f.items()} for f in col.get("findings", [])]
            cols.append({**col, "results": results, "findings": findings})
        # the performance view is static HTML (performance_html): the script needs none of it
        fams.append({**{k: v for k, v in fam.items() if k != "performance"}, "columns": cols})
    # the History section is static HTML too (history_html): the script needs only the score points
    history = [{k: v for k, v in h.items() if k != "spec_versions"} for h in matrix["history"]]
    return {**matrix, "families": fams, "history": history}


def standards_html(matrix: dict[str, Any]) -> str:
    """The header line naming the standard revision(s) each spec version in the matrix follows."""
    items = []
    for fam in matrix["families"]:
        for spec in fam["specs"]:
            named = ", ".join(
                f'<a href="{html.escape(s["url"])}" rel="noopener">{html.escape(s["name"])} {html.escape(s["revision"])}</a>'
                for s in spec.get("standards", []))
            if named:
                items.append(f'<li data-spec="{html.escape(fam["family"])}/{html.escape(spec["version"])}">'
                             f'{html.escape(fam["family"])} {html.escape(spec["version"])} follows {named}</li>')
    return f'<ul class="meta standards" aria-label="standards followed">{"".join(items)}</ul>' if items else ""


def _badges(matrix: dict[str, Any], base_url: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Badges by their column, with image and embed snippets; and every column → the id of its backend's badge."""
    badges, column_badge = {}, {}
    for badge in matrix["badges"]:
        image = svg(badge["label"], badge["message"], badge["color"]).encode()
        badges[badge["column"]] = {**badge, "snippets": embed_snippets(badge, base_url),
                                   "data_uri": "data:image/svg+xml;base64," + base64.b64encode(image).decode()}
    for fam in matrix["families"]:
        for col in fam["columns"]:
            for badge in matrix["badges"]:
                if (badge["family"], badge["adapter"], badge["spec_version"]) == \
                        (fam["family"], col["adapter"], col["spec_version"]):
                    column_badge[col["id"]] = badge["column"]
    return badges, column_badge


def render_html(matrix: dict[str, Any], out_dir: Path, spec_docs: str = "spec-docs/",
                base_url: str | None = None) -> str:
    cells, scores = _filtered_views(matrix)
    badges, column_badge = _badges(matrix, base_url)
    kinds = [[k, name] for k, name in SNIPPET_KINDS]
    docs_index = spec_docs.rstrip("/") + "/index.html"
    has_index = spec_docs.startswith(("http://", "https://")) or (out_dir / docs_index).is_file()
    page = {"spec_docs": _spec_docs(matrix, spec_docs, out_dir), "spec_index": docs_index if has_index else None,
            "cells": cells, "scores": scores, "badges": badges,
            "column_badge": column_badge, "snippet_kinds": kinds, "base_url": base_url,
            "older": {old: new for fam in matrix["families"] for old, new in older_releases(fam).items()}}
    js = (ASSETS / "matrix.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    reports = sum(len(c["sources"]) for f in matrix["families"] for c in f["columns"])
    columns = sum(len(f["columns"]) for f in matrix["families"])
    summary = (f"{reports} reports · {columns} backend runs · {len(matrix['families'])} families · "
               f"generated {matrix['generated']} by accord {matrix['accord_version']}")
    return Template((ASSETS / "page.html").read_text(encoding="utf-8")).substitute(
        csp=csp, accord_version=html.escape(matrix["accord_version"]), css=(ASSETS / "matrix.css").read_text(),
        summary=html.escape(summary), standards=standards_html(matrix), data=_script_json({"matrix": _page_matrix(matrix), "page": page}), js=js,
        accuracy=accuracy_html(matrix), strength=strength_html(matrix), performance=performance_html(matrix),
        history=history_html(matrix))
