"""``accord plan run`` end to end on real environments: numpy 2.0.2 from PyPI in a venv of its own.

The environments are real (``python -m venv`` + pip, no ``--system-site-packages``: a cell must test the
release it pins, not the kit's numpy), built once into a cache the session's plan tests share
(conftest.py): the first test pays the build (about 30 s with pip's cache warm), the others show the
reuse. The cells are tiny (two requirements, three examples). Every run gets a temp dir of its own,
checked empty at the end, and no process of the run may outlive it.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from accord_testing import TESTS_ENV
from accord_testing.plan_processes import assert_clean as clean
from accord_testing.plan_processes import processes_naming

from accord.conformance.plan.cell import ENVIRONMENT_FAILED, run_cell
from accord.conformance.plan.model import Cell
from accord.conformance.plan.procs import Children

pytestmark = pytest.mark.slow  # builds virtual environments from the package registry

PLAN = """\
plan: small
defaults:
  options: {{max_examples: 3, select: [{select}]}}
matrix:
  - family: tensor
    adapter: numpy
    backend: {{package: numpy, versions: ["2.0.2"]}}
    spec_versions: ["1.0", "1.1"]
"""
QUICK = '"tensor.add.values", "tensor.subtract.values"'
LONG = '"tensor.*"'
MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"


def plan_file(folder: Path, select: str = QUICK) -> Path:
    path = folder / "plan.yaml"
    path.write_text(PLAN.format(select=select))
    return path


def start(folder: Path, cache: Path, *extra: str) -> subprocess.Popen:
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-c", MAIN, "plan", "run", str(folder / "plan.yaml"), "--out",
                             str(folder / "out"), "--env-cache", str(cache), "--workers", "2", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**TESTS_ENV, "TMPDIR": str(scratch)})


def finish(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str]:
    stdout, stderr = proc.communicate(timeout=timeout)
    return proc.returncode, stdout + stderr


def interrupt_when(proc: subprocess.Popen, ready: Callable[[], object], within: float, settle: float) -> tuple[int, str]:
    """Ctrl-C to ``proc`` ``settle`` seconds after ``ready()`` is truthy (failing if it exits or ``within`` passes
    first), then its exit code and output."""
    deadline = time.monotonic() + within
    while not ready():
        assert proc.poll() is None and time.monotonic() < deadline, finish(proc)[1]
        time.sleep(0.1)
    time.sleep(settle)
    proc.send_signal(signal.SIGINT)
    return finish(proc, timeout=120)


def assert_clean(folder: Path, cache: Path) -> None:
    """The shared checks, and no temporary (dot) file left in the output folder."""
    out = folder / "out"
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], list(out.rglob("*"))
    clean(folder, cache)


def test_a_plan_runs_end_to_end_and_a_rerun_recomputes_only_unfinished_cells(tmp_path: Path, cache: Path) -> None:
    plan_file(tmp_path)
    code, text = finish(start(tmp_path, cache))
    assert code == 0, text
    # two cells, one environment, built once (or by an earlier test sharing the session's cache)
    assert re.search(r"environments: (1 built, 0 reused|0 built, 1 reused)", text), text
    cells = tmp_path / "out" / "cells"
    names = sorted(p.name for p in cells.iterdir())
    assert names == ["tensor-numpy-2.0.2-spec1.0-seed1.json", "tensor-numpy-2.0.2-spec1.1-seed1.json"]
    report = json.loads((cells / names[1]).read_text())
    assert report["adapter"]["backend"] == {"package": "numpy", "version": "2.0.2"}  # not the kit's numpy
    assert report["state"] == "complete" and report["settings"]["max_examples"] == 3
    state = json.loads((tmp_path / "out" / "plan-state.json").read_text())
    entry = state["cells"]["tensor-numpy-2.0.2-spec1.1-seed1"]
    assert entry["status"] == "passed" and entry["duration"] > 0 and len(entry["env_key"]) == 16
    assert_clean(tmp_path, cache)

    code, text = finish(start(tmp_path, cache))  # nothing left to do
    assert code == 0 and "2 finished before (skipped), 0 to run" in text and "0 built, 0 reused" in text, text

    kept = (cells / names[0]).stat().st_mtime_ns
    (cells / names[1]).unlink()
    code, text = finish(start(tmp_path, cache))
    assert code == 0 and "1 finished before (skipped), 1 to run" in text, text
    assert "environments: 0 built, 1 reused" in text, text
    assert (cells / names[1]).is_file() and (cells / names[0]).stat().st_mtime_ns == kept
    assert_clean(tmp_path, cache)


def test_ctrl_c_stops_the_cells_leaves_nothing_and_the_same_command_finishes_them(tmp_path: Path,
                                                                                  cache: Path) -> None:
    plan_file(tmp_path, LONG)  # every tensor requirement: long enough to be stopped while running
    proc = start(tmp_path, cache)
    # once a cell's worker runs
    code, text = interrupt_when(proc, lambda: [p for p in processes_naming(cache) if "accord.conformance.worker" in p],
                                within=300, settle=2)
    assert code == 130, text
    assert "interrupted" in text and "Traceback" not in text, text
    assert not (tmp_path / "out" / "cells").exists() or not list((tmp_path / "out" / "cells").iterdir())
    assert_clean(tmp_path, cache)

    plan_file(tmp_path, QUICK)  # the same plan, smaller: the rerun runs both cells, nothing was finished
    code, text = finish(start(tmp_path, cache))
    assert code == 0 and "0 finished before (skipped), 2 to run" in text, text
    assert_clean(tmp_path, cache)


def test_ctrl_c_during_an_environment_build_leaves_no_half_environment(tmp_path: Path) -> None:
    cache = tmp_path / "envs"
    plan_file(tmp_path)
    proc = start(tmp_path, cache)
    code, text = interrupt_when(proc, lambda: list(cache.glob(".building-*/bin/python")), within=120, settle=1)
    assert code == 130, text
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []  # no env, whole or half
    assert_clean(tmp_path, cache)


def test_an_environment_that_cannot_be_built_is_a_cell_status_with_pips_message(tmp_path: Path) -> None:
    cell = Cell(id="tensor-numpy-0.0.0-spec1.1-seed1", family="tensor", adapter="numpy", spec_version="1.1", seed=1,
                package="numpy", version="0.0.0", requirements=("numpy==0.0.0",), max_examples=1, timeout=5.0)
    result = run_cell(cell, tmp_path / "envs", Children())
    assert result.status == ENVIRONMENT_FAILED, result
    assert "numpy==0.0.0" in result.message and "No matching distribution" in result.message, result.message
    assert result.report is None and len(result.env_key) == 16
    assert [p.name for p in (tmp_path / "envs").iterdir() if not p.name.endswith(".lock")] == []
