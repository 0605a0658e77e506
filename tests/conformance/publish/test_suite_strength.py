"""Suite strength on the matrix: `accord matrix … --mutation FILE` puts a family's mutation score per
capability group into matrix.json (schema-valid), matrix.md and the page, with report text escaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord_testing.matrix_fixtures import write_set
from accord_testing.mutation_fixtures import SURVIVOR, mutation_report
from accord_testing.runners import run_matrix

from accord.conformance.publish.jsonout import validate_matrix


def _build(tmp_path: Path, *reports: dict[str, Any]) -> tuple[int, str, Path]:
    write_set(tmp_path / "reports")
    paths = []
    for i, data in enumerate(reports):
        path = tmp_path / f"mutation-{i}.json"
        path.write_text(json.dumps(data))
        paths += ["--mutation", str(path)]
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"), *paths)
    return code, stderr, tmp_path / "site"


def test_matrix_json_markdown_and_page_show_the_strength(tmp_path: Path) -> None:
    code, stderr, site = _build(tmp_path, mutation_report())
    assert code == 0, stderr
    matrix = json.loads((site / "matrix.json").read_text())
    assert validate_matrix(matrix) == []
    tensor = next(f for f in matrix["families"] if f["family"] == "tensor")
    strength = tensor["suite_strength"]
    assert strength["score"] == {"killed": 2, "total": 3, "score": 0.6667}
    assert [(g["id"], g["killed"], g["total"]) for g in strength["groups"]] == [("arithmetic", 1, 1),
                                                                                 ("reductions", 1, 2)]
    assert strength["survivors"] == [SURVIVOR] and strength["seed"] == 7
    assert "suite_strength" not in next(f for f in matrix["families"] if f["family"] == "pipeline")
    md = (site / "matrix.md").read_text()
    assert "### Suite strength: tensor (spec 2.2" in md and "| Reductions | 1/2 | 50.0 % |" in md
    assert "<script>" not in md
    page = (site / "index.html").read_text()
    assert 'id="strength-tensor"' in page and "66.7 %" in page
    assert "&lt;script&gt;window.__accord_pwned" in page and "<script>window.__accord_pwned" not in page


def test_a_mutation_report_among_the_reports_is_not_read_as_one(tmp_path: Path) -> None:
    write_set(tmp_path / "reports")
    (tmp_path / "reports" / "mutation-tensor.json").write_text(json.dumps(mutation_report()))
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"),
                                 "--mutation", str(tmp_path / "reports" / "mutation-tensor.json"))
    assert code == 0, stderr
    families = json.loads((tmp_path / "site" / "matrix.json").read_text())["families"]
    assert [f["family"] for f in families if "suite_strength" in f] == ["tensor"]


def test_no_mutation_report_no_strength(tmp_path: Path) -> None:
    code, stderr, site = _build(tmp_path)
    assert code == 0, stderr
    assert all("suite_strength" not in f for f in json.loads((site / "matrix.json").read_text())["families"])
    assert "Suite strength" not in (site / "matrix.md").read_text()
    assert 'id="strength-' not in (site / "index.html").read_text()


def test_a_family_without_reports_is_skipped_with_a_line(tmp_path: Path) -> None:
    code, stderr, _ = _build(tmp_path, mutation_report("faas"))
    assert code == 0
    assert "mutation report of family 'faas' skipped" in stderr


def test_a_bad_mutation_report_is_one_line_exit_2(tmp_path: Path) -> None:
    broken = mutation_report()
    broken["score"]["score"] = 2
    code, stderr, _ = _build(tmp_path, broken)
    assert code == 2
    assert "not a valid mutation report: $.score.score" in stderr and len(stderr.strip().splitlines()) == 1
