"""``accord matrix REPORT… --out DIR`` and ``accord matrix diff OLD NEW``.

Exit status: 0 published / no MUST regression; 1 a MUST requirement regressed
(diff only); 2 bad input, reported in one line naming the file(s).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .badges import write_badges
from .combine import combine
from .diff import diff_matrices, format_text, load_side
from .history import attach as attach_history
from .html import render_html
from .jsonout import write_json
from .load import InputError, load_reports
from .markdown import render_markdown
from .performance import attach as attach_performance
from .performance import load_bench_reports
from .strength import attach as attach_strength
from .strength import load_mutation_reports


def _fail(message: str) -> None:
    click.echo(f"accord: error: {message}", err=True)
    sys.exit(2)


class _DefaultGroup(click.Group):
    """A group whose default command runs when the first argument is not a subcommand."""

    default = "build"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "REPORT... --out DIR  |  diff OLD NEW")


@click.group("matrix", cls=_DefaultGroup, invoke_without_command=False,
             context_settings={"help_option_names": ["-h", "--help"]})
def matrix() -> None:
    """Publish the compatibility matrix from conformance reports, or diff two matrices.

    \b
    accord matrix REPORT... --out DIR   write index.html, matrix.md, matrix.json, badges/
    accord matrix diff OLD NEW          regressions and improvements (exit 1 on a MUST regression)

    `build` is the default command: `accord matrix build --help` lists its options.
    """


@matrix.command("build")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="folder to write index.html, matrix.md, matrix.json and badges/ into")
@click.option("--skip-invalid", is_flag=True, help="publish the valid reports and list the invalid ones")
@click.option("--allow-mixed", is_flag=True,
              help="show reports of one spec version with different spec digests as separate, marked columns")
@click.option("--spec-docs", default="spec-docs/", show_default=True,
              help="URL or path (relative to DIR) of the rendered spec; requirement ids link to "
                   "<spec-docs>/<family>/<version>/index.html#<id>")
@click.option("--base-url", "--site-url", "base_url", default=None, metavar="URL",
              help="URL DIR is served from (e.g. https://you.github.io/accord/), for absolute badge embed "
                   "snippets and the shields.io endpoint; default: snippets use relative URLs")
@click.option("--mutation", "mutation", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="an `accord mutate` report: show its family's suite strength (mutation score per capability "
                   "group); repeatable, one per family")
@click.option("--bench", "bench", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="an `accord bench` report: show its family's performance (time ratio per workload and "
                   "backend); repeatable, one per family")
def build(reports: tuple[Path, ...], out_dir: Path, skip_invalid: bool, allow_mixed: bool,
          spec_docs: str, base_url: str | None, mutation: tuple[Path, ...] = (), bench: tuple[Path, ...] = ()) -> None:
    """(default) Combine REPORTS (files or folders) into index.html, matrix.md, matrix.json, badges/ in DIR."""
    loaded = load_reports(list(reports))
    if loaded.problems and not skip_invalid:
        _fail(loaded.problems[0] + (f" (and {len(loaded.problems) - 1} more invalid reports; "
                                    "--skip-invalid publishes the rest)" if len(loaded.problems) > 1 else ""))
    try:
        model = combine(loaded.reports, allow_mixed=allow_mixed, skipped=loaded.problems)
        attach_history(model)
        unused = attach_strength(model, load_mutation_reports(list(mutation)))
        unused += attach_performance(model, load_bench_reports(list(bench)))
    except InputError as exc:
        _fail(str(exc))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_json(model, out_dir)
        (out_dir / "matrix.md").write_text(render_markdown(model), encoding="utf-8")
        write_badges(model, out_dir)
        (out_dir / "index.html").write_text(render_html(model, out_dir, spec_docs, base_url), encoding="utf-8")
    except OSError as exc:
        _fail(f"{out_dir}: cannot write: {exc.strerror or exc}")
    for problem in loaded.problems:
        click.echo(f"skipped invalid report: {problem}", err=True)
    for line in unused:
        click.echo(line, err=True)
    columns = sum(len(f["columns"]) for f in model["families"])
    click.echo(f"matrix of {len(loaded.reports)} reports ({columns} backend runs) written to {out_dir}"
               f" (open {out_dir / 'index.html'})")


@matrix.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
def diff(old: Path, new: Path, as_json: bool) -> None:
    """Regressions and improvements from OLD to NEW (each a matrix.json, a report, or a folder).

    Exit 1 when any MUST requirement regressed, so a backend's CI can gate on it.
    """
    try:
        result: dict[str, Any] = diff_matrices(load_side(old), load_side(new))
    except InputError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps({"old": str(old), "new": str(new), **result}, indent=1, ensure_ascii=False))
    else:
        click.echo(format_text(result, str(old), str(new)))
    sys.exit(1 if result["must_regressions"] else 0)
