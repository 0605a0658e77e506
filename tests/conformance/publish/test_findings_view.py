"""Findings in publishing: matrix.json and matrix.md carry them, `accord findings` prints them as Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from accord_testing.matrix_fixtures import UINT, findings_set, write_set
from accord_testing.runners import run_accord, run_matrix
from click.testing import CliRunner

from accord.conformance.findings import finding_id
from accord.conformance.publish.findings_md import findings as findings_cmd
from accord.conformance.publish.jsonout import matrix_schema

UINT_ID = finding_id("tensor", ("raised", "TypeError", UINT))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_set(tmp_path / "reports", findings_set())
    code, _, stderr = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    return tmp_path


def columns(site: Path) -> dict[str, dict]:
    model = json.loads((site / "site" / "matrix.json").read_text())
    jsonschema.Draft202012Validator(matrix_schema()).validate(model)
    [tensor] = model["families"]
    return {c["adapter"]: c for c in tensor["columns"]}


def test_matrix_json_carries_findings_and_counts_only_backend_ones(site: Path) -> None:
    torch = columns(site)["torch"]
    assert torch["finding_counts"] == {"backend": 2, "adapter": 1, "spec": 0}
    by_id = {f["id"]: f for f in torch["findings"]}
    uint = by_id[UINT_ID]
    assert uint["cause"] == "backend"
    assert uint["requirements"] == ["tensor.add.broadcast", "tensor.add.values", "tensor.sum.values"]
    assert uint["classes"] == ["uint16", "uint32", "uint64"]
    assert uint["snippet"] == "torch.sum(x)"  # the smallest counterexample's repro
    assert [f["cause"] for f in torch["findings"]] == ["backend", "backend", "adapter"]  # backend first
    # every case of a result names a finding of its column
    for result in torch["results"].values():
        for case in result.get("findings", []):
            assert case["finding"] in by_id
    # a failure whose only finding is the adapter's is marked, the backend's own failures are not
    assert torch["results"]["tensor.mean.values"]["cause"] == "adapter"
    assert "cause" not in torch["results"]["tensor.add.values"]
    # ... and left out of the backend's score and cells (shown as excused), while its own failures count
    assert torch["scores"]["MUST"] == {"passed": 0, "total": 3, "percent": 0, "not_run": 0, "excused": 1}
    assert torch["groups"]["reductions"] == {"state": "partial", "passed": 1, "total": 2, "not_run": 0, "excused": 1}
    assert "🟡 partial 1 of 2, 1 adapter/spec" in (site / "site" / "matrix.md").read_text()


def test_shims_are_disclosed_in_matrix_json_and_markdown(site: Path) -> None:
    numpy = columns(site)["numpy"]
    assert numpy["shims"][0]["name"] == "sort-descending"
    assert numpy["results"]["tensor.sum.values"]["shims"] == ["sort-descending"]
    md = (site / "site" / "matrix.md").read_text()
    assert "- tensor.sum.values: pass via adapter shim (sort-descending)" in md
    assert "### Findings: torch@2.13.0 (spec 1.0) — 2 backend, 1 adapter, 0 spec" in md
    assert f"- **{UINT_ID}** (backend, MUST): TypeError: {UINT} — 3 requirement(s)" in md
    assert "<script>" not in md  # the hostile repro snippet is escaped like every report string


def test_accord_findings_prints_markdown_for_an_upstream_issue(site: Path) -> None:
    report = site / "reports" / "tensor-torch.json"
    result = run_accord("findings", str(report))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Accord findings: torch (torch 2.13.0) on tensor 1.0")
    sections = [line for line in text.splitlines() if line.startswith("## F-")]
    assert len(sections) == 3 and sections[0] == f"## {UINT_ID}: TypeError: {UINT}"
    uint = text.split(sections[0])[1].split("\n## ")[0]
    assert "- **requirements** (3): tensor.add.broadcast, tensor.add.values, tensor.sum.values" in uint
    assert "- **input classes**: uint16, uint32, uint64" in uint
    assert "```python\ntorch.sum(x)\n```" in uint
    assert "**Spec**: tensor.sum.values (MUST): tensor.sum.values behaves as specified." in uint
    values = text.split(sections[1])[1]
    assert "**Expected** (reference):\n\n```\n1.5\n```" in values and "**Actual** (backend):\n\n```\n2.0\n```" in values
    only_adapter = CliRunner().invoke(findings_cmd, [str(report), "--cause", "adapter"])
    assert only_adapter.exit_code == 0
    assert [line for line in only_adapter.stdout.splitlines() if line.startswith("## F-")] == [sections[2]]
    assert "the adapter (translation or shim)" in only_adapter.stdout


def test_a_snippet_cannot_close_its_code_block(tmp_path: Path) -> None:
    data = findings_set()["tensor-torch.json"]
    entry = next(e for e in data["requirements"] if e["id"] == "tensor.sum.values")  # the uint finding's repro
    entry["findings"][0]["snippet"] = "x = 1\n```\n# Injected heading\n````"
    write_set(tmp_path, {"r.json": data})
    result = CliRunner().invoke(findings_cmd, [str(tmp_path / "r.json")])
    assert "`````python\nx = 1\n```\n# Injected heading\n````\n`````" in result.stdout


@pytest.mark.parametrize(("content", "words"), [
    (None, "No such file"), ("{not json", "not JSON"), ('{"format": "accord-report"}', "not a valid Accord report"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content)
    result = run_accord("findings", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error: ") and words in lines[0], result.stderr
    assert run_accord("findings", str(path), "--cause", "nobody").returncode == 2
