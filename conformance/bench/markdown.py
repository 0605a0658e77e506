"""A bench report as Markdown for a pull request: workload x backend ratios to the baseline."""

from __future__ import annotations

from typing import Any

#: a cell without a time says why in one word, and its finding goes below the table
WORD = {"wrong": "**wrong**", "error": "error", "unsupported": "n/a", "timeout": "timeout", "crashed": "crashed"}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _time(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def render(report: dict[str, Any], limit: int = 40) -> str:
    """The table (ratios: below 1 is faster than the baseline), then the findings of cells without a time."""
    names = [b["name"] for b in report["backends"] if b["status"] == "ok"]
    machine = report["machine"]
    lines = [
        f"### accord bench — {report['family']} {report['spec']['version']}",
        "",
        f"Ratio of each backend's median time per call to **{report['baseline']}**'s in the same run "
        f"(below 1: faster). {report['rounds']} interleaved rounds, seed {report['seed']}; {report['timing']}.",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_before'][0]} → "
        f"{machine['load_after'][0]}; Python {machine['python']}; "
        + ", ".join(f"{b['name']} {b['version']}" for b in report["backends"] if b["status"] == "ok") + ".",
        "",
        "| workload | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    notes: list[str] = []
    for w in report["workloads"]:
        cells = []
        for name in names:
            cell = w["results"].get(name)
            if cell is None:
                cells.append("")
            elif cell["status"] == "timed":
                if name == report["baseline"]:
                    cells.append(_time(cell["median_ns"]))
                else:
                    cells.append(f"{cell['ratio']:.2f}×" if "ratio" in cell else _time(cell["median_ns"]))
            else:
                cells.append(WORD[cell["status"]])
                notes.append(f"- `{w['id']}` on {name}: {cell['status']} — {_md(cell.get('finding', ''))[:300]}")
        lines.append(f"| `{w['id']}` | " + " | ".join(cells) + " |")
    failed = [b for b in report["backends"] if b["status"] != "ok"]
    for b in failed:
        notes.insert(0, f"- {b['name']} did not start: {_md(b.get('message', ''))}")
    if notes:
        lines += ["", f"<details><summary>{len(notes)} cells without a time</summary>", ""]
        lines += notes[:limit] + ([f"- … and {len(notes) - limit} more"] if len(notes) > limit else [])
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
