"""`accord matrix diff OLD NEW`: regressions/improvements per backend and requirement, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing.matrix_fixtures import report, write_set
from accord_testing.runners import run_accord, run_matrix


def _sides(tmp_path: Path, old: dict[str, str], new: dict[str, str], **kw: str) -> tuple[Path, Path]:
    a, b = tmp_path / "old", tmp_path / "new"
    write_set(a, {"numpy.json": report("tensor", "numpy", "2.3.0", old),
                  "beam.json": report("pipeline", "beam", "2.76.0", {})})
    write_set(b, {"numpy.json": report("tensor", "numpy", "2.4.0", new, **kw),
                  "beam.json": report("pipeline", "beam", "2.77.0", {})})
    return a, b


def test_must_regression_exits_1_and_is_listed(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {"tensor.sum.empty": "fail"},
                      {"tensor.add.values": "fail", "tensor.sum.empty": "pass"})
    code, stdout, _ = run_matrix("diff", str(old), str(new))
    assert code == 1
    assert "tensor · numpy 2.3.0 → 2.4.0 (spec 1.0): 1 regressed, 1 improved" in stdout
    assert "REGRESSED MUST   tensor.add.values  pass → fail  values differ at index 3" in stdout
    assert "improved  SHOULD tensor.sum.empty  fail → pass" in stdout
    assert "pipeline · beam 2.76.0 → 2.77.0 (spec 1.0): 0 regressed, 0 improved" in stdout
    assert stdout.rstrip().endswith("1 regressions (1 MUST), 1 improvements")


def test_should_regression_alone_exits_0(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {"tensor.sum.empty": "fail", "tensor.add.complex": "error"})
    code, stdout, _ = run_matrix("diff", str(old), str(new))
    assert code == 0
    assert "REGRESSED SHOULD tensor.sum.empty" in stdout and "REGRESSED MAY    tensor.add.complex" in stdout


def test_declared_xfail_is_still_a_regression(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {"tensor.mean.values": "xfail"})
    code, stdout, _ = run_matrix("diff", str(old), str(new), "--json")
    assert code == 1
    result = json.loads(stdout)
    [reg] = result["regressions"]
    assert reg["requirement"] == "tensor.mean.values" and reg["old"] == "pass" and reg["new"] == "xfail"
    assert reg["declared"]["reason"] == "known rounding difference in the backend"
    assert result["must_regressions"] == 1 and result["improvements"] == []


def test_json_output_shape_and_no_change(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {})
    code, stdout, _ = run_matrix("diff", str(old), str(new), "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["regressions"] == [] and result["improvements"] == [] and result["must_regressions"] == 0
    assert [(b["family"], b["adapter"], b["old_version"], b["new_version"]) for b in result["backends"]] == \
        [("pipeline", "beam", "2.76.0", "2.77.0"), ("tensor", "numpy", "2.3.0", "2.4.0")]


def test_not_run_or_not_claimed_is_neither_regression_nor_improvement(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {"tensor.sum.values": "fail"},
                      {"tensor.add.values": "not-run", "tensor.sum.values": "not-run", "tensor.add.complex": "not-claimed"})
    code, stdout, _ = run_matrix("diff", str(old), str(new), "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["regressions"] == [] and result["improvements"] == []


def test_diff_of_published_matrices_and_backends_only_on_one_side(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {"tensor.add.broadcast": "crashed"})
    write_set(new, {"torch.json": report("tensor", "torch", "2.13.0", {})})
    assert run_matrix(str(old), "--out", str(tmp_path / "site-old"))[0] == 0
    assert run_matrix(str(new), "--out", str(tmp_path / "site-new"))[0] == 0
    # a site folder (its matrix.json) on one side, a matrix.json file on the other
    code, stdout, _ = run_matrix("diff", str(tmp_path / "site-old"), str(tmp_path / "site-new" / "matrix.json"))
    assert code == 1
    assert "REGRESSED MUST   tensor.add.broadcast  pass → crashed" in stdout
    assert "only in new: tensor · torch (spec 1.0)" in stdout


def test_newest_backend_version_on_each_side_is_compared(tmp_path: Path) -> None:
    a, b = tmp_path / "old", tmp_path / "new"
    write_set(a, {"n1.json": report("tensor", "numpy", "1.26.0", {"tensor.add.values": "fail"}),
                  "n2.json": report("tensor", "numpy", "2.3.0", {})})
    write_set(b, {"n3.json": report("tensor", "numpy", "2.10.0", {"tensor.add.values": "fail"}),
                  "n4.json": report("tensor", "numpy", "2.9.0", {})})
    code, stdout, _ = run_matrix("diff", str(a), str(b))
    assert code == 1 and "numpy 2.3.0 → 2.10.0" in stdout  # 2.10 is newer than 2.9


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {})
    code, _, stderr = run_matrix("diff", str(old), str(tmp_path / "missing"))
    assert code == 2 and stderr.strip() == f"accord: error: {tmp_path / 'missing'}: no such file or folder"
    fake = tmp_path / "matrix.json"
    fake.write_text(json.dumps({"format": "accord-matrix", "format_version": 7}))
    code, _, stderr = run_matrix("diff", str(old), str(fake))
    assert code == 2 and "not a valid Accord matrix" in stderr and stderr.count("\n") == 1
    (old / "junk.json").write_text("{")
    code, _, stderr = run_matrix("diff", str(old), str(new))
    assert code == 2 and "junk.json" in stderr


def test_diff_through_the_accord_command(tmp_path: Path) -> None:
    old, new = _sides(tmp_path, {}, {"tensor.add.values": "timeout"})
    done = run_accord("matrix", "diff", str(old), str(new))
    assert done.returncode == 1 and "REGRESSED MUST   tensor.add.values  pass → timeout" in done.stdout
