"""`accord mutate` as a user runs it: the per-group table, the report, the exit code, one-line usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import accord

from accord.conformance.mutate import report


def test_mutate_prints_groups_writes_the_report_and_exits_on_the_score(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    done = accord("mutate", "-f", "tensor", "--seed", "1", "--max-examples", "25", "--select",
                  "tensor.argmax.last-tie,tensor.maximum.signed-zero-order", "--report", str(path), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Searching" in done.stdout and "1/1" in done.stdout and "100.0 %" in done.stdout
    assert "KILLED" in done.stderr and "by tensor.argmax.values" in done.stderr
    data = json.loads(path.read_text())
    assert report.problems(data) == []
    assert {m["id"]: m["status"] for m in data["mutants"]} == {"tensor.maximum.signed-zero-order": "allowed",
                                                               "tensor.argmax.last-tie": "killed"}
    # the allowed mutant leaves the score: arithmetic has no scored mutant
    arithmetic = next(g for g in data["groups"] if g["id"] == "elementwise-arithmetic")
    assert (arithmetic["total"], arithmetic["allowed"], arithmetic["score"]) == (0, 1, None)
    assert data["settings"]["seed"] == 1 and data["spec"]["status"] == "draft"


def test_a_score_below_the_minimum_exits_1(tmp_path: Path) -> None:
    # the same run held to a score the allowed-only selection cannot reach: no scored mutant, score null
    done = accord("mutate", "-f", "tensor", "--seed", "1", "--max-examples", "10", "--select",
                  "tensor.maximum.signed-zero-order", "--report", str(tmp_path / "m.json"), "-q", timeout=300)
    assert done.returncode == 1, done.stderr


def test_usage_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the report's folder would go")
    for args, words in ((["-f", "tensor", "--select", "tensor.nothing.*"], "matches no tensor mutant"),
                        (["-f", "pipeline", "--select", "pipeline.nothing.*"], "matches no pipeline mutant"),
                        (["-f", "tensor", "--spec-version", "9.9"], "9.9"),
                        (["-f", "tensor", "--report", str(tmp_path / "blocker" / "m.json")],
                         "cannot write the mutation report")):
        report = [] if "--report" in args else ["--report", str(tmp_path / "m.json")]
        done = accord("mutate", *args, *report, timeout=120)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "m.json").exists()
