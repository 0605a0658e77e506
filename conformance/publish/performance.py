"""The performance view: bench reports (``accord bench``) beside the compatibility matrix.

Per family, ``matrix.json`` carries the bench report without its raw rounds (``performance``); the page
draws a ratio heat map per workload × backend (each time over the baseline's, measured in the same run)
and an inline SVG of the geometric-mean ratio per backend and size; ``matrix.md`` carries the summary.
A backend whose answer was wrong has no time anywhere here, only its finding. Rendered as static,
escaped HTML (no script, no network): the page stays one self-contained file under its CSP.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .load import load_each

#: the status each untimed cell shows, and its CSS class
UNTIMED = {"wrong": "wrong answer", "error": "error", "unsupported": "unsupported", "timeout": "timed out",
           "crashed": "crashed"}
#: heat-map colour steps by log2(ratio): faster than the baseline is green, slower red
STEPS = ((-1.0, "#1a9850"), (-0.3, "#91cf60"), (0.3, "#f7f7f7"), (1.0, "#fee08b"), (2.0, "#fc8d59"),
         (math.inf, "#d73027"))
#: what the matrix keeps of a bench report's workload and result (spec/meta/matrix.performance.schema.json)
WORKLOAD_KEYS = ("id", "function", "size", "shape", "composite")
RESULT_KEYS = ("status", "median_ns", "iqr_ns", "ratio", "finding", "note", "extra")
#: one colour per backend in the plot (colour-blind-safe qualitative palette)
PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb")


def load_bench_reports(paths: list[Path]) -> list[dict[str, Any]]:
    """Read and check bench reports; InputError (one line naming the file) on a bad one."""
    from accord.conformance.bench.report import load

    return load_each(paths, load)


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The matrix's ``performance`` of one bench report: everything but the raw rounds."""
    workloads = [{**{k: w[k] for k in WORKLOAD_KEYS if k in w},
                  "results": {b: {k: v for k, v in cell.items() if k in RESULT_KEYS} for b, cell in w["results"].items()}}
                 for w in report["workloads"]]
    keep = ("spec", "created", "seed", "rounds", "baseline", "timing", "machine")
    return {**{k: report[k] for k in keep},
            "backends": [{k: b[k] for k in ("name", "version", "status") if k in b} for b in report["backends"]],
            "workloads": workloads}


def attach(matrix: dict[str, Any], reports: list[dict[str, Any]]) -> list[str]:
    """Put each bench report on its family (the last of a family wins); one line per report whose family
    has no column in the matrix."""
    families = {f["family"]: f for f in matrix["families"]}
    unused = []
    for report in reports:
        if report["family"] in families:
            families[report["family"]]["performance"] = summary(report)
        else:
            unused.append(f"bench report of family {report['family']!r} skipped: the matrix has no "
                          f"{report['family']} report")
    return unused


def backends(perf: dict[str, Any]) -> list[str]:
    """The backends in report order, the baseline first."""
    names = [b["name"] for b in perf["backends"]]
    return sorted(names, key=lambda n: n != perf["baseline"])


def geomeans(perf: dict[str, Any]) -> dict[str, dict[str, tuple[float | None, int]]]:
    """backend → size → (geometric mean of its ratios, how many workloads had no time)."""
    out: dict[str, dict[str, tuple[float | None, int]]] = {}
    sizes = _sizes(perf)
    for name in backends(perf):
        out[name] = {}
        for size in sizes:
            cells = [w["results"].get(name) for w in perf["workloads"] if w["size"] == size]
            ratios = [c["ratio"] for c in cells if c and c.get("ratio")]
            untimed = sum(1 for c in cells if c and c["status"] != "timed")
            mean = math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None
            out[name][size] = (mean, untimed)
    return out


def _sizes(perf: dict[str, Any]) -> list[str]:
    """Size labels in the order of their element counts."""
    counts: dict[str, int] = {}
    for w in perf["workloads"]:
        counts.setdefault(w["size"], math.prod(w.get("shape") or [0]))
    return sorted(counts, key=lambda s: (counts[s], s))


