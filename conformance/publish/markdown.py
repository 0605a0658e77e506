"""``matrix.md``: the matrix summary as Markdown tables for READMEs (same model as the page)."""

from __future__ import annotations

from typing import Any

from .combine import LEVELS

MARK = {"full": "✅ full", "partial": "🟡 partial", "none": "❌ none", "not-claimed": "➖ not claimed",
        "not-applicable": "➖ n/a", "not-run": "⏸ not run", "absent": "·", "broken": "⚠️ adapter broken"}


def md_text(text: Any) -> str:
    """Text from a report, inert in Markdown: HTML is entity-escaped, Markdown punctuation backslashed."""
    out = []
    for c in str(text):
        if c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c in "\\`*_[]|#!":
            out.append("\\" + c)
        elif c in "\r\n":
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def cell_text(cell: dict[str, Any]) -> str:
    state = cell["state"]
    text = MARK[state]
    if state == "partial":
        text += f" {cell['passed']} of {cell['total']}"
    elif state in ("full", "none"):
        text += f" ({cell['passed']}/{cell['total']})"
    if cell["not_run"] and state not in ("not-run", "broken"):
        text += f", {cell['not_run']} not run"
    return text


def _score(s: dict[str, Any]) -> str:
    return "—" if s["percent"] is None else f"{s['percent']} % ({s['passed']}/{s['total']})"


def render_markdown(matrix: dict[str, Any]) -> str:
    lines = ["# Accord compatibility matrix", "",
             f"Generated {matrix['generated']} by accord {md_text(matrix['accord_version'])} from "
             f"{sum(len(c['sources']) for f in matrix['families'] for c in f['columns'])} conformance reports. "
             "Cells count requirements with a verdict; `xfail` (declared known failures) counts as a failure.", ""]
    for fam in matrix["families"]:
        cols = fam["columns"]
        lines += [f"## {md_text(fam['family'])}", ""]
        head = ["capability"] + [
            md_text(f"{c['label']} (spec {c['spec_version']}"
                    + (f", mixed digest {c['spec_digest'].split(':')[-1][:12]}" if c["mixed"] else "") + ")")
            for c in cols]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for level in LEVELS + ("all",):
            lines.append(f"| **{level if level != 'all' else 'all levels'}** | "
                         + " | ".join(_score(c["scores"][level]) if not c["broken"] else "⚠️ adapter broken"
                                      for c in cols) + " |")
        for cap in fam["capabilities"]:
            lines.append(f"| {md_text(cap['title'])} | "
                         + " | ".join(cell_text(c["groups"][cap["id"]]) for c in cols) + " |")
        lines.append("")
        broken = [c for c in cols if c["broken"]]
        for c in broken:
            lines.append(f"- ⚠️ **{md_text(c['label'])}**: adapter broken — {md_text(c['broken'])}")
        xfails = [(c, rid, r) for c in cols for rid, r in c["results"].items() if r["status"] == "xfail"]
        for c, rid, r in xfails:
            declared = r.get("declared", {})
            link = declared.get("link", "")
            lines.append(f"- xfail {md_text(c['label'])} {md_text(rid)}: {md_text(declared.get('reason', ''))}"
                         + (f" ({md_text(link)})" if link else ""))
        if broken or xfails:
            lines.append("")
    if matrix["skipped"]:
        lines += ["## Skipped reports", ""] + [f"- {md_text(s)}" for s in matrix["skipped"]] + [""]
    return "\n".join(lines)
