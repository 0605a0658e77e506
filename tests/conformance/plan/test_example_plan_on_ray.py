"""The shipped example plan (examples/plans/array-api.yaml) on the local pool and on a loopback Ray cluster
of two nodes (conftest ``cluster``) gives the same status per cell and the same verdict per requirement.

The whole plan (20 cells, jax and beam among them) takes the better part of an hour here, so the test
runs its numpy cells (4 releases × tensor 1.0 / 1.1) on a few requirements (``--cells``, ``--select``):
what is compared is the executors, not the backends. Both runs share one environment cache: the pool's run
builds what is missing, the Ray run builds nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from accord_testing import REPO_ROOT, TESTS_ENV

pytest.importorskip("ray")
from accord.conformance.plan.local_ray import SINGLE_MACHINE, LocalRayCluster, is_loopback_ip  # noqa: E402

pytestmark = pytest.mark.slow  # a Ray cluster of two nodes, and four numpy releases from the package registry

PLAN = REPO_ROOT / "examples" / "plans" / "array-api.yaml"
CELLS = "tensor-numpy-*"
# requirements that all numpy releases pass (add) and that 1.26 fails (astype: not in its namespace)
SELECT = "tensor.add.*,tensor.astype.*"
MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"


def plan_run(out: Path, cache: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MAIN, "plan", "run", str(PLAN), "--out", str(out), "--env-cache",
                             str(cache), "--cells", CELLS, "--select", SELECT, "--max-retries", "1", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def verdicts(out: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Per cell: its status, and each requirement's verdict in its report."""
    state = json.loads((out / "plan-state.json").read_text())["cells"]
    found = {}
    for cell_id, entry in state.items():
        report = json.loads((out / "cells" / f"{cell_id}.json").read_text())
        found[cell_id] = (entry["status"], {r["id"]: r["status"] for r in report["requirements"]})
    return found


def test_the_example_plans_numpy_cells_give_the_same_verdicts_on_ray_and_on_the_pool(
        tmp_path: Path, cache: Path, cluster: LocalRayCluster, run_watching) -> None:  # noqa: ANN001
    started = time.monotonic()
    pool = plan_run(tmp_path / "pool", cache, {**TESTS_ENV, "TMPDIR": str(cluster.scratch)}, "--workers", "2")
    stdout, stderr = pool.communicate(timeout=1800)
    pool_seconds = time.monotonic() - started
    assert pool.returncode == 0, stdout + stderr
    assert "20 cells (8 chosen by --cells)" in stdout and "8 to run" in stdout, stdout

    started = time.monotonic()
    env = {k: v for k, v in cluster.driver_env.items() if k not in SINGLE_MACHINE}  # it keeps to loopback itself
    ray = plan_run(tmp_path / "ray", cache, env, "--executor", "ray", "--ray-address", cluster.address)
    stdout, stderr, seen = run_watching(cluster, ray, timeout=1800)
    ray_seconds = time.monotonic() - started
    assert ray.returncode == 0, stdout + stderr
    assert "environments: 0 built, 4 reused" in stdout, stdout  # the pool's run built them

    on_pool, on_ray = verdicts(tmp_path / "pool"), verdicts(tmp_path / "ray")
    assert len(on_pool) == 8 and all(cell.startswith("tensor-numpy-") for cell in on_pool)
    assert {cell: v[0] for cell, v in on_ray.items()} == {cell: v[0] for cell, v in on_pool.items()}
    assert on_ray == on_pool
    assert all(len(requirements) >= 5 for _, requirements in on_pool.values())
    # the cells spread over both nodes, and nothing of the cluster listened off loopback meanwhile
    hosts = {json.loads((tmp_path / "ray" / "plan-state.json").read_text())["cells"][c]["host"] for c in on_ray}
    assert {f"ray node {node_id[:12]}" for node_id in cluster.node_ids} == {h.split("(")[-1].rstrip(")") for h in hosts}
    assert [s for s in seen if not is_loopback_ip(s[2])] == [] and seen, seen
    assert cluster.loopback_problems() == []
    print(f"\n8 numpy cells of the example plan: local pool (2 workers) {pool_seconds:.1f}s, "
          f"ray (2 nodes × 1 CPU) {ray_seconds:.1f}s")
