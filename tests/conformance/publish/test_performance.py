"""The performance view's model and Markdown: a bench report on its family of the matrix, raw rounds left
out, geometric means per backend and size, a wrong answer counted and never timed, bad input one line."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing.bench_fixtures import bench_report
from accord_testing.matrix_fixtures import write_set
from accord_testing.runners import run_matrix


def _build(tmp_path: Path, *bench: dict) -> tuple[int, str, str]:
    write_set(tmp_path / "reports")
    args = []
    for i, report in enumerate(bench):
        (tmp_path / f"bench{i}.json").write_text(json.dumps(report))
        args += ["--bench", str(tmp_path / f"bench{i}.json")]
    return run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"), *args)


def test_the_matrix_carries_the_bench_without_its_rounds(tmp_path: Path) -> None:
    code, _, stderr = _build(tmp_path, bench_report())
    assert code == 0, stderr
    matrix = json.loads((tmp_path / "site" / "matrix.json").read_text())
    perf = next(f for f in matrix["families"] if f["family"] == "tensor")["performance"]
    assert perf["baseline"] == "numpy" and len(perf["workloads"]) == 6
    cell = perf["workloads"][0]["results"]["fast-but-wrong"]
    assert cell["ratio"] == 2.0 and "rounds_ns" not in cell
    assert cell["extra"] == {"p99_ns": 4200.0}  # a family's side numbers (FaaS p50 / p99) reach matrix.json
    wrong = perf["workloads"][1]["results"]["fast-but-wrong"]
    assert wrong["status"] == "wrong" and "ratio" not in wrong and "median_ns" not in wrong


def test_markdown_gives_geometric_means_and_counts_the_untimed(tmp_path: Path) -> None:
    code, _, stderr = _build(tmp_path, bench_report())
    assert code == 0, stderr
    text = (tmp_path / "site" / "matrix.md").read_text()
    section = text[text.index("### Performance: tensor"):]
    assert "| backend | 1e2 | 1e4 | 1e6 |" in section
    assert "| fast-but-wrong | 2.00× (1 untimed) | 2.00× (1 untimed) | 2.00× (1 untimed) |" in section
    assert "| numpy | 1.00× | 1.00× | 1.00× |" in section


def test_a_bench_of_a_family_without_reports_is_named_and_skipped(tmp_path: Path) -> None:
    code, _, stderr = _build(tmp_path, bench_report("faas"))
    assert code == 0
    assert "bench report of family 'faas' skipped" in stderr


def test_a_bad_bench_report_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = bench_report()
    del broken["machine"]
    code, _, stderr = _build(tmp_path, broken)
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and "bench0.json" in stderr
