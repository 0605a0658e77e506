"""``matrix.md``: the matrix summary as Markdown tables for READMEs (same model as the page)."""

from __future__ import annotations

import unicodedata
from typing import Any

from . import accuracy, history, performance, strength
from .combine import LEVELS

MARK = {"full": "✅ full", "partial": "🟡 partial", "none": "❌ none", "not-claimed": "➖ not claimed",
        "not-applicable": "➖ n/a", "not-run": "⏸ not run", "absent": "·", "broken": "⚠️ adapter broken",
        "excused": "🔷 adapter/spec findings only"}


def md_text(text: Any) -> str:
    """Text from a report, inert in Markdown: HTML is entity-escaped, Markdown punctuation backslashed,
    control characters written visibly (``\\x1b``) so a report cannot drive the terminal that shows the file."""
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
        elif c in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(c) == "Cc":  # NUL, BEL, ESC …: shown as \x07, never passed to a terminal
            out.append(f"\\x{ord(c):02x}")
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
    if cell.get("excused") and state != "excused":
        text += f", {cell['excused']} adapter/spec"
    elif state == "excused":
        text += f" ({cell['excused']})"
    return text


def _score(s: dict[str, Any]) -> str:
    return "—" if s["percent"] is None else f"{s['percent']} % ({s['passed']}/{s['total']})"


def _one_line(text: str, limit: int = 160) -> str:
    """A snippet as one line (its lines joined by ' ⏎ '), shortened; escaped by the caller like all report text."""
    text = " ⏎ ".join(line.strip() for line in str(text).splitlines() if line.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def findings_section(cols: list[dict[str, Any]]) -> list[str]:
    """Per backend: its findings (root causes), backend ones first; adapter and spec ones are marked and not
    counted against the backend; then the requirements that pass only through an adapter shim."""
    lines: list[str] = []
    for c in cols:
        findings = c.get("findings", [])
        shimmed = sorted(rid for rid, r in c["results"].items() if r.get("shims") and r["status"] in ("pass", "xpass"))
        if not findings and not shimmed:
            continue
        counts = c.get("finding_counts", {})
        lines.append(f"### Findings: {md_text(c['label'])} (spec {md_text(c['spec_version'])}) — "
                     f"{counts.get('backend', 0)} backend, {counts.get('adapter', 0)} adapter, "
                     f"{counts.get('spec', 0)} spec")
        lines.append("")
        for f in findings:
            reqs = f["requirements"]
            shown = ", ".join(md_text(r) for r in reqs[:6]) + (f" and {len(reqs) - 6} more" if len(reqs) > 6 else "")
            line = (f"- **{f['id']}** ({f['cause']}{', declared' if f.get('declared') else ''}, "
                    f"{md_text(f.get('level', '?'))}): {md_text(f['title'])} — {len(reqs)} requirement(s): {shown}")
            if f.get("snippet"):
                line += f"; repro ({md_text(f.get('repro_requirement', ''))}): {md_text(_one_line(f['snippet']))}"
            lines.append(line)
        for rid in shimmed:
            shims = ", ".join(md_text(s) for s in c["results"][rid]["shims"])
            lines.append(f"- {md_text(rid)}: pass via adapter shim ({shims})")
        lines.append("")
    return lines


def render_markdown(matrix: dict[str, Any]) -> str:
    lines = ["# Accord compatibility matrix", "",
             f"Generated {matrix['generated']} by accord {md_text(matrix['accord_version'])} from "
             f"{sum(len(c['sources']) for f in matrix['families'] for c in f['columns'])} conformance reports. "
             "Cells count requirements with a verdict; `xfail` (declared known failures) counts as a failure.", ""]
    for fam in matrix["families"]:
        older = history.older_releases(fam)  # the table shows each backend's newest release; History the rest
        cols = [c for c in fam["columns"] if c["id"] not in older]
        lines += [f"## {md_text(fam['family'])}", ""]
        follows = [f"- spec {md_text(spec['version'])} follows "
                   + "; ".join(f"[{md_text(std['name'])} {md_text(std['revision'])}](<{md_text(std['url'])}>)"
                               for std in spec["standards"])
                   for spec in fam.get("specs", []) if spec.get("standards")]
        lines += [*follows, ""] if follows else []
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
        if older:
            lines += ["Each backend's newest release per spec version; older releases ("
                      + ", ".join(md_text(c["label"]) for c in fam["columns"] if c["id"] in older)
                      + ") are in its History below.", ""]
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
        lines += findings_section(cols)
        lines += history.markdown_section(fam, matrix["history"], md_text)
        lines += strength.markdown_section(fam, md_text)
        lines += performance.markdown_section(fam, md_text)
        lines += accuracy.markdown_section(fam, md_text)
    if matrix["skipped"]:
        lines += ["## Skipped reports", ""] + [f"- {md_text(s)}" for s in matrix["skipped"]] + [""]
    return "\n".join(lines)
