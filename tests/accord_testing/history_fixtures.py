"""Real reports of one backend at several releases, for the history view's tests: a small ``accord plan run``.

numpy 1.26.4, 2.0.2 and 2.2.6 against tensor spec 1.1, a handful of requirements: numpy added
``cumulative_sum`` in 2.1, so its requirements fail at the first two releases (one finding each, the
same stable id at both) and pass at 2.2.6, while ``add`` passes throughout. The environments are real
venvs from PyPI, in the session's environment cache (tests/conftest.py ``plan_env_cache``, shared with the plan
and bisect tests and by xdist workers, locked per key by the plan runner).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from accord_testing import TESTS_ENV

RELEASES = ["1.26.4", "2.0.2", "2.2.6"]
CHANGING = ["tensor.cumulative_sum.signature", "tensor.cumulative_sum.values"]  # fail, fail, pass
STEADY = ["tensor.add.values"]  # pass at every release
PLAN = f"""\
plan: history-test
defaults:
  seeds: [1]
  options: {{max_examples: 3, timeout: 60, select: {json.dumps(CHANGING + STEADY)}}}
matrix:
  - family: tensor
    adapter: numpy
    backend: {{package: numpy, versions: {json.dumps(RELEASES)}}}
    spec_versions: ["1.1"]
"""
MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"


def run_history_plan(folder: Path, env_cache: Path, timeout: float = 1200) -> Path:
    """Run the plan into ``folder/out`` (one report per release in ``out/cells``) and return that cells folder.

    Raises AssertionError with the runner's output when a cell has no report or the run left files in its
    temp dir."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN)
    done = subprocess.run([sys.executable, "-c", MAIN, "plan", "run", str(folder / "plan.yaml"), "--out",
                           str(folder / "out"), "--env-cache", str(env_cache), "--workers", "1"],
                          capture_output=True, text=True, timeout=timeout, env={**TESTS_ENV, "TMPDIR": str(scratch)})
    cells = folder / "out" / "cells"
    reports = sorted(cells.glob("*.json")) if cells.is_dir() else []
    assert done.returncode in (0, 1) and len(reports) == len(RELEASES), done.stdout + done.stderr
    assert list(scratch.iterdir()) == [], f"the plan run left files in its temp dir: {list(scratch.iterdir())}"
    return cells
