"""Terminal output shared by the ``accord`` commands: the two consoles, a style per status, the summary table.

It sits below ``cli.py`` and ``main_job.py`` so that both can print the same way without importing
each other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from .report import Status


def _console(stderr: bool = False) -> Console:
    """A console; when not writing to a terminal, wide enough that tables are not squeezed."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console = Console(stderr=stderr, highlight=False, width=160)
    return console


err = _console(stderr=True)
out = _console()

STATUS_STYLE: dict[str, str] = {
    Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "red", Status.TIMEOUT: "magenta",
    Status.CRASHED: "magenta", Status.XFAIL: "yellow", Status.XPASS: "bold yellow", Status.SKIPPED: "dim",
    Status.NOT_APPLICABLE: "dim", Status.NOT_CLAIMED: "dim", Status.NOT_RUN: "dim",
}


def summary_table(report: dict[str, Any]) -> Table:
    """One row per capability group, one column per status that occurs, and a total row."""
    titles = {c["id"]: c["title"] for c in report["spec"].get("capabilities", [])}
    groups: dict[str, Counter] = defaultdict(Counter)
    for r in report["requirements"]:
        groups[r["capability"]][r["status"]] += 1
    adapter = report["adapter"]
    table = Table(title=f"{report['spec']['family']} {report['spec']['version']} on {adapter['name']} "
                        f"{adapter['backend'].get('version') or ''}".strip(), title_justify="left")
    columns = list(Status)
    used = [c for c in columns if any(g[c] for g in groups.values())]
    table.add_column("capability group")
    for c in used:
        table.add_column(c, justify="right", style=STATUS_STYLE[c])
    order = [c["id"] for c in report["spec"].get("capabilities", [])]
    for cap in sorted(groups, key=lambda c: order.index(c) if c in order else len(order)):
        table.add_row(titles.get(cap, cap), *[str(groups[cap][c] or "") for c in used])
    total = Counter(r["status"] for r in report["requirements"])
    table.add_row("[bold]total[/]", *[f"[bold]{total[c] or ''}[/]" for c in used])
    return table
