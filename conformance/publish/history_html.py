"""The page's History section: per backend and spec version, requirements × releases and a findings timeline.

Static HTML, every report string through ``html.escape`` (like the suite-strength and performance views), so
it needs no script of its own and reads the same with JavaScript off; the page's CSP still forbids anything
but its one hashed script. Requirements whose verdict changed come first; the rest sit in a closed
``<details>``. Cells use the main matrix's colours (``st-<status>`` classes).
"""

from __future__ import annotations

import html
from typing import Any

from .combine import slug

STATUS_ICON = {"pass": "✔", "xpass": "✔", "fail": "✘", "error": "✘", "timeout": "✘", "crashed": "✘", "xfail": "✘",
               "excused": "◇", "not-run": "○", "absent": "·"}
ARROW = {"improved": "▲", "regressed": "▼", "changed": "◆"}
PRESENCE = {"present": ("st-fail", "●", "open"), "absent": ("st-pass", "–", "gone"),
            "unknown": ("st-not-run", "?", "not run")}


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _verdict_cell(release: str, state: str) -> str:
    label = "not in spec" if state == "absent" else state
    return (f'<td class="cell st-{_e(state)}" data-release="{_e(release)}" data-state="{_e(state)}">'
            f'<span class="ico" aria-hidden="true">{STATUS_ICON.get(state, "–")}</span>{_e(label)}</td>')


def _head(first: str, releases: list[dict[str, Any]], last: list[str]) -> str:
    cols = "".join(f'<th scope="col" data-release="{_e(r["version"])}">{_e(r["version"])}'
                   + ('<span class="tag broken">broken</span>' if r["broken"] else "")
                   + (f'<span class="tag partialrun">{_e(r["state"])}</span>' if r["state"] != "complete" else "")
                   + "</th>" for r in releases)
    return (f'<thead><tr class="cols"><th class="corner" scope="col">{_e(first)}</th>{cols}'
            + "".join(f'<th scope="col">{_e(t)}</th>' for t in last) + "</tr></thead>")


def _req_rows(entry: dict[str, Any], rids: list[str], levels: dict[str, str], steps: dict[str, list]) -> str:
    versions = [r["version"] for r in entry["releases"]]
    rows = []
    for rid in rids:
        level = levels.get(rid, "")
        changed = steps.get(rid)
        cells = "".join(_verdict_cell(v, s) for v, s in zip(versions, entry["verdicts"][rid], strict=True))
        note = "" if changed is None else "<td class=\"steps\">" + "<br>".join(
            f'<span class="step {_e(s["direction"])}" data-release="{_e(s["release"])}">{ARROW[s["direction"]]} '
            f'{_e(s["release"])}: {_e(s["from"])} → {_e(s["to"])}</span>' for s in changed) + "</td>"
        rows.append(f'<tr class="req{" changed" if changed else ""}" data-req="{_e(rid)}">'
                    f'<th scope="row"><span class="rid">{_e(rid)}</span>'
                    + (f'<span class="lvl {_e(level)}">{_e(level)}</span>' if level else "")
                    + f"</th>{cells}{note}</tr>")
    return "".join(rows)


def _timeline(entry: dict[str, Any]) -> str:
    if not entry["findings"]:
        return '<p class="sub">No finding at any of these releases.</p>'
    versions = [r["version"] for r in entry["releases"]]
    rows = []
    for f in entry["findings"]:
        cells = "".join(
            f'<td class="cell {PRESENCE[p][0]}" data-release="{_e(v)}" data-presence="{p}">'
            f'<span class="ico" aria-hidden="true">{PRESENCE[p][1]}</span>{PRESENCE[p][2]}</td>'
            for v, p in zip(versions, f["presence"], strict=True))
        gone = "still open" if f["disappeared"] is None else f"gone in {f['disappeared']}"
        rows.append(
            f'<tr class="finding-row" data-finding="{_e(f["id"])}" data-cause="{_e(f["cause"])}">'
            f'<th scope="row"><span class="mono fid">{_e(f["id"])}</span> <span class="tag cause">{_e(f["cause"])}</span>'
            + ('<span class="tag partialrun">declared</span>' if f["declared"] else "")
            + f'<span class="summary">{_e(f["title"])}</span>'
            f'<span class="summary">{len(f["requirements"])} requirement(s): {_e(", ".join(f["requirements"][:4]))}'
            + (" …" if len(f["requirements"]) > 4 else "") + f"</span></th>{cells}"
            f'<td class="appeared">{_e(f["appeared"])}</td><td class="disappeared">{_e(gone)}</td></tr>')
    return (f'<table class="matrix history-timeline">{_head("finding", entry["releases"], ["appeared", "disappeared"])}'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _entry(fam: dict[str, Any], adapter: str, entry: dict[str, Any]) -> str:
    levels = {r["id"]: r["level"] for r in fam["requirements"]}
    steps = {c["requirement"]: c["steps"] for c in entry["changes"]}
    versions = [r["version"] for r in entry["releases"]]
    changed = [c["requirement"] for c in entry["changes"]]
    same = [rid for rid in entry["verdicts"] if rid not in steps]
    spec = entry["spec_version"] + (f" · digest {entry['spec_digest'].split(':')[-1][:12]}" if entry["mixed"] else "")
    open_now = sum(f["disappeared"] is None for f in entry["findings"])
    head = (f'<h3>{_e(adapter)} <span class="fam">{_e(fam["family"])} spec {_e(spec)}</span></h3>'
            f'<div class="sub">{len(versions)} releases: {_e(" → ".join(versions))} · {len(changed)} requirement(s) '
            f'changed verdict · {len(entry["findings"])} finding(s), {open_now} still open at {_e(versions[-1])}</div>')
    if changed:
        table = (f'<table class="matrix history-changes">{_head("requirement (verdict changed)", entry["releases"], ["changed in"])}'
                 f"<tbody>{_req_rows(entry, changed, levels, steps)}</tbody></table>")
    else:
        table = '<p class="sub no-change">No requirement changed its verdict across these releases.</p>'
    rest = ""
    if same:
        rest = (f'<details class="history-unchanged"><summary>All requirements: the {len(same)} whose verdict did not '
                f'change</summary><table class="matrix">{_head("requirement", entry["releases"], [])}'
                f"<tbody>{_req_rows(entry, same, levels, steps)}</tbody></table></details>")
    anchor = slug(f"history-{fam['family']}-{adapter}-{entry['spec_version']}")
    return (f'<section class="history-entry" id="{_e(anchor)}" data-family="{_e(fam["family"])}" '
            f'data-adapter="{_e(adapter)}" data-spec="{_e(entry["spec_version"])}">{head}{table}{rest}'
            f'<h4>Findings timeline</h4>{_timeline(entry)}</section>')


def html_section(matrix: dict[str, Any]) -> str:
    """The History section (empty when no backend ran at two or more releases of one spec version)."""
    families = {f["family"]: f for f in matrix["families"]}
    parts = [_entry(families[h["family"]], h["adapter"], entry)
             for h in matrix["history"] for entry in h.get("spec_versions", [])]
    if not parts:
        return ""
    return ('<section class="history-view" id="history"><h2>History: backends across their releases</h2>'
            '<p class="sub">The matrix above shows the newest release of each backend per spec version (tick '
            '<i>all releases</i> to show every one). Here every release tested: which releases pass each '
            "requirement, and when each finding (by its stable id) appeared and disappeared. A release that did not "
            "run a requirement, or whose adapter was broken, neither starts nor ends a change.</p>"
            + "".join(parts) + "</section>")