def _ratio(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def _colour(ratio: float) -> str:
    level = math.log2(ratio) if ratio > 0 else -math.inf
    return next(colour for bound, colour in STEPS if level <= bound)


# ---------------------------------------------------------------- Markdown


def markdown_section(fam: dict[str, Any], md_text: Callable[[Any], str]) -> list[str]:
    """``### Performance`` of a family: geometric-mean ratio per backend and size (nothing without a bench)."""
    perf = fam.get("performance")
    if not perf:
        return []
    sizes = _sizes(perf)
    lines = [f"### Performance: {md_text(fam['family'])} (spec {md_text(perf['spec']['version'])}, "
             f"{len(perf['workloads'])} workloads, baseline {md_text(perf['baseline'])})", "",
             f"Geometric mean of each backend's time over {md_text(perf['baseline'])}'s, measured in the same run "
             f"({perf['rounds']} interleaved rounds; timing: {md_text(perf['timing'].rstrip('.'))}). Lower is faster; untimed "
             "workloads (a wrong answer, an error) are counted beside.", "",
             "| backend | " + " | ".join(md_text(s) for s in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for name, by_size in geomeans(perf).items():
        cells = [_ratio(mean) + (f" ({untimed} untimed)" if untimed else "") for mean, untimed in by_size.values()]
        lines.append(f"| {md_text(name)} | " + " | ".join(cells) + " |")
    return [*lines, ""]


# ---------------------------------------------------------------- HTML


def _svg(perf: dict[str, Any]) -> str:
    """Grouped bars: per size, one bar per backend, height log2 of its geometric-mean ratio (0 = the baseline)."""
    means = geomeans(perf)
    sizes, names = _sizes(perf), list(means)
    values = [m for by in means.values() for m, _ in by.values() if m]
    top = max([1.0, *(abs(math.log2(v)) for v in values)])
    bar, gap, height, left = 14, 18, 160, 44
    group = max(len(names) * bar, 60)  # wide enough for a size label such as 1000x1000
    width = left + len(sizes) * (group + gap) + gap
    mid = height / 2 + 10
    scale = (height / 2) / top
    parts = [f'<line x1="{left}" y1="{mid}" x2="{width}" y2="{mid}" stroke="#555"/>',
             f'<text x="4" y="{mid + 4}" font-size="10">1×</text>',
             f'<text x="4" y="18" font-size="10">{2 ** top:.3g}×</text>',
             f'<text x="4" y="{height + 8}" font-size="10">1/{2 ** top:.3g}</text>']
    x = left + gap
    for size in sizes:
        for i, name in enumerate(names):
            mean, untimed = means[name][size]
            label = html.escape(f"{name} at {size}: {_ratio(mean)}" + (f", {untimed} untimed" if untimed else ""))
            if mean:
                h = math.log2(mean) * scale
                y, hh = (mid - h, h) if h > 0 else (mid, -h)
                parts.append(f'<rect x="{x + i * bar}" y="{y:.1f}" width="{bar - 2}" height="{max(hh, 1):.1f}" '
                             f'fill="{PALETTE[i % len(PALETTE)]}"><title>{label}</title></rect>')
        parts.append(f'<text x="{x}" y="{height + 24}" font-size="10">{html.escape(size)}</text>')
        x += group + gap
    legend = "".join(f'<rect x="{left + 130 * i}" y="{height + 33}" width="10" height="10" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/><text x="{left + 14 + 130 * i}" y="{height + 42}" '
                     f'font-size="10">{html.escape(n)}</text>' for i, n in enumerate(names))
    return (f'<svg class="bench-plot" xmlns="http://www.w3.org/2000/svg" width="{max(width, 140 * len(names))}" '
            f'height="{height + 50}" role="img" aria-label="geometric-mean time ratio per backend and size">'
            f'{"".join(parts)}{legend}</svg>')


def _cell(cell: dict[str, Any] | None, baseline: bool) -> str:
    if cell is None:
        return '<td class="bench-absent">·</td>'
    if cell["status"] != "timed":
        text = UNTIMED.get(cell["status"], cell["status"])
        return (f'<td class="bench-untimed" title="{html.escape(cell.get("finding", ""))}">'
                f"{html.escape(text)}</td>")
    ms = cell["median_ns"] / 1e6
    iqr = cell["iqr_ns"] / 1e6
    title = html.escape(f"median {ms:.4g} ms, IQR {iqr:.3g} ms")
    ratio = cell.get("ratio")
    if ratio is None or baseline:
        return f'<td class="num" title="{title}">{ms:.3g} ms</td>'
    return f'<td class="num" style="background:{_colour(ratio)}" title="{title}">{_ratio(ratio)}</td>'


def html_section(matrix: dict[str, Any]) -> str:
    """Static HTML (escaped) for every family with a bench: the plot, then the heat map."""
    parts = []
    for fam in matrix["families"]:
        perf = fam.get("performance")
        if not perf:
            continue
        names = backends(perf)
        head = "".join(f"<th>{html.escape(n)}{' (baseline)' if n == perf['baseline'] else ''}</th>" for n in names)
        rows = []
        for w in perf["workloads"]:
            cells = "".join(_cell(w["results"].get(n), n == perf["baseline"]) for n in names)
            rows.append(f'<tr data-workload="{html.escape(w["id"])}"><td>{html.escape(w["function"])}</td>'
                        f'<td>{html.escape(w["size"])}</td>{cells}</tr>')
        machine = perf["machine"]
        versions = ", ".join(f"{b['name']} ({b['version']})" for b in perf["backends"])
        name = html.escape(fam["family"])
        parts.append(
            f'<section class="performance family" style="padding:0 28px" id="performance-{name}">'
            f"<h2>Performance: {name} (spec {html.escape(perf['spec']['version'])})</h2>"
            f"<p>Each time over {html.escape(perf['baseline'])}'s for the same workload, measured in the same run "
            f"({perf['rounds']} interleaved rounds, median; hover a cell for the median and IQR). "
            f"Timing: {html.escape(perf['timing'].rstrip('.'))}. A wrong answer has no time, only its finding.</p>"
            f"<p class=\"meta\">{html.escape(machine['cpu'])}, {machine['cores']} cores, load "
            f"{machine['load_before'][0]} → {machine['load_after'][0]}; {html.escape(versions)}; "
            f"{html.escape(perf['created'])}</p>{_svg(perf)}"
            f'<table class="matrix bench"><thead><tr><th>workload</th><th>size</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")
    return "\n".join(parts)
