"""The accuracy table: largest ULP error per function x dtype x backend on the page, in Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from accord_testing.matrix_fixtures import report, write_set
from accord_testing.runners import run_matrix

from accord.conformance.publish.jsonout import matrix_schema
from accord.conformance.report import validate_report


def _measured(float32: int, float64: int) -> dict:
    example = {"expected": "1.0", "actual": "1.0000001", "inputs": {"x": "0.5"}}
    return {"accuracy": {"float32": {"max_ulp": float32, "elements": 40, "example": example},
                         "float64": {"max_ulp": float64, "elements": 40, "example": example}}}


def _build(tmp_path: Path) -> Path:
    reports = {
        "numpy.json": report("tensor", "numpy", "2.4.0", {}, details={"tensor.add.values": _measured(1, 0)}),
        "torch.json": report("tensor", "torch", "2.13.0", {}, details={"tensor.add.values": _measured(9, 196858600)}),
        "plain.json": report("tensor", "jax", "0.4.30", {}),  # measured nothing: no column in the table
    }
    for data in reports.values():
        assert validate_report(data) == [], validate_report(data)
    write_set(tmp_path / "reports", reports)
    code, _, err = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"))
    assert code == 0, err
    return tmp_path / "site"


def test_matrix_json_carries_the_table_and_matches_its_schema(tmp_path: Path) -> None:
    site = _build(tmp_path)
    matrix = json.loads((site / "matrix.json").read_text())
    jsonschema.validate(matrix, matrix_schema())
    fam = next(f for f in matrix["families"] if f["family"] == "tensor")
    labels = {c["id"]: c["label"] for c in fam["columns"]}
    table = fam["accuracy"]
    assert [labels[c] for c in table["columns"]] == ["numpy@2.4.0", "torch@2.13.0"]
    by_dtype = {r["dtype"]: {labels[c]: n for c, n in r["max_ulp"].items()} for r in table["rows"]}
    assert by_dtype == {"float32": {"numpy@2.4.0": 1, "torch@2.13.0": 9},
                        "float64": {"numpy@2.4.0": 0, "torch@2.13.0": 196858600}}
    assert all(r["function"] == "add" for r in table["rows"])


def test_markdown_and_page_show_the_figures(tmp_path: Path) -> None:
    site = _build(tmp_path)
    md = (site / "matrix.md").read_text()
    assert "### Accuracy: tensor (largest error seen, in ULP)" in md
    assert "| add | float64 | 0 | 196858600 |" in md
    assert "| add | float32 | 1 | 9 |" in md
    page = (site / "index.html").read_text()
    assert 'id="accuracy-tensor"' in page
    assert '>196858600</td>' in page
    # each figure names its worst element (a huge figure is otherwise unexplained), escaped
    assert 'title="worst at x=0.5: expected 1.0, got 1.0000001">196858600</td>' in page


def test_the_worst_element_is_escaped_in_the_page(tmp_path: Path) -> None:
    hostile = {"accuracy": {"float64": {"max_ulp": 7, "elements": 1, "example": {
        "expected": '"><script>alert(1)</script>', "actual": "1.0", "inputs": {"x": "<b>"}}}}}
    write_set(tmp_path / "reports", {"numpy.json": report("tensor", "numpy", "2.4.0", {},
                                                          details={"tensor.add.values": hostile})})
    code, _, err = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "index.html").read_text()
    assert "<script>alert(1)" not in page
    assert 'title="worst at x=&lt;b&gt;: expected &quot;&gt;&lt;script&gt;' in page


def test_no_measurement_no_table(tmp_path: Path) -> None:
    write_set(tmp_path / "reports", {"numpy.json": report("tensor", "numpy", "2.4.0", {})})
    code, _, err = run_matrix(str(tmp_path / "reports"), "--out", str(tmp_path / "site"))
    assert code == 0, err
    assert "### Accuracy" not in (tmp_path / "site" / "matrix.md").read_text()
    assert "accuracy-tensor" not in (tmp_path / "site" / "index.html").read_text()
