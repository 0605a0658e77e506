"""``accord publish``: the main job — run the default backends and publish their matrix.

It is what the README's first command runs on a fresh machine: a real conformance
run of every family on the default backends, then the compatibility matrix (and,
when the spec tooling is present, the rendered spec it links to).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import click

from .check import RunSettings
from .console import STATUS_STYLE, err, out, summary_table
from .report import QUIET
from .runner import RunConfig, UsageError
from .sharded import run_jobs

# (family, adapter) pairs run by default: every reference plus the engines that install
# from PyPI alone and run in minutes on a small machine. ``ADAPTER+raw`` runs the backend's own
# namespace with the adapter's shims off (``accord run --raw``): the matrix shows "numpy" and
# "numpy (raw namespace)" side by side, so a reader sees which passes are numpy's own.
DEFAULT_BACKENDS: tuple[tuple[str, str], ...] = (
    ("tensor", "reference"),
    ("tensor", "numpy"),
    ("tensor", "numpy+raw"),
    ("tensor", "array-api-strict"),
    ("tensor", "sparse"),
    ("tensor", "ndonnx"),
    ("pipeline", "reference"),
    ("pipeline", "beam"),
    ("faas", "reference"),
    ("faas", "functions-framework"),
)


RAW_SUFFIX = "+raw"


def _pairs(value: str | None) -> list[tuple[str, str]]:
    if not value:
        return list(DEFAULT_BACKENDS)
    pairs = []
    for item in value.split(","):
        family, sep, adapter = item.strip().partition(".")
        if not sep or not adapter:
            raise UsageError(f"--backends item {item!r} must be FAMILY.ADAPTER (e.g. tensor.numpy)")
        pairs.append((family, adapter))
    return pairs


@click.command("publish")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("accord-site"),
              show_default=True)
@click.option("--backends", default=None,
              help="comma-separated FAMILY.ADAPTER pairs (default: " + ",".join(f"{f}.{a}" for f, a in DEFAULT_BACKENDS) + ")")
@click.option("--max-examples", type=click.IntRange(min=1), default=25, show_default=True,
              help="hypothesis examples per requirement (lower than `accord run`'s 100 to keep the job short)")
@click.option("--seed", type=int, default=None)
@click.option("--timeout", type=float, default=60.0, show_default=True)
@click.option("--base-url", default=None, metavar="URL",
              help="URL OUT is served from, for absolute badge embed snippets (default: relative URLs)")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="processes running each backend's requirements side by side (accord run --jobs)")
@click.option("--bench", "with_bench", is_flag=True,
              help="also time each family's bench workloads on its backends (accord bench; minutes per family) "
                   "and show them as the matrix page's performance view")
@click.option("--bench-select", default=None, metavar="GLOBS",
              help="with --bench: only the workloads whose ids match these comma-separated globs")
def publish(out_dir: Path, backends: str | None, max_examples: int, seed: int | None, timeout: float,
            base_url: str | None, jobs: int, with_bench: bool = False, bench_select: str | None = None) -> None:
    """Run the default backends; write their reports, the rendered spec and the matrix to OUT."""
    seed = random.randrange(2**32) if seed is None else seed
    reports_dir = out_dir / "reports"
    reports = []
    for family, adapter in _pairs(backends):
        raw = adapter.endswith(RAW_SUFFIX)
        adapter = adapter.removesuffix(RAW_SUFFIX)
        report_path = reports_dir / f"{family}-{adapter}{'-raw' if raw else ''}.json"
        err.print(f"[bold]▶ {family} on {adapter}{' (raw namespace)' if raw else ''}[/] (seed {seed})")
        config = RunConfig(family=family, adapter=adapter,
                           settings=RunSettings(seed=seed, max_examples=max_examples, timeout=timeout),
                           report_path=report_path, raw=raw)

        def show(requirement, result, done, total):  # noqa: ANN001 — progress callback
            if result["status"] not in QUIET:
                err.print(f"  [{STATUS_STYLE[result['status']]}]{result['status']:>8}[/] {requirement.id}")

        result = run_jobs(config, jobs, on_result=show)
        out.print(summary_table(result.report.data))
        reports.append(report_path)

    from .publish.cli import matrix
    from .spectools.cli import render

    bench_reports = _bench(_pairs(backends), out_dir / "bench", bench_select, seed) if with_bench else []
    render.main(["--out", str(out_dir / "spec-docs")], standalone_mode=False)

    matrix.main([*map(str, reports), "--out", str(out_dir), *(["--base-url", base_url] if base_url else []),
                 *[arg for path in bench_reports for arg in ("--bench", str(path))]],
                standalone_mode=False)
    out.print(f"compatibility matrix: {out_dir / 'index.html'} (open it in a browser; reports in {reports_dir})")
    sys.exit(0)


def _bench(pairs: list[tuple[str, str]], bench_dir: Path, select: str | None, seed: int) -> list[Path]:
    """``accord bench`` for each family of the run, on its backends (raw columns and oracles left out)."""
    from .bench.cli import run as run_bench
    from .bench.families import family_module
    from .bench.measure import TARGET_NS

    written = []
    patterns = [p.strip() for p in (select or "").split(",") if p.strip()]
    for family in dict.fromkeys(f for f, _ in pairs):
        if patterns and not any(p.startswith((f"{family}.", "*")) for p in patterns):
            continue  # the selection names other families' workloads only
        fam = family_module(family)
        adapters = tuple(dict.fromkeys(a for f, a in pairs if f == family and not a.endswith(RAW_SUFFIX)
                                       and a not in getattr(fam, "not_timed", ())))
        if not adapters:
            continue
        path = bench_dir / f"{family}.json"
        err.print(f"[bold]▶ bench {family}[/] on {', '.join(adapters)}")
        run_bench(family, adapters, "draft", path, None, select, rounds=None, baseline=None, seed=seed,
                  timeout=60.0, target_ms=TARGET_NS / 1e6, pythons=())
        written.append(path)
    return written
