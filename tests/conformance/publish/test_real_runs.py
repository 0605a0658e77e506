"""The matrix built from reports of real `accord run`s (numpy and deliberately broken numpy adapters)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV
from accord_testing.runners import run_matrix

SELECT = "tensor.add.values,tensor.multiply.values"


ADAPTERS = ("numpy", "accord_testing.wrong_add:declared_wrong_add", "accord_testing.wrong_add:never_starts")


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three real runs, side by side (each is a worker process; together they take ~20 s)."""
    folder = tmp_path_factory.mktemp("real-reports")
    runs = [subprocess.Popen(["accord", "run", "--family", "tensor", "--adapter", adapter, "--select", SELECT,
                              "--seed", "3", "--max-examples", "10", "--timeout", "20", "-q",
                              "--report", str(folder / f"{adapter.replace(':', '-')}.json")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=TESTS_ENV)
            for adapter in ADAPTERS]
    for run in runs:
        _, stderr = run.communicate(timeout=240)
        assert "Traceback" not in stderr, stderr
    return folder


def test_matrix_of_real_runs(real_reports: Path, tmp_path: Path) -> None:
    code, _, stderr = run_matrix(str(real_reports), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    model = json.loads((tmp_path / "site" / "matrix.json").read_text())
    [tensor] = model["families"]
    cols = {c["adapter"]: c for c in tensor["columns"]}
    assert set(cols) == {"numpy", "declared-wrong-add", "accord_testing.wrong_add:never_starts"}
    assert cols["numpy"]["scores"]["MUST"] == {"passed": 2, "total": 2, "percent": 100, "not_run": 0}
    declared = cols["declared-wrong-add"]["results"]["tensor.add.values"]
    assert declared["status"] == "xfail" and declared["declared"]["reason"] == "integer add is off by one"
    assert declared["outcome"] == "fail" and "counterexample" in declared
    assert declared["repro"].endswith("accord_testing.wrong_add-declared_wrong_add.json tensor.add.values")
    assert cols["declared-wrong-add"]["scores"]["MUST"]["percent"] == 50  # xfail still counts as a failure
    broken = cols["accord_testing.wrong_add:never_starts"]["broken"]
    assert "could not start: cannot reach the device" in broken  # every requirement errored
    badge = json.loads((tmp_path / "site" / "badges" / "accord_testing.wrong_add_never_starts-tensor-4.0.json").read_text())
    assert badge["message"] == "adapter broken"


def test_diff_gates_on_a_real_must_regression(real_reports: Path, tmp_path: Path) -> None:
    # the same backend name in both runs: the "old" side is the good run, the "new" side the wrong one
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    good = json.loads((real_reports / "numpy.json").read_text())
    bad = json.loads((real_reports / "accord_testing.wrong_add-declared_wrong_add.json").read_text())
    bad["adapter"]["name"] = good["adapter"]["name"]
    (old / "r.json").write_text(json.dumps(good))
    (new / "r.json").write_text(json.dumps(bad))
    code, stdout, _ = run_matrix("diff", str(old), str(new))
    assert code == 1 and "REGRESSED MUST   tensor.add.values  pass → xfail" in stdout
    code, stdout, _ = run_matrix("diff", str(new), str(old))
    assert code == 0 and "improved  MUST   tensor.add.values  xfail → pass" in stdout
