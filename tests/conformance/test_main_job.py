"""The README's main job: real conformance runs on real backends, ending in a published matrix."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import accord

from accord.conformance.report import validate_report


def test_publish_runs_backends_and_writes_the_matrix(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = accord("publish", "--out", str(site), "--backends", "tensor.numpy,pipeline.reference,faas.reference",
                    "--max-examples", "5", "--seed", "7", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    reports = sorted((site / "reports").glob("*.json"))
    assert [p.name for p in reports] == ["faas-reference.json", "pipeline-reference.json", "tensor-numpy.json"]
    for path in reports:
        data = json.loads(path.read_text())
        assert validate_report(data) == []
        assert data["state"] == "complete"
        assert sum(r["status"] == "pass" for r in data["requirements"]) > 10
    assert (site / "index.html").is_file() and (site / "matrix.md").is_file()
    matrix = json.loads((site / "matrix.json").read_text())
    assert matrix  # the published format; its schema is checked by the publishing tests
    assert (site / "spec-docs" / "tensor" / "1.0" / "index.html").is_file()
    assert "index.html" in result.stdout


def test_publish_bench_adds_the_performance_view(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = accord("publish", "--out", str(site), "--backends", "tensor.numpy,tensor.reference", "--max-examples", "2",
                    "--seed", "7", "--bench", "--bench-select", "tensor.bench.add.*", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    bench = json.loads((site / "bench" / "tensor.json").read_text())
    assert [b["name"] for b in bench["backends"]] == ["numpy"]  # the pure-Python reference is an oracle, not timed
    assert {w["id"] for w in bench["workloads"]} == {"tensor.bench.add.1e2", "tensor.bench.add.1e4",
                                                      "tensor.bench.add.1e6"}
    perf = next(f for f in json.loads((site / "matrix.json").read_text())["families"] if f["family"] == "tensor")
    assert perf["performance"]["baseline"] == "numpy"
    assert 'id="performance-tensor"' in (site / "index.html").read_text()


def test_publish_rejects_a_malformed_backend_list(tmp_path: Path) -> None:
    result = accord("publish", "--out", str(tmp_path), "--backends", "numpy")
    assert result.returncode == 2
    assert "must be FAMILY.ADAPTER" in result.stderr


def test_every_default_backend_is_an_installed_adapter_of_its_family() -> None:
    """The README's main job runs these; sparse and ndonnx join the published matrix (their extras are in [all])."""
    from accord.adapters.registry import resolve
    from accord.conformance.main_job import DEFAULT_BACKENDS, RAW_SUFFIX

    assert {("tensor", "sparse"), ("tensor", "ndonnx")} <= set(DEFAULT_BACKENDS)
    for family, adapter in DEFAULT_BACKENDS:
        assert resolve(adapter.removesuffix(RAW_SUFFIX), family).meta.family == family
