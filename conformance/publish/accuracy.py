"""The accuracy table: the largest ULP error seen per function × dtype × backend.

The standard leaves the accuracy of acos … tanh to the implementation, so their values requirements
(``accuracy: measured``) judge only gross errors and record the largest ULP error each run saw
(report entry ``accuracy``). Like libm test suites, the matrix publishes those figures as a table
instead of a pass/fail the standard does not define.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any


def accuracy_table(columns: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"columns": [column ids], "rows": [{"requirement", "function", "dtype", "max_ulp": {column id: n}}]}``
    from the columns' merged results (rows sorted by function, then dtype)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    used = []
    for col in columns:
        for rid, res in col["results"].items():
            for dtype, measured in (res.get("accuracy") or {}).items():
                row = rows.setdefault((rid, dtype), {"requirement": rid, "function": _function(rid), "dtype": dtype,
                                                     "max_ulp": {}})
                row["max_ulp"][col["id"]] = int(measured["max_ulp"])
                if col["id"] not in used:
                    used.append(col["id"])
    ordered = sorted(rows.values(), key=lambda r: (r["function"], r["requirement"], r["dtype"]))
    return {"columns": [c["id"] for c in columns if c["id"] in used], "rows": ordered}


def _title(fam: dict[str, Any], row: dict[str, Any], column: str) -> str:
    """A tooltip naming the worst element, from the column's result (a figure like 3.8e18 ULP is a tiny
    float64 result computed at float32 precision and flushed to zero)."""
    col = next((c for c in fam["columns"] if c["id"] == column), {})
    result = (col.get("results") or {}).get(row["requirement"]) or {}
    example = ((result.get("accuracy") or {}).get(row["dtype"]) or {}).get("example")
    if not example:
        return ""
    inputs = ", ".join(f"{k}={v}" for k, v in (example.get("inputs") or {}).items())
    text = f"worst at {inputs or 'an element'}: expected {example.get('expected')}, got {example.get('actual')}"
    return f' title="{html.escape(text, quote=True)}"'


def _function(requirement_id: str) -> str:
    parts = requirement_id.split(".")
    return parts[1] if len(parts) > 2 else requirement_id


def _labels(fam: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["label"] for c in fam["columns"]}


def markdown_section(fam: dict[str, Any], md_text: Callable[[Any], str]) -> list[str]:
    """``### Accuracy`` Markdown table of a family (nothing when no run measured accuracy); ``md_text``
    makes report text inert in Markdown (the Markdown renderer's own)."""
    table = fam.get("accuracy") or {}
    if not table.get("rows"):
        return []
    labels = _labels(fam)
    cols = table["columns"]
    lines = [f"### Accuracy: {md_text(fam['family'])} (largest error seen, in ULP)", "",
             "The standard leaves these functions' accuracy to the implementation; gross errors (sign, NaN, "
             "infinity) fail their values requirement, the rest is measured against Accord's reference.", "",
             "| function | dtype | " + " | ".join(md_text(labels.get(c, c)) for c in cols) + " |",
             "|---|---|" + "---:|" * len(cols)]
    for row in table["rows"]:
        cells = [str(row["max_ulp"][c]) if c in row["max_ulp"] else "·" for c in cols]
        lines.append(f"| {md_text(row['function'])} | {md_text(row['dtype'])} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def html_section(matrix: dict[str, Any]) -> str:
    """Static HTML tables (escaped; no script needed) for every family that measured accuracy."""
    parts = []
    for fam in matrix["families"]:
        table = fam.get("accuracy") or {}
        if not table.get("rows"):
            continue
        labels = _labels(fam)
        cols = table["columns"]
        head = "".join(f"<th>{html.escape(labels.get(c, c))}</th>" for c in cols)
        body = []
        for row in table["rows"]:
            cells = "".join(f'<td class="num" style="text-align:right"{_title(fam, row, c)}>{row["max_ulp"][c]}</td>'
                            if c in row["max_ulp"] else "<td>·</td>" for c in cols)
            body.append(f"<tr><td>{html.escape(row['function'])}</td><td>{html.escape(row['dtype'])}</td>{cells}</tr>")
        parts.append(
            f'<section class="accuracy family" style="padding:0 28px" id="accuracy-{html.escape(fam["family"])}">'
            f"<h2>Accuracy: {html.escape(fam['family'])} (largest error seen, in ULP)</h2>"
            "<p>The standard leaves these functions' accuracy to the implementation: gross errors (sign, NaN, "
            "infinity) fail their values requirement; the rest is measured against Accord's reference.</p>"
            f'<table class="matrix"><thead>'
            f"<tr><th>function</th><th>dtype</th>{head}</tr></thead><tbody>{''.join(body)}"
            "</tbody></table></section>")
    return "\n".join(parts)
