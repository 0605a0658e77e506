"""``accord plan show|run --cells GLOB[,GLOB] --select GLOB[,GLOB]``: a part of a plan, on a few requirements.

No environment is built here: ``run`` is given an output folder where the chosen cell is already finished,
so what is checked is which cells a run takes and that the state of the others stays as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from accord_testing import REPO_ROOT, TESTS_ENV, accord

EXAMPLE = REPO_ROOT / "examples" / "plans" / "array-api.yaml"


def test_show_lists_only_the_chosen_cells_with_the_select_given(tmp_path: Path) -> None:
    done = accord("plan", "show", str(EXAMPLE), "--cells", "tensor-numpy-2.*,pipeline-*-spec1.1-*", "--select",
                  "tensor.add.*", env={**TESTS_ENV, "COLUMNS": "250"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "20 cells, 8 shown" in done.stdout
    shown = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("│ ") and "-seed" in line]
    assert sorted(shown) == sorted([f"tensor-numpy-{v}-spec{s}-seed1" for v in ("2.0.2", "2.2.6", "2.4.6")
                                    for s in ("1.0", "1.1")]
                                   + ["pipeline-beam-2.60.0-spec1.1-seed1", "pipeline-beam-2.77.0-spec1.1-seed1"])
    assert done.stdout.count("select=tensor.add.*") == 8


def test_cells_that_match_nothing_are_one_line_and_exit_2(tmp_path: Path) -> None:
    for option, value in (("--cells", "tensor-torch-*"), ("--cells", " , "), ("--select", ",")):
        done = accord("plan", "run", str(EXAMPLE), "--out", str(tmp_path / "out"), option, value, env=TESTS_ENV,
                      timeout=120)
        assert done.returncode == 2, done.stdout + done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
        assert not (tmp_path / "out").exists()


def test_run_takes_only_the_chosen_cells_and_leaves_the_others_state_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "cells").mkdir(parents=True)
    chosen = "tensor-numpy-2.4.6-spec1.1-seed1"
    report = out / "cells" / f"{chosen}.json"
    ran = accord("run", "--family", "tensor", "--adapter", "numpy", "--select", "tensor.add.values", "--max-examples",
                 "2", "--seed", "1", "--report", str(report), "--quiet", env=TESTS_ENV, timeout=300)
    assert report.is_file(), ran.stdout + ran.stderr
    other = {"id": "pipeline-beam-2.60.0-spec1.0-seed1", "status": "failed", "note": "from an earlier run"}
    (out / "plan-state.json").write_text(json.dumps({"format": "accord-plan-state/1", "plan": "array-api",
                                                     "cells": {other["id"]: other}}))
    done = accord("plan", "run", str(EXAMPLE), "--out", str(out), "--cells", chosen, "--env-cache",
                  str(tmp_path / "envs"), env=TESTS_ENV, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "20 cells (1 chosen by --cells), 1 finished before (skipped), 0 to run" in done.stdout, done.stdout
    state = json.loads((out / "plan-state.json").read_text())["cells"]
    assert state[other["id"]] == other  # outside --cells: not marked skipped, not dropped
    assert set(state) == {other["id"], chosen}
    assert not (tmp_path / "envs").exists() or not any((tmp_path / "envs").iterdir())
    shutil.rmtree(out)


def test_a_ray_address_where_nothing_listens_is_one_line_at_once(tmp_path: Path) -> None:
    """Ray itself retries a cluster that is not there for minutes; the kit asks the port first."""
    import socket

    with socket.socket() as s:  # a port nothing listens on: bound, never listened to, closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"127.0.0.1:{port}"
    done = accord("plan", "run", str(EXAMPLE), "--out", str(tmp_path / "out"), "--executor", "ray",
                  "--ray-address", address, env=TESTS_ENV, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == f"accord: cannot use a Ray cluster at {address}: nothing answers there " \
                                  f"(Connection refused)", done.stderr
