"""Findings of real runs: stable ids across seeds, expected failures by finding id, the ratio line."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import TESTS_ENV, accord
from accord_testing.wrong_add import ADD_VALUES_FINDING

from accord.conformance.report import validate_report

SELECT = "tensor.add.values,tensor.add.identity"


def run(adapter: str, tmp_path: Path, seed: int, examples: int = 20):
    path = tmp_path / f"{adapter.split(':')[-1]}-{seed}.json"
    result = accord("run", "-f", "tensor", "-a", adapter, "--select", SELECT, "--seed", str(seed),
                    "--max-examples", str(examples), "--report", str(path), "-q", env=TESTS_ENV)
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(path.read_text())
    assert validate_report(data) == []
    return result, data, path


def test_a_finding_id_is_identical_across_five_seeds(tmp_path: Path) -> None:
    seen = []
    for seed in (1, 2, 3, 4, 5):
        _, data, _ = run("accord_testing.wrong_add:wrong_add", tmp_path, seed)
        by_req = {rid: f["id"] for f in data["findings"] for rid in f["requirements"]}
        seen.append(by_req)
        values = next(e for e in data["requirements"] if e["id"] == "tensor.add.values")
        assert values["status"] == "fail" and values["findings"][0]["finding"] == by_req["tensor.add.values"]
    assert all(s == seen[0] for s in seen), seen
    assert seen[0]["tensor.add.values"] == ADD_VALUES_FINDING
    assert seen[0]["tensor.add.identity"] != ADD_VALUES_FINDING  # another document aspect, another message


def test_expected_failure_by_finding_and_the_ratio_line(tmp_path: Path) -> None:
    result, data, _ = run("accord_testing.wrong_add:declares_finding", tmp_path, 7)
    by_id = {e["id"]: e for e in data["requirements"]}
    assert by_id["tensor.add.values"]["status"] == "xfail"
    assert by_id["tensor.add.values"]["declared"] == {"reason": "integer add is off by one",
                                                      "pattern": ADD_VALUES_FINDING, "link": "https://example.invalid/7"}
    assert by_id["tensor.add.identity"]["status"] == "fail"  # its failure is another finding
    assert result.returncode == 1
    assert "2 failing requirements / 2 findings = 1.00" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("accord: warning:")]
    assert warnings == [], result.stderr  # a --select run cannot tell a fixed finding from one it did not run
    declared = [f for f in data["findings"] if f["id"] == ADD_VALUES_FINDING]
    assert declared and declared[0]["declared"] is True
