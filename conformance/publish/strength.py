"""Suite strength: the mutation score of a family's suite per capability group, on the matrix.

A matrix says how well each backend conforms; "suite strength" says how much such a verdict is worth:
the share of realistic bugs (``accord mutate``'s mutants, applied to the reference) the suite catches in
each capability group. Read from mutation reports (``accord matrix … --mutation FILE``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .load import load_each


def load_mutation_reports(paths: list[Path]) -> list[dict[str, Any]]:
    """Read and check mutation reports; InputError (one line naming the file) on a bad one."""
    from accord.conformance.mutate.report import load

    return load_each(paths, load)


def strength(report: dict[str, Any]) -> dict[str, Any]:
    """The matrix's ``suite_strength`` of one mutation report."""
    return {
        "spec_version": report["spec"]["version"],
        "seed": report["settings"]["seed"],
        "groups": [{k: g[k] for k in ("id", "title", "killed", "total", "allowed", "score")} for g in report["groups"]],
        "score": {k: report["score"][k] for k in ("killed", "total", "score")},
        "survivors": [m["id"] for m in report["mutants"] if m["status"] in ("survived", "error")],
    }


def attach(matrix: dict[str, Any], reports: list[dict[str, Any]]) -> list[str]:
    """Put each report's strength on its family (the last report of a family wins); returns one line per
    report whose family has no column in the matrix (nothing to attach it to)."""
    families = {f["family"]: f for f in matrix["families"]}
    unused = []
    for report in reports:
        family = report["spec"]["family"]
        if family in families:
            families[family]["suite_strength"] = strength(report)
        else:
            unused.append(f"mutation report of family {family!r} skipped: the matrix has no {family} report")
    return unused


def _percent(score: float | None) -> str:
    return "—" if score is None else f"{100 * score:.1f} %"


def markdown_section(fam: dict[str, Any], md_text: Callable[[Any], str]) -> list[str]:
    """``### Suite strength`` of a family (nothing without a mutation report)."""
    found = fam.get("suite_strength")
    if not found:
        return []
    lines = [f"### Suite strength: {md_text(fam['family'])} (spec {md_text(found['spec_version'])}, "
             f"mutation score, seed {found['seed']})", "",
             "Share of realistic bugs, applied to Accord's reference, that the suite catches (`accord mutate`).", "",
             "| capability group | killed | score |", "|---|---:|---:|"]
    for g in found["groups"]:
        lines.append(f"| {md_text(g['title'])} | {g['killed']}/{g['total']} | {_percent(g['score'])} |")
    total = found["score"]
    lines.append(f"| **total** | {total['killed']}/{total['total']} | **{_percent(total['score'])}** |")
    if found["survivors"]:
        lines += ["", "Surviving mutants: " + ", ".join(md_text(s) for s in found["survivors"])]
    return [*lines, ""]


def html_section(matrix: dict[str, Any]) -> str:
    """Static HTML tables (escaped) for every family with a suite strength."""
    parts = []
    for fam in matrix["families"]:
        found = fam.get("suite_strength")
        if not found:
            continue
        rows = "".join(f"<tr><td>{html.escape(g['title'])}</td><td class=\"num\">{g['killed']}/{g['total']}</td>"
                       f"<td class=\"num\">{_percent(g['score'])}</td></tr>" for g in found["groups"])
        total = found["score"]
        rows += (f"<tr><th>total</th><th class=\"num\">{total['killed']}/{total['total']}</th>"
                 f"<th class=\"num\">{_percent(total['score'])}</th></tr>")
        survivors = ""
        if found["survivors"]:
            survivors = "<p>Surviving mutants: " + ", ".join(
                f"<code>{html.escape(s)}</code>" for s in found["survivors"]) + "</p>"
        name = html.escape(fam["family"])
        parts.append(
            f'<section class="strength family" style="padding:0 28px" id="strength-{name}">'
            f"<h2>Suite strength: {name} (spec {html.escape(found['spec_version'])})</h2>"
            "<p>Share of realistic bugs, applied to Accord's reference, that the suite catches per capability "
            f"group (mutation score, <code>accord mutate</code>, seed {found['seed']}).</p>"
            f'<table class="matrix"><thead><tr><th>capability group</th><th>killed</th><th>score</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>{survivors}</section>")
    return "\n".join(parts)
