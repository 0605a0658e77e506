"""Each check category catches a backend broken on purpose, with a clear counterexample.

Each ``broken_tensor`` adapter is the real numpy adapter wrong in exactly one way. The checks run
in-process through the same ``evaluate`` the runner uses (fast: no worker start per case); one
end-to-end test drives ``accord run`` on a broken adapter loaded as ``module:attribute`` and checks
the report. ``test_numpy_passes_the_same_requirements`` is the control.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import broken_tensor
import pytest
from accord_testing import accord, tensor_outcome

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter

HERE = Path(__file__).parent
ENV = {"PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}

BROKEN = [
    # adapter attribute, requirement that must fail, text the failure message must contain
    ("signature", "tensor.sort.signature", "'descending'"),
    ("dtype", "tensor.divide.dtype", "float64"),
    ("shape", "tensor.sum.shape", "result shape"),
    ("values", "tensor.exp.values", "ULP apart"),
    ("special_cases", "tensor.maximum.special-cases", "NaN"),
    ("law", "tensor.expand_dims.round-trip", "squeeze does not undo expand_dims"),
    ("promotion", "tensor.promotion.result-type", "int16"),
    ("broadcasting", "tensor.broadcasting.broadcast-to", "did not raise"),
    ("operators", "tensor.operators.reflected", "expected"),
    ("indexing", "tensor.indexing.boolean-mask", "expected"),
    ("dtypes", "tensor.dtypes.finfo", "finfo(float32)"),
    ("take_negative", "tensor.take.values", "expected"),
    ("take_along_axis_negative", "tensor.take_along_axis.values", "expected"),
    ("unstable_argsort", "tensor.argsort.values", "expected"),
    ("cosh_not_even", "tensor.cosh.even", "cosh(-x) != cosh(x)"),
]




def outcome(adapter: Any, requirement_id: str, examples: int = 60, seed: int = 7):
    return tensor_outcome(adapter, requirement_id, version="1.0", seed=seed, max_examples=examples)


@pytest.mark.parametrize("requirement", [b[1] for b in BROKEN])
def test_numpy_passes_the_same_requirements(requirement: str) -> None:
    result = outcome(numpy_adapter, requirement)
    assert result.status == "pass", result.message


@pytest.mark.parametrize(("attribute", "requirement", "text"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_backend_fails_with_a_counterexample(attribute: str, requirement: str, text: str) -> None:
    # a broken backend fails early, so a larger budget costs little and finds the rarer breakages
    # (argsort with both stable=False and descending=True); a few seeds keep that true whatever
    # hypothesis version draws the examples (a fresh CI venv missed it once on seed 7 alone)
    for seed in (7, 8, 9):
        result = outcome(getattr(broken_tensor, attribute), requirement, examples=200, seed=seed)
        if result.status == "fail":
            break
    assert result.status == "fail", (result.status, result.message)
    assert text in result.message, result.message
    if result.examples > 1:  # a property: the shrunk input and a copy-paste repro come with it
        assert result.counterexample is not None
        assert "numpy" in (result.snippet or "") or "np." in (result.snippet or ""), result.snippet


def test_run_on_a_broken_adapter_reports_the_counterexample(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = accord("run", "--family", "tensor", "--adapter", "broken_tensor:special_cases", "--select",
                    "tensor.maximum.special-cases,tensor.minimum.special-cases", "--seed", "3", "--report", str(report),
                    env=ENV, timeout=240)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout
    by_id = {r["id"]: r for r in json.loads(report.read_text())["requirements"]}
    broken = by_id["tensor.maximum.special-cases"]
    assert broken["status"] == "fail"
    assert "NaN" in broken["message"] and broken["counterexample"]["call"]["fn"] == "maximum"
    assert "np.maximum" in broken["snippet"] or "maximum" in broken["snippet"]
    assert by_id["tensor.minimum.special-cases"]["status"] == "pass"
