"""`accord run --explain ID`: runs that requirement alone and prints each stratum with its count."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import TESTS_ENV, accord


def test_explain_prints_each_stratum_with_its_count_and_meaning(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    done = accord("run", "-f", "tensor", "-a", "reference", "--spec-version", "draft", "--seed", "1",
                  "--max-examples", "20", "--report", str(report), "--explain", "tensor.argmax.values",
                  cwd=tmp_path, timeout=300, env=TESTS_ENV)
    assert done.returncode == 0, done.stderr[-800:]
    entry, = json.loads(report.read_text())["requirements"]
    assert entry["id"] == "tensor.argmax.values" and entry["strata"]["duplicates"] > 0
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith("duplicates"))
    assert str(entry["strata"]["duplicates"]) in line.split() and "equal elements" in line


def test_explain_with_select_is_a_usage_error(tmp_path: Path) -> None:
    done = accord("run", "-f", "tensor", "-a", "reference", "--select", "tensor.add.*", "--explain",
                  "tensor.argmax.values", "--report", str(tmp_path / "r.json"), cwd=tmp_path, timeout=90, env=TESTS_ENV)
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0 and "--explain" in done.stderr
