"""``accord findings REPORT``: a report's findings as Markdown, one section per root cause.

Each section is meant to be pasted into an upstream issue as it is: the finding id
(stable across seeds, so the issue and an adapter's expected-failure declaration can
name it), the requirements it explains, the repro snippet in the backend's own terms,
expected versus actual, and the spec text it violates.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from accord.conformance.findings import findings_of
from accord.conformance.report import load_report

from .markdown import md_text

CAUSES = ("backend", "adapter", "spec")
CAUSE_TEXT = {"backend": "the backend (its own API reproduces it)",
              "adapter": "the adapter (translation or shim), not the backend",
              "spec": "the spec (its text leaves this open)"}
_LANG = {"tensor": "python", "pipeline": "python", "faas": "sh"}


def fenced(text: str, lang: str = "") -> str:
    """A code block no content can close: the fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    compact = json.dumps(value, ensure_ascii=False)
    return compact if len(compact) <= 100 else json.dumps(value, ensure_ascii=False, indent=1)


def render_finding(finding: dict[str, Any], report: dict[str, Any]) -> str:
    family = report["spec"]["family"]
    reqs = finding["requirements"]
    lines = [f"## {finding['id']}: {md_text(finding['title'])}", "",
             f"- **cause**: {CAUSE_TEXT.get(finding['cause'], finding['cause'])}",
             f"- **level**: {finding.get('level', '?')}"
             + (" (declared as an expected failure)" if finding.get("declared") else ""),
             f"- **requirements** ({len(reqs)}): " + ", ".join(md_text(r) for r in reqs)]
    if finding.get("classes"):
        lines.append("- **input classes**: " + ", ".join(md_text(c) for c in finding["classes"]))
    if finding.get("shims"):
        lines.append("- **adapter shims involved**: " + ", ".join(md_text(s) for s in finding["shims"]))
    lines += ["", "**Spec**: " + md_text(finding["spec_text"]), "",
              "**What happened**" + (f" (in {md_text(finding['repro_requirement'])})" if finding.get("repro_requirement")
                                     else "") + ":", "", fenced(finding["message"] or "(no message)"), ""]
    if finding.get("snippet"):
        lines += ["**Reproduce** in the backend's own terms:", "", fenced(finding["snippet"], _LANG.get(family, "")), ""]
    if finding.get("counterexample") is not None:
        lines += ["**Counterexample** (as recorded):", "", fenced(_value(finding["counterexample"]), "json"), ""]
    if finding.get("expected") is not None or finding.get("actual") is not None:
        lines += ["**Expected** (reference):", "", fenced(_value(finding.get("expected"))), "",
                  "**Actual** (backend):", "", fenced(_value(finding.get("actual"))), ""]
    return "\n".join(lines)


def render_findings(report: dict[str, Any], findings: list[dict[str, Any]], source: str = "") -> str:
    adapter, spec = report["adapter"], report["spec"]
    backend = f"{adapter['backend'].get('package', '?')} {adapter['backend'].get('version') or '(version unknown)'}"
    head = [f"# Accord findings: {md_text(adapter['name'])} ({md_text(backend)}) on {spec['family']} {spec['version']}",
            "", f"{len(findings)} finding(s) from {md_text(source or 'the report')} "
            f"(seed {report['settings']['seed']}, {report['settings']['max_examples']} examples). "
            f"Each finding id is stable across seeds and runs; `accord repro REPORT REQUIREMENT` replays a repro.", ""]
    if not findings:
        head.append("No findings.")
    return "\n".join(head + [render_finding(f, report) for f in findings]).rstrip() + "\n"


@click.command("findings")
@click.argument("report_file", type=click.Path(path_type=Path))
@click.option("--cause", type=click.Choice(CAUSES), default=None, help="only findings with this cause")
def findings(report_file: Path, cause: str | None) -> None:
    """Print REPORT_FILE's findings (root causes) as Markdown for an upstream issue."""
    try:
        report = load_report(report_file)
    except ValueError as exc:
        click.echo(f"accord: error: {exc}", err=True)
        sys.exit(2)
    except UnicodeDecodeError:
        click.echo(f"accord: error: {report_file}: not a text file", err=True)
        sys.exit(2)
    found = [f for f in findings_of(report) if cause is None or f["cause"] == cause]
    click.echo(render_findings(report, found, str(report_file)), nl=False)
