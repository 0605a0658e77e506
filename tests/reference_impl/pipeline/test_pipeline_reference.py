"""The reference passes the whole pipeline suite through the real CLI and worker, on several seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.reference.pipeline import windowing
from accord.spec.pipeline.graph import Window


@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes_everything(seed: int, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", "run", "-f", "pipeline",
         "-a", "reference", "--seed", str(seed), "--max-examples", "10", "--report", str(report), "-q"],
        capture_output=True, text=True, timeout=240)
    results = json.loads(report.read_text())["requirements"]
    bad = [(r["id"], r["status"], r.get("message")) for r in results if r["status"] != "pass"]
    assert not bad and done.returncode == 0, bad or done.stderr[-2000:]
    assert len(results) >= 80


def test_session_merge_rule() -> None:
    w = [Window(0, 10), Window(10, 20), Window(9, 19), Window(30, 40)]
    merged = windowing.merge_sessions({w[0], w[1]})
    assert merged[w[0]] == Window(0, 10) and merged[w[1]] == Window(10, 20)  # touching: apart
    merged = windowing.merge_sessions(set(w))
    assert merged[w[0]] == merged[w[1]] == merged[w[2]] == Window(0, 20)
    assert merged[w[3]] == Window(30, 40)


def test_window_assignment_edges() -> None:
    fixed = {"type": "fixed", "size": 10}
    assert windowing.assign(fixed, 9) == [Window(0, 10)]
    assert windowing.assign(fixed, 10) == [Window(10, 20)]
    assert windowing.assign(fixed, -1) == [Window(-10, 0)]
    sliding = {"type": "sliding", "size": 10, "period": 5}
    assert sorted(windowing.assign(sliding, 5), key=lambda w: w.start) == [Window(0, 10), Window(5, 15)]
